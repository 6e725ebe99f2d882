import type { RunRow, RunStep, SidecarDb } from '../db/schema';
import { loadPlacementContext } from '../layouts/context';
import type { CanonicalRecord, EntityKind, PageResult } from '../psa/types';
import { previewRecords } from './dry-run';
import { patchedByDetails } from './company-details';
import { markIdsSeen, markRead } from './mark-sweep';
import { skipsRecord, type EffectiveOptions } from './options';
import { countsFor } from './run-progress';
import { companyOf, sameStoredRow, storedRow, type StoredRowContext } from './stored-row';

/** What one page does to the stored records, inside the commit's transaction (lib/sync/engine.ts). */

/**
 * A changes page's records are written (a preview only counts what would change); an ids page's
 * records are marked seen; a details page fills what companies' list rows lack
 * (lib/sync/company-details.ts). The newest change time seen moves the run's future cursor.
 */
export async function applyPage(db: SidecarDb, run: RunRow, step: RunStep, page: PageResult, now: number, options: EffectiveOptions): Promise<void> {
  const counts = countsFor(run, step.entity);
  // A details page re-reads companies the list already counted: it fills fields, it counts nothing.
  const details = step.mode === 'details';
  const counting = !details;
  if (counting) counts.fetched += page.records.length;
  if (step.mode === 'ids') {
    // Ids-only records carry no company: mark whatever exists locally; the sweep is scoped anyway.
    const ids = page.records.map((record) => record.remoteId);
    await markIdsSeen(db, run, step.entity, ids);
    return;
  }
  const scope = step.scope ? new Set(step.scope) : null;
  const records = details ? await patchedByDetails(db, run.integrationId, page.records) : page.records;
  const inScope = records.filter((record) => !scope || scope.has(companyOf(step.entity, record)));
  const kept = inScope.filter((record) => !skipsRecord(step.entity, record, options));
  if (counting && kept.length < inScope.length) counts.skipped = (counts.skipped ?? 0) + inScope.length - kept.length;
  const placement = step.entity === 'company' || step.entity === 'agreement' ? undefined : await loadPlacementContext(db, run.integrationId);
  const context: StoredRowContext = { integrationId: run.integrationId, runId: run.id, now, placement, options, ...(details ? { fromFullRecord: true } : {}) };
  if (run.dryRun) await previewRecords(db, run, step.entity, kept, context);
  else {
    const written = await writeRecords(db, step.entity, kept, context);
    if (counting) counts.written += written.size;
  }
  // Written or not, all the page's records are marked read: the sweep compares keys with these marks alone.
  await markRead(
    db,
    run,
    step.entity,
    kept.map((record) => record.remoteId),
  );
  for (const record of kept) {
    if (record.updatedAt && (!run.maxUpdatedAt[step.entity] || record.updatedAt > run.maxUpdatedAt[step.entity]!)) {
      run.maxUpdatedAt[step.entity] = record.updatedAt;
    }
  }
}

/**
 * Writes the rows that change, and only those: a resync that finds a record as it was stored
 * costs a read, not a rewrite of the row and its index entries (#17). Idempotent: the same page
 * applied twice leaves the same rows (R4). Returns the remote ids written.
 */
async function writeRecords(db: SidecarDb, entity: EntityKind, records: CanonicalRecord[], context: StoredRowContext): Promise<Set<string>> {
  if (!records.length) return new Set();
  const existing = await db.records.bulkGet(records.map((record) => [context.integrationId, entity, record.remoteId] as [string, EntityKind, string]));
  const rows = records
    .map((incoming, index) => storedRow(entity, incoming, existing[index], context))
    .filter((row, index) => !sameStoredRow(row, existing[index]));
  if (rows.length) await db.records.bulkPut(rows);
  return new Set(rows.map((row) => row.remoteId));
}

/**
 * Records the adapter set aside (invalid data) still exist in the PSA: marked seen, so their last
 * good version is not swept as deleted, counted, and logged with the reason.
 */
export async function setAsideRejected(db: SidecarDb, run: RunRow, step: RunStep, page: PageResult, now: number): Promise<void> {
  const rejectedIds = page.rejected.flatMap((rejected) => (rejected.remoteId ? [rejected.remoteId] : []));
  await markRead(db, run, step.entity, rejectedIds);
  if (!page.rejected.length) return;
  countsFor(run, step.entity).rejected += page.rejected.length;
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
