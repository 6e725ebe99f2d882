import { describe, expect, it } from 'vitest';
import type { RunRow, RunStep } from '@/lib/db/schema';
import { describeRunTimeLeft, describeTimeLeft, runTimeLeft, stepTimeLeftMs } from '@/lib/sync/eta';
import { RECENT_COSTS, recordProgress, recordRequests } from '@/lib/sync/run-progress';

/** A whole-list step of `entity`, with `extra`. */
const step = (entity: RunStep['entity'], extra: Partial<RunStep> = {}): RunStep => ({
  entity,
  mode: 'changes',
  since: null,
  scope: null,
  sweep: true,
  fullPass: true,
  ...extra,
});

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
    const configurations = step('configuration');
    const run = { pageToken: null, progress: { entity: 'contact', done: 40_000, total: 40_000, startedAt: 1 } } as unknown as RunRow;
    recordProgress(run, configurations, { records: Array(100).fill({}), rejected: [], nextPageToken: '2', total: 1_000 }, 5_000);
    expect(run.progress).toEqual({ entity: 'configuration', done: 100, total: 1_000, startedAt: 5_000, pages: 1, pageRequests: 1 });
    run.pageToken = '2';
    recordProgress(run, configurations, { records: Array(100).fill({}), rejected: [], nextPageToken: '3' }, 9_000);
    expect(run.progress).toEqual({ entity: 'configuration', done: 200, total: 1_000, startedAt: 5_000, pages: 2, pageRequests: 1 });
  });
});

/** #17: the run's time left as the pacer lets it go, over its remaining steps. */
describe('time left in a whole sync, from the pacer', () => {
  const second = 1_000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const t0 = Date.UTC(2026, 11, 7, 9, 0);
  const bmsLimit = { limit: 1_500, windowMs: hour, per: 'endpoint' } as const;
  /** A Kaseya BMS first sync 30 pages into its 1,500-page asset list, each request having cost 500 ms. */
  const bmsRun = (overrides: Partial<RunRow> = {}): RunRow =>
    ({
      id: 'r',
      integrationId: 'i',
      trigger: 'manual',
      status: 'running',
      startedAt: t0 - 10 * minute,
      steps: [step('company'), step('contact'), step('configuration'), step('agreement', { expectedRequests: 30 }), step('site')],
      stepIndex: 2,
      pageToken: '{"page":31}',
      maxUpdatedAt: {},
      counts: {},
      attempts: 0,
      progress: { entity: 'configuration', done: 3_000, total: 150_000, startedAt: t0, pages: 30 },
      // The commits' 100 ms hold the 40 ms of writing before IndexedDB's commit.
      timing: { fetchMs: 400 * 450, writeMs: 40 * 450, setupMs: 0, commitMs: 100 * 450, requests: 450 },
      pace: { limit: bmsLimit, share: 0.5, pageSize: 100, window: { entity: 'configuration', startedAt: t0, requests: 30 } },
      ...overrides,
    }) as RunRow;

  it('sees the hour a BMS asset list waits for its window from its first pages, where the pace so far sees minutes', () => {
    const now = t0 + 15 * second;
    const run = bmsRun();
    const left = runTimeLeft(run, now)!;
    // 720 more pages fit this hour's 750 (6 min), then the window turns at t0 + 1 h, then the last 750 pages (6 min 15 s).
    expect(left.stepMs).toBe(hour - 15 * second + 750 * 500);
    // Contracts have their own endpoint and budget: 30 requests; sites were never read whole.
    expect(left.totalMs).toBe(left.stepMs! + 30 * 500);
    expect(left.uncounted).toBe(1);
    expect(describeRunTimeLeft(left, 2)).toBe('about 1 h 6 min left in this step, at least 1 h 6 min in all (1 list not counted yet)');
    // The step's pace alone (3,000 of 150,000 in 15 s) would say about 12 min.
    expect(describeTimeLeft(stepTimeLeftMs(run.progress, now)!)).toBe('about 12 min left in this step');
  });

  it('counts from the window the run is waiting on, and down as that wait passes', () => {
    const full = bmsRun({
      progress: { entity: 'configuration', done: 75_000, total: 150_000, startedAt: t0, pages: 750 },
      pace: { limit: bmsLimit, share: 0.5, pageSize: 100, window: { entity: 'configuration', startedAt: t0, requests: 750 } },
      retryAt: t0 + hour + 1,
      steps: [step('company'), step('contact'), step('configuration')],
    });
    expect(runTimeLeft(full, t0 + 10 * minute)!.stepMs).toBe(50 * minute + 1 + 750 * 500);
    expect(runTimeLeft(full, t0 + 40 * minute)!.stepMs).toBe(20 * minute + 1 + 750 * 500);
    expect(describeRunTimeLeft(runTimeLeft(full, t0 + 40 * minute)!, 0)).toBe('about 26 min left in this step');
    // The window has turned: only the reading is left.
    expect(runTimeLeft(full, t0 + hour + 5 * second)!.stepMs).toBe(750 * 500);
  });

  it('shares one window across every list where the vendor counts the whole API (ConnectWise)', () => {
    const cwLimit = { limit: 1_000, windowMs: minute, per: 'api' } as const;
    const run = bmsRun({
      steps: [step('company'), step('contact', { expectedRequests: 40 }), step('configuration', { expectedRequests: 150 })],
      stepIndex: 1,
      pageToken: '{"after":1000}',
      progress: { entity: 'contact', done: 10_000, total: 40_000, startedAt: t0, pages: 10 },
      timing: { fetchMs: 100 * 12, writeMs: 20 * 12, requests: 12 },
      // 10% of 1,000 a minute: 100 requests per window, 12 of them used.
      pace: { limit: cwLimit, share: 0.1, pageSize: 1_000, window: { entity: 'company', startedAt: t0, requests: 12 } },
    });
    const left = runTimeLeft(run, t0 + 2 * second)!;
    // 30 contact pages at 120 ms fit the window; then 58 configuration pages, the window full at t0 + 1 min, then 92 more.
    expect(left.stepMs).toBe(30 * 120);
    expect(left.totalMs).toBe(minute - 2 * second + 92 * 120);
    expect(left.uncounted).toBe(0);
    expect(describeRunTimeLeft(left, 1)).toBe('less than a minute left in this step, about 1 min in all');
  });

  it('costs a step of full records a request each: its pages left at its records per page, each what its latest page took', () => {
    // HaloPSA's matched clients' full records: 10 of 23 read in 2 pages of 5, each page 5 requests.
    const run = bmsRun({
      steps: [step('company'), step('company', { mode: 'details', scope: Array(23).fill('1'), expectedRequests: 23 })],
      stepIndex: 1,
      progress: { entity: 'company', done: 10, total: 23, startedAt: t0, pages: 2, pageRequests: 5 },
      timing: { fetchMs: 100 * 12, writeMs: 0, requests: 12 },
      pace: { limit: { limit: 300, windowMs: 5 * minute, per: 'api' }, share: 0.5, pageSize: 1_000 },
    });
    expect(runTimeLeft(run, t0)!.stepMs).toBe(15 * 100);
    // Without the PSA's total, what the step was expected to cost, less its pages' requests.
    expect(runTimeLeft({ ...run, progress: { ...run.progress!, total: undefined } }, t0)!.stepMs).toBe(13 * 100);
  });

  it('counts a step a company’s lists were put ahead of from where it stood', () => {
    const paused = { entity: 'configuration' as const, done: 3_000, total: 150_000, startedAt: t0, pages: 30, pageRequests: 1 };
    const run = bmsRun({
      steps: [
        step('company'),
        step('contact', { scope: ['7'], first: true, expectedRequests: 1 }),
        step('configuration', { paused: { pageToken: '{"page":31}', progress: paused } }),
      ],
      stepIndex: 1,
      progress: undefined,
      pace: { limit: bmsLimit, share: 0.5, pageSize: 100 },
    });
    // The company's contacts (a request), then the 1,470 asset pages left: 750 this hour, the rest the next.
    const left = runTimeLeft(run, t0)!;
    expect(left).toEqual({ stepMs: 500, totalMs: 500 + hour + 720 * 500, uncounted: 0 });
  });

  it('says nothing before a request’s cost is known, or on a run that keeps no pace', () => {
    expect(runTimeLeft(bmsRun({ timing: { fetchMs: 1_000, writeMs: 100, requests: 2 } }), t0)).toBeUndefined();
    expect(runTimeLeft(bmsRun({ pace: undefined }), t0)).toBeUndefined();
    // Nothing whose size is known, and no page read yet to say what a step reads an hour: no figure to give.
    const unknown = runTimeLeft(bmsRun({ progress: undefined, steps: [step('configuration'), step('site')], stepIndex: 0 }), t0);
    expect(unknown).toEqual({ stepMs: undefined, totalMs: 0, uncounted: 2 });
    expect(describeRunTimeLeft(unknown!, 1)).toBeUndefined();
  });

  it('says what a step of unknown size reads an hour, as the share lets it (a first read of Kaseya BMS’s assets, which have no total)', () => {
    const progress = { entity: 'configuration' as const, done: 3_000, startedAt: t0, pages: 30, pageRequests: 1 };
    const first = bmsRun({ progress, steps: [step('configuration'), step('site')], stepIndex: 0 });
    // 750 requests an hour at half the limit, of 100 assets each (a request's 500 ms would allow 7,200).
    const left = runTimeLeft(first, t0)!;
    expect(left).toEqual({ stepMs: undefined, totalMs: 0, uncounted: 2, perHour: 75_000 });
    expect(describeRunTimeLeft(left, 1)).toBe('reading about 75,000 an hour (2 lists not counted yet)');
    // Where the PSA is the slower: 10 s a request, 360 an hour of 100 each.
    const slow = runTimeLeft({ ...first, pace: { ...first.pace!, listPageCosts: [10_000] } }, t0)!;
    expect(describeRunTimeLeft(slow, 0)).toBe('reading about 36,000 an hour');
  });
});

/** The pacer's window and a request's cost as the engine keeps them on the run (RunPace). */
describe('recordRequests', () => {
  const paced = (per: 'api' | 'endpoint') => ({ pace: { limit: { limit: 10, windowMs: 1_000, per }, share: 0.5, pageSize: 1_000 } }) as unknown as RunRow;
  const listPage = (costMs: number, requests = 1) => ({ requests, records: 1_000 * requests, costMs, last: false });

  it('counts requests in the window, opens the next one when it has passed, and one per list where the vendor counts per endpoint', () => {
    const run = paced('endpoint');
    recordRequests(run, step('contact'), 0, listPage(100));
    // A page of five full records costs five requests.
    recordRequests(run, step('contact'), 400, { requests: 5, records: 5, costMs: 500, last: false });
    expect(run.pace!.window).toEqual({ entity: 'contact', startedAt: 0, requests: 6 });
    recordRequests(run, step('contact'), 1_000, listPage(100));
    expect(run.pace!.window).toEqual({ entity: 'contact', startedAt: 1_000, requests: 1 });
    recordRequests(run, step('configuration'), 1_100, listPage(100));
    expect(run.pace!.window).toEqual({ entity: 'configuration', startedAt: 1_100, requests: 1 });
    // Costs per request, list pages apart from small answers (one record a request).
    expect(run.pace!.listPageCosts).toEqual([100, 100, 100]);
    expect(run.pace!.smallAnswerCosts).toEqual([100]);

    const api = paced('api');
    recordRequests(api, step('contact'), 0, listPage(100));
    recordRequests(api, step('configuration'), 10, listPage(100));
    expect(api.pace!.window).toEqual({ entity: 'contact', startedAt: 0, requests: 2 });
  });

  it('keeps the latest pages’ costs, whose median a request costs: a pacing wait held in place once is not spread over the rest', () => {
    const run = paced('api');
    // The window shared with an earlier run held the first page 12 s; the others took 100-140 ms.
    recordRequests(run, step('contact'), 0, listPage(12_000));
    for (let page = 1; page <= 20; page++) recordRequests(run, step('contact'), page * 150, listPage(100 + (page % 5) * 10));
    expect(run.pace!.listPageCosts).toHaveLength(RECENT_COSTS);
    // 100 requests to go, under a limit they do not reach.
    const withCosts = {
      ...run,
      pace: { ...run.pace!, limit: { limit: 10_000, windowMs: 1_000, per: 'api' } },
      steps: [step('contact', { expectedRequests: 100 })],
      stepIndex: 0,
      timing: { fetchMs: 14_400, writeMs: 0, requests: 21 },
    } as RunRow;
    expect(runTimeLeft(withCosts, 3_000)!.stepMs).toBe(100 * 120);
    // The run's average (the first page's wait in it) would have said 100 × 686 ms.
    expect(runTimeLeft({ ...withCosts, pace: { ...withCosts.pace!, listPageCosts: undefined } }, 3_000)!.stepMs).toBeCloseTo((100 * 14_400) / 21);
  });

  it('costs a step of small answers (a company’s sites, a full record) what those cost, not what list pages of 1,000 do', () => {
    const run = paced('api');
    // ConnectWise's first sync, in its contacts: pages of 1,000 at 360 ms; then a request a company for 1,538 companies' sites.
    for (let page = 0; page < 10; page++) recordRequests(run, step('contact'), page * 400, listPage(360));
    const sites = step('site', { expectedRequests: 1_538, smallAnswers: true });
    const firstSync = {
      ...run,
      pace: { ...run.pace!, limit: { limit: 10_000, windowMs: 60_000, per: 'api' } },
      steps: [step('contact', { expectedRequests: 10 }), sites],
      stepIndex: 1,
      timing: { fetchMs: 3_600, writeMs: 0, requests: 10 },
    } as RunRow;
    // No small answer seen yet: not counted (a list page's cost would say three times too long), the figure a lower bound.
    expect(runTimeLeft(firstSync, 4_000)).toEqual({ stepMs: undefined, totalMs: 0, uncounted: 1 });
    // Waiting 4 minutes for the window meanwhile: that much at least.
    const waiting = runTimeLeft({ ...firstSync, retryAt: 4_000 + 4 * 60_000 }, 4_000)!;
    expect(describeRunTimeLeft(waiting, 0)).toBe('at least 4 min left (1 list not counted yet)');
    // A list's short last page is no small answer.
    recordRequests(firstSync, step('contact'), 3_900, { requests: 1, records: 300, costMs: 150, last: true });
    expect(runTimeLeft(firstSync, 4_000)!.uncounted).toBe(1);
    recordRequests(firstSync, sites, 4_000, { requests: 1, records: 3, costMs: 110, last: false });
    expect(runTimeLeft(firstSync, 4_100)!.stepMs).toBe(1_538 * 110);
  });

  it('leaves a run that keeps no pace alone', () => {
    const run = {} as RunRow;
    recordRequests(run, step('contact'), 0, listPage(100));
    expect(run).toEqual({});
  });
});
