import Dexie from 'dexie';
import type { IntegrationRow, RunPace, RunRow, RunStep, SidecarDb } from '../db/schema';
import { type EngineDeps, runSlice } from './engine';
import { PREVIEW_ID_PREFIX } from '../db/queries';
import { withLock } from './lock';
import { forgetSeen } from './mark-sweep';
import { effectiveOptions, skippedEntity } from './options';
import { CHILD_ENTITIES, planCompanyRun, planRun } from './plan';
import { PsaError } from '../psa/errors';
import type { CanonicalCompany, PsaAdapter } from '../psa/types';
import { wholeReadSpacing } from './whole-list-pace';
import { withExpectedRequests } from './step-cost';
import { companiesReadFirst, companyStanding, COMPANIES_FIRST_PER_RUN, readableForOneCompany, readFirst } from './company-first';
import { listsInWords, type EntityKind } from '../psa/types';
import { storageProblem } from './storage-errors';

/**
 * Starts runs and drives them. One run executes at a time across the extension (single-flight
 * promise here, a Web Lock across contexts); asking for a sync while one is running for the
 * same integration returns that run. Durable state is only in IndexedDB, so a stopped worker
 * resumes from the last committed slice when an alarm wakes it and calls `kick()`.
 */

export interface SchedulerDeps extends EngineDeps {
  /** Ask to be woken (an alarm) at this time to resume waiting runs. */
  wakeAt(at: number): void;
  /** After a real (not preview) run succeeded: work that follows from its data (e.g. client-space names). */
  afterRun?(run: RunRow): Promise<void>;
}

export interface SyncRequestResult {
  runId: string;
  alreadyRunning: boolean;
  /** A one-company resync asked for while the integration's sync runs: the company's lists it reads first instead (lib/sync/company-first.ts). */
  readFirst?: EntityKind[];
}

/** What reading a company first did: the running sync it went into, and the lists put ahead (none: nothing to read first, or the run's limit reached). */
export interface ReadFirstResult {
  runId: string;
  entities: EntityKind[];
  /** The run has read COMPANIES_FIRST_PER_RUN companies first already. */
  limited?: true;
}

async function skippedEntitiesOf(db: SidecarDb, integrationId: string) {
  const options = effectiveOptions((await db.integrations.get(integrationId))?.options);
  return CHILD_ENTITIES.filter((entity) => skippedEntity(entity, options));
}

async function refuseDisabled(db: SidecarDb, integrationId: string): Promise<void> {
  const integration = await db.integrations.get(integrationId);
  if (integration?.disabled) throw new PsaError('config', `${integration.label} is turned off: turn it on to sync it.`);
}

function newRun(integrationId: string, trigger: RunRow['trigger'], steps: RunStep[], now: number, pace: RunPace | undefined, companyRemoteId?: string): RunRow {
  return {
    id: crypto.randomUUID(),
    integrationId,
    trigger,
    ...(companyRemoteId ? { companyRemoteId } : {}),
    ...(pace ? { pace } : {}),
    status: 'running',
    startedAt: now,
    steps,
    stepIndex: 0,
    pageToken: null,
    maxUpdatedAt: {},
    counts: {},
    attempts: 0,
  };
}

export class SyncScheduler {
  private readonly deps: SchedulerDeps;
  private pumping: Promise<void> | undefined;

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * What a new run's time left is worked out from (lib/sync/eta.ts); none without the integration's
   * pacing. The integration's last finished run lends what its requests cost and the pacer's window
   * it left (the vendor's window counts those requests still), so a resync is counted from its
   * first page, its small answers too.
   */
  private async paceOf(integration: IntegrationRow | undefined, adapter: PsaAdapter): Promise<RunPace | undefined> {
    const pacing = integration && this.deps.pacingOf?.(integration);
    if (!pacing) return undefined;
    const { db } = this.deps;
    // Newest first: the last finished run is a row or two away.
    const last = (
      await db.runs
        .orderBy('startedAt')
        .reverse()
        .filter((run) => run.integrationId === integration.id && run.status === 'succeeded' && !run.dryRun && !!run.pace)
        .first()
    )?.pace;
    return {
      ...pacing,
      ...(adapter.listPageSize ? { pageSize: adapter.listPageSize } : {}),
      ...(last?.window ? { window: last.window } : {}),
      ...(last?.listPageCosts ? { listPageCosts: last.listPageCosts } : {}),
      ...(last?.smallAnswerCosts ? { smallAnswerCosts: last.smallAnswerCosts } : {}),
    };
  }

  /** Resyncs one matched company's records now (from the options page or the overlay). */
  async requestCompanySync(integrationId: string, companyRemoteId: string): Promise<SyncRequestResult> {
    const { db } = this.deps;
    await refuseDisabled(db, integrationId);
    // Validates settings and credentials before anything is written.
    const adapter = await this.deps.adapterFor(integrationId);
    const now = this.now();
    const result = await db.transaction('rw', [db.runs, db.matches, db.log, db.integrations, db.records], async () => {
      // A running sync of the integration reads the company's lists first instead (below).
      const active = await db.runs.where('[integrationId+status]').equals([integrationId, 'running']).first();
      if (active) return { runId: active.id, alreadyRunning: true };
      const match = await db.matches.get([integrationId, companyRemoteId]);
      const company = await db.records.get([integrationId, 'company', companyRemoteId]);
      if (match?.state !== 'matched' || !company || company.archivedAt !== undefined) {
        throw new PsaError('config', 'Only a matched company can be resynced on its own: match it first.');
      }
      const skipped = await skippedEntitiesOf(db, integrationId);
      const steps = withExpectedRequests(planCompanyRun(companyRemoteId, skipped), {
        capabilities: adapter.capabilities,
        cursors: {},
        pageSize: adapter.listPageSize,
      });
      const integration = await db.integrations.get(integrationId);
      const run = newRun(integrationId, 'manual', steps, now, await this.paceOf(integration, adapter), companyRemoteId);
      await db.runs.add(run);
      await db.log.add({ at: now, integrationId, runId: run.id, level: 'info', message: `Sync of ${(company.data as { name: string }).name} started.` });
      return { runId: run.id, alreadyRunning: false };
    });
    if (!result.alreadyRunning) return result;
    const first = await this.readCompanyFirst(integrationId, companyRemoteId, { everything: true });
    return first?.runId === result.runId ? { ...result, readFirst: first.entities } : result;
  }

  /**
   * A company a technician opened while the integration's sync runs: its lists go ahead of the
   * run's other steps (lib/sync/company-first.ts). By default only those no sync has imported
   * yet and this run would read later (the overlay asks this for the page it shows; at most
   * COMPANIES_FIRST_PER_RUN companies per run); with `everything`, all of its lists (a person
   * pressed Refresh or Match). Undefined when no sync of the integration is running (a preview
   * or a one-company resync does not count).
   */
  async readCompanyFirst(integrationId: string, companyRemoteId: string, { everything = false } = {}): Promise<ReadFirstResult | undefined> {
    const { db } = this.deps;
    const adapter = await this.deps.adapterFor(integrationId);
    const now = this.now();
    return db.transaction('rw', [db.runs, db.cursors, db.matches, db.records, db.integrations, db.log], async () => {
      const run = await db.runs.where('[integrationId+status]').equals([integrationId, 'running']).first();
      if (!run || run.dryRun || run.companyRemoteId) return undefined;
      const match = await db.matches.get([integrationId, companyRemoteId]);
      const company = await db.records.get([integrationId, 'company', companyRemoteId]);
      if (match?.state !== 'matched' || !company || company.archivedAt !== undefined) return { runId: run.id, entities: [] };
      const cursorRows = await db.cursors.where('[integrationId+entity]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).toArray();
      const standing = companyStanding(run, Object.fromEntries(cursorRows.map((cursor) => [cursor.entity, cursor])), companyRemoteId);
      const skipped = await skippedEntitiesOf(db, integrationId);
      const wanted = everything ? CHILD_ENTITIES.filter((entity) => !skipped.includes(entity) && !standing.fetching.includes(entity)) : standing.waiting;
      const entities = wanted.filter((entity) => readableForOneCompany(adapter.capabilities, entity));
      if (!entities.length) return { runId: run.id, entities: [] };
      if (!everything && companiesReadFirst(run) >= COMPANIES_FIRST_PER_RUN) return { runId: run.id, entities: [], limited: true };
      readFirst(run, companyRemoteId, entities);
      await db.runs.put(run);
      const name = (company.data as { name: string }).name;
      await db.log.add({
        at: now,
        integrationId,
        runId: run.id,
        level: 'info',
        message: everything
          ? `Reading ${name}’s ${listsInWords(entities)} first, as asked (Refresh now, Sync or Match).`
          : `Reading ${name}’s ${listsInWords(entities)} first: it was opened in the PSA.`,
      });
      return { runId: run.id, entities };
    });
  }

  /**
   * Starts a sync, or with `dryRun` a preview of it: the same reads, nothing written. A manual
   * sync asked for while a preview runs replaces the preview.
   */
  async requestSync(integrationId: string, trigger: RunRow['trigger'], { dryRun = false } = {}): Promise<SyncRequestResult> {
    const { db } = this.deps;
    await refuseDisabled(db, integrationId);
    // Validates settings and credentials before anything is written.
    const adapter = await this.deps.adapterFor(integrationId);
    const now = this.now();
    return db.transaction('rw', [db.runs, db.cursors, db.matches, db.log, db.integrations, db.records, db.seenBatches], async () => {
      let active = await db.runs.where('[integrationId+status]').equals([integrationId, 'running']).first();
      if (active?.dryRun && !dryRun && trigger === 'manual') {
        await db.runs.update(active.id, { status: 'failed', finishedAt: now, error: { code: 'cancelled', message: 'Preview replaced by a sync.' } });
        await forgetSeen(db, [active.id]);
        active = undefined;
      }
      if (active) {
        if (trigger === 'manual' && active.retryAt) {
          // The user asked for it now: skip the backoff wait.
          await db.runs.update(active.id, { retryAt: undefined, attempts: 0 });
        }
        return { runId: active.id, alreadyRunning: true };
      }
      // A sync a person stopped goes on from its last commit (a preview starts afresh).
      const stopped = dryRun
        ? undefined
        : (await db.runs.where('[integrationId+status]').equals([integrationId, 'stopped']).toArray()).find((run) => !run.dryRun);
      if (stopped) {
        await db.runs.update(stopped.id, { status: 'running', stoppedAt: undefined, retryAt: undefined, attempts: 0 });
        await db.log.add({ at: now, integrationId, runId: stopped.id, level: 'info', message: `Sync resumed where it was stopped (${trigger}).` });
        return { runId: stopped.id, alreadyRunning: false };
      }
      const integration = await db.integrations.get(integrationId);
      const cursorRows = await db.cursors.where('[integrationId+entity]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).toArray();
      const matchRows = await db.matches.where('[integrationId+state]').equals([integrationId, 'matched']).toArray();
      // Children are imported for matched companies still live in Sidecar (not deleted or skipped).
      const companies = await db.records.bulkGet(matchRows.map((match) => [integrationId, 'company', match.companyRemoteId] as [string, 'company', string]));
      const matched = matchRows.filter((_match, index) => companies[index] && companies[index]!.archivedAt === undefined);
      const lackingDetails = companies.flatMap((row) =>
        row && row.archivedAt === undefined && (row.data as CanonicalCompany).unlistedFields?.length
          ? [{ remoteId: row.remoteId, ...(row.detailsReadAt !== undefined ? { readAt: row.detailsReadAt } : {}) }]
          : [],
      );
      const cursors = Object.fromEntries(cursorRows.map((cursor) => [cursor.entity, cursor]));
      const planned = planRun({
        capabilities: adapter.capabilities,
        cursors,
        matchedCompanyIds: matched.map((match) => match.companyRemoteId),
        now,
        reconcile: trigger === 'manual',
        skippedEntities: await skippedEntitiesOf(db, integrationId),
        companiesLackingDetails: lackingDetails,
        wholeReadEveryMs: wholeReadSpacing(adapter.capabilities, cursorRows, integration && this.deps.pacingOf?.(integration)),
      });
      const steps = withExpectedRequests(planned, { capabilities: adapter.capabilities, cursors, pageSize: adapter.listPageSize });
      const base = newRun(integrationId, trigger, steps, now, await this.paceOf(integration, adapter));
      // Previews in a key range of their own: the preview panel reads them, not every run (lib/db/queries.ts).
      const run: RunRow = dryRun ? { ...base, id: `${PREVIEW_ID_PREFIX}${base.id}`, dryRun: true } : base;
      await db.runs.add(run);
      await db.log.add({
        at: now,
        integrationId,
        runId: run.id,
        level: 'info',
        message: dryRun ? 'Preview started: reading the PSA, writing nothing.' : `Sync started (${trigger}).`,
      });
      return { runId: run.id, alreadyRunning: false };
    });
  }

  /**
   * Stops the integration's running sync (Hudu's guides: "stop the sync and restart"): what it
   * committed stays, a slice in flight is not committed (the engine commits only a running run's
   * slices), and the next start resumes from its last commit. A preview is cancelled instead.
   */
  async stop(integrationId: string): Promise<{ stopped: boolean }> {
    const { db } = this.deps;
    const now = this.now();
    return db.transaction('rw', [db.runs, db.log, db.seenBatches], async () => {
      const active = await db.runs.where('[integrationId+status]').equals([integrationId, 'running']).first();
      if (!active) return { stopped: false };
      if (active.dryRun) {
        await db.runs.update(active.id, { status: 'failed', finishedAt: now, error: { code: 'cancelled', message: 'Preview stopped.' } });
        await forgetSeen(db, [active.id]);
      } else {
        await db.runs.update(active.id, { status: 'stopped', stoppedAt: now, retryAt: undefined });
      }
      const message = active.dryRun ? 'Preview stopped.' : 'Sync stopped: what it imported stays, and the next sync goes on from there.';
      await db.log.add({ at: now, integrationId, runId: active.id, level: 'info', message });
      return { stopped: true };
    });
  }

  /** Runs slices until no run is ready; concurrent calls share one pump. */
  kick(): Promise<void> {
    this.pumping ??= withLock('sidecar-sync', () => this.pump()).finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  private async pump(): Promise<void> {
    const { db } = this.deps;
    for (;;) {
      const running = await db.runs.where('status').equals('running').sortBy('startedAt');
      const now = this.now();
      const ready = running.find((run) => !run.retryAt || run.retryAt <= now);
      if (!ready) {
        const nextWake = Math.min(...running.map((run) => run.retryAt ?? Infinity));
        if (Number.isFinite(nextWake)) this.deps.wakeAt(nextWake);
        return;
      }
      try {
        if ((await runSlice(this.deps, ready.id)) === 'done') {
          const finished = await db.runs.get(ready.id);
          if (finished?.status === 'succeeded' && !finished.dryRun) {
            await this.deps.afterRun?.(finished).catch((error: unknown) => console.warn('Sidecar: after-sync step failed', error));
          }
        }
      } catch (error) {
        // A storage failure: the transaction rolled back; leave the run where its last commit put it, say why, try again later.
        const message = storageProblem(error);
        await db.runs.update(ready.id, { error: { code: 'storage', message }, retryAt: now + 60_000 }).catch(() => {});
        await db.log.add({ at: now, integrationId: ready.integrationId, runId: ready.id, level: 'error', message }).catch(() => {});
        this.deps.wakeAt(now + 60_000);
        return;
      }
    }
  }
}
