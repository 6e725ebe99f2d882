import { afterEach, describe, expect, it } from 'vitest';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';

/**
 * What the documentation store (docs/design/documentation-store.md) relies on PouchDB for,
 * checked on the adapter Sidecar ships (indexeddb, here over fake-indexeddb): CouchDB's revision
 * rules, conflicts that every replica settles the same way, tombstones that replicate, checkpoints,
 * and compaction that drops old bodies (so history must be explicit documents).
 */

let names: string[] = [];
function freshStore(label: string): DocStore {
  const name = `docs-test-${label}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return docStore(name);
}

afterEach(async () => {
  for (const name of names) await destroyDocStore(name);
  names = [];
});

describe('the documentation store (PouchDB, indexeddb adapter)', () => {
  it('is opened once per name', () => {
    const store = freshStore('once');
    expect(docStore(store.name)).toBe(store);
  });

  it('refuses a write based on a stale revision, keeping the stored body', async () => {
    const store = freshStore('stale');
    const first = await store.put({ _id: 'note:1', text: 'Call Dana before rebooting the file server' });
    await store.put({ _id: 'note:1', _rev: first.rev, text: 'Call Dana (ext. 214) before rebooting' });
    await expect(store.put({ _id: 'note:1', _rev: first.rev, text: 'a stale edit' })).rejects.toMatchObject({ status: 409, name: 'conflict' });
    expect((await store.get('note:1')).text).toBe('Call Dana (ext. 214) before rebooting');
  });

  it('two replicas edited apart settle on the same winner and both keep the loser as a conflict', async () => {
    const alice = freshStore('alice');
    const bob = freshStore('bob');
    const base = await alice.put({ _id: 'article:backups', title: 'Backups', body: 'Checked on Mondays.' });
    await alice.replicate.to(bob);
    // Offline on both sides: each edits the same revision.
    await alice.put({ _id: 'article:backups', _rev: base.rev, title: 'Backups', body: 'Checked on Mondays and Thursdays.' });
    await bob.put({ _id: 'article:backups', _rev: base.rev, title: 'Backups', body: 'Checked daily by the NOC.' });

    await alice.replicate.to(bob);
    await bob.replicate.to(alice);

    const seenByAlice = await alice.get('article:backups', { conflicts: true });
    const seenByBob = await bob.get('article:backups', { conflicts: true });
    expect(seenByAlice._rev).toBe(seenByBob._rev);
    expect(seenByAlice.body).toBe(seenByBob.body);
    expect(seenByAlice._conflicts).toHaveLength(1);
    expect(seenByBob._conflicts).toEqual(seenByAlice._conflicts);
    // Nothing is lost: the losing text is still readable by its revision.
    const loser = await alice.get('article:backups', { rev: seenByAlice._conflicts![0]! });
    expect([loser.body, seenByAlice.body].sort()).toEqual(['Checked daily by the NOC.', 'Checked on Mondays and Thursdays.']);
  });

  it('a deletion replicates as a tombstone, and a second replication sends nothing again', async () => {
    const alice = freshStore('tomb-a');
    const bob = freshStore('tomb-b');
    const written = await alice.put({ _id: 'credential:fw', name: 'Firewall admin' });
    await alice.put({ _id: 'note:keep', text: 'Spare keys with reception' });
    expect((await alice.replicate.to(bob)).docs_written).toBe(2);
    await alice.remove({ _id: 'credential:fw', _rev: written.rev });

    expect((await alice.replicate.to(bob)).docs_written).toBe(1);
    await expect(bob.get('credential:fw')).rejects.toMatchObject({ status: 404 });
    const changes = await bob.changes({ since: 0 });
    expect(changes.results.find((change) => change.id === 'credential:fw')?.deleted).toBe(true);
    // The checkpoint (a _local document) makes the next run a no-op.
    expect((await alice.replicate.to(bob)).docs_written).toBe(0);
  });

  it('compaction drops the bodies of replaced revisions, so history needs its own documents', async () => {
    const store = freshStore('compact');
    const first = await store.put({ _id: 'note:2', text: 'v1' });
    await store.put({ _id: 'note:2', _rev: first.rev, text: 'v2' });
    await expect(store.get('note:2', { rev: first.rev })).rejects.toMatchObject({ status: 404 });
    expect((await store.get('note:2')).text).toBe('v2');
  });

  it('writes a batch of documents in one call, each with its own result', async () => {
    const store = freshStore('bulk');
    const taken = await store.put({ _id: 'field:1', value: 'a' });
    const results = await store.bulkDocs([
      { _id: 'field:2', value: 'b' },
      { _id: 'field:1', value: 'no revision given' },
    ]);
    expect(results[0]).toMatchObject({ ok: true, id: 'field:2' });
    expect(results[1]).toMatchObject({ error: true, id: 'field:1', status: 409 });
    expect((await store.get('field:1'))._rev).toBe(taken.rev);
  });
});
