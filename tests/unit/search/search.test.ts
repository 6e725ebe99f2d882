// Over 300 lines on purpose: the search's ranking, typo and filter rules on both of its paths, sharing one seeded database.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { SidecarDb, type IntegrationRow, type RecordRow } from '@/lib/db/schema';
import type { CanonicalRecord, EntityKind } from '@/lib/psa/types';
import { allowedEdits, editDistance, wordScore } from '@/lib/search/fuzzy';
import { SearchService, type SearchAnswer } from '@/lib/search/service';
import { createRouter, type Handlers } from '@/lib/messaging/router';
import { searchWords, tokenize } from '@/lib/search/words';

describe('search words', () => {
  it('splits names into words and keeps the whole name run together; adds what technicians search by (addresses run together only)', () => {
    expect(tokenize('NDG-SRV01 (Café)')).toEqual(['ndg', 'srv01', 'cafe']);
    expect(
      searchWords('configuration', {
        remoteId: '1',
        companyRemoteId: '2',
        name: 'NDG-SRV01',
        typeName: 'Managed Server',
        serialNumber: 'DL-12 34',
        ipAddress: '10.0.0.5',
        macAddress: '00:1A:2B:3C:4D:5E',
      }).sort(),
    ).toEqual(['12', '34', '001a2b3c4d5e', '10005', 'dl', 'dl1234', 'managed', 'ndg', 'ndgsrv01', 'server', 'srv01'].sort());
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

  it('scores typos as the word-by-word definition does (whole word, or its first n-1, n, n+1 letters)', () => {
    // The definition, spelled out with editDistance; wordScore computes it in one alignment.
    const reference = (query: string, word: string): number => {
      if (word === query) return 3;
      if (word.startsWith(query)) return 2;
      const edits = allowedEdits(query.length);
      if (!edits) return 0;
      if (editDistance(query, word, edits) <= edits) return 1;
      for (const length of [query.length - 1, query.length, query.length + 1]) {
        if (length < word.length && editDistance(query, word.slice(0, length), edits) <= edits) return 1;
      }
      return 0;
    };
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const text = (length: number) => Array.from({ length }, () => 'abcs01'[Math.floor(random() * 6)]).join('');
    let typos = 0;
    for (let round = 0; round < 20_000; round += 1) {
      const query = text(3 + Math.floor(random() * 8));
      // Words near the query (edited copies, longer or shorter) and unrelated ones.
      const chars = [...query];
      for (let edit = Math.floor(random() * 4); edit > 0; edit -= 1)
        chars.splice(Math.floor(random() * chars.length), Math.floor(random() * 2), ...text(Math.floor(random() * 2)));
      const word = random() < 0.2 ? text(1 + Math.floor(random() * 12)) : chars.join('') + text(Math.floor(random() * 5));
      if (!word) continue;
      expect(wordScore(query, word), `${query} / ${word}`).toBe(reference(query, word));
      if (reference(query, word) === 1) typos += 1;
    }
    expect(typos).toBeGreaterThan(1000);
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

/** The index as saved after a build and loaded by a worker woken later (lib/search/snapshot.ts). */
const loadedService = async (db: SidecarDb) => {
  await new SearchService(db).ready();
  const service = new SearchService(db);
  await service.ready();
  expect(service.loadedFromSnapshot).toBe(true);
  return service;
};

/** The same behaviour from the background's index as built and as loaded from its saved copy. */
describe.each(['index', 'saved index'] as const)('search (%s)', (mode) => {
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

  const titles = async (query: string) => {
    if (mode === 'index') await db.searchIndex.clear();
    const service = mode === 'saved index' ? await loadedService(db) : new SearchService(db);
    await service.ready();
    const answer = await service.search(query);
    return answer.results.map((result) => (result.type === 'record' ? result.item.title : result.title));
  };

  it('finds by a misspelt name, a prefix, a serial, an e-mail; every word must match', async () => {
    expect(await titles('ndg-svr01')).toEqual(['NDG-SRV01']);
    expect(await titles('firewll')).toEqual(['NDG-FW01']);
    expect(await titles('czj1234')).toEqual(['NDG-SRV01']);
    expect(await titles('priya@northwind')).toEqual(['Priya Raman']);
    expect(await titles('ndg server')).toEqual(['NDG-SRV01']);
    expect(await titles('ndg s')).toEqual(['NDG-SRV01']); // a one-letter word is a prefix too
    expect(await titles('s ndg fw')).toEqual([]);
    expect(await titles('ndg-fw10')).toEqual(['NDG-FW01']); // swapped digits
    expect(await titles('wf01')).toEqual(['NDG-FW01']); // a swap at the start
    expect(await titles('ndgfw01')).toEqual(['NDG-FW01']); // the whole name run together
    expect(await titles('rpiya')).toEqual(['Priya Raman']); // a swap of the first two letters
    expect(await titles('northwnd')).toEqual(['Northwind Dental Group', 'Priya Raman']); // her e-mail is at northwind
  });

  it('finds a device by its IP or MAC address, whole or its start, typed with separators or without', async () => {
    await db.records.add(
      row('configuration', {
        remoteId: '14',
        companyRemoteId: '1',
        name: 'NDG-PRN01',
        typeName: 'Printer',
        ipAddress: '10.20.30.45',
        macAddress: '00:1A:2B:3C:4D:5E',
      }),
    );
    expect(await titles('10.20.30.45')).toEqual(['NDG-PRN01']);
    expect(await titles('10.20.30')).toEqual(['NDG-PRN01']);
    expect(await titles('00:1a:2b:3c:4d:5e')).toEqual(['NDG-PRN01']);
    expect(await titles('00-1A-2B')).toEqual(['NDG-PRN01']);
    expect(await titles('001a2b3c')).toEqual(['NDG-PRN01']);
    expect(await titles('192.168')).toEqual([]);
  });

  it('looks for a typo among words starting like the query word, in both ways of searching alike', async () => {
    // "xw01" is one letter off "fw01", but starts otherwise (lib/search/rules.ts, typoStarts).
    expect(await titles('firewall fw01')).toEqual(['NDG-FW01']);
    expect(await titles('firewall xw01')).toEqual([]);
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

describe('the background search index', () => {
  let db: SidecarDb;
  const config = (remoteId: string, name: string, extra: Partial<RecordRow> = {}): RecordRow => {
    const data = { remoteId, companyRemoteId: '1', name, typeName: 'Server', serialNumber: `SN${remoteId}` };
    return {
      integrationId: 'cw',
      entity: 'configuration',
      remoteId,
      companyRemoteId: '1',
      data,
      sortName: name.toLowerCase(),
      words: searchWords('configuration', data),
      syncedAt: 1,
      ...extra,
    };
  };
  beforeEach(async () => {
    db = new SidecarDb(`search-index-${Math.random()}`);
    await db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 's', decidedAt: 0 });
    await db.clientSpaces.add({ id: 's', name: 'Northwind', createdAt: 0 });
  });
  afterEach(() => db.delete());
  const names = (answer: SearchAnswer) => answer.results.map((result) => (result.type === 'record' ? result.item.title : result.title));
  /** Holds the build's first read of records until the returned function is called. */
  const holdBuildsFirstRead = (): (() => void) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collection = db.records.toCollection.bind(db.records);
    vi.spyOn(db.records, 'toCollection').mockImplementationOnce(() => {
      const real = collection();
      return {
        limit: (count: number) => ({
          toArray: async () => {
            await gate;
            return real.limit(count).toArray();
          },
        }),
      } as unknown as ReturnType<typeof collection>;
    });
    return release;
  };

  it('answers with the names starting with the query while its first build is slow, then from the index', async () => {
    await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'ConnectWise', createdAt: 0 } as unknown as IntegrationRow);
    await db.records.bulkAdd([config('1', 'NDG-SRV01'), config('2', 'NDG-SRV02'), config('3', 'ABC-SRV01')]);
    // The build's first read waits: a large tenant's first build takes seconds.
    const release = holdBuildsFirstRead();
    const service = new SearchService(db);
    const early = await service.search('ndg-srv');
    expect(early.indexed).toBe(false);
    expect(names(early)).toEqual(['NDG-SRV01', 'NDG-SRV02']);
    // A word inside a name waits for the index.
    expect(names(await service.search('srv01'))).toEqual([]);
    release();
    await service.ready();
    const later = await service.search('srv01');
    expect(later.indexed).toBe(true);
    expect(names(later)).toEqual(['ABC-SRV01', 'NDG-SRV01', 'NDG-SRV02']);
  });

  it('answers a search during a first build before the build reads on: the build waits for it between chunks', async () => {
    await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'ConnectWise', createdAt: 0 } as unknown as IntegrationRow);
    // More than a chunk (2,000 rows) of records.
    await db.records.bulkAdd(Array.from({ length: 2_500 }, (_, index) => config(String(index + 1), `NDG-SRV${String(index + 1).padStart(4, '0')}`)));
    const release = holdBuildsFirstRead();
    const events: string[] = [];
    const where = db.records.where.bind(db.records);
    vi.spyOn(db.records, 'where').mockImplementation(((index: string) => {
      if (index === ':id') events.push('the build reads its next chunk');
      return where(index);
    }) as typeof db.records.where);
    const service = new SearchService(db, { waitForBuildMs: 0 });
    // The popup opens: nothing saved, so the build starts (and waits at its first chunk).
    service.warm();
    await vi.waitFor(() => expect(db.records.toCollection).toHaveBeenCalled());
    // The search is held at its first read (the matches), so the build's first chunk arrives while it reads.
    let searchGoesOn!: () => void;
    const searchGate = new Promise<void>((resolve) => (searchGoesOn = resolve));
    const matches = db.matches.toArray.bind(db.matches);
    vi.spyOn(db.matches, 'toArray').mockImplementationOnce((async () => {
      await searchGate;
      return matches();
    }) as typeof db.matches.toArray);
    const searching = service.search('ndg-srv000');
    await vi.waitFor(() => expect(db.matches.toArray).toHaveBeenCalled());
    release();
    // Time for the first chunk to be read and indexed, and (without the pause) the next asked for.
    await new Promise((resolve) => setTimeout(resolve, 200));
    events.push('the search goes on');
    searchGoesOn();
    const answer = await searching;
    expect(answer.indexed).toBe(false);
    expect(names(answer)).toEqual([
      'NDG-SRV0001',
      'NDG-SRV0002',
      'NDG-SRV0003',
      'NDG-SRV0004',
      'NDG-SRV0005',
      'NDG-SRV0006',
      'NDG-SRV0007',
      'NDG-SRV0008',
      'NDG-SRV0009',
    ]);
    await service.ready();
    expect(events).toEqual(['the search goes on', 'the build reads its next chunk']);
    expect((await service.search('srv2500')).indexed).toBe(true);
  });

  it('has a search asked before its index is there wait a moment for it, then answers from the index', async () => {
    await db.records.bulkAdd([config('1', 'NDG-SRV01'), config('2', 'NDG-SRV02'), config('3', 'ABC-SRV01')]);
    // The build's wait (30 ms by default, which a small tenant's build fits) made long enough for a busy test machine.
    const service = new SearchService(db, { waitForBuildMs: 10_000 });
    // The popup's warm-up (an empty query) starts the build and says the index is not there yet.
    expect((await service.search('')).indexed).toBe(false);
    // Nothing saved yet: the first search waits a moment for the build (a small one is there in time).
    const first = await service.search('srv01');
    expect(first.indexed).toBe(true);
    expect(service.loadedFromSnapshot).toBe(false);
    expect((await service.search('')).indexed).toBe(true);
    expect(names(first)).toEqual(['ABC-SRV01', 'NDG-SRV01', 'NDG-SRV02']);
    expect(first.results[0]!.clientSpace).toBe('Northwind');
    // The index keeps no details: the palette reads them when a row is opened.
    expect(first.results.every((result) => result.type === 'record' && result.item.fields.length === 0)).toBe(true);
  });

  it('says so when its index cannot be built, and builds it on the next search', async () => {
    await db.records.bulkAdd([config('1', 'NDG-SRV01')]);
    const service = new SearchService(db);
    const read = vi.spyOn(db.records, 'toCollection').mockImplementationOnce(() => {
      throw new Error('The disk is full');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(service.search('srv01')).rejects.toThrow('Sidecar could not build its search index');
    expect(warn).toHaveBeenCalledWith('Sidecar could not build its search index', expect.objectContaining({ message: 'The disk is full' }));
    read.mockRestore();
    warn.mockRestore();
    expect(names(await service.search('srv01'))).toEqual(['NDG-SRV01']);
  });

  it('ranks a page of equally good names by length, then alphabetically, among all of them', async () => {
    // More exact matches than a page: the shortest and first names win, wherever they are stored.
    await db.records.bulkAdd(Array.from({ length: 80 }, (_, index) => config(String(100 + index), `${String.fromCharCode(122 - (index % 26))}${index}-SRV01`)));
    const service = new SearchService(db);
    await service.ready();
    const expected = Array.from({ length: 80 }, (_, index) => `${String.fromCharCode(122 - (index % 26))}${index}-SRV01`)
      .sort((a, b) => a.length - b.length || a.toLowerCase().localeCompare(b.toLowerCase()))
      .slice(0, 30);
    expect(names(await service.search('srv01'))).toEqual(expected);
  });

  it('stays current: written records are found once the writes stop, archived ones are left out at once', async () => {
    await db.records.bulkAdd([config('1', 'NDG-SRV01'), config('2', 'NDG-FW01')]);
    const service = new SearchService(db, { rebuildAfterMs: 20 });
    await service.ready();
    expect(names(await service.search('fw01'))).toEqual(['NDG-FW01']);
    await db.records.put(config('2', 'NDG-FW01', { archivedAt: 5 }));
    await db.records.put(config('3', 'NDG-PRN01'));
    // Stale meanwhile: the archived record is read fresh and left out.
    expect(names(await service.search('fw01'))).toEqual([]);
    await vi.waitFor(async () => expect(names(await service.search('prn01'))).toEqual(['NDG-PRN01']));
  });

  it('is saved after a build; a worker woken later loads it, current or, after writes, stale until rebuilt', async () => {
    await db.records.bulkAdd([config('1', 'NDG-SRV01'), config('2', 'NDG-FW01')]);
    await new SearchService(db).ready();
    expect((await db.searchIndex.get('palette'))?.stamp).toBeTypeOf('string');

    // Nothing written since: loaded, current, answering from the index.
    const woken = new SearchService(db, { rebuildAfterMs: 20 });
    await woken.ready();
    expect(woken.loadedFromSnapshot).toBe(true);
    expect(names(await woken.search('fw01'))).toEqual(['NDG-FW01']);

    // Written while no worker held the index: the saved copy is stale. It answers at once, its
    // results read fresh (the archived record is left out), and a rebuild finds the new record.
    await db.records.put(config('2', 'NDG-FW01', { archivedAt: 5 }));
    await db.records.put(config('3', 'NDG-PRN01'));
    const later = new SearchService(db, { rebuildAfterMs: 20 });
    await later.ready();
    expect(later.loadedFromSnapshot).toBe(true);
    expect(names(await later.search('fw01'))).toEqual([]);
    await vi.waitFor(async () => expect(names(await later.search('prn01'))).toEqual(['NDG-PRN01']));
    expect(later.loadedFromSnapshot).toBe(false);
    // The rebuild was saved: the next worker loads it current.
    const next = new SearchService(db);
    await next.ready();
    expect(next.loadedFromSnapshot).toBe(true);
    expect(names(await next.search('prn01'))).toEqual(['NDG-PRN01']);
  });

  it('ignores a saved index of another format and builds instead', async () => {
    await db.records.bulkAdd([config('1', 'NDG-SRV01')]);
    await db.searchIndex.put({ id: 'palette', format: -1, stamp: '', savedAt: 0, index: { unexpected: true } });
    const service = new SearchService(db);
    await service.ready();
    expect(service.loadedFromSnapshot).toBe(false);
    expect(names(await service.search('srv01'))).toEqual(['NDG-SRV01']);
  });

  it('follows matches: a company that stops being a client space drops out of results', async () => {
    const data = { remoteId: '1', name: 'Northwind Dental Group', types: [] };
    await db.records.add({
      integrationId: 'cw',
      entity: 'company',
      remoteId: '1',
      companyRemoteId: '1',
      data,
      sortName: 'northwind dental group',
      words: searchWords('company', data),
      syncedAt: 1,
    });
    const service = new SearchService(db);
    await service.ready();
    expect(names(await service.search('northwind'))).toEqual(['Northwind Dental Group']);
    await db.matches.put({ integrationId: 'cw', companyRemoteId: '1', state: 'unmatched', decidedAt: 1 });
    expect(names(await service.search('northwind'))).toEqual([]);
  });
});

describe('records.search message', () => {
  const self = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id' };
  const search = vi.fn(async () => ({ results: [], indexed: true }));
  const route = createRouter({ 'records.search': search } as unknown as Handlers, () => self);

  it('is answered for extension pages only: search results never go to a PSA page', async () => {
    const fromPopup = await route({ channel: 'records.search', payload: { query: 'srv01' } }, { id: 'sidecar-id', origin: self.origin });
    expect(fromPopup).toEqual({ ok: true, data: { results: [], indexed: true } });
    expect(search).toHaveBeenCalledWith({ query: 'srv01', limit: 30 }, expect.anything());
    const fromPage = await route(
      { channel: 'records.search', payload: { query: 'srv01' } },
      { id: 'sidecar-id', origin: 'https://na.myconnectwise.net', tab: { id: 7 }, frameId: 0 },
    );
    expect(fromPage).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await route({ channel: 'records.search', payload: { query: 'x'.repeat(501) } }, { id: 'sidecar-id', origin: self.origin })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(search).toHaveBeenCalledTimes(1);
  });
});

describe('database upgrade', () => {
  it('gives records synced before the search index their words', async () => {
    const name = `upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(5).stores({
      records:
        '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], [integrationId+entity+seenRunId], entity',
    });
    await old.table('records').add({
      integrationId: 'cw',
      entity: 'configuration',
      remoteId: '1',
      companyRemoteId: '2',
      data: { remoteId: '1', companyRemoteId: '2', name: 'NDG-SRV01', typeName: 'Server' },
      sortName: 'ndg-srv01',
      syncedAt: 1,
    });
    old.close();
    const db = new SidecarDb(name);
    expect((await db.records.get(['cw', 'configuration', '1']))?.words).toEqual(expect.arrayContaining(['ndg', 'srv01', 'server']));
    // v11: the unused `entity` index is gone, the team's records documents have their table.
    expect(db.records.schema.indexes.map((index) => index.name)).not.toContain('entity');
    expect(await db.teamChunks.count()).toBe(0);
    // v12 and v13 (#16): the ticket outbox and form lists, billing statuses and the billing write log.
    expect([await db.ticketOutbox.count(), await db.ticketForms.count(), await db.billingStatus.count(), await db.billingLog.count()]).toEqual([0, 0, 0, 0]);
    // v14 and v15 (#17): what a run saw lives in `seen`, the preview-only table is gone; v18 and v19: a page of marks per row, in `seenBatches`.
    expect(await db.seenBatches.count()).toBe(0);
    expect(db.tables.map((table) => table.name)).not.toContain('previewSeen');
    expect(db.tables.map((table) => table.name)).not.toContain('seen');
    // v18 (#17): no IndexedDB index of words on records or documents (the palette's index is built from the rows' words, kept above).
    expect(db.records.schema.indexes.map((index) => index.name)).not.toContain('words');
    expect(db.docs.schema.indexes.map((index) => index.name)).not.toContain('words');
    // Upgraded to the newest version today's code declares (a probe declares it without opening).
    expect(db.verno).toBe(new SidecarDb(`probe-${Math.random()}`).verno);
    await db.delete();
  });
});
