import type { Doc } from 'pouchdb-core';
import { z } from 'zod';
import type { SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { teamIntegrationId, type SharedContext } from './shared-context';

/**
 * The last known ticket answers, shared with the team (#15): a ticket's company, contact and
 * configurations as a teammate's lookup found them, `ticket:<tenant digest>:<ticket id>`, so a
 * member without the PSA's API keys still gets the right client on a ticket page. Published from
 * the `tickets` table (answers newer than the last publish); applied to it when newer than what is
 * there. Answers over 30 days old are taken out of the team's database.
 */

export const TICKET_DOC_DAYS = 30;
const PUBLISHED = '_local/tickets-published';
const BATCH = 100;

const ticketDocSchema = z.looseObject({
  _id: z.string().startsWith('ticket:'),
  kind: z.literal('ticket'),
  source: z.string().min(1).max(300),
  ticketId: z.string().min(1).max(100),
  fetchedAt: z.number().int().nonnegative(),
  info: z.object({
    ticketId: z.string().min(1).max(100),
    summary: z.string().max(1_000).optional(),
    companyRemoteId: z.string().min(1).max(100),
    companyName: z.string().max(300).optional(),
    contactRemoteId: z.string().min(1).max(100).optional(),
    configurationRemoteIds: z.array(z.string().min(1).max(100)).max(200).optional(),
    agreementRemoteId: z.string().min(1).max(100).optional(),
  }),
});

export const isTicketDocId = (id: string): boolean => id.startsWith('ticket:');
const ticketDocId = (sourceHash: string, ticketId: string) => `ticket:${sourceHash}:${ticketId}`;

/** Publishes the ticket answers looked up here since the last publish, and removes the team's old ones. Returns the documents written. */
export async function publishTickets(db: SidecarDb, store: DocStore, context: SharedContext, now = Date.now()): Promise<number> {
  let since = 0;
  let rev: string | undefined;
  try {
    const published = await store.get(PUBLISHED);
    since = Number(published.at ?? 0);
    rev = published._rev;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
  const rows = await db.tickets.where('fetchedAt').above(since).toArray();
  const docs: Doc[] = [];
  for (const row of rows) {
    const shared = context.sources.get(row.integrationId);
    if (!shared || row.fromTeam) continue; // a teammate's answer goes back to no one
    docs.push({
      _id: ticketDocId(shared.sourceHash, row.ticketId),
      kind: 'ticket',
      source: shared.source,
      ticketId: row.ticketId,
      fetchedAt: row.fetchedAt,
      info: row.info,
    });
  }
  const old = (await store.allDocs({ startkey: 'ticket:', endkey: 'ticket:\ufff0', include_docs: true })).rows.filter(
    (row) => row.doc && Number(row.doc.fetchedAt ?? 0) < now - TICKET_DOC_DAYS * 86_400_000,
  );
  const revs = new Map(
    (await store.allDocs({ keys: docs.map((doc) => doc._id) })).rows.filter((row) => row.value && !row.value.deleted).map((row) => [row.id, row.value.rev]),
  );
  const writes = [
    ...docs.map((doc) => ({ ...doc, ...(revs.has(doc._id) ? { _rev: revs.get(doc._id) } : {}) })),
    ...old.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })),
  ];
  for (let start = 0; start < writes.length; start += BATCH) await store.bulkDocs(writes.slice(start, start + BATCH));
  const latest = Math.max(since, ...rows.map((row) => row.fetchedAt));
  if (latest > since) await store.put({ _id: PUBLISHED, ...(rev ? { _rev: rev } : {}), at: latest });
  return writes.length;
}

/** Applies arriving ticket answers to `tickets` (inside the projector's transaction), when newer than the one there. */
export async function applyTicketDocs(db: SidecarDb, changes: readonly { id: string; doc?: Doc; deleted: boolean }[], context: SharedContext): Promise<void> {
  for (const change of changes) {
    if (change.deleted || !change.doc) continue; // an old answer leaving the team's database stays here until this browser drops it
    const doc = ticketDocSchema.safeParse(change.doc);
    if (!doc.success) continue;
    const sourceHash = change.id.split(':')[1]!;
    const integrationId = context.byHash.get(sourceHash) ?? teamIntegrationId(sourceHash);
    const existing = await db.tickets.get([integrationId, doc.data.ticketId]);
    if (existing && existing.fetchedAt >= doc.data.fetchedAt) continue;
    await db.tickets.put({ integrationId, ticketId: doc.data.ticketId, info: doc.data.info, fetchedAt: doc.data.fetchedAt, fromTeam: true });
  }
}
