import { describe, expect, it } from 'vitest';
import type { RunRow, RunStep } from '@/lib/db/schema';
import { describeTimeLeft, stepTimeLeftMs } from '@/lib/sync/eta';
import { recordProgress } from '@/lib/sync/run-progress';

/** #17: a running sync says how long its current step has left, from that step's own pace. */
describe('time left in a sync step', () => {
  const minute = 60_000;

  it('extrapolates the step’s pace so far over what is left', () => {
    // A Kaseya BMS asset list at half its limit: 15,000 of 150,000 read in 12 minutes.
    const left = stepTimeLeftMs({ entity: 'configuration', done: 15_000, total: 150_000, startedAt: 0 }, 12 * minute);
    expect(left).toBe(108 * minute);
    expect(describeTimeLeft(left!)).toBe('about 1 h 48 min left in this step');
    expect(describeTimeLeft(25 * minute)).toBe('about 25 min left in this step');
    expect(describeTimeLeft(2 * 60 * minute)).toBe('about 2 h left in this step');
    expect(describeTimeLeft(20_000)).toBe('less than a minute left in this step');
  });

  it('says nothing while the pace is not known: no total, too little read, too soon', () => {
    expect(stepTimeLeftMs(undefined, 10 * minute)).toBeUndefined();
    expect(stepTimeLeftMs({ entity: 'contact', done: 500, startedAt: 0 }, minute)).toBeUndefined();
    expect(stepTimeLeftMs({ entity: 'contact', done: 100, total: 40_000, startedAt: 0 }, minute)).toBeUndefined();
    expect(stepTimeLeftMs({ entity: 'contact', done: 5_000, total: 40_000, startedAt: 0 }, 2_000)).toBeUndefined();
    expect(stepTimeLeftMs({ entity: 'contact', done: 5_000, total: 40_000 }, minute)).toBeUndefined();
    // All read: nothing left.
    expect(stepTimeLeftMs({ entity: 'contact', done: 40_000, total: 40_000, startedAt: 0 }, minute)).toBe(0);
  });

  it('starts a step’s clock when its first page was asked for, and keeps it through the step', () => {
    const step: RunStep = { entity: 'configuration', mode: 'changes', since: null, scope: null, sweep: true, fullPass: true };
    const run = { pageToken: null, progress: { entity: 'contact', done: 40_000, total: 40_000, startedAt: 1 } } as unknown as RunRow;
    recordProgress(run, step, { records: Array(100).fill({}), rejected: [], nextPageToken: '2', total: 1_000 }, 5_000);
    expect(run.progress).toEqual({ entity: 'configuration', done: 100, total: 1_000, startedAt: 5_000 });
    run.pageToken = '2';
    recordProgress(run, step, { records: Array(100).fill({}), rejected: [], nextPageToken: '3' }, 9_000);
    expect(run.progress).toEqual({ entity: 'configuration', done: 200, total: 1_000, startedAt: 5_000 });
  });
});
