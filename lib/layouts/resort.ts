import Dexie from 'dexie';
import type { RecordRow, SidecarDb } from '../db/schema';
import { loadPlacementContext } from './context';
import { placeRecord } from './placement';

const PLACED = ['configuration', 'contact', 'site'] as const;

/**
 * Re-files already-synced records after a rule, location or layout change, without fetching
 * anything from the PSA. One transaction: every record moves, or none does.
 */
export async function resortIntegration(db: SidecarDb, integrationId: string): Promise<number> {
  return db.transaction('rw', [db.records, db.integrations, db.sortRules, db.layouts], async () => {
    const context = await loadPlacementContext(db, integrationId);
    let moved = 0;
    for (const entity of PLACED) {
      const rows = await db.records
        .where('[integrationId+entity+remoteId]')
        .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
        .toArray();
      const changed: RecordRow[] = [];
      for (const row of rows) {
        const { layoutId } = placeRecord(entity, row.data, context);
        if (layoutId === row.layoutId) continue;
        const next = { ...row };
        if (layoutId) next.layoutId = layoutId;
        else delete next.layoutId;
        changed.push(next);
      }
      await db.records.bulkPut(changed);
      moved += changed.length;
    }
    return moved;
  });
}

export async function resortAll(db: SidecarDb): Promise<number> {
  let moved = 0;
  for (const integration of await db.integrations.toArray()) moved += await resortIntegration(db, integration.id);
  return moved;
}
