import Dexie from 'dexie';
import type { Doc } from 'pouchdb-core';
import { z } from 'zod';
import type { RecordRow, SidecarDb, TeamChunkRow } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { ENTITY_KINDS, type CanonicalRecord, type EntityKind } from '../psa/types';
import { searchWords } from '../search/words';
import { stableJson, teamIntegrationId, type SharedContext } from './shared-context';

/**
 * The PSA records themselves, shared with the team (#15): the browser that syncs an integration
 * publishes them as `records:<tenant digest>:<entity>:<company>:<part>` documents, one per company
 * and entity (split every RECORDS_PER_CHUNK records), so a large tenant replicates as a few
 * thousand documents instead of 150,000, and a resync rewrites only the companies that changed
 * (a digest per chunk). Unlike the rest of the team's documents they skip this browser's
 * documentation store: they are written straight to the team's database, and the team's pull
 * (lib/team/pull-target.ts) writes them straight into `records`, for every integration of that
 * tenant here, one of its own included: only the browser holding the team's sync lease calls the
 * PSA, the others read what it publishes. Going through the store wrote every record twice (its
 * document, then its row) and doubled a new member's first replication (docs/design note, #15).
 * `teamChunks` keeps the revision each chunk's rows come from: what the pull asks for, and the
 * revision a publisher writes over. Chunks this install wrote are never applied back over its rows.
 */

export const RECORDS_PER_CHUNK = 1_000;
const BULK_BATCH = 50;

/** A stored row as a chunk carries it: no integration id, run or search words (the member computes those). */
const chunkRecordSchema = z.looseObject({
  remoteId: z.string().min(1).max(100),
  data: z.looseObject({ remoteId: z.string() }),
  sortName: z.string().max(1_000),
  layoutId: z.string().max(100).optional(),
  updatedAt: z.string().max(100).optional(),
  archivedAt: z.number().optional(),
  archivedReason: z.enum(['deleted', 'inactive', 'skipped']).optional(),
  restoredAt: z.number().optional(),
  goneFromPsaAt: z.number().optional(),
});

export const recordsChunkSchema = z.looseObject({
  _id: z.string().startsWith('records:'),
  kind: z.literal('records'),
  schema: z.literal(1),
  source: z.string().min(1).max(300),
  entity: z.enum(ENTITY_KINDS),
  companyRemoteId: z.string().min(1).max(100),
  part: z.number().int().nonnegative(),
  /** The install that synced them (it keeps its own rows). */
  writer: z.string().min(1).max(100),
  records: z.array(chunkRecordSchema).max(RECORDS_PER_CHUNK),
});

export const isRecordsChunkId = (id: string): boolean => id.startsWith('records:');

export function chunkId(sourceHash: string, entity: EntityKind, companyRemoteId: string, part: number): string {
  return `records:${sourceHash}:${entity}:${companyRemoteId}:${part}`;
}

function parseChunkId(id: string): { sourceHash: string; entity: EntityKind; companyRemoteId: string } | undefined {
  const [prefix, sourceHash, entity, ...rest] = id.split(':');
  if (prefix !== 'records' || !sourceHash || rest.length < 2 || !(ENTITY_KINDS as readonly string[]).includes(entity ?? '')) return undefined;
  return { sourceHash, entity: entity as EntityKind, companyRemoteId: rest.slice(0, -1).join(':') };
}

function chunkRecord(row: RecordRow): Record<string, unknown> {
  const { remoteId, data, sortName, layoutId, updatedAt, archivedAt, archivedReason, restoredAt, goneFromPsaAt } = row;
  return Object.fromEntries(
    Object.entries({ remoteId, data, sortName, layoutId, updatedAt, archivedAt, archivedReason, restoredAt, goneFromPsaAt }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

async function digestOf(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes.slice(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const tenantRange = (sourceHash: string): [string, string] => [`records:${sourceHash}:`, `records:${sourceHash}:\ufff0`];

/** A chunk to write to the team's database, with the digest of its records (none for a deletion). */
interface ChunkWrite {
  doc: Doc & { _deleted?: boolean };
  digest?: string;
}

/**
 * Publishes an integration's records as chunks, to the team's database `team`: only chunks whose
 * content changed since this install last wrote them are written; chunks of companies gone (that
 * this install wrote) are deleted. Returns the chunks written and deleted.
 */
export async function publishRecords(
  db: SidecarDb,
  team: DocStore,
  integrationId: string,
  context: SharedContext,
  options: { onlyIfFirst?: boolean } = {},
): Promise<{ written: number; deleted: number }> {
  const shared = context.sources.get(integrationId);
  const writer = context.installId;
  if (!shared || !writer) return { written: 0, deleted: 0 };
  const [first, last] = tenantRange(shared.sourceHash);
  // Joining a team that already has this tenant's records: they are at least as fresh as these.
  if (options.onlyIfFirst && (await team.allDocs({ startkey: first, endkey: last, limit: 1 })).rows.length) return { written: 0, deleted: 0 };
  const known = new Map((await db.teamChunks.where('id').between(first, last).toArray()).map((row) => [row.id, row]));
  const current = new Set<string>();
  let pending: ChunkWrite[] = [];
  let written = 0;
  const flush = async () => {
    if (!pending.length) return;
    written += await writeChunks(db, team, pending, writer);
    pending = [];
  };
  for (const entity of ENTITY_KINDS) {
    // One entity at a time keeps the worker's memory to one entity's rows.
    const rows = await db.records
      .where('[integrationId+entity+companyRemoteId]')
      .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
      .toArray();
    const byCompany = new Map<string, RecordRow[]>();
    for (const row of rows) {
      // Rows another holder's chunks brought in count too: an incremental sync here rewrites only
      // what changed, and a chunk must hold every record of its company.
      const list = byCompany.get(row.companyRemoteId) ?? [];
      list.push(row);
      byCompany.set(row.companyRemoteId, list);
    }
    for (const [companyRemoteId, list] of byCompany) {
      list.sort((a, b) => (a.remoteId < b.remoteId ? -1 : a.remoteId > b.remoteId ? 1 : 0));
      for (let part = 0; part * RECORDS_PER_CHUNK < list.length; part++) {
        const id = chunkId(shared.sourceHash, entity, companyRemoteId, part);
        const records = list.slice(part * RECORDS_PER_CHUNK, (part + 1) * RECORDS_PER_CHUNK).map(chunkRecord);
        const digest = await digestOf(stableJson(records));
        current.add(id);
        const before = known.get(id);
        if (before && !before.deleted && before.writer === writer && before.digest === digest) continue;
        pending.push({
          doc: {
            _id: id,
            ...(before && !before.deleted ? { _rev: before.rev } : {}),
            kind: 'records',
            schema: 1,
            source: shared.source,
            entity,
            companyRemoteId,
            part,
            writer,
            records,
          },
          digest,
        });
        if (pending.length >= BULK_BATCH) await flush();
      }
    }
  }
  // Only chunks this install wrote are taken back: another member's are theirs to remove.
  let deleted = 0;
  for (const row of known.values()) {
    if (row.deleted || row.writer !== writer || current.has(row.id)) continue;
    pending.push({ doc: { _id: row.id, _rev: row.rev, _deleted: true } });
    deleted++;
  }
  await flush();
  return { written: written - deleted, deleted };
}

const isConflict = (result: object): boolean => {
  const { status, name, error } = result as { status?: number; name?: string; error?: unknown };
  return status === 409 || name === 'conflict' || error === 'conflict';
};

/**
 * Writes chunks to the team's database and remembers their revisions. A chunk another member
 * wrote since this browser took it in (a conflict) is read again and written over once: the
 * browser publishing is the one that just synced the PSA.
 */
async function writeChunks(db: SidecarDb, team: DocStore, writes: ChunkWrite[], writer: string): Promise<number> {
  let todo = writes;
  let written = 0;
  for (let attempt = 0; todo.length; attempt++) {
    const results = await team.bulkDocs(todo.map((write) => write.doc));
    const saved: TeamChunkRow[] = [];
    const conflicted: ChunkWrite[] = [];
    let refused: string | undefined;
    results.forEach((result, at) => {
      const write = todo[at]!;
      if ('ok' in result && result.ok) {
        saved.push({ id: write.doc._id, rev: result.rev, writer, ...(write.doc._deleted ? { deleted: true } : { digest: write.digest }) });
      } else if (attempt === 0 && isConflict(result)) conflicted.push(write);
      else refused ??= ('message' in result && result.message) || ('reason' in result && String(result.reason)) || 'write refused';
    });
    await db.teamChunks.bulkPut(saved);
    written += saved.length;
    if (refused) throw new Error(`Sidecar could not publish records for the team: ${refused}.`);
    if (!conflicted.length) break;
    const now = await team.allDocs({ keys: conflicted.map((write) => write.doc._id) });
    todo = conflicted.flatMap((write, at): ChunkWrite[] => {
      const row = now.rows[at];
      const value = row && 'value' in row ? (row.value as { rev: string; deleted?: boolean }) : undefined;
      const live = value && !value.deleted ? value.rev : undefined;
      if (write.doc._deleted && !live) return []; // gone already
      const { _rev: _stale, ...doc } = write.doc;
      return [{ ...write, doc: { ...doc, ...(live ? { _rev: live } : {}) } as ChunkWrite['doc'] }];
    });
  }
  return written;
}

/** The team's revisions of records documents that this browser has not taken in (PouchDB's `revsDiff` answer, for the pull). */
export async function missingChunkRevisions(db: SidecarDb, diff: Record<string, string[]>): Promise<Record<string, { missing: string[] }>> {
  const ids = Object.keys(diff);
  const rows = await db.teamChunks.bulkGet(ids);
  const answer: Record<string, { missing: string[] }> = {};
  ids.forEach((id, at) => {
    const missing = diff[id]!.filter((rev) => rev !== rows[at]?.rev);
    if (missing.length) answer[id] = { missing };
  });
  return answer;
}

type PulledChunk = Doc & { _deleted?: boolean; _revisions?: { start: number; ids: string[] } };

const revisionOf = (rev: string): [number, string] => {
  const dash = rev.indexOf('-');
  return [Number(rev.slice(0, dash)), rev.slice(dash + 1)];
};

/** Whether `doc` is a later revision of `rev` (its history holds it). */
function descendsFrom(doc: PulledChunk, rev: string): boolean {
  const [generation, hash] = revisionOf(rev);
  const at = (doc._revisions?.start ?? 0) - generation;
  return at >= 0 && doc._revisions?.ids[at] === hash;
}

/** CouchDB's pick between two revisions in conflict: a live one before a deletion, then the longer history, then the greater hash. */
function wins(a: { rev: string; deleted: boolean }, b: { rev: string; deleted: boolean }): boolean {
  if (a.deleted !== b.deleted) return !a.deleted;
  const [generationA, hashA] = revisionOf(a.rev);
  const [generationB, hashB] = revisionOf(b.rev);
  return generationA !== generationB ? generationA > generationB : hashA > hashB;
}

/**
 * Takes in records documents the team's pull brought (`docs`: revisions as replication writes
 * them, with their history): for each chunk, the revision CouchDB would show replaces the chunk's
 * rows in `records`, and is remembered, in one transaction. Chunks this install wrote are not
 * applied back over its rows (their revision is remembered). The requests of a batch are issued
 * together: a first replication takes in thousands of small chunks.
 */
export async function takeInChunks(db: SidecarDb, docs: readonly PulledChunk[], context: SharedContext, now: number): Promise<void> {
  const byId = new Map<string, PulledChunk[]>();
  for (const doc of docs) {
    if (!parseChunkId(doc._id)) continue;
    byId.set(doc._id, [...(byId.get(doc._id) ?? []), doc]);
  }
  if (!byId.size) return;
  await db.transaction('rw', db.records, db.teamChunks, async () => {
    const ids = [...byId.keys()];
    const stored = await db.teamChunks.bulkGet(ids);
    const remembered: TeamChunkRow[] = [];
    const replaced: Promise<unknown>[] = [];
    const rows: RecordRow[] = [];
    ids.forEach((id, at) => {
      const before = stored[at];
      // The revisions that are now the chunk's leaves: the ones brought, and the one taken in before unless one brought follows it.
      const brought = byId.get(id)!;
      const followed = before && brought.some((doc) => descendsFrom(doc, before.rev));
      let leading: { rev: string; deleted: boolean; doc?: PulledChunk } | undefined =
        before && !followed ? { rev: before.rev, deleted: !!before.deleted } : undefined;
      for (const doc of brought) {
        const candidate = { rev: doc._rev ?? '', deleted: !!doc._deleted, doc };
        if (!leading || wins(candidate, leading)) leading = candidate;
      }
      if (!leading?.doc) return; // what this browser has stays the team's current revision
      const where = parseChunkId(id)!;
      const integrationId = context.byHash.get(where.sourceHash) ?? teamIntegrationId(where.sourceHash);
      const chunk = leading.deleted ? undefined : recordsChunkSchema.safeParse(leading.doc);
      remembered.push({ id, rev: leading.rev, writer: chunk?.success ? chunk.data.writer : '', ...(leading.deleted ? { deleted: true as const } : {}) });
      if (chunk?.success && chunk.data.writer === context.installId) return;
      // The chunk's earlier rows go (a record no longer in it, or the whole chunk deleted); rows
      // still in it are put again below, after every removal of the batch. None to look for when
      // the chunk was deleted before.
      if (!before?.deleted)
        replaced.push(
          db.records
            .where('[integrationId+entity+companyRemoteId]')
            .equals([integrationId, where.entity, where.companyRemoteId])
            .filter((row) => row.teamChunk === id)
            .delete(),
        );
      if (!chunk?.success) return;
      for (const record of chunk.data.records) {
        const data = record.data as unknown as CanonicalRecord;
        rows.push({
          ...(record as Omit<RecordRow, 'integrationId' | 'entity' | 'companyRemoteId' | 'data' | 'syncedAt'>),
          integrationId,
          entity: where.entity,
          companyRemoteId: where.companyRemoteId,
          data,
          words: searchWords(where.entity, data),
          syncedAt: now,
          teamChunk: id,
        });
      }
    });
    await Promise.all(replaced);
    await Promise.all([rows.length ? db.records.bulkPut(rows) : undefined, db.teamChunks.bulkPut(remembered)]);
  });
}
