import type { IntegrationRow, RunRow, RunStep, SidecarDb, SliceTiming } from '../db/schema';
import type { RateLimit } from '../psa/pacing';
import { isPsaError, PsaError } from '../psa/errors';
import type { PageResult, PsaAdapter } from '../psa/types';
import { applyPage, setAsideRejected } from './apply-page';
import { finishRun } from './finish-run';
import { forgetSeen } from './mark-sweep';
import { effectiveOptions } from './options';
import { dropReadAhead, pageFor, readAhead } from './read-ahead';
import { addTiming, recordProgress, recordRequests } from './run-progress';
import { endStep } from './step-end';

/**
 * One slice of a sync run: fetch one page (outside any transaction), then one transaction that
 * writes the page's records and moves the run's resume point together (R3). A worker stopped
 * at any moment loses at most the page in flight; the next slice starts where the last commit
 * left off. Slices of one run at a time: the scheduler's lock (lib/sync/scheduler.ts) sees to it.
 */

export interface EngineDeps {
  db: SidecarDb;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  now?: () => number;
  /**
   * Read the next page while this one commits (lib/sync/read-ahead.ts). On in the extension's
   * worker; off by default so that tests which count, fail or cut individual requests see them
   * one slice at a time.
   */
  readAhead?: boolean;
  /**
   * The vendor's limit and the integration's share of it: to pace whole reads of long lists
   * (lib/sync/whole-list-pace.ts; without it, they are read on every sync), and for a run's time
   * left (lib/sync/eta.ts), kept current as the share is changed during a run.
   */
  pacingOf?(integration: IntegrationRow): { limit: RateLimit; share: number };
}

export type SliceOutcome = 'more' | 'done' | 'waiting';

/** Failures of one slice tolerated before the run is given up. */
export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 15 * 60_000);

/**
 * Each run's last write transaction's whole time (IndexedDB's commit included): known only once
 * it has committed, so it is added with the next slice's timing (memory only: a stopped worker
 * loses one slice's worth).
 */
const lastCommitMs = new Map<string, number>();

export async function runSlice(deps: EngineDeps, runId: string): Promise<SliceOutcome> {
  const now = deps.now ?? Date.now;
  const sliceStarted = performance.now();
  const run = await deps.db.runs.get(runId);
  if (!run || run.status !== 'running') {
    lastCommitMs.delete(runId); // stopped or failed meanwhile: nothing more to add to its timing
    return 'done';
  }
  if (run.retryAt && run.retryAt > now()) return 'waiting';
  const step = run.steps[run.stepIndex];
  if (!step) {
    await finishRun(deps.db, run, now());
    return 'done';
  }

  let page: PageResult;
  let fetchStarted: number;
  const askedAt = now();
  const request = requestOf(step);
  try {
    const adapter = await deps.adapterFor(run.integrationId);
    fetchStarted = performance.now();
    page = await pageFor(run.id, adapter, step.entity, { ...request, pageToken: run.pageToken });
    // While this page commits, the next one of the same step is on its way; after a step's last
    // page, the next step's first (that commit may sweep a long list for seconds meanwhile).
    const next = page.nextPageToken ? undefined : run.steps[run.stepIndex + 1];
    if (deps.readAhead && page.nextPageToken) readAhead(run.id, adapter, step.entity, { ...request, pageToken: page.nextPageToken });
    else if (deps.readAhead && next) readAhead(run.id, adapter, next.entity, { ...requestOf(next), pageToken: next.paused?.pageToken ?? null });
  } catch (error) {
    dropReadAhead(run.id);
    const outcome = await recordFailure(deps.db, run, error, now());
    if (outcome === 'done') lastCommitMs.delete(run.id);
    return outcome;
  }
  const commitStarted = performance.now();
  const timing = { setupMs: fetchStarted - sliceStarted, fetchMs: commitStarted - fetchStarted, commitMs: lastCommitMs.get(run.id) ?? 0 };
  const outcome = await commitPage(deps, run, step, page, { now: now(), askedAt, timing }).catch((error: unknown) => {
    dropReadAhead(run.id);
    throw error;
  });
  lastCommitMs.set(run.id, performance.now() - commitStarted);
  if (outcome === 'done') {
    dropReadAhead(run.id);
    lastCommitMs.delete(run.id);
  }
  return outcome;
}

/** What a step asks the adapter for, but the page token. */
const requestOf = (step: RunStep) => ({
  since: step.since,
  companyRemoteIds: step.scope,
  idsOnly: step.mode === 'ids',
  ...(step.mode === 'details' ? { details: true } : {}),
});

/**
 * Commits one fetched page. Each numbered step below runs inside this one transaction, so the
 * page's data and the run's new resume point are written together or not at all; nothing in it
 * waits on the network (the page was fetched before it began).
 */
async function commitPage(
  { db, pacingOf }: EngineDeps,
  expected: RunRow,
  step: RunStep,
  page: PageResult,
  { now, askedAt, timing }: { now: number; askedAt: number; timing: Omit<SliceTiming, 'writeMs'> },
): Promise<SliceOutcome> {
  return db.transaction('rw', [db.runs, db.records, db.cursors, db.log, db.integrations, db.sortRules, db.layouts, db.seenBatches], async () => {
    const writeStarted = performance.now();
    // 1. Re-read the run: if someone else committed this page already, never apply it twice over a moved cursor.
    const run = await db.runs.get(expected.id);
    // Steps put ahead of this one meanwhile (a company read first) leave stepIndex and a first page's token as they were: the count of steps tells.
    if (
      !run ||
      run.status !== 'running' ||
      run.stepIndex !== expected.stepIndex ||
      run.pageToken !== expected.pageToken ||
      run.steps.length !== expected.steps.length
    ) {
      return 'more' as const;
    }
    const integration = await db.integrations.get(run.integrationId);
    const options = effectiveOptions(integration?.options);
    // 2. Apply the page: write its records (a preview counts them), or mark an ids page's records seen.
    await applyPage(db, run, step, page, now, options);
    // 3. Records the adapter set aside: kept from the sweep, counted and logged.
    await setAsideRejected(db, run, step, page, now);
    // 4. Progress: the slice succeeded, so its failed attempts are forgotten.
    recordProgress(run, step, page, askedAt);
    if (run.pace && integration && pacingOf) Object.assign(run.pace, pacingOf(integration));
    recordRequests(run, step, askedAt, {
      requests: page.requests ?? 1,
      records: page.records.length + page.rejected.length,
      costMs: (timing.setupMs ?? 0) + timing.fetchMs + (timing.commitMs ?? 0),
      last: !page.nextPageToken,
    });
    // 5. Move the resume point: to the next page, or, after the step's last page, end the step
    //    (sweep, refetch, cursor) and go to the next step.
    if (page.nextPageToken) run.pageToken = page.nextPageToken;
    else await endStep(db, run, step, now, options);
    addTiming(run, { ...timing, writeMs: performance.now() - writeStarted, requests: page.requests ?? 1 });
    // 6. Past the last step: the run is finished (and saved).
    if (run.stepIndex >= run.steps.length) {
      await finishRun(db, run, now);
      return 'done' as const;
    }
    // 7. Save the run: its resume point commits with the page's data.
    await db.runs.put(run);
    return 'more' as const;
  });
}

/** A failed fetch: retried with backoff (or when the PSA says) until MAX_ATTEMPTS, then the run fails. */
async function recordFailure(db: SidecarDb, expected: RunRow, error: unknown, now: number): Promise<SliceOutcome> {
  const failure = isPsaError(error) ? error : new PsaError('bad-response', error instanceof Error ? error.message : String(error));
  return db.transaction('rw', [db.runs, db.log, db.seenBatches], async () => {
    const run = await db.runs.get(expected.id);
    if (!run || run.status !== 'running') return 'done' as const;
    run.attempts += 1;
    run.error = { code: failure.code, message: failure.message };
    const retry = failure.retryable && run.attempts < MAX_ATTEMPTS;
    if (retry) {
      run.retryAt = Math.max(failure.retryAt ?? 0, now + backoffMs(run.attempts));
    } else {
      run.status = 'failed';
      run.finishedAt = now;
      delete run.retryAt;
      await forgetSeen(db, [run.id]);
    }
    await db.runs.put(run);
    await db.log.add({
      at: now,
      integrationId: run.integrationId,
      runId: run.id,
      level: retry ? 'warn' : 'error',
      message: retry
        ? `${failure.message} Retrying at ${new Date(run.retryAt!).toLocaleTimeString()} (attempt ${run.attempts + 1} of ${MAX_ATTEMPTS}).`
        : `Sync stopped: ${failure.message}`,
    });
    return retry ? ('waiting' as const) : ('done' as const);
  });
}
