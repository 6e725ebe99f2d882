import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { latestPreview, latestRun } from '@/lib/db/queries';
import { SidecarDb } from '@/lib/db/schema';
import { spaceDocuments } from '@/lib/documents/read';
import { overlayArticles } from '@/lib/overlay-view/notes';
import { dismissPreview } from '@/lib/sync/dry-run';
import { seenIds } from '@/lib/sync/mark-sweep';

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

describe('upgrading to v20: previews made before their key range', () => {
  const run = (id: string, startedAt: number, extra: Record<string, unknown> = {}) => ({
    id,
    integrationId: 'cw',
    trigger: 'manual',
    status: 'succeeded',
    startedAt,
    finishedAt: startedAt + 1,
    steps: [],
    stepIndex: 0,
    pageToken: null,
    maxUpdatedAt: {},
    counts: {},
    attempts: 0,
    ...extra,
  });
  const preview = { counts: { create: 1, update: 0, move: 0, archive: 0 }, samples: [], notes: [] };

  it('moves each into the previews’ range with its marks and log rows, and leaves syncs and newer previews where they are', async () => {
    const db = await upgraded({
      runs: [
        run('a1b2-sync', 1),
        // Before c6870e4: a finished preview waiting to be applied, and one cut off by the update.
        run('c3d4-done', 2, { dryRun: true, preview }),
        run('e5f6-cut', 3, { integrationId: 'halo', dryRun: true, status: 'running', finishedAt: undefined, pageToken: '2' }),
        // After it, in the range already.
        run('preview-0a0b-later', 4, { integrationId: 'bms', dryRun: true, preview }),
      ],
      log: [
        { id: 1, at: 1, integrationId: 'cw', runId: 'a1b2-sync', level: 'info', message: 'Sync started (manual).' },
        { id: 2, at: 2, integrationId: 'cw', runId: 'c3d4-done', level: 'info', message: 'Preview started (manual).' },
        { id: 3, at: 3, integrationId: 'cw', runId: 'c3d4-done', level: 'info', message: 'Preview finished.' },
        { id: 4, at: 3, integrationId: 'halo', runId: 'e5f6-cut', level: 'info', message: 'Preview started (manual).' },
        { id: 5, at: 4, integrationId: 'bms', runId: 'preview-0a0b-later', level: 'info', message: 'Preview started (manual).' },
        { id: 6, at: 5, level: 'info', message: 'Scheduled sync skipped: quiet hours.' },
      ],
      seenBatches: [
        { runId: 'e5f6-cut', entity: 'company', batch: 'b1', remoteIds: ['1', '2'] },
        { runId: 'e5f6-cut', entity: 'contact', batch: 'b2', remoteIds: ['10'] },
        { runId: 'e5f6-cut', entity: 'contact', batch: 'b3', remoteIds: ['11'] },
        // Another run's, whose id sorts right after the preview's.
        { runId: 'e5f6-cut2', entity: 'company', batch: 'b1', remoteIds: ['9'] },
      ],
    });

    expect((await db.runs.toArray()).map(({ id, startedAt }) => `${id} ${startedAt}`)).toEqual([
      'a1b2-sync 1',
      'preview-0a0b-later 4',
      'preview-c3d4-done 2',
      'preview-e5f6-cut 3',
    ]);
    // The whole row moves, only its id changes.
    expect(await db.runs.get('preview-e5f6-cut')).toEqual(
      run('preview-e5f6-cut', 3, { integrationId: 'halo', dryRun: true, status: 'running', finishedAt: undefined, pageToken: '2' }),
    );
    expect((await db.log.orderBy('id').toArray()).map(({ id, runId }) => `${id} ${runId}`)).toEqual([
      '1 a1b2-sync',
      '2 preview-c3d4-done',
      '3 preview-c3d4-done',
      '4 preview-e5f6-cut',
      '5 preview-0a0b-later',
      '6 undefined',
    ]);
    expect((await db.seenBatches.toArray()).map(({ runId, entity, batch, remoteIds }) => `${runId}/${entity}/${batch}/${remoteIds.join(',')}`).sort()).toEqual([
      'e5f6-cut2/company/b1/9',
      'preview-e5f6-cut/company/b1/1,2',
      'preview-e5f6-cut/contact/b2/10',
      'preview-e5f6-cut/contact/b3/11',
    ]);

    // The preview panel shows them, the sync is still the latest sync, and the cut-off preview's sweep finds what it read.
    expect((await latestPreview(db, 'cw'))?.id).toBe('preview-c3d4-done');
    expect((await latestPreview(db, 'halo'))?.id).toBe('preview-e5f6-cut');
    expect((await latestRun(db, 'cw'))?.id).toBe('a1b2-sync');
    expect([...(await seenIds(db, 'preview-e5f6-cut', 'contact'))].sort()).toEqual(['10', '11']);

    // Dismissed by the id the panel has: gone with its marks.
    expect(await dismissPreview(db, 'preview-e5f6-cut')).toBe(true);
    expect(await db.runs.get('preview-e5f6-cut')).toBeUndefined();
    expect((await db.seenBatches.toArray()).map(({ runId }) => runId)).toEqual(['e5f6-cut2']);
    db.close();
  });
});
