import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { projectChanges } from '@/lib/documents/projector';

/**
 * R3/R4 for the documentation projection (docs/design/documentation-store.md §1): writes to the
 * store (new documents, edits, deletions) are projected in small batches while the projector is
 * cut at random points: before its transaction, or at the N-th write inside it (IndexedDB rolls
 * the transaction back, as when the worker dies). A new "life" then projects again from what
 * Dexie holds. At the end the projection equals the store's winning revisions, whatever the cuts.
 * Seen failing with the position written in a transaction of its own before the rows
 * (counterexample: one note, cut at the second write).
 */

const author = { installId: 'install-1', name: 'Dana' };
const stamps = { schema: 1, createdAt: 1, createdBy: author, updatedAt: 2, updatedBy: author };

class Cut extends Error {}

type Op = { kind: 'put'; n: number; text: string } | { kind: 'delete'; n: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), n: fc.integer({ min: 0, max: 11 }), text: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 11 }) }),
);

async function apply(store: DocStore, op: Op): Promise<void> {
  const id = `note:${op.n}`;
  const current = await store.get(id).catch(() => undefined);
  if (op.kind === 'delete') {
    if (current) await store.remove({ _id: id, _rev: current._rev! });
    return;
  }
  await store.put({ _id: id, ...(current ? { _rev: current._rev } : {}), kind: 'note', place: { spaceId: 's1' }, text: `${op.text}.`, ...stamps });
}

/** One projection attempt that dies at the `cutAt`-th write of its transaction (or before it, with -1). */
async function projectWithCut(store: DocStore, dbName: string, cutAt: number, batch: number): Promise<'done' | 'cut'> {
  const db = new SidecarDb(dbName);
  let writes = 0;
  const count = () => {
    writes += 1;
    if (writes === cutAt) throw new Cut('the worker stopped here');
  };
  db.docs.hook('creating', count);
  db.docs.hook('updating', count);
  db.docs.hook('deleting', count);
  db.docCursor.hook('creating', count);
  db.docCursor.hook('updating', count);
  try {
    if (cutAt === -1) throw new Cut('stopped before projecting');
    await projectChanges(store, db, batch);
    return 'done';
  } catch (error) {
    if (error instanceof Cut || (error as { inner?: unknown }).inner instanceof Cut || String(error).includes('the worker stopped here')) return 'cut';
    throw error;
  } finally {
    db.close();
  }
}

describe('the projection under interruption', () => {
  it('equals the store’s winning revisions after any sequence of writes and cuts', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: -1, max: 12 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (rounds, cuts, batch) => {
          run += 1;
          const storeName = `projection-property-${run}-${crypto.randomUUID()}`;
          const dbName = `projection-property-db-${run}-${crypto.randomUUID()}`;
          const store = docStore(storeName);
          try {
            let cutIndex = 0;
            for (const ops of rounds) {
              for (const op of ops) await apply(store, op);
              // Lives that die at the planned points, then one that is left to finish.
              while (cutIndex < cuts.length && (await projectWithCut(store, dbName, cuts[cutIndex]!, batch)) === 'cut') cutIndex += 1;
              cutIndex += 1;
            }
            expect(await projectWithCut(store, dbName, 0, batch)).toBe('done');

            const { rows } = await store.allDocs({ startkey: 'note:', endkey: 'note:\ufff0', include_docs: true });
            const winners = rows.map((row) => [row.id, row.value.rev, (row.doc as unknown as { text: string }).text]).sort();
            const db = new SidecarDb(dbName);
            const projected = (await db.docs.toArray()).map((row) => [row.id, row.rev, row.doc.text as string]).sort();
            const cursor = await db.docCursor.get('projection');
            db.close();
            expect(projected).toEqual(winners);
            expect(cursor?.seq).toEqual((await store.info()).update_seq);
            await new SidecarDb(dbName).delete();
          } finally {
            await destroyDocStore(storeName);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
