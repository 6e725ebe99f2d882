import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidecarDb, type DocRow } from '@/lib/db/schema';
import { saveAuthorName } from '@/lib/docstore/author';
import { fieldDocId, randomDocId } from '@/lib/docstore/ids';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { MemoryIndex } from '@/lib/search/memory';
import type { PaletteResult } from '@/lib/search/results';
import { SearchService } from '@/lib/search/service';
import { searchWords, tokenize } from '@/lib/search/words';
import { channels } from '@/lib/messaging/protocol';
import { parseSpaceRoute } from '@/components/space/route';

/**
 * The palette finds the documents technicians write (issue #14): from the background's index as
 * built, and as saved and loaded by a worker woken later, alike. Documents are written through the
 * real DocumentService (PouchDB, then the projector).
 */

const SOURCE = 'connectwise:na.myconnectwise.net:acme';
const record = { source: SOURCE, entity: 'configuration', remoteId: '60001' } as const;
/** A sealed box's ciphertext, as recognisable as a word: it must never be found or shown. */
const SEALED = 'c2VzYW1lc2VjcmV0Ym94';

let db: SidecarDb;
let store: DocStore;
let storeName: string;
let docs: DocumentService;
const ids: Record<string, string> = {};

beforeEach(async () => {
  db = new SidecarDb(`search-docs-${crypto.randomUUID()}`);
  await db.open();
  storeName = `docs-${crypto.randomUUID()}`;
  store = docStore(storeName);
  docs = new DocumentService(db, () => store);
  await db.clientSpaces.bulkAdd([
    { id: 'space-1', name: 'Northwind', createdAt: 0 },
    { id: 'space-2', name: 'Contoso', createdAt: 0 },
  ]);
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'Acme' },
    uiOrigin: 'https://na.myconnectwise.net',
    origins: [],
    createdAt: 0,
  });
  await db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
  const server = { remoteId: '60001', companyRemoteId: '1', name: 'NDG-SRV01', typeName: 'Managed Server' };
  await db.records.add({
    integrationId: 'cw',
    entity: 'configuration',
    remoteId: '60001',
    companyRemoteId: '1',
    data: server,
    sortName: 'ndg-srv01',
    words: searchWords('configuration', server),
    syncedAt: 0,
  });
  await db.layouts.add({ id: 'layout-1', name: 'Servers', active: true, fields: [{ id: 'warranty', name: 'Warranty ref' }], createdAt: 0 });
  await saveAuthorName(db, 'Dana');

  ids.backups = (
    await docs.saveArticle({ spaceId: 'space-1', title: 'Backups', body: '# Nightly\n\nThe snapshot runs at midnight. Check the **offsite** copy on Mondays.' })
  ).id;
  ids.onboarding = (await docs.saveArticle({ spaceId: null, title: 'Onboarding checklist', body: 'Create the mailbox, then assign licences.' })).id;
  const vpn = await docs.saveArticle({ spaceId: 'space-1', title: 'Old VPN guide', body: 'Restart the concentrator.' });
  await docs.bin(vpn.id, vpn.rev);
  ids.vpn = vpn.id;
  ids.alarm = (await docs.saveNote({ place: { spaceId: 'space-2' }, text: 'Alarm code at reception\nAsk the office manager first' })).id;
  ids.keys = (await docs.saveNote({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '60001' }, text: 'Spare keys in the rack' })).id;
  ids.warranty = await fieldDocId(record, 'layout-1', 'warranty');
  await docs.save({
    kind: 'field',
    id: ids.warranty,
    content: { record, layoutId: 'layout-1', fieldId: 'warranty', value: { type: 'text', v: 'WX-1234 55' } },
  });
  ids.firewall = randomDocId('credential');
  await docs.save({
    kind: 'credential',
    id: ids.firewall,
    content: {
      place: { spaceId: 'space-1' },
      name: 'Firewall admin',
      username: 'root',
      url: 'https://fw.northwind.example/login?token=hunter2',
      sealed: { keyId: 'local:1', iv: 'aXY=', data: SEALED },
    },
  });
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const results = async (mode: 'index' | 'saved index', query: string): Promise<PaletteResult[]> => {
  // A saved index: built and saved by one worker, loaded by the next (lib/search/snapshot.ts).
  if (mode === 'saved index') await new SearchService(db).ready();
  else await db.searchIndex.clear();
  const service = new SearchService(db);
  await service.ready();
  expect(service.loadedFromSnapshot).toBe(mode === 'saved index');
  return (await service.search(query)).results;
};
const documents = (found: PaletteResult[]) => found.flatMap((result) => (result.type === 'document' ? [result] : []));
const titles = (found: PaletteResult[]) => found.map((result) => (result.type === 'record' ? result.item.title : result.title));

describe.each(['index', 'saved index'] as const)('documents in the palette (%s)', (mode) => {
  it('finds an article by a misspelt word of its body, in its client space, with a link to it open', async () => {
    const [backups, ...others] = documents(await results(mode, 'snapshto'));
    expect(others).toEqual([]);
    expect(backups).toEqual({
      type: 'document',
      key: `document:${ids.backups}`,
      id: ids.backups,
      documentKind: 'article',
      kind: 'Article',
      title: 'Backups',
      snippet: 'Nightly The snapshot runs at midnight. Check the offsite copy on Mondays.',
      clientSpace: 'Northwind',
      href: `/space.html#/space/space-1/article/${encodeURIComponent(ids.backups!)}`,
    });
    expect(titles(await results(mode, 'ofsite mondays'))).toEqual(['Backups']);
    // The client-space page reads the link as that article in that space.
    expect(parseSpaceRoute(backups!.href.replace(/^[^#]*/, ''))).toEqual({ view: 'space', spaceId: 'space-1', articleId: ids.backups });
  });

  it('finds the MSP’s own articles for all clients, opened on a client space’s page', async () => {
    const [onboarding] = documents(await results(mode, 'licenses'));
    expect(onboarding).toMatchObject({ title: 'Onboarding checklist', clientSpace: 'All clients', kind: 'Article' });
    // Every client space's page shows it: the first by name.
    expect(onboarding!.href).toBe(`/space.html#/space/space-2/article/${encodeURIComponent(ids.onboarding!)}`);
  });

  it('leaves out what is in the bin', async () => {
    expect(await results(mode, 'concentrator')).toEqual([]);
    expect(await results(mode, 'vpn')).toEqual([]);
  });

  it('finds notes, custom field values and credentials, where they belong; those about a record in its company’s space', async () => {
    expect(documents(await results(mode, 'alarm'))).toEqual([
      expect.objectContaining({
        kind: 'Note',
        title: 'Alarm code at reception',
        snippet: 'Ask the office manager first',
        clientSpace: 'Contoso',
        href: '/space.html#/space/space-2',
      }),
    ]);
    expect(documents(await results(mode, 'spare keys'))).toEqual([
      expect.objectContaining({
        kind: 'Note',
        title: 'Spare keys in the rack',
        record: 'NDG-SRV01',
        clientSpace: 'Northwind',
        href: '/space.html#/space/space-1',
      }),
    ]);
    // A field value by its parts or run together, named by its layout.
    for (const query of ['wx-1234', 'wx1234', 'wx 55']) {
      expect(documents(await results(mode, query))).toEqual([
        expect.objectContaining({ kind: 'Field', title: 'Warranty ref: WX-1234 55', record: 'NDG-SRV01', clientSpace: 'Northwind' }),
      ]);
    }
    expect(documents(await results(mode, 'firewal'))).toEqual([
      expect.objectContaining({ kind: 'Credential', title: 'Firewall admin', snippet: 'root · fw.northwind.example', clientSpace: 'Northwind' }),
    ]);
    // Ranked with records: the configuration itself, then what is written about it.
    expect(titles(await results(mode, 'ndg srv01'))).toEqual(['NDG-SRV01']);
    expect(titles(await results(mode, 'rack'))).toEqual(['Spare keys in the rack']);
  });

  it('never finds or shows a credential’s secret, nor its web address’s path and query', async () => {
    for (const query of [SEALED, SEALED.slice(0, 8), 'hunter2', 'token', 'login']) expect(await results(mode, query)).toEqual([]);
    const shown = JSON.stringify([await results(mode, 'firewall'), await results(mode, 'root'), await results(mode, 'northwind')]);
    expect(shown).toContain('Firewall admin');
    expect(shown).not.toContain(SEALED);
    expect(shown).not.toContain('hunter2');
  });
});

describe('the index as built and as saved', () => {
  it('answer alike: the same results in the same order, records and documents ranked together', async () => {
    const queries = ['backups', 'snapshto', 'the', 'a', 'n', 'rack', 'spare keys', 'firewall', 'ndg', 'check', 'wx', 'office', 'nightly mondays', 'zzz'];
    let found = 0;
    for (const query of queries) {
      const built = await results('index', query);
      expect(await results('saved index', query), query).toEqual(built);
      found += documents(built).length;
    }
    expect(found).toBeGreaterThan(10);
  });

  it('keep no secret in the index: a sealed box never becomes a word', async () => {
    const index = new MemoryIndex();
    for (const row of await db.docs.toArray()) index.addDocument(row);
    index.finish();
    const words = (index as unknown as { vocabulary: { words: string[] } }).vocabulary.words;
    expect(words).toEqual(expect.arrayContaining(['firewall', 'root', 'fw', 'northwind', 'snapshot']));
    for (const secret of [...tokenize(SEALED), 'hunter2', 'token']) expect(words).not.toContain(secret);
    const credential = (await db.docs.get(ids.firewall!)) as DocRow;
    expect(credential.words.join(' ')).not.toMatch(/hunter2|c2vz/i);
  });
});

describe('the background index and documents', () => {
  it('stays current: a binned article drops out at once, a new one is found once the writes stop', async () => {
    const service = new SearchService(db, { rebuildAfterMs: 20 });
    await service.ready();
    const current = await db.docs.get(ids.backups!);
    expect(titles((await service.search('snapshot')).results)).toEqual(['Backups']);
    await docs.bin(ids.backups!, current!.rev);
    expect((await service.search('snapshot')).results).toEqual([]);
    await docs.saveArticle({ spaceId: 'space-2', title: 'Printers', body: 'The plotter jams on A0.' });
    await vi.waitFor(async () => expect(titles((await service.search('plotter')).results)).toEqual(['Printers']));
  });
});

describe('records.search answers with documents', () => {
  it('carries every field of a document result, and only links to the client-space page', async () => {
    const service = new SearchService(db);
    await service.ready();
    const answer = await service.search('the');
    expect(documents(answer.results).length).toBeGreaterThan(2);
    const { response } = channels['records.search'];
    // The schema keeps every field (zod drops unknown ones).
    expect(response.parse(answer)).toEqual(answer);
    const [first] = documents(answer.results);
    for (const href of ['https://example.com/', 'javascript:alert(1)', '/options.html#/space/x', '//evil.example/space.html#/']) {
      expect(response.safeParse({ ...answer, results: [{ ...first, href }] }).success, href).toBe(false);
    }
  });
});
