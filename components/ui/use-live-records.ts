import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { recordsStamp, type RecordScope } from '@/lib/db/record-stamps';
import type { SidecarDb } from '@/lib/db/schema';
import { useLive } from './use-live';

/**
 * A query over records that is read again only when records in its scope change
 * (lib/db/record-changes.ts), not on every page a sync commits: a live query of records alone
 * would re-run each time, since Dexie marks the whole table changed by any large write (#17).
 * `dependsOn`: other values the read uses (e.g. a live query's `dataUpdatedAt`); it waits for them.
 * The previous result stays shown while the next one is read.
 */
export function useLiveRecords<T>(
  db: SidecarDb,
  key: readonly unknown[],
  scope: RecordScope,
  read: () => Promise<T>,
  dependsOn: readonly unknown[] = [],
): UseQueryResult<T> {
  const stamp = useLive([...key, 'stamp'], () => recordsStamp(db, scope));
  return useQuery({
    queryKey: [...key, stamp.data, ...dependsOn],
    queryFn: read,
    enabled: stamp.data !== undefined && !dependsOn.includes(undefined),
    placeholderData: keepPreviousData,
  });
}
