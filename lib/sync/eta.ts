import type { RunRow } from '../db/schema';

/**
 * How long the current step of a running sync has left, from its own pace so far: records read
 * per second since its first page was asked for, pacing waits and the PSA's latency included, so
 * a step held to its share of the vendor's limit (a large Kaseya BMS asset list: about two hours
 * at half of 1,500 requests an hour) says so. Undefined while that pace is not known yet: no total
 * from the PSA, too little read, or too little time.
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

/** "less than a minute", "about 25 min", "about 2 h 10 min". */
export function aboutDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}
