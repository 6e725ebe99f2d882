import Dexie from 'dexie';
import type { RecordRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { ENTITY_KINDS, type EntityKind } from '../psa/types';

/**
 * The Museum: records the PSA deleted, inactive companies and records a skip option left out are
 * archived, never removed. They are listed apart and can be restored; a restored deleted record
 * stays, flagged as gone from the PSA, and later syncs do not archive it again.
 */
export async function archivedRecords(db: SidecarDb, integrationId: string): Promise<RecordRow[]> {
  const rows = await Promise.all(
    ENTITY_KINDS.map((entity) =>
      db.records
        .where('[integrationId+entity+remoteId]')
        .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
        .filter((row) => row.archivedAt !== undefined)
        .toArray(),
    ),
  );
  return rows.flat().sort((a, b) => (b.archivedAt ?? 0) - (a.archivedAt ?? 0));
}

export async function restoreRecord(db: SidecarDb, integrationId: string, entity: EntityKind, remoteId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.records], async () => {
    const row = await db.records.get([integrationId, entity, remoteId]);
    if (!row) throw new HandledError('not-found', 'That record is no longer in Sidecar.');
    if (row.archivedAt === undefined) return;
    // Only a record the PSA deleted is flagged as gone; an inactive or skipped one is simply back.
    const restored: RecordRow =
      (row.archivedReason ?? 'deleted') === 'deleted' ? { ...row, goneFromPsaAt: row.goneFromPsaAt ?? row.archivedAt ?? now } : { ...row, restoredAt: now };
    delete restored.archivedAt;
    delete restored.archivedReason;
    await db.records.put(restored);
  });
}
