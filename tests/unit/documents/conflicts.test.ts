import { afterEach, describe, expect, it } from 'vitest';
import type { Doc } from 'pouchdb-core';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { versionDocId } from '@/lib/docstore/ids';
import type { Author, ConflictKept } from '@/lib/docstore/schemas';
import { settleConflicts } from '@/lib/documents/conflicts';
import { historyOf } from '@/lib/documents/history';
import { saveDocument, type Content, type WritableKind } from '@/lib/documents/write';
import { SidecarDb } from '@/lib/db/schema';
import { saveAuthorName } from '@/lib/docstore/author';
import { DocumentService } from '@/lib/documents/service';
import { spaceDocuments } from '@/lib/documents/read';

/**
 * Two edits of one document made on two computers apart, then replicated (#15 "Conflicts and
 * offline"), on in-process PouchDB stores over fake-indexeddb: settling keeps PouchDB's winner,
 * keeps every losing edit as a version (reason 'conflict') and marks the winner, and two replicas
 * settling the same conflict on their own write the same revisions, so replication leaves no new
 * conflict behind.
 *
 * Checked by hand to fail without their guards (each removed, run, restored):
 * - with the keys written in the order read (no `canonical`), the reversed-keys case ends in a
 *   conflict (in-process replication keeps key order, so no other case sees it);
 * - with the settling browser's author on the version, the two-replica, three-way and kinds cases
 *   end with a conflict on the version document;
 * - without the winner's own mark in the new one, the later-conflict case forgets an edit;
 * - without reusing the version a settlement's words were kept as, or without leaving the shown
 *   words out of the mark, or keeping a version of identical words, the partial-view case fails.
 */

const DANA: Author = { installId: 'install-dana', name: 'Dana' };
const SAM: Author = { installId: 'install-sam', name: 'Sam' };
const LEE: Author = { installId: 'install-lee', name: 'Lee' };
const SETTLER: Author = { installId: 'install-settler', name: 'Whoever settles' };

let names: string[] = [];
function freshStore(label: string): DocStore {
  const name = `conflicts-${label}-${crypto.randomUUID()}`;
  names.push(name);
  return docStore(name);
}
afterEach(async () => {
  for (const name of names) await destroyDocStore(name);
  names = [];
});

async function replicateAll(...stores: DocStore[]): Promise<void> {
  // Twice round: what one pair brought in reaches the others.
  for (let round = 0; round < 2; round++) {
    for (const from of stores) for (const to of stores) if (from !== to) await from.replicate.to(to);
  }
}

async function create(store: DocStore, kind: WritableKind, id: string, content: Content, author = DANA, at = 1_000): Promise<string> {
  return (await saveDocument(store, author, { kind, id, content }, at)).rev;
}

async function edit(store: DocStore, kind: WritableKind, id: string, baseRev: string, content: Content, author: Author, at: number): Promise<string> {
  return (await saveDocument(store, author, { kind, id, baseRev, content }, at)).rev;
}

/** Every document in the store, with its conflicts: none may be left after settling. */
async function everything(store: DocStore): Promise<Doc[]> {
  const { rows } = await store.allDocs({ include_docs: true, conflicts: true });
  return rows.map((row) => row.doc!);
}

async function conflictVersions(store: DocStore, id: string): Promise<Doc[]> {
  return (await everything(store)).filter((doc) => doc.kind === 'version' && doc.of === id && doc.reason === 'conflict');
}

const place = { spaceId: 'space-1' };

/** One note, replicated to every store, then edited on each apart (store i by authors[i] at 10_000 + i). */
async function noteEditedApart(stores: DocStore[], authors: Author[], texts: string[]): Promise<{ id: string; base: string }> {
  const id = `note:${crypto.randomUUID()}`;
  const base = await create(stores[0]!, 'note', id, { place, text: 'Reboot the file server on Sundays only' });
  await replicateAll(...stores);
  for (const [index, store] of stores.entries()) await edit(store, 'note', id, base, { text: texts[index]! }, authors[index]!, 10_000 + index * 60_000);
  await replicateAll(...stores);
  return { id, base };
}

describe('PouchDB, as settling relies on it', () => {
  it('makes the same write on the same parent the same revision on two stores (deterministic_revs is on by default)', async () => {
    const alice = freshStore('det-a');
    const bob = freshStore('det-b');
    const doc = { _id: 'version:note:x:1-abc', kind: 'version', text: 'same' };
    const [first, second] = [await alice.put({ ...doc }), await bob.put({ ...doc })];
    expect(first.rev).toBe(second.rev);
    const child = { _id: doc._id, _rev: first.rev, kind: 'version', text: 'same, edited' };
    expect((await alice.put({ ...child })).rev).toBe((await bob.put({ ...child })).rev);
    // Key order is part of the revision: the reason settling writes its keys in one fixed order.
    const reordered = await freshStore('det-c').put({ text: 'same', kind: 'version', _id: doc._id });
    expect(reordered.rev).not.toBe(first.rev);
  });
});

describe('settleConflicts', () => {
  it('keeps the winner, keeps the losing edit as a version, marks the winner; two replicas settling apart converge with no conflict left', async () => {
    const alice = freshStore('alice');
    const bob = freshStore('bob');
    const texts = ['Reboot on Sundays; call Dana (ext. 214) first', 'Reboot any night after 22:00; the NOC watches'];
    const { id } = await noteEditedApart([alice, bob], [DANA, SAM], texts);

    const before = await alice.get(id, { conflicts: true });
    expect(before._conflicts).toHaveLength(1);
    expect((await bob.get(id, { conflicts: true }))._rev).toBe(before._rev);
    const loserRev = before._conflicts![0]!;
    const loser = await alice.get(id, { rev: loserRev });

    // Each browser settles on its own, before hearing of the other's settlement.
    expect(await settleConflicts(alice, DANA)).toBe(1);
    expect(await settleConflicts(bob, SAM)).toBe(1);
    await replicateAll(alice, bob);

    for (const store of [alice, bob]) {
      const all = await everything(store);
      expect(all.filter((doc) => doc._conflicts?.length)).toEqual([]);
      const winner = await store.get(id, { conflicts: true });
      expect(winner._rev).toBe((await alice.get(id))._rev);
      expect(winner.text).toBe(before.text);
      const versions = await conflictVersions(store, id);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        _id: versionDocId(id, loserRev),
        of: id,
        ofKind: 'note',
        rev: loserRev,
        reason: 'conflict',
        content: { text: loser.text, place },
        // The losing edit's own author and time, never the settling browser's.
        updatedBy: loser.updatedBy,
        updatedAt: loser.updatedAt,
      });
      expect(winner.conflictKept).toEqual([{ versionId: versionDocId(id, loserRev), updatedBy: loser.updatedBy, updatedAt: loser.updatedAt }]);
    }
    expect([before.text, loser.text].sort()).toEqual([...texts].sort());
    // Both settled alike: the same version revision on both, nothing new to replicate.
    expect((await alice.get(versionDocId(id, loserRev)))._rev).toBe((await bob.get(versionDocId(id, loserRev)))._rev);

    // The history lists it, as the History panel shows it ("Kept from a conflict").
    const history = await historyOf(alice, id);
    expect(history[0]).toMatchObject({ current: true, content: { text: before.text } });
    expect(history.find((entry) => entry.reason === 'conflict')).toMatchObject({ rev: loserRev, content: { text: loser.text }, updatedBy: loser.updatedBy });
  });

  it('is idempotent: settling again writes nothing, on either replica', async () => {
    const alice = freshStore('idem-a');
    const bob = freshStore('idem-b');
    const { id } = await noteEditedApart([alice, bob], [DANA, SAM], ['one text', 'another text']);
    expect(await settleConflicts(alice, DANA, [id])).toBe(1);
    const seq = (await alice.info()).update_seq;
    expect(await settleConflicts(alice, DANA, [id])).toBe(0);
    expect(await settleConflicts(alice, DANA)).toBe(0);
    expect((await alice.info()).update_seq).toBe(seq);

    // The other replica, once it has the settlement, has nothing to do either.
    await replicateAll(alice, bob);
    const bobSeq = (await bob.info()).update_seq;
    expect(await settleConflicts(bob, SAM)).toBe(0);
    expect((await bob.info()).update_seq).toBe(bobSeq);
    expect(await settleConflicts(alice, DANA, ['note:missing'])).toBe(0);
  });

  it('writes the same bytes whichever order a replica holds the revisions’ keys in', async () => {
    const alice = freshStore('bytes-a');
    const carol = freshStore('bytes-c');
    const { id } = await noteEditedApart([alice, carol], [DANA, SAM], ['by Dana', 'by Sam']);
    // Bob has the very same revisions, each with its keys in the reverse order (as another
    // adapter or a server in between may hand them on).
    const bob = freshStore('bytes-b');
    type Raw = { get(id: string, options: object): Promise<Doc>; bulkDocs(docs: Doc[], options: object): Promise<unknown> };
    const winner = await alice.get(id, { conflicts: true });
    for (const rev of [winner._rev!, ...winner._conflicts!]) {
      const doc = await (alice as unknown as Raw).get(id, { rev, revs: true });
      await (bob as unknown as Raw).bulkDocs([Object.fromEntries(Object.entries(doc).reverse()) as Doc], { new_edits: false });
    }
    const seenByBob = await bob.get(id, { conflicts: true });
    expect(seenByBob._rev).toBe(winner._rev);
    expect(Object.keys(seenByBob)).not.toEqual(Object.keys(winner));

    expect(await settleConflicts(alice, DANA)).toBe(1);
    expect(await settleConflicts(bob, SAM)).toBe(1);
    await replicateAll(alice, bob);
    for (const store of [alice, bob]) expect((await everything(store)).filter((doc) => doc._conflicts?.length)).toEqual([]);
    expect((await bob.get(id))._rev).toBe((await alice.get(id))._rev);
  });

  it('settles an article, a hand-filled field value and a credential (its sealed box copied as it is, never opened)', async () => {
    const alice = freshStore('kinds-a');
    const bob = freshStore('kinds-b');
    const record = { source: 'connectwise:na.myconnectwise.net:acme', entity: 'configuration' as const, remoteId: '60001' };
    const box = (data: string) => ({ keyId: 'local:k1', iv: 'aXYtaXYtaXY=', data });
    const cases: { kind: WritableKind; id: string; content: Content; mine: Content; theirs: Content; field: string }[] = [
      {
        kind: 'article',
        id: 'article:backups',
        content: { spaceId: 'space-1', title: 'Backups', body: 'Checked on Mondays.' },
        mine: { spaceId: 'space-1', title: 'Backups', body: 'Checked on Mondays and Thursdays.' },
        theirs: { spaceId: 'space-1', title: 'Backups', body: 'Checked daily by the NOC.' },
        field: 'body',
      },
      {
        kind: 'field',
        id: 'field:serial',
        content: { record, layoutId: 'layout-1', fieldId: 'serial', value: { type: 'text', v: 'SN-1' } },
        mine: { record, layoutId: 'layout-1', fieldId: 'serial', value: { type: 'text', v: 'SN-2' } },
        theirs: { record, layoutId: 'layout-1', fieldId: 'serial', value: { type: 'text', v: 'SN-3' } },
        field: 'value',
      },
      {
        kind: 'credential',
        id: 'credential:fw',
        content: { place, name: 'Firewall admin', username: 'admin', sealed: box('c2VhbGVkLTE=') },
        mine: { place, name: 'Firewall admin', username: 'admin', sealed: box('c2VhbGVkLTI=') },
        theirs: { place, name: 'Firewall admin', username: 'root', sealed: box('c2VhbGVkLTM=') },
        field: 'sealed',
      },
    ];
    for (const entry of cases) await create(alice, entry.kind, entry.id, entry.content);
    await replicateAll(alice, bob);
    for (const entry of cases) {
      const base = (await alice.get(entry.id))._rev!;
      await edit(alice, entry.kind, entry.id, base, entry.mine, DANA, 20_000);
      await edit(bob, entry.kind, entry.id, base, entry.theirs, SAM, 30_000);
    }
    await replicateAll(alice, bob);
    const losers = new Map<string, Doc>();
    for (const entry of cases) {
      const winner = await alice.get(entry.id, { conflicts: true });
      losers.set(entry.id, await alice.get(entry.id, { rev: winner._conflicts![0]! }));
    }

    expect(await settleConflicts(alice, DANA)).toBe(3);
    await replicateAll(alice, bob);
    expect(await settleConflicts(bob, SAM)).toBe(0);

    for (const entry of cases) {
      const loser = losers.get(entry.id)!;
      for (const store of [alice, bob]) {
        const winner = await store.get(entry.id, { conflicts: true });
        expect(winner._conflicts).toBeUndefined();
        const versions = await conflictVersions(store, entry.id);
        expect(versions).toHaveLength(1);
        expect((versions[0]!.content as Content)[entry.field]).toEqual(loser[entry.field]);
        expect(versions[0]).toMatchObject({ ofKind: entry.kind, rev: loser._rev, updatedBy: loser.updatedBy, updatedAt: loser.updatedAt });
        expect(winner.conflictKept).toEqual([{ versionId: versions[0]!._id, updatedBy: loser.updatedBy, updatedAt: loser.updatedAt }]);
      }
    }
    // Both edits of the secret survive, each in its own sealed box.
    const credential = await alice.get('credential:fw');
    const kept = (await conflictVersions(alice, 'credential:fw'))[0]!.content as Content;
    const boxes = [credential.sealed, kept.sealed] as { data: string }[];
    expect(boxes.sort((a, b) => a.data.localeCompare(b.data))).toEqual([box('c2VhbGVkLTI='), box('c2VhbGVkLTM=')]);
  });

  it('settles a three-way conflict, all three replicas at once, into one winner and two kept versions', async () => {
    const stores = [freshStore('three-a'), freshStore('three-b'), freshStore('three-c')];
    const texts = ['Dana’s text', 'Sam’s text', 'Lee’s text'];
    const { id } = await noteEditedApart(stores, [DANA, SAM, LEE], texts);
    const before = await stores[0]!.get(id, { conflicts: true });
    expect(before._conflicts).toHaveLength(2);

    expect(await Promise.all(stores.map((store) => settleConflicts(store, SETTLER)))).toEqual([1, 1, 1]);
    await replicateAll(...stores);

    const revs = new Set<string>();
    for (const store of stores) {
      expect((await everything(store)).filter((doc) => doc._conflicts?.length)).toEqual([]);
      const winner = await store.get(id);
      revs.add(winner._rev!);
      const versions = await conflictVersions(store, id);
      expect(versions.map((version) => version.rev).sort()).toEqual([...before._conflicts!].sort());
      expect([winner.text, ...versions.map((version) => (version.content as Content).text)].sort()).toEqual([...texts].sort());
      const mark = winner.conflictKept as ConflictKept[];
      expect(mark.map((entry) => entry.versionId).sort()).toEqual(versions.map((version) => version._id).sort());
      // Oldest first, each with its own author.
      expect(mark.map((entry) => entry.updatedAt)).toEqual([...mark.map((entry) => entry.updatedAt)].sort((a, b) => a - b));
    }
    expect(revs.size).toBe(1);
  });

  it('converges when two replicas settled the same conflict knowing different edits: the marks merge, each edit named once', async () => {
    // Which revision wins follows from the revision hashes, so from the ids: these three give the three cases.
    const cases = [
      // Alice's and Bob's settlements keep the same winner (only their marks differ).
      { id: 'note:partial-2', alice: 'by Dana', bob: 'by Dana', then: 'by Dana', versions: 2 },
      // They keep different winners; Alice's (Lee's words) wins next: Bob's settlement of Sam's words was kept already.
      { id: 'note:partial-0', alice: 'by Lee', bob: 'by Sam', then: 'by Lee', versions: 2 },
      // Bob's (Sam's words, kept as a version by Alice) wins next: Lee's words are kept now, Sam's are no longer named.
      { id: 'note:partial-7', alice: 'by Lee', bob: 'by Sam', then: 'by Sam', versions: 3 },
    ];
    for (const [round, { id, ...expected }] of cases.entries()) {
      const [alice, bob, carol] = [freshStore(`partial-a${round}`), freshStore(`partial-b${round}`), freshStore(`partial-c${round}`)];
      const base = await create(alice, 'note', id, { place, text: 'base' });
      await replicateAll(alice, bob, carol);
      await edit(alice, 'note', id, base, { text: 'by Dana' }, DANA, 10_000);
      await edit(bob, 'note', id, base, { text: 'by Sam' }, SAM, 20_000);
      await edit(carol, 'note', id, base, { text: 'by Lee' }, LEE, 30_000);
      // Alice hears of both others; Bob of Alice only.
      await bob.replicate.to(alice);
      await alice.replicate.to(bob);
      await carol.replicate.to(alice);
      expect((await bob.get(id, { conflicts: true }))._conflicts).toHaveLength(1);
      expect((await alice.get(id, { conflicts: true }))._conflicts).toHaveLength(2);
      expect({ alice: (await alice.get(id)).text, bob: (await bob.get(id)).text }).toEqual({ alice: expected.alice, bob: expected.bob });

      await settleConflicts(alice, DANA);
      await settleConflicts(bob, SAM);
      await replicateAll(alice, bob, carol);
      // The two settlements now meet as a conflict of their own: settled again, anywhere, alike.
      expect((await alice.get(id, { conflicts: true }))._conflicts).toHaveLength(1);
      expect((await alice.get(id)).text).toBe(expected.then);
      await Promise.all([alice, bob, carol].map((store) => settleConflicts(store, SETTLER)));
      await replicateAll(alice, bob, carol);
      expect(await Promise.all([alice, bob, carol].map((store) => settleConflicts(store, SETTLER)))).toEqual([0, 0, 0]);

      for (const store of [alice, bob, carol]) {
        expect((await everything(store)).filter((doc) => doc._conflicts?.length)).toEqual([]);
        const winner = await store.get(id);
        const versions = new Map((await conflictVersions(store, id)).map((version) => [version._id, (version.content as Content).text]));
        expect(versions.size).toBe(expected.versions);
        // Every edit kept; the mark names each of the others once, never the words shown.
        expect(new Set([winner.text, ...versions.values()])).toEqual(new Set(['by Dana', 'by Lee', 'by Sam']));
        const named = (winner.conflictKept as ConflictKept[]).map((entry) => versions.get(entry.versionId));
        expect([winner.text, ...named].sort()).toEqual(['by Dana', 'by Lee', 'by Sam']);
      }
      expect(new Set(await Promise.all([alice, bob, carol].map(async (store) => (await store.get(id))._rev))).size).toBe(1);
    }
  });

  it('finds the documents in conflict anywhere in the store (read page by page)', async () => {
    const alice = freshStore('scan-a');
    const bob = freshStore('scan-b');
    const stamps = { schema: 1, createdAt: 1, createdBy: DANA, updatedAt: 1, updatedBy: DANA };
    await alice.bulkDocs(
      Array.from({ length: 250 }, (_, index) => ({ _id: `note:${String(index).padStart(3, '0')}`, kind: 'note', place, text: `n${index}`, ...stamps })),
    );
    await alice.replicate.to(bob);
    for (const id of ['note:000', 'note:100', 'note:249']) {
      const base = (await alice.get(id))._rev!;
      await edit(alice, 'note', id, base, { text: 'by Dana' }, DANA, 10_000);
      await edit(bob, 'note', id, base, { text: 'by Sam' }, SAM, 20_000);
    }
    await replicateAll(alice, bob);
    expect(await settleConflicts(alice, DANA)).toBe(3);
    expect((await everything(alice)).filter((doc) => doc._conflicts?.length)).toEqual([]);
  });

  it('finds conflicts before and after the team’s records without reading the records (most of a large team’s data)', async () => {
    const alice = freshStore('skip-a');
    const bob = freshStore('skip-b');
    const stamps = { schema: 1, createdAt: 1, createdBy: DANA, updatedAt: 1, updatedBy: DANA };
    const version = { _id: 'version:note:y:2-abc', kind: 'version', of: 'note:y', ofKind: 'note', rev: '2-abc', content: { text: 'old' }, ...stamps };
    await alice.bulkDocs([
      { _id: 'note:a', kind: 'note', place, text: 'first', ...stamps },
      // More than a page of chunks: a scan reading them would meet them.
      ...Array.from({ length: 150 }, (_, index) => ({ _id: `records:tenant:configuration:${index}:0`, kind: 'records', records: [] })),
    ]);
    await alice.replicate.to(bob);
    const base = (await alice.get('note:a'))._rev!;
    await edit(alice, 'note', 'note:a', base, { text: 'by Dana' }, DANA, 10_000);
    await edit(bob, 'note', 'note:a', base, { text: 'by Sam' }, SAM, 20_000);
    await alice.put({ ...version, reason: 'edit' });
    await bob.put({ ...version, reason: 'bin' });
    await replicateAll(alice, bob);

    const read: string[] = [];
    const allDocs = alice.allDocs.bind(alice);
    alice.allDocs = async (options) => {
      const page = await allDocs(options);
      read.push(...page.rows.map((row) => row.id));
      return page;
    };
    expect(await settleConflicts(alice, DANA)).toBe(2);
    expect(read.filter((id) => id.startsWith('records:'))).toEqual([]);
    expect(read).toEqual(expect.arrayContaining(['note:a', 'version:note:y:2-abc']));
  });

  it.each([
    ['Dana decides first, Sam later', 20_000, 30_000],
    ['Sam decides first, Dana later', 30_000, 20_000],
  ])('a company matched differently on two computers shows the later decision on both (%s); the other is kept as a version', async (_case, danaAt, samAt) => {
    // PouchDB's pick follows the revisions' hashes, not time: with both orders run, one case has its winner decided earlier (seen: Dana's first).
    const alice = freshStore('match-a');
    const bob = freshStore('match-b');
    const id = 'match:tenant:42';
    const decision = (by: Author, clientSpaceId: string, at: number) => ({
      kind: 'match',
      schema: 1,
      source: 'connectwise:na.example.com:acme',
      companyRemoteId: '42',
      state: 'matched',
      clientSpaceId,
      decidedAt: at,
      createdAt: 1_000,
      createdBy: DANA,
      updatedAt: at,
      updatedBy: by,
    });
    await alice.put({ _id: id, ...decision(DANA, 'space-first', 1_000) });
    await alice.replicate.to(bob);
    const base = (await alice.get(id))._rev!;
    await alice.put({ _id: id, _rev: base, ...decision(DANA, 'space-dana', danaAt) });
    await bob.put({ _id: id, _rev: base, ...decision(SAM, 'space-sam', samAt) });
    await replicateAll(alice, bob);
    const later = danaAt > samAt ? 'space-dana' : 'space-sam';
    const earlier = later === 'space-dana' ? 'space-sam' : 'space-dana';

    // Each settles on its own: the same writes, so replication leaves no new conflict.
    expect(await settleConflicts(alice, SETTLER)).toBe(1);
    expect(await settleConflicts(bob, SETTLER)).toBe(1);
    await replicateAll(alice, bob);
    for (const store of [alice, bob]) {
      const shown = await store.get(id, { conflicts: true });
      expect(shown._conflicts).toBeUndefined();
      expect(shown).toMatchObject({ clientSpaceId: later, decidedAt: Math.max(danaAt, samAt) });
      const history = await historyOf(store, id);
      expect(history.filter((entry) => entry.reason === 'conflict').map((entry) => entry.content.clientSpaceId)).toEqual([earlier]);
    }
    expect((await everything(alice)).filter((doc) => doc._conflicts?.length)).toEqual([]);
  });

  it('adds a later conflict’s edit to the mark the document already carries', async () => {
    const [alice, bob, carol] = [freshStore('later-a'), freshStore('later-b'), freshStore('later-c')];
    const id = `note:${crypto.randomUUID()}`;
    const base = await create(alice, 'note', id, { place, text: 'base' });
    await replicateAll(alice, bob, carol);
    await edit(alice, 'note', id, base, { text: 'by Dana' }, DANA, 10_000);
    await edit(bob, 'note', id, base, { text: 'by Sam' }, SAM, 20_000);
    await replicateAll(alice, bob);
    await settleConflicts(alice, DANA);
    // Carol was offline all along, and edited what she had.
    await edit(carol, 'note', id, base, { text: 'by Lee' }, LEE, 30_000);
    await replicateAll(alice, bob, carol);
    expect(await settleConflicts(bob, SAM)).toBe(1);
    await replicateAll(alice, bob, carol);

    for (const store of [alice, bob, carol]) {
      const winner = await store.get(id, { conflicts: true });
      expect(winner._conflicts).toBeUndefined();
      const versions = new Map((await conflictVersions(store, id)).map((version) => [version._id, (version.content as Content).text]));
      const named = (winner.conflictKept as ConflictKept[]).map((entry) => versions.get(entry.versionId));
      expect([winner.text, ...named].sort()).toEqual(['by Dana', 'by Lee', 'by Sam']);
    }
  });

  it('settles a version document’s conflict by keeping its winner only (no version of a version, no mark)', async () => {
    const alice = freshStore('ver-a');
    const bob = freshStore('ver-b');
    const id = 'version:note:x:2-abc';
    const stamps = { schema: 1, createdAt: 1, createdBy: DANA, updatedAt: 1, updatedBy: DANA };
    const doc = { _id: id, kind: 'version', of: 'note:x', ofKind: 'note', rev: '2-abc', content: { text: 'old' }, ...stamps };
    await alice.put({ ...doc, reason: 'edit' });
    await bob.put({ ...doc, reason: 'bin' });
    await replicateAll(alice, bob);
    const winner = await alice.get(id, { conflicts: true });
    expect(winner._conflicts).toHaveLength(1);

    expect(await settleConflicts(alice, DANA)).toBe(1);
    const after = await alice.get(id, { conflicts: true });
    expect(after).toMatchObject({ _rev: winner._rev, reason: winner.reason });
    expect(after._conflicts).toBeUndefined();
    expect(after.conflictKept).toBeUndefined();
    expect((await everything(alice)).filter((stored) => stored._id.startsWith('version:version:'))).toEqual([]);
  });

  it('leaves alone a losing revision it cannot keep (no valid stamps) and documents of kinds it does not know', async () => {
    const alice = freshStore('odd-a');
    const bob = freshStore('odd-b');
    const root = await alice.put({
      _id: 'note:odd',
      kind: 'note',
      place,
      text: 'root',
      schema: 1,
      createdAt: 1,
      createdBy: DANA,
      updatedAt: 1,
      updatedBy: DANA,
    });
    await alice.put({ _id: 'gadget:1', kind: 'gadget', v: 1 });
    await alice.replicate.to(bob);
    await alice.put({ _id: 'note:odd', _rev: root.rev, kind: 'note', place, text: 'no stamps', schema: 1 });
    await bob.put({ _id: 'note:odd', _rev: root.rev, kind: 'note', place, text: 'also no stamps', schema: 1 });
    const gadget = await alice.get('gadget:1');
    await alice.put({ ...gadget, v: 2 });
    await bob.put({ ...gadget, v: 3 });
    await replicateAll(alice, bob);

    await settleConflicts(alice, DANA);
    expect((await alice.get('note:odd', { conflicts: true }))._conflicts).toHaveLength(1);
    expect((await alice.get('gadget:1', { conflicts: true }))._conflicts).toHaveLength(1);
  });
});

describe('the conflict mark after settling', () => {
  async function settledNote(): Promise<{ store: DocStore; id: string }> {
    const alice = freshStore('mark-a');
    const bob = freshStore('mark-b');
    const { id } = await noteEditedApart([alice, bob], [DANA, SAM], ['Dana’s', 'Sam’s']);
    await settleConflicts(alice, DANA);
    return { store: alice, id };
  }

  it('is dropped by the next save of a person (who saw it), and kept by no version', async () => {
    const { store, id } = await settledNote();
    const marked = await store.get(id);
    expect(marked.conflictKept).toHaveLength(1);
    await edit(store, 'note', id, marked._rev!, { text: 'Both: reboot after 22:00, call Dana first' }, LEE, 90_000);
    const saved = await store.get(id);
    expect(saved.conflictKept).toBeUndefined();
    const replaced = await store.get(versionDocId(id, marked._rev!));
    expect(replaced).toMatchObject({ reason: 'edit', content: { text: marked.text } });
    expect((replaced.content as Content).conflictKept).toBeUndefined();
  });

  it('stays through a save that changes no one’s words (a move with its client space)', async () => {
    const { store, id } = await settledNote();
    const marked = await store.get(id);
    await saveDocument(store, LEE, { kind: 'note', id, baseRev: marked._rev!, content: { place: { spaceId: 'space-2' } }, keepVersion: false }, 90_000);
    expect((await store.get(id)).conflictKept).toEqual(marked.conflictKept);
  });
});

describe('DocumentService.settleConflicts', () => {
  it('settles in the write queue, then brings the projection up: the page reads the mark, and a person’s edit clears it', async () => {
    const db = new SidecarDb(`conflicts-${crypto.randomUUID()}`);
    await db.open();
    try {
      await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
      await saveAuthorName(db, 'Lee');
      const mine = freshStore('service-mine');
      const teammate = freshStore('service-teammate');
      const service = new DocumentService(db, () => mine);
      const { id } = await noteEditedApart([mine, teammate], [DANA, SAM], ['Dana’s words', 'Sam’s words']);
      await service.catchUp();
      expect((await db.docs.get(id))?.conflicts).toHaveLength(1);
      const loser = await mine.get(id, { rev: (await mine.get(id, { conflicts: true }))._conflicts![0]! });

      expect(await service.settleConflicts()).toBe(1);
      const row = await db.docs.get(id);
      expect(row?.conflicts).toBeUndefined();
      const [note] = (await spaceDocuments(db, 'space-1')).notes;
      expect(note).toMatchObject({ id, conflictKept: [{ by: (loser.updatedBy as Author).name, at: loser.updatedAt }] });
      expect(await service.settleConflicts([id])).toBe(0);

      await service.saveNote({ id, baseRev: row!.rev, text: 'Both: Dana’s and Sam’s words' });
      const [edited] = (await spaceDocuments(db, 'space-1')).notes;
      expect(edited!.conflictKept).toBeUndefined();
      expect((await service.history(id)).filter((entry) => entry.reason === 'conflict')).toHaveLength(1);
    } finally {
      await db.delete();
    }
  });
});
