import Dexie from 'dexie';
import type { CursorRow, EntityCounts, RecordRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import { isPsaError, PsaError } from '../psa/errors';
import type { CanonicalRecord, EntityKind, PageResult, PsaAdapter } from '../psa/types';
import { loadPlacementContext } from '../layouts/context';
import { placeRecord, type PlacementContext } from '../layouts/placement';
import { effectiveOptions, mergeWithStored, skipsRecord, type EffectiveOptions } from './options';
import { archiveReasonOf } from './archive';
import { searchWords } from '../search/words';
import { endPreview, markPreviewSeen, previewRecords, previewSweep } from './dry-run';
import { dropReadAhead, pageFor, readAhead } from './read-ahead';

/**
 * One slice of a sync run: fetch one page (outside any transaction), then one transaction that
 * writes the page's records and moves the run's resume point together (R3). A worker stopped
 * at any moment loses at most the page in flight; the next slice starts where the last commit
 * left off.
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
}

export type SliceOutcome = 'more' | 'done' | 'waiting';

/** Failures of one slice tolerated before the run is given up. */
export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 15 * 60_000);

export async function runSlice(deps: EngineDeps, runId: string): Promise<SliceOutcome> {
  const now = deps.now ?? Date.now;
  const run = await deps.db.runs.get(runId);
  if (!run || run.status !== 'running') return 'done';
  if (run.retryAt && run.retryAt > now()) return 'waiting';
  const step = run.steps[run.stepIndex];
  if (!step) {
    await finishRun(deps.db, run, now());
    return 'done';
  }

  let page: PageResult;
  const fetchStarted = performance.now();
  const request = { since: step.since, companyRemoteIds: step.scope, idsOnly: step.mode === 'ids' };
  try {
    const adapter = await deps.adapterFor(run.integrationId);
    page = await pageFor(run.id, adapter, step.entity, { ...request, pageToken: run.pageToken });
    // While this page commits, the next one of the same step is on its way.
    if (deps.readAhead && page.nextPageToken) readAhead(run.id, adapter, step.entity, { ...request, pageToken: page.nextPageToken });
  } catch (error) {
    dropReadAhead(run.id);
    return recordFailure(deps.db, run, error, now());
  }
  const outcome = await commitPage(deps.db, run, step, page, now(), performance.now() - fetchStarted).catch((error: unknown) => {
    dropReadAhead(run.id);
    throw error;
  });
  if (outcome === 'done') dropReadAhead(run.id);
  return outcome;
}

async function commitPage(db: SidecarDb, expected: RunRow, step: RunStep, page: PageResult, now: number, fetchMs: number): Promise<SliceOutcome> {
  return db.transaction('rw', [db.runs, db.records, db.cursors, db.log, db.integrations, db.sortRules, db.layouts, db.previewSeen], async () => {
    const writeStarted = performance.now();
    const run = await db.runs.get(expected.id);
    // Someone else committed this page already: never apply a page twice over a moved cursor.
    if (!run || run.status !== 'running' || run.stepIndex !== expected.stepIndex || run.pageToken !== expected.pageToken) {
      return 'more' as const;
    }
    const counts = countsFor(run, step.entity);
    const scope = step.scope ? new Set(step.scope) : null;
    counts.fetched += page.records.length;

    const options = effectiveOptions((await db.integrations.get(run.integrationId))?.options);
    if (step.mode === 'changes') {
      const inScope = page.records.filter((record) => !scope || scope.has(companyOf(step.entity, record)));
      const kept = inScope.filter((record) => !skipsRecord(step.entity, record, options));
      if (kept.length < inScope.length) counts.skipped = (counts.skipped ?? 0) + inScope.length - kept.length;
      const placement = step.entity === 'company' || step.entity === 'agreement' ? undefined : await loadPlacementContext(db, run.integrationId);
      if (run.dryRun) {
        const layoutName = (id: string | undefined) => (id ? (placement?.layouts.get(id)?.name ?? 'a removed layout') : 'no layout');
        await previewRecords(db, run, step.entity, kept, placement, options, layoutName);
      } else {
        counts.written += await upsertRecords(db, run, step.entity, kept, now, placement, options);
      }
      for (const record of kept) {
        if (record.updatedAt && (!run.maxUpdatedAt[step.entity] || record.updatedAt > run.maxUpdatedAt[step.entity]!)) {
          run.maxUpdatedAt[step.entity] = record.updatedAt;
        }
      }
    } else {
      // Ids-only records carry no company: mark whatever exists locally; the sweep is scoped anyway.
      const ids = page.records.map((record) => record.remoteId);
      await (run.dryRun ? markPreviewSeen(db, run, step.entity, ids) : markSeen(db, run, step.entity, ids, true));
    }

    // A record set aside still exists in the PSA: its last good version stays, not swept as deleted.
    const rejectedIds = page.rejected.flatMap((rejected) => (rejected.remoteId ? [rejected.remoteId] : []));
    if (rejectedIds.length) await (run.dryRun ? markPreviewSeen(db, run, step.entity, rejectedIds) : markSeen(db, run, step.entity, rejectedIds));
    if (page.unstable) run.unstable = true;

    if (page.rejected.length) {
      counts.rejected += page.rejected.length;
      await db.log.bulkAdd(
        page.rejected.map((rejected) => ({
          at: now,
          integrationId: run.integrationId,
          runId: run.id,
          level: 'warn' as const,
          entity: step.entity,
          ...(rejected.remoteId ? { remoteId: rejected.remoteId } : {}),
          message: `Skipped ${step.entity} ${rejected.remoteId ?? '(no id)'}: ${rejected.reason}`,
        })),
      );
    }

    const continuing = run.pageToken !== null && run.progress?.entity === step.entity;
    const done = (continuing ? run.progress!.done : 0) + page.records.length;
    const total = page.total ?? (continuing ? run.progress?.total : undefined);
    run.progress = total !== undefined ? { entity: step.entity, done, total } : { entity: step.entity, done };
    run.attempts = 0;
    delete run.retryAt;
    delete run.error;

    if (page.nextPageToken) {
      run.pageToken = page.nextPageToken;
    } else {
      if (step.sweep && run.unstable) {
        // Pages shifted under us: some records may be unread, so absence proves nothing this time.
        await db.log.add({ at: now, integrationId: run.integrationId, runId: run.id, level: 'info', entity: step.entity, message: `The PSA's ${step.entity} list changed while it was read: deletions are checked on the next full pass.` });
      } else if (step.sweep) {
        counts.archived += run.dryRun ? await previewSweep(db, run, step, options) : await sweepUnseen(db, run, step, now, options);
      }
      delete run.unstable;
      // The ids pass found records Sidecar missed: read the entity in full now, within this run.
      if (step.mode === 'ids' && run.refetch?.includes(step.entity)) {
        run.steps.splice(run.stepIndex + 1, 0, { entity: step.entity, mode: 'changes', since: null, scope: step.scope, sweep: false, fullPass: false });
        run.refetch = run.refetch.filter((entity) => entity !== step.entity);
      }
      // A one-company run read only part of the data, a preview wrote nothing: the cursors stay where they are.
      if (!run.companyRemoteId && !run.dryRun && !run.steps.slice(run.stepIndex + 1).some((later) => later.entity === step.entity)) {
        await advanceCursor(db, run, step.entity, now);
      }
      run.stepIndex += 1;
      run.pageToken = null;
      delete run.progress;
      if (run.stepIndex >= run.steps.length) {
        addTiming(run, fetchMs, performance.now() - writeStarted);
        await finishRun(db, run, now);
        return 'done' as const;
      }
    }
    addTiming(run, fetchMs, performance.now() - writeStarted);
    await db.runs.put(run);
    return 'more' as const;
  });
}

/** Where a run's time went: waiting for the PSA (pacing included) and inside write transactions. */
function addTiming(run: RunRow, fetchMs: number, writeMs: number): void {
  run.timing = { fetchMs: (run.timing?.fetchMs ?? 0) + fetchMs, writeMs: (run.timing?.writeMs ?? 0) + writeMs };
}

function countsFor(run: RunRow, entity: EntityKind): EntityCounts {
  run.counts[entity] ??= { fetched: 0, written: 0, rejected: 0, archived: 0 };
  return run.counts[entity]!;
}

function companyOf(entity: EntityKind, record: CanonicalRecord): string {
  return entity === 'company' ? record.remoteId : (record as { companyRemoteId: string }).companyRemoteId;
}

/** Idempotent: the same page applied twice leaves the same rows (R4). */
async function upsertRecords(
  db: SidecarDb,
  run: RunRow,
  entity: EntityKind,
  records: CanonicalRecord[],
  now: number,
  placement: PlacementContext | undefined,
  options: EffectiveOptions,
): Promise<number> {
  if (!records.length) return 0;
  const keys = records.map((record) => [run.integrationId, entity, record.remoteId] as [string, EntityKind, string]);
  const existing = await db.records.bulkGet(keys);
  const rows: RecordRow[] = records.map((incoming, index) => {
    const previous = existing[index];
    const record = mergeWithStored(entity, incoming, previous?.data, options);
    const name = (record as { name?: string }).name ?? record.remoteId;
    const row: RecordRow = {
      integrationId: run.integrationId,
      entity,
      remoteId: record.remoteId,
      companyRemoteId: companyOf(entity, record),
      data: record,
      sortName: name.toLowerCase(),
      words: searchWords(entity, record),
      seenRunId: run.id,
      syncedAt: now,
    };
    const layoutId = placement ? placeRecord(entity, record, placement).layoutId : undefined;
    if (layoutId) row.layoutId = layoutId;
    if (record.updatedAt) row.updatedAt = record.updatedAt;
    if (previous?.restoredAt) row.restoredAt = previous.restoredAt;
    const reason = archiveReasonOf(entity, record, previous);
    if (reason) {
      row.archivedAt = previous?.archivedAt ?? now;
      row.archivedReason = reason;
    }
    return row;
  });
  await db.records.bulkPut(rows);
  return rows.length;
}

/**
 * Marks records a pass saw. An ids pass reads no data: ids Sidecar lacks, or has archived as
 * gone although the PSA lists them, mean an earlier pass missed them, so the run reads the
 * entity in full right after (see commitPage). Records the PSA itself flags deleted are not that.
 */
async function markSeen(db: SidecarDb, run: RunRow, entity: EntityKind, remoteIds: string[], fromIdsPass = false): Promise<void> {
  if (!remoteIds.length) return;
  const rows = await db.records.bulkGet(remoteIds.map((id) => [run.integrationId, entity, id] as [string, EntityKind, string]));
  const seen = rows.filter((row): row is RecordRow => !!row).map((row) => ({ ...row, seenRunId: run.id }));
  await db.records.bulkPut(seen);
  const missed = rows.some((row) => !row || (row.archivedReason === 'deleted' && !row.data.deleted));
  if (fromIdsPass && missed && !run.refetch?.includes(entity)) run.refetch = [...(run.refetch ?? []), entity];
}

/** Mark-and-sweep: only after a complete pass over the scope may unseen rows be archived (R7). */
async function sweepUnseen(db: SidecarDb, run: RunRow, step: RunStep, now: number, options: EffectiveOptions): Promise<number> {
  const scope = step.scope ? new Set(step.scope) : null;
  // With auto-archive off, deleted configurations stay where they are, flagged.
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  return db.records
    .where('[integrationId+entity+companyRemoteId]')
    .between([run.integrationId, step.entity, Dexie.minKey], [run.integrationId, step.entity, Dexie.maxKey])
    .filter((row) => row.seenRunId !== run.id && row.archivedAt === undefined && row.goneFromPsaAt === undefined && (!scope || scope.has(row.companyRemoteId)))
    .modify(flagOnly ? { goneFromPsaAt: now } : { archivedAt: now, archivedReason: 'deleted' });
}

async function advanceCursor(db: SidecarDb, run: RunRow, entity: EntityKind, now: number): Promise<void> {
  const key: [string, EntityKind] = [run.integrationId, entity];
  const previous = await db.cursors.get(key);
  const steps = run.steps.filter((step) => step.entity === entity);
  const seen = run.maxUpdatedAt[entity];
  const highWater = [previous?.highWater, seen].filter((value): value is string => !!value).sort().at(-1);
  const covered = new Set<string>();
  for (const step of steps) for (const id of step.scope ?? []) covered.add(id);
  if (steps.every((step) => step.extendsCoverage)) for (const id of previous?.coveredCompanyIds ?? []) covered.add(id);
  const cursor: CursorRow = {
    integrationId: run.integrationId,
    entity,
    coveredCompanyIds: [...covered],
    ...(highWater ? { highWater } : {}),
  };
  const fullPassAt = steps.some((step) => step.fullPass) ? now : previous?.lastFullPassAt;
  if (fullPassAt) cursor.lastFullPassAt = fullPassAt;
  await db.cursors.put(cursor);
}

async function finishRun(db: SidecarDb, run: RunRow, now: number): Promise<void> {
  run.status = 'succeeded';
  run.finishedAt = now;
  run.pageToken = null;
  delete run.progress;
  await db.runs.put(run);
  if (run.dryRun) {
    await endPreview(db, run.id);
    await db.log.add({ at: now, integrationId: run.integrationId, runId: run.id, level: 'info', message: 'Preview finished: nothing was written. Apply it to sync.' });
    return;
  }
  // "Synced N min ago" speaks for the whole integration: a one-company run does not move it.
  if (!run.companyRemoteId) await db.integrations.update(run.integrationId, { lastSyncAt: now });
  const summary = Object.entries(run.counts)
    .map(([entity, counts]) => `${entity}: ${counts.written} written, ${counts.archived} archived${counts.rejected ? `, ${counts.rejected} skipped` : ''}`)
    .join('; ');
  await db.log.add({ at: now, integrationId: run.integrationId, runId: run.id, level: 'info', message: `Sync finished. ${summary || 'Nothing to do.'}` });
}

async function recordFailure(db: SidecarDb, expected: RunRow, error: unknown, now: number): Promise<SliceOutcome> {
  const failure = isPsaError(error)
    ? error
    : new PsaError('bad-response', error instanceof Error ? error.message : String(error));
  return db.transaction('rw', [db.runs, db.log, db.previewSeen], async () => {
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
      if (run.dryRun) await endPreview(db, run.id);
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
