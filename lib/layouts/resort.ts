import Dexie from 'dexie';
import type { RecordRow, SidecarDb } from '../db/schema';
import { addChange, emptyPreview, recordName, type ChangePreview } from '../db/change-preview';
import { loadPlacementContext } from './context';
import { placeRecord, type PlacementContext } from './placement';

const PLACED = ['configuration', 'contact', 'site'] as const;

/** Synced records whose layout differs under `context`, with the layout each would move to. */
async function plannedMoves(db: SidecarDb, integrationId: string, context: PlacementContext): Promise<{ row: RecordRow; to: string | undefined }[]> {
  const moves: { row: RecordRow; to: string | undefined }[] = [];
  for (const entity of PLACED) {
    await db.records
      .where('[integrationId+entity+remoteId]')
      .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
      .each((row) => {
        const { layoutId } = placeRecord(entity, row.data, context);
        if (layoutId !== row.layoutId) moves.push({ row, to: layoutId });
      });
  }
  return moves;
}

/**
 * Re-files already-synced records after a rule, location or layout change, without fetching
 * anything from the PSA. One transaction: every record moves, or none does.
 */
export async function resortIntegration(db: SidecarDb, integrationId: string): Promise<number> {
  return db.transaction('rw', [db.records, db.integrations, db.sortRules, db.layouts], async () => {
    const moves = await plannedMoves(db, integrationId, await loadPlacementContext(db, integrationId));
    await db.records.bulkPut(
      moves.map(({ row, to }) => {
        const next = { ...row };
        if (to) next.layoutId = to;
        else delete next.layoutId;
        return next;
      }),
    );
    return moves.length;
  });
}

/** What re-filing under `change` (e.g. unsaved rules) would move, without moving anything. */
export async function previewResort(db: SidecarDb, integrationId: string, change: Partial<PlacementContext>): Promise<ChangePreview> {
  return db.transaction('r', [db.records, db.integrations, db.sortRules, db.layouts], async () => {
    const context = { ...(await loadPlacementContext(db, integrationId)), ...change };
    const layoutName = (id: string | undefined) => (id ? (context.layouts.get(id)?.name ?? 'a removed layout') : 'nowhere (no active layout)');
    const preview = emptyPreview();
    for (const { row, to } of await plannedMoves(db, integrationId, context)) {
      addChange(preview, {
        entity: row.entity,
        name: recordName(row.data as { name?: string; remoteId: string }),
        change: 'move',
        detail: `${layoutName(row.layoutId)} → ${layoutName(to)}`,
      });
    }
    return preview;
  });
}

export async function resortAll(db: SidecarDb): Promise<number> {
  let moved = 0;
  for (const integration of await db.integrations.toArray()) moved += await resortIntegration(db, integration.id);
  return moved;
}
