import type { RunRow, RunStep } from '../db/schema';
import { allowedPerWindow } from '../psa/pacing';

/**
 * How long a running sync has left. `runTimeLeft` (below) works it out as the pacer will let the
 * run go; `stepTimeLeftMs` only extrapolates the current step's pace so far, for a run that keeps
 * no pace (one started before Sidecar kept it): records read per second since the step's first
 * page was asked for. Undefined while that pace is not known yet: no total from the PSA, too
 * little read, or too little time.
 */

/** Read before a pace is trusted. */
const MIN_ELAPSED_MS = 5_000;
const MIN_SHARE = 0.02;

export function stepTimeLeftMs(progress: RunRow['progress'], now: number): number | undefined {
  if (!progress?.total || progress.startedAt === undefined || progress.done <= 0) return undefined;
  const elapsed = now - progress.startedAt;
  if (elapsed < MIN_ELAPSED_MS || progress.done / progress.total < MIN_SHARE) return undefined;
  const left = Math.max(0, progress.total - progress.done);
  return (elapsed / progress.done) * left;
}

/** "about 25 min left in this step", "about 2 h 10 min left in this step", "less than a minute left in this step". */
export function describeTimeLeft(ms: number): string {
  return `${aboutDuration(ms)} left in this step`;
}

/** Requests committed before a request's cost is trusted. */
const MIN_REQUESTS = 3;

export interface RunTimeLeft {
  /** Until the current step ends; undefined when its size is not known yet. */
  stepMs: number | undefined;
  /** Until the run ends, counting only the steps whose size is known. */
  totalMs: number;
  /** Steps (this one included) whose size is not known yet: then `totalMs` is a lower bound. */
  uncounted: number;
  /**
   * A current step of unknown size (Kaseya BMS's asset list gives no total): the records an hour
   * it reads, as fast as its requests go and the share of the limit lets them.
   */
  perHour?: number;
}

/**
 * How long a running sync has left, step by step, as the pacer will let it go (#17): each
 * request costs what this run's latest of its kind have cost (the PSA's latency, the writes; a
 * list page of 1,000 records several times a company's few sites), and no more than the
 * integration's share of the vendor's limit goes out per window, the window the run is in
 * already counted (RunPace.window). A Kaseya BMS asset list of 1,500 pages at 750 requests an
 * hour reads its first 750 in minutes, then waits for the hour to turn: the estimate says so from
 * the first page, where the pace so far would say minutes. Undefined when the run keeps no pace
 * (started before it did) or has read too little to know a request's cost.
 */
export function runTimeLeft(run: RunRow, now: number): RunTimeLeft | undefined {
  const pace = run.pace;
  const timing = run.timing;
  if (!pace || !timing?.requests || timing.requests < MIN_REQUESTS) return undefined;
  const average = ((timing.setupMs ?? 0) + timing.fetchMs + (timing.commitMs || timing.writeMs)) / timing.requests;
  const listPage = median(pace.listPageCosts);
  const smallAnswer = median(pace.smallAnswerCosts);
  // Small answers cost a third of a list page of 1,000 records or less: until one is seen, a step of them is not counted.
  const costOf = (step: RunStep): number | undefined =>
    step.smallAnswers ? (smallAnswer ?? (listPage === undefined ? average : undefined)) : (listPage ?? smallAnswer ?? average);
  const allowed = allowedPerWindow(pace.limit, pace.share);
  const windowMs = pace.limit.windowMs;
  const keyOf = (step: RunStep) => (pace.limit.per === 'endpoint' ? step.entity : 'api');

  // Per pacing key: requests in its current window, and when that window ends (relative to now).
  const windows = new Map<string, { used: number; endsAt: number }>();
  if (pace.window && now - pace.window.startedAt < windowMs) {
    windows.set(pace.limit.per === 'endpoint' ? pace.window.entity : 'api', { used: pace.window.requests, endsAt: pace.window.startedAt + windowMs - now });
  }
  // A run waiting to retry (backoff, or the pacer's own long wait) goes on from then.
  let at = Math.max(0, (run.retryAt ?? now) - now);
  let stepMs: number | undefined;
  let perHour: number | undefined;
  let uncounted = 0;
  run.steps.forEach((step, index) => {
    if (index < run.stepIndex) return;
    let requests = requestsLeft(run, step, index === run.stepIndex);
    const cost = costOf(step);
    if (requests === undefined || cost === undefined) {
      uncounted += 1;
      const progress = run.progress;
      if (cost !== undefined && index === run.stepIndex && progress?.entity === step.entity && progress.pages && progress.done > 0) {
        const requestsPerHour = Math.min(HOUR_MS / cost, (allowed * HOUR_MS) / windowMs);
        perHour = (progress.done / progress.pages / (progress.pageRequests ?? 1)) * requestsPerHour;
      }
      return;
    }
    const key = keyOf(step);
    let window = windows.get(key);
    while (requests > 0) {
      if (!window || at >= window.endsAt) window = { used: 0, endsAt: at + windowMs };
      const room = allowed - window.used;
      if (room <= 0) {
        at = Math.max(at, window.endsAt);
        window = undefined;
        continue;
      }
      const taken = Math.min(room, requests);
      at += taken * cost;
      window.used += taken;
      requests -= taken;
    }
    if (window) windows.set(key, window);
    if (index === run.stepIndex) stepMs = at;
  });
  return { stepMs, totalMs: at, uncounted, ...(perHour !== undefined ? { perHour } : {}) };
}

const HOUR_MS = 3_600_000;

/** The middle of a run's latest costs; undefined without any. */
function median(costs: number[] | undefined): number | undefined {
  if (!costs?.length) return undefined;
  const sorted = [...costs].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Requests a step has left. A step under way, when the PSA gave its total: the pages left at the
 * records per page it has read so far (a list's page size; a few full records a page), each
 * costing what its latest page did. Otherwise what it was expected to cost, less what it has read.
 */
function requestsLeft(run: RunRow, step: RunStep, current: boolean): number | undefined {
  // A step a company's lists were put ahead of kept where it stood (lib/sync/company-first.ts).
  const progress = current ? (run.progress?.entity === step.entity ? run.progress : undefined) : step.paused?.progress;
  const perPage = progress?.pageRequests ?? 1;
  const recordsPerPage = progress?.pages && progress.done > 0 ? progress.done / progress.pages : run.pace?.pageSize;
  if (progress?.total !== undefined && recordsPerPage) {
    return Math.ceil(Math.max(0, progress.total - progress.done) / recordsPerPage) * perPage;
  }
  if (step.expectedRequests === undefined) return undefined;
  return Math.max(current || progress ? 0 : 1, step.expectedRequests - (progress?.pages ?? 0) * perPage);
}

/**
 * "about 1 h 6 min left in this step, about 1 h 12 min in all"; with lists not counted yet, "…,
 * at least 40 min in all (2 lists not counted yet)"; a step of unknown size, "reading about
 * 75,000 an hour, …". Undefined when nothing can be said.
 */
export function describeRunTimeLeft(left: RunTimeLeft, stepsAfter: number): string | undefined {
  const step = left.stepMs !== undefined ? describeTimeLeft(left.stepMs) : left.perHour ? `reading about ${roughly(left.perHour)} an hour` : undefined;
  if (!stepsAfter && (step || !left.uncounted)) return step;
  if (!left.uncounted) return `${step ? `${step}, ` : ''}${aboutDuration(left.totalMs)} in all`;
  // A last step not counted yet, while the run waits for its window: that wait at least.
  const atLeast = left.totalMs >= 60_000 ? `at least ${aboutDuration(left.totalMs).replace(/^about /, '')} ${stepsAfter ? 'in all' : 'left'}` : undefined;
  const said = [step, atLeast].filter(Boolean).join(', ');
  const lists = `${left.uncounted} ${left.uncounted === 1 ? 'list' : 'lists'} not counted yet`;
  return said ? `${said} (${lists})` : undefined;
}

/** Two significant figures: 74,812 → "75,000", 1,234 → "1,200". */
function roughly(count: number): string {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, count))) - 1);
  return (Math.round(count / scale) * scale).toLocaleString('en-US');
}

/** "less than a minute", "about 25 min", "about 2 h 10 min". */
export function aboutDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}
