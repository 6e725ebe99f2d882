import type { DocRow, RecordRow, SidecarDb } from '../db/schema';
import { noteDocSchema } from '../docstore/schemas';
import { recordKeyOf } from '../documents/places';
import { GLOBAL_SPACE } from '../documents/entities';
import { keptEdits } from '../documents/read';
import type { OverlayNote } from './view-model';

/**
 * The pinned notes the overlay shows first ("Before you start"): the client space's own and those
 * on its records, the ones about what this page shows (its record, the ticket's contact and
 * configurations) leading. Binned and invalid notes are left out; nothing sealed is ever a note.
 */

export interface NoteScope {
  spaceId: string;
  /** The client space's records, each with its PSA tenant's source key. */
  records: { row: RecordRow; source: string; title: string }[];
  /** Record keys (`source/entity/remoteId`) this page is about: their notes come first. */
  first: ReadonlySet<string>;
}

export async function overlayNotes(db: SidecarDb, scope: NoteScope): Promise<OverlayNote[]> {
  const titles = new Map(scope.records.map(({ row, source, title }) => [recordKeyOf({ source, entity: row.entity, remoteId: row.remoteId }), title]));
  const [onSpace, onRecords] = await Promise.all([
    db.docs.where('spaceId').equals(scope.spaceId).filter(isLiveNote).toArray(),
    titles.size
      ? db.docs
          .where('recordKey')
          .anyOf([...titles.keys()])
          .filter(isLiveNote)
          .toArray()
      : Promise.resolve([]),
  ]);
  const notes = [...onRecords, ...onSpace].flatMap((row) => {
    const parsed = noteDocSchema.safeParse(row.doc);
    if (!parsed.success) return [];
    const about = row.recordKey ? titles.get(row.recordKey) : undefined;
    const rank = row.recordKey && scope.first.has(row.recordKey) ? 0 : row.spaceId ? 1 : 2;
    const note: OverlayNote = {
      id: row.id,
      rev: row.rev,
      text: parsed.data.text,
      by: parsed.data.updatedBy.name || 'Unnamed technician',
      at: parsed.data.updatedAt,
      ...(about ? { about } : {}),
      ...keptEdits(parsed.data.conflictKept),
    };
    return [{ note, rank }];
  });
  return notes.sort((a, b) => a.rank - b.rank || b.note.at - a.note.at).map(({ note }) => note);
}

const isLiveNote = (row: DocRow) => row.kind === 'note' && !row.invalid && row.doc.binnedAt === undefined;

/** Article titles for the overlay: the client's first, then the MSP's own; binned and invalid ones left out. */
export async function overlayArticles(db: SidecarDb, spaceId: string): Promise<{ id: string; title: string; global: boolean }[]> {
  const rows = await db.docs
    .where('spaceId')
    .anyOf([spaceId, GLOBAL_SPACE])
    .filter((row) => row.kind === 'article' && !row.invalid && row.doc.binnedAt === undefined)
    .toArray();
  return rows
    .map((row) => ({ id: row.id, title: String(row.doc.title ?? ''), global: row.spaceId === GLOBAL_SPACE }))
    .sort((a, b) => Number(a.global) - Number(b.global) || a.title.localeCompare(b.title));
}
