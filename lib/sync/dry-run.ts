import Dexie from 'dexie';
import type { RecordRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import type { CanonicalRecord, EntityKind } from '../psa/types';
import { addChange, emptyPreview, recordName } from '../db/change-preview';
import { HandledError } from '../errors';
import type { EffectiveOptions } from './options';
import { storedRow, type StoredRowContext } from './stored-row';

/**
 * A preview run reads the PSA exactly like a sync (same plan, same pages) but, where the engine
 * would write a record, it only counts what would change. Records it saw go to `previewSeen`
 * (not to the records), so its sweep can count what a real sync would archive.
 */

export async function previewRecords(db: SidecarDb, run: RunRow, entity: EntityKind, records: CanonicalRecord[], context: StoredRowContext): Promise<void> {
  if (!records.length) return;
  const preview = (run.preview ??= emptyPreview());
  const { placement } = context;
  const layoutName = (id: string | undefined) => (id ? (placement?.layouts.get(id)?.name ?? 'a removed layout') : 'no layout');
  const existing = await db.records.bulkGet(records.map((record) => [run.integrationId, entity, record.remoteId] as [string, EntityKind, string]));
  for (const [index, incoming] of records.entries()) {
    const previous = existing[index];
    const name = recordName(incoming as { name?: string; remoteId: string });
    // The row the sync would write, built by the sync's own builder.
    const next = storedRow(entity, incoming, previous, context);
    if (!previous) {
      // A record that would arrive archived (deleted, inactive) is not a visible creation.
      if (!next.archivedReason)
        addChange(preview, { entity, name, change: 'create', ...(next.layoutId ? { detail: `into ${layoutName(next.layoutId)}` } : {}) });
      continue;
    }
    if (next.archivedReason) {
      if (previous.archivedAt === undefined)
        addChange(preview, { entity, name, change: 'archive', detail: next.archivedReason === 'deleted' ? 'deleted in the PSA' : 'inactive in the PSA' });
      continue;
    }
    if (previous.archivedAt !== undefined) {
      addChange(preview, { entity, name, change: 'update', detail: 'back from the Museum' });
      continue;
    }
    if (!sameData(previous.data, next.data)) addChange(preview, { entity, name, change: 'update' });
    if (placement && next.layoutId !== previous.layoutId)
      addChange(preview, { entity, name, change: 'move', detail: `${layoutName(previous.layoutId)} → ${layoutName(next.layoutId)}` });
  }
  await markPreviewSeen(
    db,
    run,
    entity,
    records.map((record) => record.remoteId),
  );
}

export async function markPreviewSeen(db: SidecarDb, run: RunRow, entity: EntityKind, remoteIds: string[]): Promise<void> {
  await db.previewSeen.bulkPut(remoteIds.map((remoteId) => ({ runId: run.id, entity, remoteId })));
}

/** Counts what the sweep of a real sync would archive (or flag), writing nothing. */
export async function previewSweep(db: SidecarDb, run: RunRow, step: RunStep, options: EffectiveOptions): Promise<number> {
  const preview = (run.preview ??= emptyPreview());
  const seen = new Set(
    (await db.previewSeen.where('[runId+entity+remoteId]').between([run.id, step.entity, Dexie.minKey], [run.id, step.entity, Dexie.maxKey]).primaryKeys()).map(
      (key) => key[2],
    ),
  );
  const scope = step.scope ? new Set(step.scope) : null;
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  const gone: RecordRow[] = await db.records
    .where('[integrationId+entity+companyRemoteId]')
    .between([run.integrationId, step.entity, Dexie.minKey], [run.integrationId, step.entity, Dexie.maxKey])
    .filter((row) => !seen.has(row.remoteId) && row.archivedAt === undefined && row.goneFromPsaAt === undefined && (!scope || scope.has(row.companyRemoteId)))
    .toArray();
  for (const row of gone) {
    const name = recordName(row.data as { name?: string; remoteId: string });
    addChange(
      preview,
      flagOnly
        ? { entity: step.entity, name, change: 'update', detail: 'flagged: deleted in the PSA' }
        : { entity: step.entity, name, change: 'archive', detail: 'deleted in the PSA' },
    );
  }
  return gone.length;
}

/** A preview leaves nothing behind. */
export async function endPreview(db: SidecarDb, runId: string): Promise<void> {
  await db.previewSeen.where('runId').equals(runId).delete();
}

/** Same content, whatever the key order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Cancel: the preview (running or finished) and what it saw are dropped. */
export async function dismissPreview(db: SidecarDb, runId: string): Promise<boolean> {
  return db.transaction('rw', [db.runs, db.previewSeen], async () => {
    const run = await db.runs.get(runId);
    if (!run) return false;
    if (!run.dryRun) throw new HandledError('invalid', 'That run is a sync, not a preview: it cannot be dismissed.');
    await db.runs.delete(runId);
    await endPreview(db, runId);
    return true;
  });
}
