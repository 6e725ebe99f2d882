import type { Doc } from 'pouchdb-core';
import type { DocRow, SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { documentSchema, type DocumentDoc } from '../docstore/schemas';
import { GLOBAL_SPACE } from './entities';
import { tokenize } from '../search/words';
import { applySpaceDocs } from './space-docs';
import { applySharedSetup, sharedTables } from './shared-setup';
import { sharedContext } from './shared-context';
import { isRecordsChunkId } from './team-records';
import { applyTicketDocs, isTicketDocId } from './team-tickets';

/**
 * Keeps the Dexie projection of the documentation store current (docs/design/documentation-store.md
 * §1): reads a batch of the store's changes outside any transaction, then writes the batch's rows
 * and the position reached in one Dexie transaction, as a sync slice commits a page and its cursor.
 * A batch applied twice leaves the same rows. A store recreated elsewhere (another id in its
 * `_local/projection`) is projected again from the start. Version documents are not projected:
 * the history view asks the store for them. Callers run it one at a time (as the sync runs one
 * slice at a time): two at once converge on the next run, but may show an older revision meanwhile.
 */

const STORE_ID_DOC = '_local/projection';
export const PROJECTION_BATCH = 200;

export interface ProjectionResult {
  /** Changes read (each document once per batch it changed in). */
  read: number;
  /** Whether the projection was dropped and rebuilt because the store is another one. */
  rebuilt: boolean;
}

export async function projectChanges(store: DocStore, db: SidecarDb, batch = PROJECTION_BATCH): Promise<ProjectionResult> {
  const storeId = await storeIdOf(store);
  const cursor = await db.docCursor.get('projection');
  const rebuilt = !!cursor && cursor.storeId !== storeId;
  if (rebuilt) await db.transaction('rw', db.docs, db.docCursor, () => Promise.all([db.docs.clear(), db.docCursor.clear()]));
  let since: number | string = rebuilt || !cursor ? 0 : cursor.seq;
  let read = 0;
  for (;;) {
    const changes = await store.changes({ since, include_docs: true, conflicts: true, limit: batch });
    const puts: DocRow[] = [];
    const gone: string[] = [];
    const tickets: { id: string; doc?: Doc; deleted: boolean }[] = [];
    for (const change of changes.results) {
      // The team's PSA records go straight to `records` from the team's pull (./team-records.ts);
      // any here are from before that, and stay as they are.
      if (isRecordsChunkId(change.id)) continue;
      if (isTicketDocId(change.id)) tickets.push({ id: change.id, ...(change.doc ? { doc: change.doc } : {}), deleted: !!change.deleted });
      else if (change.deleted || !change.doc) gone.push(change.id);
      // Versions are read from the store by the history view; the team document is the team's, not documentation.
      // Sync leases are the team server's coordination (lib/team/lease.ts), not documentation either.
      else if (change.doc.kind !== 'version' && change.doc.kind !== 'team' && change.doc.kind !== 'lease') puts.push(projectedRow(change.doc));
    }
    // Shared documents name PSA tenants by digest: mapped to integrations before the transaction (WebCrypto).
    const integrations = await db.integrations.toArray();
    const context = await sharedContext(db, integrations);
    const now = Date.now();
    await db.transaction('rw', [db.docs, db.docCursor, db.clientSpaces, db.tickets, ...sharedTables(db)], async () => {
      const tracked = puts.filter((row) => row.kind === 'space' || row.kind === 'source' || row.kind === 'layout').map((row) => row.id);
      const previous = new Map((await db.docs.bulkGet(tracked)).flatMap((row) => (row ? [[row.id, row] as const] : [])));
      await db.docs.bulkDelete(gone);
      await db.docs.bulkPut(puts);
      // Client spaces, sources, matches and layouts a teammate wrote reach their tables with their documents.
      await applySpaceDocs(db, puts, previous);
      await applySharedSetup(db, puts, previous, context, now);
      await applyTicketDocs(db, tickets, context);
      await db.docCursor.put({ id: 'projection', storeId, seq: changes.last_seq });
    });
    read += changes.results.length;
    since = changes.last_seq;
    if (changes.results.length < batch) return { read, rebuilt };
  }
}

/** The store's own id, made once in a local (never replicated) document. */
async function storeIdOf(store: DocStore): Promise<string> {
  try {
    const saved = await store.get(STORE_ID_DOC);
    if (typeof saved.storeId === 'string') return saved.storeId;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
  const storeId = crypto.randomUUID();
  try {
    await store.put({ _id: STORE_ID_DOC, storeId });
    return storeId;
  } catch (error) {
    // Another caller made it first: use theirs.
    if ((error as { status?: number }).status === 409) return storeIdOf(store);
    throw error;
  }
}

/** A stored document as its projected row (exported for the search bench, which builds rows as the projector does). */
export function projectedRow(raw: Doc): DocRow {
  const base = { id: raw._id, rev: raw._rev ?? '', ...(raw._conflicts?.length ? { conflicts: raw._conflicts } : {}) };
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'not a document Sidecar knows';
    return { ...base, kind: typeof raw.kind === 'string' ? raw.kind : 'unknown', doc: raw, words: [], invalid: reason };
  }
  const doc = parsed.data;
  return { ...base, kind: doc.kind, doc: raw, words: wordsOf(doc), ...placement(doc) };
}

function placement(doc: DocumentDoc): Pick<DocRow, 'spaceId' | 'recordKey'> {
  const recordKey = (record: { source: string; entity: string; remoteId: string }) => `${record.source}/${record.entity}/${record.remoteId}`;
  switch (doc.kind) {
    case 'space':
      return { spaceId: doc._id.replace(/^space:/, '') };
    case 'article':
      // The MSP's own procedures: one key, so every client's page finds them by the index.
      return { spaceId: doc.spaceId ?? GLOBAL_SPACE };
    case 'field':
      return { recordKey: recordKey(doc.record) };
    case 'note':
    case 'credential':
      return 'spaceId' in doc.place ? { spaceId: doc.place.spaceId } : { recordKey: recordKey(doc.place.record) };
    case 'version':
    case 'source':
    case 'match':
    case 'layout':
      return {};
  }
}

/** Distinct words an article is found by (the first ones): bounds the index for very long articles. */
const MAX_ARTICLE_WORDS = 5_000;
const MAX_WORD = 64;

/**
 * What the palette finds a document by (docs/design/documentation-store.md §4); never a sealed
 * value, and of a credential's web address only its host (a path or query may hold a token).
 */
function wordsOf(doc: DocumentDoc): string[] {
  const words = (...texts: string[]) => [...new Set(texts.flatMap(tokenize).filter((word) => word.length <= MAX_WORD))];
  switch (doc.kind) {
    case 'space':
      return words(doc.name);
    case 'note':
      return words(doc.text);
    case 'article':
      return words(doc.title, doc.body).slice(0, MAX_ARTICLE_WORDS);
    case 'field': {
      // A yes/no value is no word; any other is also found run together, as a serial is ("DL-12 34" by "dl1234").
      if (doc.value.type === 'yesno') return [];
      const parts = tokenize(String(doc.value.v));
      return words(...parts, parts.length > 1 ? parts.join('') : '');
    }
    case 'credential':
      return words(doc.name, doc.username ?? '', doc.url ? new URL(doc.url).host : '');
    case 'version':
    case 'source':
    case 'match':
    case 'layout':
      return [];
  }
}
