import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import type { CanonicalRecord, EntityKind } from '@/lib/psa/types';
import { editDistance, wordScore } from '@/lib/search/fuzzy';
import { searchRecords } from '@/lib/search/query';
import { searchWords, tokenize } from '@/lib/search/words';

describe('search words', () => {
  it('splits names into words and keeps the whole name run together; adds what technicians search by', () => {
    expect(tokenize('NDG-SRV01 (Café)')).toEqual(['ndg', 'srv01', 'cafe']);
    expect(
      searchWords('configuration', { remoteId: '1', companyRemoteId: '2', name: 'NDG-SRV01', typeName: 'Managed Server', serialNumber: 'DL-12 34', ipAddress: '10.0.0.5', macAddress: '00:1A:2B:3C:4D:5E' }).sort(),
    ).toEqual(['0', '00', '10', '12', '1a', '2b', '34', '3c', '4d', '5', '5e', '001a2b3c4d5e', '10005', 'dl', 'dl1234', 'managed', 'ndg', 'ndgsrv01', 'server', 'srv01'].sort());
    expect(searchWords('contact', { remoteId: '1', companyRemoteId: '2', name: 'Zoë Adams', email: 'zoe.adams@example.com' })).toEqual(
      expect.arrayContaining(['zoe', 'adams', 'zoeadams', 'example', 'com', 'zoeadamsexamplecom']),
    );
  });
});

describe('typo tolerance', () => {
  it('counts substitutions, insertions, deletions and swaps, giving up past the limit', () => {
    expect(editDistance('srv01', 'svr01', 1)).toBe(1);
    expect(editDistance('firewall', 'firewal', 1)).toBe(1);
    expect(editDistance('firewall', 'firewxll', 1)).toBe(1);
    expect(editDistance('printer', 'pritner', 2)).toBe(1);
    expect(editDistance('server', 'laptop', 2)).toBe(3);
  });

  it('scores exact over prefix over a typo; short words must be exact or a prefix', () => {
    expect(wordScore('srv01', 'srv01')).toBe(3);
    expect(wordScore('srv', 'srv01')).toBe(2);
    expect(wordScore('svr01', 'srv01')).toBe(1);
    expect(wordScore('firewll', 'firewall01')).toBe(1);
    expect(wordScore('fw', 'fx')).toBe(0);
    expect(wordScore('laptop', 'server')).toBe(0);
  });
});

describe('searchRecords', () => {
  let db: SidecarDb;
  const row = (entity: EntityKind, data: CanonicalRecord, extra: Partial<RecordRow> = {}): RecordRow => ({
    integrationId: 'cw',
    entity,
    remoteId: data.remoteId,
    companyRemoteId: entity === 'company' ? data.remoteId : (data as { companyRemoteId: string }).companyRemoteId,
    data,
    sortName: ((data as { name?: string }).name ?? '').toLowerCase(),
    words: searchWords(entity, data),
    syncedAt: 1,
    ...extra,
  });
  beforeEach(async () => {
    db = new SidecarDb(`search-${Math.random()}`);
    await db.records.bulkAdd([
      row('company', { remoteId: '1', name: 'Northwind Dental Group', types: [] }),
      row('company', { remoteId: '2', name: 'Unmatched Traders', types: [] }),
      row('configuration', { remoteId: '10', companyRemoteId: '1', name: 'NDG-SRV01', typeName: 'Managed Server', serialNumber: 'CZJ1234ABC' }),
      row('configuration', { remoteId: '11', companyRemoteId: '1', name: 'NDG-FW01', typeName: 'Firewall' }),
      row('configuration', { remoteId: '12', companyRemoteId: '1', name: 'NDG-OLD01', typeName: 'Managed Server' }, { archivedAt: 5 }),
      row('contact', { remoteId: '20', companyRemoteId: '1', name: 'Priya Raman', email: 'priya@northwind.example' }),
    ]);
    await db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 's', decidedAt: 0 });
  });
  afterEach(() => db.delete());

  const titles = async (query: string) => (await searchRecords(db, query)).map((hit) => (hit.row.data as { name: string }).name);

  it('finds by a misspelt name, a prefix, a serial, an e-mail; every word must match', async () => {
    expect(await titles('ndg-svr01')).toEqual(['NDG-SRV01']);
    expect(await titles('firewll')).toEqual(['NDG-FW01']);
    expect(await titles('czj1234')).toEqual(['NDG-SRV01']);
    expect(await titles('priya@northwind')).toEqual(['Priya Raman']);
    expect(await titles('ndg server')).toEqual(['NDG-SRV01']);
    expect(await titles('ndg-fw10')).toEqual(['NDG-FW01']); // swapped digits
    expect(await titles('wf01')).toEqual(['NDG-FW01']); // a swap at the start
    expect(await titles('ndgfw01')).toEqual(['NDG-FW01']); // the whole name run together
    expect(await titles('rpiya')).toEqual(['Priya Raman']); // a swap of the first two letters
    expect(await titles('northwnd')).toEqual(['Northwind Dental Group', 'Priya Raman']); // her e-mail is at northwind
  });

  it('leaves out archived records and companies that are no client space', async () => {
    expect(await titles('old01')).toEqual([]);
    expect(await titles('traders')).toEqual([]);
    expect(await titles('')).toEqual([]);
    expect(await titles('zzzzzz')).toEqual([]);
  });

  it('ranks exact matches above typos', async () => {
    await db.records.add(row('configuration', { remoteId: '13', companyRemoteId: '1', name: 'NDG-SVR01', typeName: 'Laptop' }));
    expect(await titles('svr01')).toEqual(['NDG-SVR01', 'NDG-SRV01']);
  });
});

describe('database upgrade', () => {
  it('gives records synced before the search index their words', async () => {
    const name = `upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(5).stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], [integrationId+entity+seenRunId], entity',
    });
    await old.table('records').add({ integrationId: 'cw', entity: 'configuration', remoteId: '1', companyRemoteId: '2', data: { remoteId: '1', companyRemoteId: '2', name: 'NDG-SRV01', typeName: 'Server' }, sortName: 'ndg-srv01', syncedAt: 1 });
    old.close();
    const db = new SidecarDb(name);
    expect((await db.records.get(['cw', 'configuration', '1']))?.words).toEqual(expect.arrayContaining(['ndg', 'srv01', 'server']));
    expect(await db.records.where('words').equals('srv01').count()).toBe(1);
    await db.delete();
  });
});
