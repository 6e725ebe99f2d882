import type { EntityCounts, RunRow, RunStep, SliceTiming } from '../db/schema';
import type { EntityKind, PageResult } from '../psa/types';

/** Bookkeeping on the run row itself (counts, progress, timing): no reads or writes of its own. */

export function countsFor(run: RunRow, entity: EntityKind): EntityCounts {
  run.counts[entity] ??= { fetched: 0, written: 0, rejected: 0, archived: 0 };
  return run.counts[entity]!;
}

/**
 * A page was read and applied: progress moves on, and the slice's failures are forgotten.
 * `fetchStartedAt`: when this page was asked for; a step's first page starts its clock.
 */
export function recordProgress(run: RunRow, step: RunStep, page: PageResult, fetchStartedAt: number): void {
  if (page.unstable) run.unstable = true;
  const continuing = run.pageToken !== null && run.progress?.entity === step.entity;
  const done = (continuing ? run.progress!.done : 0) + page.records.length;
  const total = page.total ?? (continuing ? run.progress?.total : undefined);
  const startedAt = (continuing ? run.progress?.startedAt : undefined) ?? fetchStartedAt;
  const pages = (continuing ? (run.progress?.pages ?? 0) : 0) + 1;
  const pageRequests = page.requests ?? 1;
  run.progress = { entity: step.entity, done, ...(total !== undefined ? { total } : {}), startedAt, pages, pageRequests };
  run.attempts = 0;
  delete run.retryAt;
  delete run.error;
}

/** Where a run's time went (SliceTiming): this slice's parts added to the run's sums. */
export function addTiming(run: RunRow, slice: SliceTiming): void {
  const sum = (key: keyof SliceTiming) => (run.timing?.[key] ?? 0) + (slice[key] ?? 0);
  run.timing = { fetchMs: sum('fetchMs'), writeMs: sum('writeMs'), setupMs: sum('setupMs'), commitMs: sum('commitMs'), requests: sum('requests') };
}

/** Per-request costs of the latest pages a run keeps, of each kind (RunPace). */
export const RECENT_COSTS = 15;

/**
 * A page's requests were asked for at `askedAt` and its slice took `costMs` (reads before the
 * request, waiting for the page, the last commit) for its `records` (`last`: the step's last
 * page): the run's account of the pacer's window (RunPace.window) and of what a request costs. A
 * window begins with the first request after the last one ended, as the pacer's sliding log frees
 * its oldest request then; where the vendor counts per endpoint, each list has its own.
 */
export function recordRequests(run: RunRow, step: RunStep, askedAt: number, page: { requests: number; records: number; costMs: number; last: boolean }): void {
  const pace = run.pace;
  if (!pace) return;
  const { requests } = page;
  const cost = page.costMs / requests;
  // A list's short last page is a list page still; a step of small answers has more to come after each.
  if (pace.pageSize && !page.last && page.records / requests < pace.pageSize / 2)
    pace.smallAnswerCosts = [...(pace.smallAnswerCosts ?? []), cost].slice(-RECENT_COSTS);
  else pace.listPageCosts = [...(pace.listPageCosts ?? []), cost].slice(-RECENT_COSTS);
  const window = pace.window;
  const fresh = !window || askedAt - window.startedAt >= pace.limit.windowMs || (pace.limit.per === 'endpoint' && window.entity !== step.entity);
  pace.window = fresh ? { entity: step.entity, startedAt: askedAt, requests } : { ...window, requests: window.requests + requests };
}
