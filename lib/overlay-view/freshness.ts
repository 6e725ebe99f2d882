import type { IntegrationRow, SidecarDb } from '../db/schema';
import { latestRun } from '../db/queries';
import { loadSchedule } from '../sync/schedule';

/** How fresh the overlay's data is, and what went wrong with the last sync, if anything. */
export interface Freshness {
  lastSyncAt?: number;
  /** Set when the data is older than two sync intervals. */
  stale?: string;
  /** Set when the latest sync failed. */
  failed?: string;
}

export async function freshnessOf(db: SidecarDb, integration: IntegrationRow, now: number): Promise<Freshness> {
  const [schedule, run] = await Promise.all([loadSchedule(db), latestRun(db, integration.id)]);
  const freshness: Freshness = integration.lastSyncAt ? { lastSyncAt: integration.lastSyncAt } : {};
  const age = integration.lastSyncAt ? now - integration.lastSyncAt : undefined;
  if (age !== undefined && age > 2 * schedule.intervalHours * 3_600_000) {
    const hours = Math.floor(age / 3_600_000);
    freshness.stale = `This data is ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`} old: ${integration.label} has not synced since. Scheduled syncs may be failing or the browser was closed.`;
  }
  if (run?.status === 'failed' && run.error?.code !== 'cancelled') {
    freshness.failed = `The last sync of ${integration.label} failed: ${run.error?.message ?? 'unknown error'} Showing the data Sidecar has.`;
  }
  return freshness;
}
