import type { Doc } from 'pouchdb-core';
import type { DocStore } from '../docstore/pouch';
import { conflictKeptSchema, MAX_CONFLICT_KEPT, versionDocSchema, type Author, type ConflictKept } from '../docstore/schemas';
import { versionDocId } from '../docstore/ids';
import { contentOf, sameContent, versionOf, type Content } from './write';

/**
 * Two edits of one document made apart (two browsers offline, then replicated) meet as a CouchDB
 * conflict: every replica shows the same winner and keeps the others under `_conflicts` (issue
 * #15, "Conflicts and offline"). Settling one keeps PouchDB's winner as the document, keeps each
 * losing revision as a version (reason 'conflict', `version:<docId>:<loserRev>`, with the loser's
 * own stamps), deletes the losing revisions and marks the winner (`conflictKept`) so the page can
 * say so, all in one `bulkDocs` per document.
 *
 * Deterministic, so that two replicas settling the same conflict at once write the same revisions
 * and replicate into no new conflict: everything written is derived from the revisions in
 * conflict only (never this browser's clock or author), with keys in a fixed order, and PouchDB's
 * `deterministic_revs` (on by default) makes the same edit of the same parent the same revision.
 * Idempotent: a document without conflicts is not written. Besides:
 * - a losing revision with the winner's very words keeps no version (nothing would be lost);
 * - two replicas that settled one conflict knowing different edits meet again as a conflict of
 *   their settlements: the marks merge, and words a conflict kept already are not kept twice;
 * - the mark names each other edit once, never the words the document shows;
 * - a losing revision that cannot be kept (its body gone, or no valid stamps) is not deleted: it
 *   stays a conflict (the projection's `conflicts`), never lost;
 * - a `version` document's conflict keeps its winner only; kinds this install does not know are
 *   left to the install that does; a credential's sealed box is copied as it is, never opened;
 * - a decision (`decisionTimeOf`) shows the latest one, written over PouchDB's winner, the others
 *   kept as versions.
 */

/**
 * Decisions shared with the team (a company's match; a PSA tenant's options and sort rules): the
 * latest decision is shown, whichever revision PouchDB picked, and the others are kept as
 * versions like an edit's. When a decision was made: a match's `decidedAt`; a tenant's, when it
 * was published. (Layouts keep PouchDB's winner.)
 */
const decisionTimeOf: Record<string, (doc: Doc) => number> = {
  match: (doc) => Number(doc.decidedAt) || 0,
  source: (doc) => Number(doc.updatedAt) || 0,
};

/** The kinds whose losing edits are kept as versions; a `version` conflict keeps its winner only. */
const KEPT_KINDS: ReadonlySet<unknown> = new Set(['space', 'note', 'article', 'field', 'credential', ...Object.keys(decisionTimeOf)]);

/** Documents read per page when looking through the whole store. */
const SCAN_PAGE = 100;

/** A write refused because the document moved on meanwhile (a replication wrote to it): tried again, this many times in all. */
const ATTEMPTS = 3;

/**
 * Settles the conflicts of the given documents, or of every document in the store (`ids` absent).
 * Returns how many documents were written. `_author` is not stamped on anything, on purpose: what
 * is written must be the same on every replica (the versions carry the losers' own authors).
 */
export async function settleConflicts(store: DocStore, _author: Author, ids?: readonly string[]): Promise<number> {
  let settled = 0;
  for (const id of ids ?? (await conflictedIds(store))) {
    if (await settleOne(store, id)) settled++;
  }
  return settled;
}

/**
 * The documents with conflicts, read from the store itself rather than the Dexie projection: the
 * store is what replication wrote (the projection may not have caught up yet), and the projection
 * leaves version documents out. The team's PSA records are not read: they are never settled (a
 * later publish replaces a chunk whole), and they are most of a large team's data, read whole.
 */
async function conflictedIds(store: DocStore): Promise<string[]> {
  const ids: string[] = [];
  // Everything up to `records:`, then everything after the records (`;` follows `:`). Not
  // `inclusive_end: false`: PouchDB's indexeddb adapter then returns one row short of `limit`.
  for (const range of [{ endkey: 'records:' }, { startkey: 'records;' }]) {
    let after: string | undefined;
    for (;;) {
      // The smallest id after the last one read: the next page starts there.
      const page = await store.allDocs({
        include_docs: true,
        conflicts: true,
        limit: SCAN_PAGE,
        ...range,
        ...(after !== undefined ? { startkey: `${after}\u0000` } : {}),
      });
      for (const row of page.rows) if (row.doc?._conflicts?.length) ids.push(row.id);
      if (page.rows.length < SCAN_PAGE) break;
      after = page.rows[page.rows.length - 1]!.id;
    }
  }
  return ids;
}

async function settleOne(store: DocStore, id: string, carried: readonly ConflictKept[] = [], attempt = 1): Promise<boolean> {
  let winner: Doc;
  try {
    winner = await store.get(id, { conflicts: true });
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
  const loserRevs = winner._conflicts ?? [];
  if (!loserRevs.length && !carried.length) return false;
  const isVersion = winner.kind === 'version';
  if (!isVersion && !KEPT_KINDS.has(winner.kind)) return false; // Not a kind this install knows: a newer one settles it.

  const losers: Doc[] = [];
  for (const rev of loserRevs) {
    const loser = await revision(store, id, rev);
    if (loser && !loser._deleted) losers.push(loser);
  }

  // What the document shows after settling: PouchDB's winner, or for a decision the latest one.
  const shown = latestDecision(winner, losers);
  const others = [winner, ...losers].filter((revision) => revision !== shown);
  const versions: Doc[] = [];
  const deletions: Doc[] = [];
  const kept: ConflictKept[] = [...carried];
  const winnerContent = contentOf(shown);
  // The words this document's conflicts kept already (as read here): by version id.
  const keptWords = isVersion ? new Map<string, KeptWords>() : await conflictVersionsOf(store, id);
  for (const loser of others) {
    if (!isVersion) {
      const mark = markOf(loser);
      kept.push(...mark);
      const content = contentOf(loser);
      // The same words on both sides (or a replica's settlement of the same conflict): nothing to keep.
      if (!sameContent(content, winnerContent)) {
        // A settlement written elsewhere (it carries a mark) of words a conflict kept already: kept once.
        const already = mark.length ? [...keptWords].find(([, known]) => sameContent(known.content, content)) : undefined;
        if (already) {
          kept.push(already[1].entry);
        } else {
          const version = versionOf(loser, 'conflict');
          // A losing revision without valid stamps is not deleted: it stays a conflict, never lost.
          if (!versionDocSchema.safeParse(version).success) continue;
          versions.push(canonical(version));
          const entry = { versionId: version._id, updatedBy: loser.updatedBy as Author, updatedAt: loser.updatedAt as number };
          keptWords.set(version._id, { content, entry });
          kept.push(entry);
        }
      }
    }
    // PouchDB's winner is not deleted: the shown decision is written over it.
    if (loser !== winner) deletions.push(canonical({ _id: id, _rev: loser._rev, _deleted: true }));
  }
  // A losing revision shown (the latest decision) lives on in what is written over the winner.
  if (shown !== winner) deletions.push(canonical({ _id: id, _rev: shown._rev, _deleted: true }));

  // The mark names each other edit once, and never the words the document shows.
  const marker = isVersion
    ? []
    : mergedMark([...markOf(winner), ...kept].filter((entry) => !sameContent(keptWords.get(entry.versionId)?.content ?? {}, winnerContent)));
  const { _conflicts: _shown, conflictKept: _mark, ...body } = shown;
  const winnerWrite =
    !isVersion && (shown !== winner || !sameContent({ mark: markOf(winner) }, { mark: marker }))
      ? canonical({ ...body, _rev: winner._rev, ...(marker.length ? { conflictKept: marker } : {}) })
      : undefined;
  const writes = [...versions, ...deletions, ...(winnerWrite ? [winnerWrite] : [])];
  if (!writes.length) return false;

  const results = await store.bulkDocs(writes);
  for (const [index, result] of results.entries()) {
    if (!('error' in result && result.error)) continue;
    const write = writes[index]!;
    // A version already kept (by this replica or another) holds that same revision's content.
    if (write._id !== id && result.status === 409) continue;
    // The document moved on meanwhile (a replication wrote to it): settled again from where it is
    // now, the versions just kept staying in its mark.
    if (result.status === 409 && attempt < ATTEMPTS) return (await settleOne(store, id, kept, attempt + 1)) || true;
    throw new Error(`The documentation store refused to settle ${id}: ${result.message ?? result.name ?? 'unknown error'}`);
  }
  return true;
}

/**
 * A decision's latest revision (ties: PouchDB's winner, then the smaller revision), the same on
 * every replica; PouchDB's winner for any other kind, or when the winner could not be kept as a
 * version (it would be lost under the decision written over it).
 */
function latestDecision(winner: Doc, losers: readonly Doc[]): Doc {
  const timeOf = decisionTimeOf[String(winner.kind)];
  if (!timeOf || !versionDocSchema.safeParse(versionOf(winner, 'conflict')).success) return winner;
  let latest = winner;
  for (const loser of losers) {
    if (loser.kind !== winner.kind) continue;
    const [at, latestAt] = [timeOf(loser), timeOf(latest)];
    if (at > latestAt || (at === latestAt && latest !== winner && String(loser._rev) < String(latest._rev))) latest = loser;
  }
  return latest;
}

interface KeptWords {
  content: Content;
  entry: ConflictKept;
}

/** The versions a conflict kept of `id` (as far as they reached this replica): their content and mark entry, by version id. */
async function conflictVersionsOf(store: DocStore, id: string): Promise<Map<string, KeptWords>> {
  const { rows } = await store.allDocs({ startkey: versionDocId(id, ''), endkey: versionDocId(id, '\ufff0'), include_docs: true });
  const kept = new Map<string, KeptWords>();
  for (const row of rows) {
    const parsed = versionDocSchema.safeParse(row.doc);
    if (!parsed.success || parsed.data.of !== id || parsed.data.reason !== 'conflict') continue;
    const { _id: versionId, content, updatedBy, updatedAt } = parsed.data;
    kept.set(versionId, { content, entry: { versionId, updatedBy, updatedAt } });
  }
  return kept;
}

/** One revision's body; none when the store no longer has it (it is then left alone, never deleted unkept). */
async function revision(store: DocStore, id: string, rev: string): Promise<Doc | undefined> {
  try {
    return await store.get(id, { rev });
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** A document's conflict mark, as stored (an unreadable one counts as none). */
function markOf(doc: Doc): ConflictKept[] {
  const parsed = conflictKeptSchema.safeParse(doc.conflictKept);
  return parsed.success ? parsed.data : [];
}

/** Each kept version once, oldest first: the same list whichever replica merges it. */
function mergedMark(entries: readonly ConflictKept[]): ConflictKept[] {
  const byVersion = new Map<string, ConflictKept>();
  for (const entry of entries) if (!byVersion.has(entry.versionId)) byVersion.set(entry.versionId, entry);
  const merged = [...byVersion.values()].sort((a, b) => a.updatedAt - b.updatedAt || (a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0));
  return merged.slice(-MAX_CONFLICT_KEPT);
}

/**
 * The document with its keys in one fixed order, all the way down: PouchDB's deterministic
 * revision is a hash of the written JSON, so two replicas must write the same bytes.
 */
function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}
