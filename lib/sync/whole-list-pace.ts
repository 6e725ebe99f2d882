import type { CursorRow } from '../db/schema';
import { allowedPerWindow, describeRate, type RateLimit } from '../psa/pacing';
import type { EntityCapabilities, EntityKind } from '../psa/types';
import { aboutDuration } from './eta';

/**
 * How often a list the PSA cannot filter by change time (Kaseya BMS's hardware assets) is read
 * whole by scheduled syncs (#17). A large tenant's asset list is hours of requests at Sidecar's
 * share of the vendor's limit (150,000 assets: 1,500 requests, two hours at 750 an hour), and
 * while a run reads it no other sync of that PSA starts: so it is read whole at most once per
 * `SPACING` times what that read takes, and in between scheduled syncs read only the newly
 * matched companies' lists. A short list is read whole on every sync, as before.
 */

/** A whole read takes at most this share of the time between two of them: 1 in 4. */
export const SPACING = 4;

export interface WholeListCost {
  /** Records the last whole read of the list returned. */
  records: number;
  /** Records per request. */
  pageSize: number;
  /** The vendor's documented limit (per endpoint for BMS: this list's own budget). */
  limit: RateLimit;
  /** Sidecar's share of that limit (0-1, the integration's API share). */
  share: number;
}

/** Requests a whole read of the list takes. */
export function wholeReadRequests(cost: WholeListCost): number {
  return Math.max(1, Math.ceil(cost.records / cost.pageSize));
}

/** How long a whole read takes at the share, paced (not counting the PSA's own latency). */
export function wholeReadMs(cost: WholeListCost): number {
  const perWindow = allowedPerWindow(cost.limit, cost.share);
  return (wholeReadRequests(cost) / perWindow) * cost.limit.windowMs;
}

/** The least time between two whole reads by scheduled syncs. */
export function wholeReadEveryMs(cost: WholeListCost): number {
  return SPACING * wholeReadMs(cost);
}

/** For lists read whole at a pace: the least time between two whole reads, from what the last one read. */
export function wholeReadSpacing(
  capabilities: Record<EntityKind, EntityCapabilities>,
  cursors: CursorRow[],
  pacing: { limit: RateLimit; share: number } | undefined,
): Partial<Record<EntityKind, number>> {
  if (!pacing) return {};
  const spacing: Partial<Record<EntityKind, number>> = {};
  for (const cursor of cursors) {
    const paced = capabilities[cursor.entity]?.pacedWhole;
    if (paced && cursor.lastFullPassRecords !== undefined)
      spacing[cursor.entity] = wholeReadEveryMs({ records: cursor.lastFullPassRecords, pageSize: paced.pageSize, ...pacing });
  }
  return spacing;
}

/**
 * What the options page says of a list read whole at a pace: what its last whole read cost, how
 * often scheduled syncs read it whole, and what they read in between.
 */
export function wholeReadNote(input: {
  label: string;
  noun: string;
  pageSize: number;
  limit: RateLimit;
  share: number;
  intervalHours: number;
  cursor: Pick<CursorRow, 'lastFullPassAt' | 'lastFullPassRecords'> | undefined;
}): string {
  const { label, noun } = input;
  const pace = `${Math.round(input.share * 100)}% of its limit of ${describeRate(input.limit)}${input.limit.per === 'endpoint' ? ' for this list' : ''}`;
  const opening = `${label} cannot list only the ${noun} that changed, so Sidecar reads the whole list`;
  if (input.cursor?.lastFullPassRecords === undefined) {
    return `${opening}: on every sync until it has read it once, then only as often as ${pace} allows (a whole read at most a quarter of the time), with newly matched companies’ ${noun} read in between.`;
  }
  const cost = { records: input.cursor.lastFullPassRecords, pageSize: input.pageSize, limit: input.limit, share: input.share };
  const last = `The last whole read: ${cost.records.toLocaleString('en-US')} ${noun} in ${wholeReadRequests(cost).toLocaleString('en-US')} requests, ${aboutDuration(wholeReadMs(cost))} at ${pace}.`;
  const every = wholeReadEveryMs(cost);
  if (every <= input.intervalHours * 3_600_000) return `${opening} on every sync. ${last}`;
  return `${opening} at most every ${aboutDuration(every).replace(/^about /, '')} (a whole read at most a quarter of the time); scheduled syncs in between read only newly matched companies’ ${noun}, and Sync now reads the whole list at once. ${last}`;
}
