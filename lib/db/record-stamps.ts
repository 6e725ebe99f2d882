import type { EntityKind } from '../psa/types';
import { ANY, DOCUMENTS } from './record-changes';
import type { SidecarDb } from './schema';

/** What readers compare of the versions lib/db/record-changes.ts raises with every write. */

/** A string that changes whenever any record or document changes (the palette's saved index is current while it holds). */
export async function changesStamp(db: SidecarDb): Promise<string> {
  return (await db.recordChanges.toArray()).map((row) => `${row.integrationId}/${row.entity}:${row.version}`).join(' ');
}

/** What a reader of records depends on: one integration or all, some entities or all. */
export interface RecordScope {
  integrationId?: string;
  entities?: readonly EntityKind[];
}

/**
 * A string that changes whenever records in the scope change (and only then, but for writes
 * whose scope was not known): read it live, and read the records themselves when it moves.
 */
export async function recordsStamp(db: SidecarDb, scope: RecordScope = {}): Promise<string> {
  const rows = await db.recordChanges.toArray();
  return rows
    .filter(
      (row) =>
        row.integrationId !== DOCUMENTS &&
        (row.integrationId === ANY || !scope.integrationId || row.integrationId === scope.integrationId) &&
        (row.entity === ANY || !scope.entities || scope.entities.includes(row.entity as EntityKind)),
    )
    .map((row) => `${row.integrationId}/${row.entity}:${row.version}`)
    .join(' ');
}
