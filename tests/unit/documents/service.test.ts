import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { saveAuthorName } from '@/lib/docstore/author';
import { BIN_DAYS } from '@/lib/documents/history';
import { HandledError } from '@/lib/errors';

let db: SidecarDb;
let store: DocStore;
let storeName: string;
let docs: DocumentService;

const CW = { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'Acme' };
beforeEach(async () => {
  db = new SidecarDb(`documents-${crypto.randomUUID()}`);
  await db.open();
  storeName = `docs-${crypto.randomUUID()}`;
  store = docStore(storeName);
  docs = new DocumentService(db, () => store);
  await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: CW,
    uiOrigin: 'https://na.myconnectwise.net',
    origins: [],
    createdAt: 0,
  });
  await db.records.add({
    integrationId: 'cw',
    entity: 'configuration',
    remoteId: '60001',
    companyRemoteId: '1',
    data: { name: 'FS01' } as never,
    sortName: 'fs01',
    syncedAt: 0,
  });
  await saveAuthorName(db, 'Dana');
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HandledError);
  return error as HandledError;
};

describe('writing documentation', () => {
  it('saves a note on a client space and on a record, stamped with the author, and the projection has it before the save answers', async () => {
    const onSpace = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'Call Dana before rebooting the file server' });
    const onRecord = await docs.saveNote({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '60001' }, text: 'Spare keys in the rack' });
    const rows = await db.docs.toArray();
    expect(rows.find((row) => row.id === onSpace.id)).toMatchObject({ kind: 'note', spaceId: 'space-1', rev: onSpace.rev });
    expect(rows.find((row) => row.id === onRecord.id)).toMatchObject({ recordKey: 'connectwise:na.myconnectwise.net:acme/configuration/60001' });
    const stored = await store.get(onSpace.id);
    expect(stored).toMatchObject({ createdBy: { name: 'Dana' }, updatedBy: { name: 'Dana' }, schema: 1 });
  });

  it('refuses a note for a space or record that does not exist, and bad text at its field; nothing is stored', async () => {
    expect((await refusal(docs.saveNote({ place: { spaceId: 'nope' }, text: 'x' }))).code).toBe('not-found');
    expect((await refusal(docs.saveNote({ place: { integrationId: 'cw', entity: 'contact', remoteId: '9' }, text: 'x' }))).code).toBe('not-found');
    const tooLong = await refusal(docs.saveNote({ place: { spaceId: 'space-1' }, text: 'line\n'.repeat(10_000) }));
    expect(tooLong.fields).toEqual({ text: expect.stringContaining('at most 100 lines') });
    expect((await refusal(docs.saveNote({ place: { spaceId: 'space-1' }, text: '   ' }))).fields).toEqual({ text: 'A note needs some text.' });
    expect((await store.info()).doc_count).toBe(0);
    expect(await db.docs.count()).toBe(0);
  });

  it('refuses an edit made on an older revision, naming who changed it; both texts survive', async () => {
    const first = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'v1' });
    await docs.saveNote({ id: first.id, baseRev: first.rev, place: { spaceId: 'space-1' }, text: 'v2 by Dana' });
    const stale = await refusal(docs.saveNote({ id: first.id, baseRev: first.rev, place: { spaceId: 'space-1' }, text: 'v2 by someone else' }));
    expect(stale.code).toBe('changed');
    expect(stale.message).toMatch(/^Dana changed this at .* while you were editing/);
    expect((await db.docs.get(first.id))?.doc.text).toBe('v2 by Dana');
  });

  it('keeps every replaced version, newest first, and restores one as a new edit', async () => {
    const v1 = await docs.saveArticle({ spaceId: 'space-1', title: 'Backups', body: '- [ ] check the NAS' });
    const v2 = await docs.saveArticle({ id: v1.id, baseRev: v1.rev, spaceId: 'space-1', title: 'Backups', body: '- [x] check the NAS' });
    await saveAuthorName(db, 'Sam');
    const v3 = await docs.saveArticle({ id: v1.id, baseRev: v2.rev, spaceId: 'space-1', title: 'Backups (weekly)', body: 'gone' });
    const history = await docs.history(v1.id);
    expect(history.map((entry) => [entry.rev, entry.current, entry.updatedBy.name, entry.content.title])).toEqual([
      [v3.rev, true, 'Sam', 'Backups (weekly)'],
      [v2.rev, false, 'Dana', 'Backups'],
      [v1.rev, false, 'Dana', 'Backups'],
    ]);
    const restored = await docs.restoreVersion(v1.id, v1.rev, v3.rev);
    expect((await db.docs.get(v1.id))?.doc).toMatchObject({ title: 'Backups', body: '- [ ] check the NAS', updatedBy: { name: 'Sam' } });
    const after = await docs.history(v1.id);
    expect(after[0]).toMatchObject({ rev: restored.rev, current: true });
    expect(after[1]).toMatchObject({ rev: v3.rev, reason: 'restore', content: { title: 'Backups (weekly)' } });
  });

  it('writes nothing when the content is already as asked', async () => {
    const first = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'same' });
    const again = await docs.saveNote({ id: first.id, baseRev: first.rev, place: { spaceId: 'space-1' }, text: 'same' });
    expect(again).toEqual({ id: first.id, rev: first.rev, changed: false });
    expect(await docs.history(first.id)).toHaveLength(1);
  });

  it('keeps fields a newer teammate wrote when this install edits the document', async () => {
    await store.put({
      _id: 'note:future',
      kind: 'note',
      schema: 1,
      place: { spaceId: 'space-1' },
      text: 'from the future',
      colour: 'amber',
      createdAt: 1,
      createdBy: { installId: 'x', name: 'Kim' },
      updatedAt: 1,
      updatedBy: { installId: 'x', name: 'Kim' },
    });
    const rev = (await store.get('note:future'))._rev!;
    await docs.saveNote({ id: 'note:future', baseRev: rev, place: { spaceId: 'space-1' }, text: 'edited here' });
    expect(await store.get('note:future')).toMatchObject({ text: 'edited here', colour: 'amber', createdBy: { name: 'Kim' }, updatedBy: { name: 'Dana' } });
  });

  it('refuses an article with a javascript: link or over 1 MB, at its field', async () => {
    const link = await refusal(docs.saveArticle({ spaceId: 'space-1', title: 'x', body: '[go](javascript:alert(1))' }));
    expect(link.fields?.body).toMatch(/Links may only be http\(s\) or mailto/);
    const big = await refusal(docs.saveArticle({ spaceId: null, title: 'x', body: 'a'.repeat(1_000_001) }));
    expect(big.fields?.body).toBe('An article holds at most 1 MB of text.');
    expect(await db.docs.count()).toBe(0);
  });
});

describe('the bin', () => {
  it('hides a binned document, restores it, and purges it with its versions after 30 days', async () => {
    const note = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'v1' });
    const edited = await docs.saveNote({ id: note.id, baseRev: note.rev, place: { spaceId: 'space-1' }, text: 'v2' });
    const binned = await docs.bin(note.id, edited.rev);
    expect((await db.docs.get(note.id))?.doc).toMatchObject({ binnedBy: { name: 'Dana' }, binnedAt: expect.any(Number) });
    const restored = await docs.unbin(note.id, binned.rev);
    expect((await db.docs.get(note.id))?.doc.binnedAt).toBeUndefined();
    expect((await docs.history(note.id)).map((entry) => entry.reason ?? 'current')).toEqual(['current', 'restore', 'bin', 'edit']);

    const binnedAgain = await docs.bin(note.id, restored.rev);
    const binnedAt = (await store.get(note.id)).binnedAt as number;
    expect(await docs.purge(binnedAt + (BIN_DAYS - 1) * 86_400_000)).toBe(0);
    expect(await docs.purge(binnedAt + BIN_DAYS * 86_400_000 + 1)).toBe(1);
    expect(await db.docs.get(note.id)).toBeUndefined();
    const left = await store.allDocs({ startkey: '', endkey: '\ufff0' });
    expect(left.rows.filter((row) => !row.id.startsWith('_'))).toEqual([]);
    expect((await refusal(docs.unbin(note.id, binnedAgain.rev))).code).toBe('gone');
  });
});
