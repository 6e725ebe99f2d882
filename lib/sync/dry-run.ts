import type { RunRow, RunStep, SidecarDb } from '../db/schema';
import type { CanonicalRecord, EntityKind } from '../psa/types';
import { addChange, emptyPreview, recordName } from '../db/change-preview';
import { HandledError } from '../errors';
import { forgetSeen, unseenInScope } from './mark-sweep';
import type { EffectiveOptions } from './options';
import { sameData } from './same-data';
import { storedRow, type StoredRowContext } from './stored-row';

/**
 * A preview run reads the PSA exactly like a sync (same plan, same pages) but, where the engine
 * would write a record, it only counts what would change. What it saw is marked like a sync's
 * (lib/sync/mark-sweep.ts), so its sweep can count what a real sync would archive.
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
}

/** Counts what the sweep of a real sync would archive (or flag), writing nothing. */
export async function previewSweep(db: SidecarDb, run: RunRow, step: RunStep, options: EffectiveOptions): Promise<number> {
  const preview = (run.preview ??= emptyPreview());
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  const gone = await unseenInScope(db, run, step);
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

/** Cancel: the preview (running or finished) and what it saw are dropped. */
export async function dismissPreview(db: SidecarDb, runId: string): Promise<boolean> {
  return db.transaction('rw', [db.runs, db.seenBatches], async () => {
    const run = await db.runs.get(runId);
    if (!run) return false;
    if (!run.dryRun) throw new HandledError('invalid', 'That run is a sync, not a preview: it cannot be dismissed.');
    await db.runs.delete(runId);
    await forgetSeen(db, [runId]);
    return true;
  });
}
