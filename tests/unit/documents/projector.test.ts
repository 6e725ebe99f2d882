import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { projectChanges } from '@/lib/documents/projector';

const author = { installId: 'install-1', name: 'Dana' };
const stamps = { schema: 1, createdAt: 1, createdBy: author, updatedAt: 2, updatedBy: author };
const record = { source: 'connectwise:na.myconnectwise.net:acme', entity: 'configuration', remoteId: '60001' };

let db: SidecarDb;
let store: DocStore;
let storeName: string;
beforeEach(async () => {
  db = new SidecarDb(`projection-${crypto.randomUUID()}`);
  await db.open();
  storeName = `docs-${crypto.randomUUID()}`;
  store = docStore(storeName);
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const rows = async () =>
  (await db.docs.toArray()).map(({ id, kind, spaceId, recordKey, words, invalid }) => ({ id, kind, spaceId, recordKey, words, invalid }));

describe('the projection of the documentation store', () => {
  it('holds each document’s winning revision with where it belongs and the words it is found by; never a sealed value', async () => {
    await store.bulkDocs([
      { _id: 'space:s1', kind: 'space', name: 'Northwind Dental', ...stamps },
      { _id: 'note:n1', kind: 'note', place: { spaceId: 's1' }, text: 'Call Dana before rebooting', ...stamps },
      { _id: 'article:a1', kind: 'article', spaceId: null, title: 'Backups', body: 'Checked on Mondays', ...stamps },
      { _id: 'field:f1', kind: 'field', record, layoutId: 'l', fieldId: 'f', value: { type: 'text', v: 'Rack 2' }, ...stamps },
      {
        _id: 'credential:c1',
        kind: 'credential',
        place: { record },
        name: 'Firewall admin',
        username: 'root',
        sealed: { keyId: 'local:1', iv: 'aXY=', data: 'c2VjcmV0' },
        ...stamps,
      },
      { _id: 'version:note:n1:1-x', kind: 'version', of: 'note:n1', ofKind: 'note', rev: '1-x', content: { text: 'old' }, reason: 'edit', ...stamps },
    ]);
    expect(await projectChanges(store, db)).toEqual({ read: 6, rebuilt: false });
    expect(await rows()).toEqual([
      { id: 'article:a1', kind: 'article', spaceId: '*', recordKey: undefined, words: ['backups', 'checked', 'on', 'mondays'], invalid: undefined },
      {
        id: 'credential:c1',
        kind: 'credential',
        spaceId: undefined,
        recordKey: 'connectwise:na.myconnectwise.net:acme/configuration/60001',
        words: ['firewall', 'admin', 'root'],
        invalid: undefined,
      },
      {
        id: 'field:f1',
        kind: 'field',
        spaceId: undefined,
        recordKey: 'connectwise:na.myconnectwise.net:acme/configuration/60001',
        words: ['rack', '2', 'rack2'],
        invalid: undefined,
      },
      { id: 'note:n1', kind: 'note', spaceId: 's1', recordKey: undefined, words: ['call', 'dana', 'before', 'rebooting'], invalid: undefined },
      { id: 'space:s1', kind: 'space', spaceId: 's1', recordKey: undefined, words: ['northwind', 'dental'], invalid: undefined },
    ]);
    expect(JSON.stringify(await db.docs.get('credential:c1'))).not.toMatch(/secret/);
    // The sealed box is kept as it was, still sealed.
    expect((await db.docs.get('credential:c1'))!.doc.sealed).toEqual({ keyId: 'local:1', iv: 'aXY=', data: 'c2VjcmV0' });
  });

  it('follows edits and deletions, and a second run with nothing new changes nothing', async () => {
    const first = await store.put({ _id: 'note:n1', kind: 'note', place: { spaceId: 's1' }, text: 'v1', ...stamps });
    const gone = await store.put({ _id: 'note:n2', kind: 'note', place: { spaceId: 's1' }, text: 'to delete', ...stamps });
    await projectChanges(store, db);
    await store.put({ _id: 'note:n1', _rev: first.rev, kind: 'note', place: { spaceId: 's1' }, text: 'v2', ...stamps });
    await store.remove({ _id: 'note:n2', _rev: gone.rev });
    expect((await projectChanges(store, db)).read).toBe(2);
    expect((await db.docs.toArray()).map((row) => [row.id, row.doc.text])).toEqual([['note:n1', 'v2']]);
    expect(await projectChanges(store, db)).toEqual({ read: 0, rebuilt: false });
  });

  it('reads in batches, committing rows and position together; a batch applied again leaves the same rows', async () => {
    await store.bulkDocs(Array.from({ length: 7 }, (_, i) => ({ _id: `note:${i}`, kind: 'note', place: { spaceId: 's1' }, text: `note ${i}`, ...stamps })));
    expect((await projectChanges(store, db, 3)).read).toBe(7);
    const once = await db.docs.toArray();
    // As if the worker stopped after reading but before the cursor moved: everything is read again.
    await db.docCursor.update('projection', { seq: 0 });
    await projectChanges(store, db, 3);
    expect(await db.docs.toArray()).toEqual(once);
  });

  it('keeps a document that fails its schema, with the reason, out of search', async () => {
    await store.put({ _id: 'note:bad', kind: 'note', place: { spaceId: 's1' }, text: 'x\n'.repeat(200), ...stamps });
    await projectChanges(store, db);
    expect(await rows()).toEqual([
      {
        id: 'note:bad',
        kind: 'note',
        spaceId: undefined,
        recordKey: undefined,
        words: [],
        invalid: 'text: A note holds at most 100 lines; write an article for more.',
      },
    ]);
  });

  it('projects a recreated store from the start, dropping rows the old one had', async () => {
    await store.put({ _id: 'note:old', kind: 'note', place: { spaceId: 's1' }, text: 'old store', ...stamps });
    await projectChanges(store, db);
    await destroyDocStore(storeName);
    store = docStore(storeName);
    await store.put({ _id: 'note:new', kind: 'note', place: { spaceId: 's1' }, text: 'new store', ...stamps });
    expect(await projectChanges(store, db)).toEqual({ read: 1, rebuilt: true });
    expect((await db.docs.toArray()).map((row) => row.id)).toEqual(['note:new']);
  });

  it('marks conflicting documents so they can be shown as such', async () => {
    const other = docStore(`${storeName}-other`);
    try {
      const base = await store.put({ _id: 'note:c', kind: 'note', place: { spaceId: 's1' }, text: 'base', ...stamps });
      await store.replicate.to(other);
      await store.put({ _id: 'note:c', _rev: base.rev, kind: 'note', place: { spaceId: 's1' }, text: 'mine', ...stamps });
      await other.put({ _id: 'note:c', _rev: base.rev, kind: 'note', place: { spaceId: 's1' }, text: 'theirs', ...stamps });
      await other.replicate.to(store);
      await projectChanges(store, db);
      expect((await db.docs.get('note:c'))!.conflicts).toHaveLength(1);
    } finally {
      await destroyDocStore(`${storeName}-other`);
    }
  });
});
