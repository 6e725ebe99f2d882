import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { saveAuthorName } from '@/lib/docstore/author';
import { archiveSpace, createSpace, mergeSpaces, renameSpace } from '@/lib/match/spaces';

/**
 * Client spaces travel as `space:` documents (#15): what one browser creates, renames or archives
 * reaches another browser's `clientSpaces` through replication, and a change made here that is not
 * published yet is not overwritten by an older one arriving.
 */

interface Browser {
  db: SidecarDb;
  store: DocStore;
  docs: DocumentService;
}
const opened: Browser[] = [];

async function browserNamed(name: string): Promise<Browser> {
  const db = new SidecarDb(`space-docs-${name}-${crypto.randomUUID()}`);
  await db.open();
  const store = docStore(`space-docs-${name}-${crypto.randomUUID()}`);
  await saveAuthorName(db, name);
  const browser = { db, store, docs: new DocumentService(db, () => store) };
  opened.push(browser);
  return browser;
}

async function replicate(from: Browser, to: Browser): Promise<void> {
  await from.store.replicate.to(to.store);
  await to.docs.catchUp();
}

let alex: Browser;
let dana: Browser;
beforeEach(async () => {
  alex = await browserNamed('Alex');
  dana = await browserNamed('Dana');
});
afterEach(async () => {
  for (const browser of opened.splice(0)) {
    await destroyDocStore(browser.store.name);
    browser.db.close();
  }
});

describe('client spaces shared as documents', () => {
  it('a space created, renamed and archived in one browser reaches the other', async () => {
    const space = await createSpace(alex.db, 'Northwind Traders');
    expect(await alex.docs.publishSpaces()).toBe(1);
    await replicate(alex, dana);
    expect(await dana.db.clientSpaces.get(space.id)).toEqual({ id: space.id, name: 'Northwind Traders', createdAt: space.createdAt });

    await renameSpace(alex.db, space.id, 'Northwind');
    await archiveSpace(alex.db, space.id, true, 1_000);
    expect(await alex.docs.publishSpaces()).toBe(1);
    await replicate(alex, dana);
    expect(await dana.db.clientSpaces.get(space.id)).toMatchObject({ name: 'Northwind', archivedAt: 1_000 });

    // Nothing changed: nothing written, in either browser.
    expect(await alex.docs.publishSpaces()).toBe(0);
    expect(await dana.docs.publishSpaces()).toBe(0);
  });

  it('a change made here and not yet published survives an older change arriving, then wins for both', async () => {
    const space = await createSpace(alex.db, 'Contoso');
    await alex.docs.publishSpaces();
    await replicate(alex, dana);

    await renameSpace(alex.db, space.id, 'Contoso Ltd');
    await alex.docs.publishSpaces();
    // Dana renames before Alex's rename arrives, and has not published hers.
    await renameSpace(dana.db, space.id, 'Contoso Pharmacy');
    await replicate(alex, dana);
    expect((await dana.db.clientSpaces.get(space.id))?.name).toBe('Contoso Pharmacy');

    // Dana's publish builds on Alex's revision: the later decision becomes the team's.
    expect(await dana.docs.publishSpaces()).toBe(1);
    await replicate(dana, alex);
    expect((await alex.db.clientSpaces.get(space.id))?.name).toBe('Contoso Pharmacy');
    expect((await alex.store.get(`space:${space.id}`, { conflicts: true }))._conflicts).toBeUndefined();
  });

  it('restoring an archived space reaches the other browser (the field is removed, not kept)', async () => {
    const space = await createSpace(alex.db, 'Fabrikam');
    await archiveSpace(alex.db, space.id, true, 5);
    await alex.docs.publishSpaces();
    await replicate(alex, dana);
    expect((await dana.db.clientSpaces.get(space.id))?.archivedAt).toBe(5);
    await archiveSpace(alex.db, space.id, false);
    await alex.docs.publishSpaces();
    await replicate(alex, dana);
    expect((await dana.db.clientSpaces.get(space.id))?.archivedAt).toBeUndefined();
  });

  it('a merge moves what was written in the space, never the space’s own document', async () => {
    const from = await createSpace(alex.db, 'Front desk');
    const into = await createSpace(alex.db, 'Northwind');
    await alex.docs.saveNote({ place: { spaceId: from.id }, text: 'Alarm code is with reception' });
    await alex.docs.publishSpaces();
    await mergeSpaces(alex.db, from.id, into.id);
    await alex.docs.publishSpaces();
    expect(await alex.docs.moveStragglers()).toBe(1);
    const spaceDoc = await alex.store.get(`space:${from.id}`);
    expect(spaceDoc).toMatchObject({ mergedInto: into.id });
    expect(spaceDoc.place).toBeUndefined();
  });
});
