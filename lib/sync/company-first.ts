import type { CursorRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import type { EntityCapabilities, EntityKind } from '../psa/types';
import { CHILD_ENTITIES } from './plan';

/**
 * A company a technician opens while a long sync runs (a large Kaseya BMS tenant's first sync is
 * hours of paced requests) has its own lists read first: one-company steps go in ahead of the
 * run's current step, which is paused with its page token and picks up from there afterwards.
 * Those steps sweep nothing and move no cursor: the run's own steps still read the company with
 * everyone else's, so what they cover, delete and remember is unchanged.
 */

/**
 * Companies one run reads first at most: each costs a request or more per list, taken from the
 * same share of the vendor's limit as the run's own pages, and a PSA page can be navigated by
 * its own scripts (they must not be able to hold a sync back for long).
 */
export const COMPANIES_FIRST_PER_RUN = 10;

type Cursors = Partial<Record<EntityKind, Pick<CursorRow, 'coveredCompanyIds' | 'highWater' | 'lastFullPassAt'>>>;

/** Where one company's lists stand in a running sync. */
export interface CompanyStanding {
  /** Lists a first-read step is reading for it now or next. */
  fetching: EntityKind[];
  /** Lists of it no sync has imported yet, which the run reads later with the others. */
  waiting: EntityKind[];
}

const pendingSteps = (run: RunRow) => run.steps.slice(run.stepIndex);
const readsFor = (step: RunStep, companyRemoteId: string) => step.scope?.includes(companyRemoteId) ?? false;
const isFirstReadOf = (step: RunStep, companyRemoteId: string) => step.first === true && step.scope?.[0] === companyRemoteId;

/** Never imported for it: the entity's cursor does not cover the company yet. */
function neverImported(cursors: Cursors, entity: EntityKind, companyRemoteId: string): boolean {
  const cursor = cursors[entity];
  return !(cursor?.highWater || cursor?.lastFullPassAt) || !cursor.coveredCompanyIds.includes(companyRemoteId);
}

export function companyStanding(run: RunRow, cursors: Cursors, companyRemoteId: string): CompanyStanding {
  const fetching = new Set<EntityKind>();
  const waiting = new Set<EntityKind>();
  const readFirst = new Set(run.steps.filter((step) => isFirstReadOf(step, companyRemoteId)).map((step) => step.entity));
  for (const step of pendingSteps(run)) {
    if (isFirstReadOf(step, companyRemoteId)) fetching.add(step.entity);
    else if (
      !step.first &&
      step.mode === 'changes' &&
      step.since === null &&
      readsFor(step, companyRemoteId) &&
      !readFirst.has(step.entity) &&
      neverImported(cursors, step.entity, companyRemoteId)
    )
      waiting.add(step.entity);
  }
  return { fetching: [...fetching], waiting: [...waiting] };
}

/** How many companies the run has read (or is reading) first. */
export function companiesReadFirst(run: RunRow): number {
  return new Set(run.steps.flatMap((step) => (step.first && step.scope ? [step.scope[0]] : []))).size;
}

/** Lists that can be read for one company (BMS contracts cannot: `wholeListOnly`). */
export const readableForOneCompany = (capabilities: Record<EntityKind, EntityCapabilities>, entity: EntityKind) => !capabilities[entity].wholeListOnly;

/**
 * Puts one-company steps for these lists ahead of the run's current step (the run is changed in
 * place; the caller saves it). The current step keeps its page token, progress and stability to
 * resume with (`resumeStep`).
 */
export function readFirst(run: RunRow, companyRemoteId: string, entities: EntityKind[]): void {
  const ordered = CHILD_ENTITIES.filter((entity) => entities.includes(entity));
  if (!ordered.length) return;
  const current = run.steps[run.stepIndex];
  if (current && !current.paused) {
    current.paused = { pageToken: run.pageToken, ...(run.progress ? { progress: run.progress } : {}), ...(run.unstable ? { unstable: true } : {}) };
  }
  const first: RunStep[] = ordered.map((entity) => ({
    entity,
    mode: 'changes',
    since: null,
    scope: [companyRemoteId],
    sweep: false,
    fullPass: false,
    first: true,
    // One company's list: a page, as a rule, and a small one (lib/sync/step-cost.ts).
    expectedRequests: 1,
    smallAnswers: true,
  }));
  run.steps.splice(run.stepIndex, 0, ...first);
  run.pageToken = null;
  delete run.progress;
  delete run.unstable;
}

/** The step the run has just moved to: from its start, or from where it was paused. */
export function resumeStep(run: RunRow): void {
  const step = run.steps[run.stepIndex];
  const paused = step?.paused;
  run.pageToken = paused?.pageToken ?? null;
  if (paused?.progress) run.progress = paused.progress;
  else delete run.progress;
  if (paused?.unstable) run.unstable = true;
  if (step) delete step.paused;
}

/** Whether the run still has one of the company's first-read steps to do. */
export const readingFirst = (run: RunRow, companyRemoteId: string) => pendingSteps(run).some((step) => isFirstReadOf(step, companyRemoteId));

/**
 * Waits until the running sync has read the company's lists first (or ended, or waits to retry
 * after a failure), at most `timeoutMs`: a person who pressed Refresh waits for their company,
 * not for the whole sync. Whether they were read.
 */
export async function whenReadFirst(
  db: SidecarDb,
  runId: string,
  companyRemoteId: string,
  { timeoutMs = 60_000, everyMs = 250, now = Date.now } = {},
): Promise<boolean> {
  const until = now() + timeoutMs;
  for (;;) {
    const run = await db.runs.get(runId);
    if (!run || run.status !== 'running') return run?.status === 'succeeded';
    if (!readingFirst(run, companyRemoteId)) return true;
    if ((run.retryAt !== undefined && run.retryAt > now()) || now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
