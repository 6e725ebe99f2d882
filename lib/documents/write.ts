import type { Doc } from 'pouchdb-core';
import { HandledError } from '../errors';
import type { DocStore } from '../docstore/pouch';
import { documentSchema, type Author, type DocKind, type DocumentDoc } from '../docstore/schemas';
import { versionDocId } from '../docstore/ids';

/**
 * One save of a document technicians write (docs/design/documentation-store.md §2): refused unless
 * the writer saw the current revision, and written in one `bulkDocs` together with the version
 * that keeps what it replaces, so history never depends on PouchDB's compacted revisions.
 */

export type WritableKind = Exclude<DocKind, 'version'>;
export type VersionReason = 'edit' | 'restore' | 'conflict' | 'bin';

/** What a save changes: the kind's own fields (never ids, revisions or stamps). */
export type Content = Record<string, unknown>;

export interface SaveRequest {
  kind: WritableKind;
  id: string;
  /** The revision the writer saw; absent for a new document. */
  baseRev?: string;
  content: Content;
  /** Fields removed by this save (e.g. `binnedAt` when restored from the bin). */
  remove?: readonly string[];
  reason?: VersionReason;
  /** False for a save that changes no one's words (a document moved with its client space's merge). */
  keepVersion?: boolean;
  /** A new document's stamps as written elsewhere (setup import); ignored for an edit, which is this writer's, now. */
  stamps?: { createdAt: number; createdBy: Author; updatedAt: number; updatedBy: Author };
}

export interface Saved {
  id: string;
  rev: string;
  /** False when the content was already as asked: nothing was written. */
  changed: boolean;
}

/**
 * Fields every document has that are not its content. `conflictKept` (the mark that a conflict's
 * other edits were kept as versions, ./conflicts.ts) is not content either: a version never keeps
 * it, and a save by a person (who saw the mark) drops it.
 */
const FRAME = new Set([
  '_id',
  '_rev',
  '_conflicts',
  '_revisions',
  '_deleted',
  'kind',
  'schema',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'conflictKept',
]);

/** The content of a stored document: what a version keeps and a restore puts back. */
export function contentOf(doc: Record<string, unknown>): Content {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !FRAME.has(key)));
}

export async function currentDoc(store: DocStore, id: string): Promise<Doc | undefined> {
  try {
    return await store.get(id);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/** Refused when someone saved since the writer read it: their text and the writer's both stay (nothing is written). */
function changedSince(current: Doc): HandledError {
  const by = (current.updatedBy as Author | undefined)?.name || 'another technician';
  const at = typeof current.updatedAt === 'number' ? ` at ${when(current.updatedAt)} UTC` : '';
  return new HandledError('changed', `${by} changed this${at} while you were editing. Your text is still in the form: copy it, then reload to see theirs.`);
}

export async function saveDocument(store: DocStore, author: Author, request: SaveRequest, now: number = Date.now()): Promise<Saved> {
  const current = await currentDoc(store, request.id);
  const prepared = prepareSave(current, author, request, now);
  if (!prepared.changed) return { id: request.id, rev: prepared.rev, changed: false };

  const results = await store.bulkDocs(prepared.writes);
  const mine = results[results.length - 1]!;
  if ('error' in mine && mine.error) {
    if (mine.status === 409) {
      const now409 = await currentDoc(store, request.id);
      throw now409 ? changedSince(now409) : new HandledError('changed', 'This changed while you were editing: reload and try again.');
    }
    throw new Error(`The documentation store refused the save: ${mine.message ?? mine.name ?? 'unknown error'}`);
  }
  // A version that already exists (409) was kept by an earlier try of this same save: harmless.
  return { id: request.id, rev: (mine as { rev: string }).rev, changed: true };
}

/** What a save writes, without writing it: the version kept (if any) and the document, last. */
export type PreparedSave = { changed: false; rev: string } | { changed: true; writes: Doc[] };

/**
 * saveDocument's checks and the documents it would write, given the current document: for callers
 * that write many saves in one `bulkDocs` (setup import, lib/setup/documents.ts).
 */
export function prepareSave(current: Doc | undefined, author: Author, request: SaveRequest, now: number = Date.now()): PreparedSave {
  if (current && current.kind !== request.kind) throw new HandledError('invalid', `That is a ${String(current.kind)}, not a ${request.kind}.`);
  if (current && request.baseRev !== current._rev) throw changedSince(current);
  if (!current && request.baseRev) throw new HandledError('gone', 'This was deleted for good (it was in the bin over 30 days) or never existed here.');

  const kept = current ? contentOf(current) : {};
  for (const field of request.remove ?? []) delete kept[field];
  const next: Record<string, unknown> = {
    ...kept,
    ...request.content,
    _id: request.id,
    kind: request.kind,
    schema: 1,
    createdAt: typeof current?.createdAt === 'number' ? current.createdAt : (request.stamps?.createdAt ?? now),
    createdBy: current?.createdBy ?? request.stamps?.createdBy ?? author,
    updatedAt: current ? now : (request.stamps?.updatedAt ?? now),
    updatedBy: current ? author : (request.stamps?.updatedBy ?? author),
  };
  for (const field of request.remove ?? []) delete next[field];
  // A save that changes no one's words (a move) is no one having seen the conflict mark: it stays.
  if (current?.conflictKept !== undefined && request.keepVersion === false) next.conflictKept = current.conflictKept;
  const parsed = documentSchema.safeParse(next);
  if (!parsed.success) throw invalid(parsed.error.issues);
  if (current && sameContent(contentOf(current), contentOf(next))) return { changed: false, rev: current._rev! };

  const writes: Doc[] = [];
  if (current && request.keepVersion !== false) writes.push(versionOf(current, request.reason ?? 'edit'));
  writes.push({ ...next, ...(current ? { _rev: current._rev } : {}) } as Doc);
  return { changed: true, writes };
}

/** The replaced revision, as it was: its content and its own stamps (also a conflict's losing revision, ./conflicts.ts). */
export function versionOf(current: Doc, reason: VersionReason): Doc {
  return {
    _id: versionDocId(current._id, current._rev!),
    kind: 'version',
    schema: 1,
    of: current._id,
    ofKind: current.kind,
    rev: current._rev,
    content: contentOf(current),
    reason,
    createdAt: current.createdAt,
    createdBy: current.createdBy,
    updatedAt: current.updatedAt,
    updatedBy: current.updatedBy,
  } as Doc;
}

export function sameContent(a: Content, b: Content): boolean {
  return stable(a) === stable(b);
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** The first problem as the message, every problem at its field (the form shows them there). */
export function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): HandledError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.filter((part) => typeof part === 'string').join('.') || 'document';
    fields[field] ??= issue.message;
  }
  return new HandledError('invalid', issues[0]?.message ?? 'That cannot be saved.', fields);
}

export type { DocumentDoc };
