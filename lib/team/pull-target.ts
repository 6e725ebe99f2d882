import type { Doc } from 'pouchdb-core';
import type { SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { sharedContext } from '../documents/shared-context';
import { isRecordsChunkId, missingChunkRevisions, takeInChunks } from '../documents/team-records';

/**
 * What the team's pull writes into (#15): this browser's documentation store, except the PSA
 * records documents, which go straight into `records` (lib/documents/team-records.ts) instead of
 * being stored as documents and then projected: for a large tenant that double write was most of
 * a new member's first replication. PouchDB's replication asks its target only `revsDiff` (what
 * is missing) and `bulkDocs` (write these revisions) for documents; both are split here, and
 * everything else (checkpoints, events, the push's reads) is the store's own.
 */
export function teamPullTarget(local: DocStore, db: SidecarDb, now: () => number = Date.now): DocStore {
  const split = <T>(ids: readonly T[], idOf: (item: T) => string) => ({
    records: ids.filter((item) => isRecordsChunkId(idOf(item))),
    rest: ids.filter((item) => !isRecordsChunkId(idOf(item))),
  });
  const revsDiff = async (diff: Record<string, string[]>) => {
    const { records, rest } = split(Object.keys(diff), (id) => id);
    const pick = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, diff[id]!]));
    const [documents, chunks] = await Promise.all([
      rest.length ? local.revsDiff(pick(rest)) : {},
      records.length ? missingChunkRevisions(db, pick(records)) : {},
    ]);
    return { ...documents, ...chunks };
  };
  const bulkDocs = async (request: Doc[] | { docs: Doc[]; new_edits?: boolean }, options?: object) => {
    const docs = Array.isArray(request) ? request : request.docs;
    const { records, rest } = split(docs, (doc) => doc._id);
    if (!records.length) return local.bulkDocs(request, options);
    // Replication writes the revisions it brings as they are (`new_edits: false`): so do the records.
    const written = rest.length ? await local.bulkDocs(Array.isArray(request) ? rest : { ...request, docs: rest }, options) : [];
    await takeInChunks(db, records, await sharedContext(db), now());
    return [...written, ...records.map((doc) => ({ ok: true as const, id: doc._id, rev: doc._rev ?? '' }))];
  };
  return new Proxy(local, {
    get(target, property) {
      if (property === 'revsDiff') return revsDiff;
      if (property === 'bulkDocs') return bulkDocs;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
