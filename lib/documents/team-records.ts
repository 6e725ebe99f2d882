import Dexie from 'dexie';
import type { Doc } from 'pouchdb-core';
import { z } from 'zod';
import type { RecordRow, SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { ENTITY_KINDS, type CanonicalRecord, type EntityKind } from '../psa/types';
import { searchWords } from '../search/words';
import { stableJson, teamIntegrationId, type SharedContext } from './shared-context';

/**
 * The PSA records themselves, shared with the team (#15): the browser that syncs an integration
 * publishes them as `records:<tenant digest>:<entity>:<company>:<part>` documents, one per company
 * and entity (split every RECORDS_PER_CHUNK records), so a large tenant replicates as a few
 * thousand documents instead of 150,000, and a resync rewrites only the companies that changed
 * (a digest per chunk, kept in a `_local` document that never replicates). Members apply them to
 * `records` inside the projector's transaction: a chunk's rows are replaced with it, and removed
 * with it, for every integration of that tenant here, one of its own included: only the browser
 * holding the team's sync lease calls the PSA, the others read what it publishes. Chunks this
 * install wrote are never applied back over its rows.
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

const digestsDocId = (sourceHash: string) => `_local/records-digests:${sourceHash}`;

/**
 * Publishes an integration's records as chunks: only chunks whose content changed since the last
 * publish are written; chunks of companies gone are deleted. Returns the chunks written and deleted.
 */
export async function publishRecords(
  db: SidecarDb,
  store: DocStore,
  integrationId: string,
  context: SharedContext,
  options: { onlyIfFirst?: boolean } = {},
): Promise<{ written: number; deleted: number }> {
  const shared = context.sources.get(integrationId);
  if (!shared || !context.installId) return { written: 0, deleted: 0 };
  const existing = new Map(
    (await store.allDocs({ startkey: `records:${shared.sourceHash}:`, endkey: `records:${shared.sourceHash}:\ufff0` })).rows.map((row) => [
      row.id,
      row.value.rev,
    ]),
  );
  // Joining a team that already has this tenant's records: they are at least as fresh as these.
  if (options.onlyIfFirst && existing.size) return { written: 0, deleted: 0 };
  let saved: Record<string, string> = {};
  let savedRev: string | undefined;
  try {
    const local = await store.get(digestsDocId(shared.sourceHash));
    saved = (local.digests as Record<string, string> | undefined) ?? {};
    savedRev = local._rev;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
  const digests: Record<string, string> = {};
  let pending: Doc[] = [];
  let written = 0;
  const flush = async () => {
    if (!pending.length) return;
    const results = await store.bulkDocs(pending);
    const failed = results.find((result) => 'error' in result);
    if (failed) throw new Error(`Sidecar could not publish records for the team: ${'message' in failed ? failed.message : 'write refused'}.`);
    written += pending.length;
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
      if (row.teamChunk) continue; // brought by the team, not synced here
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
        digests[id] = digest;
        if (saved[id] === digest && existing.has(id)) continue;
        pending.push({
          _id: id,
          ...(existing.has(id) ? { _rev: existing.get(id) } : {}),
          kind: 'records',
          schema: 1,
          source: shared.source,
          entity,
          companyRemoteId,
          part,
          writer: context.installId,
          records,
        });
        if (pending.length >= BULK_BATCH) await flush();
      }
    }
  }
  // Only chunks this install published are taken back: another member's are theirs to remove.
  const gone = [...existing].filter(([id]) => id in saved && !(id in digests));
  for (const [id, rev] of gone) pending.push({ _id: id, _rev: rev, _deleted: true });
  await flush();
  await store.put({ _id: digestsDocId(shared.sourceHash), ...(savedRev ? { _rev: savedRev } : {}), digests });
  return { written: written - gone.length, deleted: gone.length };
}

/**
 * Applies arriving chunks (and deletions of chunks) to `records`, inside the projector's
 * transaction (which includes `records`). Chunks this install wrote are skipped. A batch's
 * requests are issued together, not one awaited after another: a first replication applies
 * thousands of small chunks, and a round trip to IndexedDB for each cost more than the writes.
 */
export async function applyRecordChunks(
  db: SidecarDb,
  changes: readonly { id: string; doc?: Doc; deleted: boolean }[],
  context: SharedContext,
  now: number,
): Promise<void> {
  const replaced: Promise<unknown>[] = [];
  const rows: RecordRow[] = [];
  for (const change of changes) {
    const where = parseChunkId(change.id);
    if (!where) continue;
    const integrationId = context.byHash.get(where.sourceHash) ?? teamIntegrationId(where.sourceHash);
    const chunk = change.deleted || !change.doc ? undefined : recordsChunkSchema.safeParse(change.doc);
    if (chunk?.success && chunk.data.writer === context.installId) continue;
    // The chunk's earlier rows go (a record no longer in it, or the whole chunk deleted); rows
    // still in it are put again below, after every removal of the batch has been done.
    replaced.push(
      db.records
        .where('[integrationId+entity+companyRemoteId]')
        .equals([integrationId, where.entity, where.companyRemoteId])
        .filter((row) => row.teamChunk === change.id)
        .delete(),
    );
    if (!chunk?.success) continue;
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
        teamChunk: change.id,
      });
    }
  }
  await Promise.all(replaced);
  if (rows.length) await db.records.bulkPut(rows);
}
