import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { destroyDocStore, docStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { applyMatches, createMatcher } from '@/lib/match/company-match';
import { matchingContextData } from '@/lib/match/match-data';
import { archiveSpace, createSpace, followCompanyNames, mergeSpaces, renameSpace, resolveSpaceId } from '@/lib/match/spaces';
import { HandledError } from '@/lib/errors';

let db: SidecarDb;
let storeName: string;
let docs: DocumentService;

const company = (remoteId: string, name: string): RecordRow => ({
  integrationId: 'cw',
  entity: 'company',
  remoteId,
  companyRemoteId: remoteId,
  data: { remoteId, name, types: [] } as never,
  sortName: name.toLowerCase(),
  syncedAt: 0,
});

beforeEach(async () => {
  db = new SidecarDb(`spaces-${crypto.randomUUID()}`);
  storeName = `docs-${crypto.randomUUID()}`;
  docs = new DocumentService(db, () => docStore(storeName));
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'ConnectWise', settings: {}, uiOrigin: 'https://cw.example', origins: [], createdAt: 0 });
  await db.records.bulkAdd([company('1', 'Northwind Dental'), company('2', 'Contoso')]);
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

describe('client spaces by hand', () => {
  it('creates one with a tidy name, and refuses a blank or over-long name at its field', async () => {
    const space = await createSpace(db, '  Fabrikam   Legal ');
    expect(await db.clientSpaces.get(space.id)).toMatchObject({ name: 'Fabrikam Legal' });
    expect((await refusal(createSpace(db, '   '))).fields).toEqual({ name: 'A client space needs a name.' });
    expect((await refusal(createSpace(db, 'x'.repeat(201)))).fields).toEqual({ name: 'Client space names are at most 200 characters.' });
    expect(await db.clientSpaces.count()).toBe(1);
  });

  it('a space created from a company follows its name after each sync, until a person renames it', async () => {
    await applyMatches(db, 'cw', [{ companyRemoteId: '1', action: 'create' }]);
    const [space] = await db.clientSpaces.toArray();
    await db.records.update(['cw', 'company', '1'], { data: { remoteId: '1', name: 'Northwind Dental Group', types: [] } as never });
    expect(await followCompanyNames(db, 'cw')).toEqual(['Northwind Dental Group']);
    expect((await db.clientSpaces.get(space!.id))?.name).toBe('Northwind Dental Group');
    expect((await db.log.toArray()).map((entry) => entry.message)).toContain(
      'Client space “Northwind Dental” is now “Northwind Dental Group”, as its company is named in the PSA.',
    );

    await renameSpace(db, space!.id, 'Northwind (dental, Leeds)');
    await db.records.update(['cw', 'company', '1'], { data: { remoteId: '1', name: 'NW Dental', types: [] } as never });
    expect(await followCompanyNames(db, 'cw')).toEqual([]);
    expect((await db.clientSpaces.get(space!.id))?.name).toBe('Northwind (dental, Leeds)');
  });

  it('an archived space is not suggested for matching, and comes back when restored', async () => {
    const space = await createSpace(db, 'Contoso');
    const suggestions = async () => {
      const match = createMatcher(await matchingContextData(db, 'cw'));
      return match({ integrationId: 'cw', remoteId: '2', data: { remoteId: '2', name: 'Contoso', types: [] } as never }).map((s) => s.clientSpaceId);
    };
    expect(await suggestions()).toEqual([space.id]);
    await archiveSpace(db, space.id, true);
    expect(await suggestions()).toEqual([]);
    await archiveSpace(db, space.id, false);
    expect(await suggestions()).toEqual([space.id]);
  });
});

describe('merging two client spaces', () => {
  it('moves the matches and the documents; the merged-away space redirects and nothing is lost', async () => {
    const handMade = await createSpace(db, 'Northwind (hand-made)');
    await applyMatches(db, 'cw', [{ companyRemoteId: '1', action: 'create' }]);
    const fromPsa = (await db.clientSpaces.toArray()).find((space) => space.id !== handMade.id)!;
    const note = await docs.saveNote({ place: { spaceId: handMade.id }, text: 'Alarm code is with reception' });
    const article = await docs.saveArticle({ spaceId: handMade.id, title: 'Backups', body: 'Mondays' });
    await docs.saveNote({ place: { spaceId: fromPsa.id }, text: 'Already here' });

    expect(await mergeSpaces(db, handMade.id, fromPsa.id)).toEqual({ matches: 0 });
    expect(await docs.moveStragglers()).toBe(2);
    expect(await resolveSpaceId(db, handMade.id)).toBe(fromPsa.id);
    const inPsaSpace = (await db.docs.where('spaceId').equals(fromPsa.id).toArray()).map((row) => row.id);
    expect(inPsaSpace).toHaveLength(3);
    expect(inPsaSpace).toEqual(expect.arrayContaining([note.id, article.id]));
    expect(await db.docs.where('spaceId').equals(handMade.id).count()).toBe(0);
    // A move changes no one's words: no version.
    expect(await docs.history(note.id)).toHaveLength(1);
    // Again: nothing left to move.
    expect(await docs.moveStragglers()).toBe(0);
    // The merged-away space is not offered for matching any more.
    expect((await matchingContextData(db, 'cw')).clientSpaces.map((space) => space.id)).toEqual([fromPsa.id]);
    await expect(applyMatches(db, 'cw', [{ companyRemoteId: '2', action: 'match', clientSpaceId: handMade.id }])).rejects.toThrow(/no longer exists/);
  });

  it('moves every match of the merged-away space', async () => {
    await applyMatches(db, 'cw', [
      { companyRemoteId: '1', action: 'create' },
      { companyRemoteId: '2', action: 'create' },
    ]);
    const [a, b] = await db.clientSpaces.orderBy('name').toArray();
    expect(await mergeSpaces(db, a!.id, b!.id)).toEqual({ matches: 1 });
    expect((await db.matches.toArray()).map((match) => match.clientSpaceId)).toEqual([b!.id, b!.id]);
    expect((await refusal(mergeSpaces(db, b!.id, b!.id))).fields).toEqual({ into: 'Choose another client space.' });
    expect((await refusal(mergeSpaces(db, b!.id, a!.id))).message).toBe('That client space was merged into another one.');
  });
});

describe('upgrading to v10', () => {
  it('spaces still named as their one matched company follow it from now on; renamed and hand-made ones do not', async () => {
    const name = `v9-${crypto.randomUUID()}`;
    const old = new Dexie(name);
    old.version(9).stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], entity, *words',
      clientSpaces: 'id, name',
      matches: '[integrationId+companyRemoteId], clientSpaceId, [integrationId+state]',
    });
    await old.open();
    await old.table('records').bulkAdd([company('1', 'Northwind  Dental'), company('2', 'Contoso')]);
    await old.table('clientSpaces').bulkAdd([
      { id: 's1', name: 'Northwind Dental', createdAt: 0 },
      { id: 's2', name: 'Contoso Ltd (renamed)', createdAt: 0 },
      { id: 's3', name: 'Hand-made', createdAt: 0 },
    ]);
    await old.table('matches').bulkAdd([
      { integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 's1', decidedAt: 0 },
      { integrationId: 'cw', companyRemoteId: '2', state: 'matched', clientSpaceId: 's2', decidedAt: 0 },
    ]);
    old.close();
    const upgraded = new SidecarDb(name);
    await upgraded.open();
    expect((await upgraded.clientSpaces.toArray()).map((space) => [space.id, space.nameFollows ?? null])).toEqual([
      ['s1', { integrationId: 'cw', companyRemoteId: '1' }],
      ['s2', null],
      ['s3', null],
    ]);
    await upgraded.delete();
  });
});
