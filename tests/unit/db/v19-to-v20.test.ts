import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { spaceDocuments } from '@/lib/documents/read';
import { overlayArticles } from '@/lib/overlay-view/notes';

/**
 * v19 -> v20 (#18): what older versions left where today's reads no longer look is moved there
 * (lib/db/migrations/v19-to-v20.ts); the upgrade fixtures (./upgrade-fixtures.test.ts) hold one
 * of each, these the cases around them.
 */

/** v19's tables that the upgrade reads and writes (lib/db/versions.ts, merged up to 19). */
const V19_STORES = {
  runs: 'id, [integrationId+status], status, startedAt',
  log: '++id, at, integrationId, runId',
  docs: 'id, kind, spaceId, recordKey',
  seenBatches: '[runId+entity+batch]',
};

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

/** A database as v19 held it, with these rows, then opened by today's code. */
async function upgraded(rows: Partial<Record<keyof typeof V19_STORES, Record<string, unknown>[]>>): Promise<SidecarDb> {
  const name = `v19-to-v20-${crypto.randomUUID()}`;
  names.push(name);
  const old = new Dexie(name);
  old.version(19).stores(V19_STORES);
  await old.open();
  for (const [table, list] of Object.entries(rows)) await old.table(table).bulkAdd(list);
  old.close();
  const db = new SidecarDb(name);
  await db.open();
  return db;
}

describe('upgrading to v20: the MSP’s own articles', () => {
  const author = { installId: 'install-1', name: 'Ann' };
  const article = (id: string, spaceId: string | null, extra: Record<string, unknown> = {}) => ({
    _id: id,
    _rev: '1-a',
    schema: 1,
    kind: 'article',
    createdAt: 1,
    createdBy: author,
    updatedAt: 2,
    updatedBy: author,
    spaceId,
    title: id,
    body: 'Body',
    ...extra,
  });
  const row = (doc: ReturnType<typeof article>, placed: Record<string, unknown>) => ({
    id: doc._id,
    rev: doc._rev,
    kind: 'article',
    doc,
    words: ['body'],
    ...placed,
  });

  it('puts those projected without a space key under every client’s, and leaves the others as they are', async () => {
    const db = await upgraded({
      docs: [
        // As v9's code projected an article for every client: no spaceId.
        row(article('article:old-global', null), {}),
        // As v10's code on projects one.
        row(article('article:new-global', null), { spaceId: '*' }),
        row(article('article:acme', 'space-acme'), { spaceId: 'space-acme' }),
        row(article('article:binned', null, { binnedAt: 3 }), {}),
        // Invalid: no place, then and now (not shown, not indexed).
        row(article('article:invalid', null, { title: '' }), { invalid: 'title: Too small' }),
        { id: 'note:acme', rev: '1-n', kind: 'note', doc: { kind: 'note', place: { spaceId: 'space-acme' } }, words: [], spaceId: 'space-acme' },
      ],
    });
    expect(Object.fromEntries((await db.docs.toArray()).map((doc) => [doc.id, doc.spaceId]))).toEqual({
      'article:old-global': '*',
      'article:new-global': '*',
      'article:acme': 'space-acme',
      'article:binned': '*',
      'article:invalid': undefined,
      'note:acme': 'space-acme',
    });
    // Nothing else of a row changes: the document, its revision, its words.
    expect(await db.docs.get('article:old-global')).toEqual({ ...row(article('article:old-global', null), {}), spaceId: '*' });

    const globals = (await spaceDocuments(db, 'space-globex')).globalArticles.map((found) => found.id).sort();
    expect(globals).toEqual(['article:new-global', 'article:old-global']);
    expect((await overlayArticles(db, 'space-acme')).map(({ id, global }) => `${id} ${global}`)).toEqual([
      'article:acme false',
      'article:new-global true',
      'article:old-global true',
    ]);
    db.close();
  });
});
