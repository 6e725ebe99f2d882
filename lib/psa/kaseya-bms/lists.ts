import type { PacedWholeLists } from '../descriptor';

/** Records per request on BMS's list endpoints (docs/psa/kaseya-bms.md#paging). */
export const BMS_PAGE_SIZE = 100;

/**
 * Hardware assets cannot be asked for changes only (docs/psa/kaseya-bms.md#incremental-sync), and a
 * large tenant's list is hours of requests at Sidecar's share of 1,500 an hour: read whole only as
 * often as that share allows (lib/sync/whole-list-pace.ts).
 */
export const BMS_PACED_LISTS: PacedWholeLists = { configuration: { pageSize: BMS_PAGE_SIZE, noun: 'assets' } };
