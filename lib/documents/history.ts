import type { Doc } from 'pouchdb-core';
import { HandledError } from '../errors';
import type { DocStore } from '../docstore/pouch';
import { versionDocSchema, type Author, type VersionDoc } from '../docstore/schemas';
import { contentOf, currentDoc, saveDocument, type Saved, type WritableKind } from './write';

/**
 * A document's history (its version documents, newest first), restoring one of them, and the
 * bin: deleting sets `binnedAt` (a save like any other, so it replicates and can be undone);
 * after BIN_DAYS the document and its versions become bodiless tombstones.
 */

export const BIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistoryEntry {
  /** The revision this entry is; the current one first. */
  rev: string;
  current: boolean;
  reason?: VersionDoc['reason'];
  updatedAt: number;
  updatedBy: Author;
  content: Record<string, unknown>;
}

const versionRange = (id: string) => ({ startkey: `version:${id}:`, endkey: `version:${id}:\ufff0` });

async function versionsOf(store: DocStore, id: string): Promise<VersionDoc[]> {
  const { rows } = await store.allDocs({ ...versionRange(id), include_docs: true });
  return rows.flatMap((row) => {
    const parsed = versionDocSchema.safeParse(row.doc);
    return parsed.success && parsed.data.of === id ? [parsed.data] : [];
  });
}

export async function historyOf(store: DocStore, id: string): Promise<HistoryEntry[]> {
  const current = await currentDoc(store, id);
  if (!current) throw new HandledError('gone', 'This was deleted for good or never existed here.');
  const versions = (await versionsOf(store, id)).map((version): HistoryEntry => ({
    rev: version.rev,
    current: false,
    reason: version.reason,
    updatedAt: version.updatedAt,
    updatedBy: version.updatedBy,
    content: version.content,
  }));
  versions.sort((a, b) => b.updatedAt - a.updatedAt || revNumber(b.rev) - revNumber(a.rev));
  return [
    { rev: current._rev!, current: true, updatedAt: current.updatedAt as number, updatedBy: current.updatedBy as Author, content: contentOf(current) },
    ...versions,
  ];
}

const revNumber = (rev: string) => Number.parseInt(rev, 10) || 0;

/** Saves an earlier version's content as a new edit; what it replaces becomes a version too. */
export async function restoreVersion(store: DocStore, author: Author, id: string, rev: string, baseRev: string, now = Date.now()): Promise<Saved> {
  const current = await currentDoc(store, id);
  if (!current) throw new HandledError('gone', 'This was deleted for good or never existed here.');
  const version = (await versionsOf(store, id)).find((candidate) => candidate.rev === rev);
  if (!version) throw new HandledError('not-found', 'That version is not kept here.');
  const content = { ...version.content };
  // Restoring the text never puts it back in the bin or takes it out: that is the bin's own action.
  delete content.binnedAt;
  delete content.binnedBy;
  const remove = Object.keys(contentOf(current)).filter((field) => !(field in content) && field !== 'binnedAt' && field !== 'binnedBy');
  return saveDocument(store, author, { kind: current.kind as WritableKind, id, baseRev, content, remove, reason: 'restore' }, now);
}

export async function binDocument(store: DocStore, author: Author, id: string, baseRev: string, now = Date.now()): Promise<Saved> {
  const current = await requireLive(store, id);
  return saveDocument(store, author, { kind: current.kind as WritableKind, id, baseRev, content: { binnedAt: now, binnedBy: author }, reason: 'bin' }, now);
}

export async function unbinDocument(store: DocStore, author: Author, id: string, baseRev: string, now = Date.now()): Promise<Saved> {
  const current = await requireLive(store, id);
  return saveDocument(
    store,
    author,
    { kind: current.kind as WritableKind, id, baseRev, content: {}, remove: ['binnedAt', 'binnedBy'], reason: 'restore' },
    now,
  );
}

async function requireLive(store: DocStore, id: string): Promise<Doc> {
  const current = await currentDoc(store, id);
  if (!current || current.kind === 'version') throw new HandledError('gone', 'This was deleted for good or never existed here.');
  return current;
}

/**
 * Documents in the bin for over BIN_DAYS, and their versions, become tombstones. Idempotent: a
 * purge cut off midway purges the rest next time. Returns how many documents went.
 */
export async function purgeBin(store: DocStore, now = Date.now()): Promise<number> {
  const cutoff = now - BIN_DAYS * DAY_MS;
  let purged = 0;
  for (const prefix of ['note:', 'article:', 'field:', 'credential:']) {
    const { rows } = await store.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
    for (const row of rows) {
      const doc = row.doc;
      if (!doc || typeof doc.binnedAt !== 'number' || doc.binnedAt > cutoff) continue;
      // Versions first: a purge cut off here leaves the document in the bin, and the next purge finishes it.
      const versions = await store.allDocs(versionRange(doc._id));
      await store.bulkDocs(versions.rows.map((version) => ({ _id: version.id, _rev: version.value.rev, _deleted: true })));
      await store.bulkDocs([{ _id: doc._id, _rev: doc._rev, _deleted: true }]);
      purged++;
    }
  }
  return purged;
}
