import type { DocRow, SidecarDb } from '../db/schema';
import { credentialDocSchema } from '../docstore/schemas';
import { recordKeyOf } from '../documents/places';
import type { NoteScope } from './notes';
import type { OverlayCredential } from './view-model';

/**
 * The credentials the overlay lists: the client space's own and those on its records (the ones
 * about what this page shows first), as notes are chosen (./notes.ts). Only clear fields leave
 * here: the sealed box stays in the projection, and Copy is carried out by the background.
 */
export async function overlayCredentials(db: SidecarDb, scope: NoteScope, vaultLocked: () => Promise<boolean>): Promise<OverlayCredential[]> {
  const titles = new Map(scope.records.map(({ row, source, title }) => [recordKeyOf({ source, entity: row.entity, remoteId: row.remoteId }), title]));
  const [onSpace, onRecords] = await Promise.all([
    db.docs.where('spaceId').equals(scope.spaceId).filter(isLiveCredential).toArray(),
    titles.size
      ? db.docs
          .where('recordKey')
          .anyOf([...titles.keys()])
          .filter(isLiveCredential)
          .toArray()
      : Promise.resolve([]),
  ]);
  const rows = [...onRecords, ...onSpace];
  if (!rows.length) return [];
  const locked = await vaultLocked().catch(() => false);
  const listed = rows.flatMap((row) => {
    const parsed = credentialDocSchema.safeParse(row.doc);
    if (!parsed.success) return [];
    const about = row.recordKey ? titles.get(row.recordKey) : undefined;
    const rank = row.recordKey && scope.first.has(row.recordKey) ? 0 : row.spaceId ? 1 : 2;
    const credential: OverlayCredential = {
      id: row.id,
      name: parsed.data.name,
      ...(parsed.data.username ? { username: parsed.data.username } : {}),
      ...(about ? { about } : {}),
      locked,
    };
    return [{ credential, rank }];
  });
  return listed.sort((a, b) => a.rank - b.rank || a.credential.name.localeCompare(b.credential.name)).map(({ credential }) => credential);
}

const isLiveCredential = (row: DocRow) => row.kind === 'credential' && !row.invalid && row.doc.binnedAt === undefined;
