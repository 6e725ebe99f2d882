import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { saveAuthorName } from '@/lib/docstore/author';
import { sourceDigest } from '@/lib/docstore/ids';
import { teamIntegrationId } from '@/lib/documents/shared-context';
import { RECORDS_PER_CHUNK } from '@/lib/documents/team-records';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';

/**
 * The team's shared setup and PSA records (#15), between two browsers replicating in-process:
 * Alex's ConnectWise integration (settings, options, sort rules), matches, layouts and records
 * reach Dana, who has no integration of her own and gets the team's (no credentials); a resync
 * that changed one company rewrites one chunk; a company gone removes its chunk and rows there;
 * a later match decision wins.
 *
 * Checked by hand to fail without their guards: with applyRecordChunks applying the chunks this
 * install wrote, Alex's own rows gain `teamChunk` (the first case fails); with publishRecords not
 * comparing digests, the resync case writes every chunk; with the match applier taking any
 * arriving decision, the older-decision part fails; with publishRecords ignoring `onlyIfFirst`,
 * Dana's joining publishes her stale company; with the source applier rewriting the settings of an
 * integration that has credentials, the collector case fails.
 */

interface Browser {
  db: SidecarDb;
  store: DocStore;
  docs: DocumentService;
}
const opened: Browser[] = [];

async function browserNamed(name: string): Promise<Browser> {
  const db = new SidecarDb(`team-shared-${name}-${crypto.randomUUID()}`);
  await db.open();
  const store = docStore(`team-shared-${name}-${crypto.randomUUID()}`);
  await saveAuthorName(db, name);
  const browser = { db, store, docs: new DocumentService(db, () => store) };
  opened.push(browser);
  return browser;
}

async function replicate(from: Browser, to: Browser): Promise<void> {
  await from.store.replicate.to(to.store);
  await to.docs.catchUp();
}

const CW = { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'Acme' };
const SOURCE = 'connectwise:na.myconnectwise.net:acme';

function record(entity: RecordRow['entity'], remoteId: string, companyRemoteId: string, name: string): RecordRow {
  return {
    integrationId: 'cw',
    entity,
    remoteId,
    companyRemoteId,
    data: { remoteId, name, ...(entity === 'company' ? {} : { companyRemoteId }) } as never,
    sortName: name.toLowerCase(),
    words: [name.toLowerCase()],
    seenRunId: 'run-1',
    syncedAt: 1,
  };
}

let alex: Browser;
let dana: Browser;
beforeEach(async () => {
  alex = await browserNamed('Alex');
  dana = await browserNamed('Dana');
  await alex.db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise (na.myconnectwise.net)',
    settings: CW,
    uiOrigin: 'https://na.myconnectwise.net',
    origins: ['https://na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    createdAt: 5,
    connection: { ok: true, companyName: 'Acme', testedAt: 5 },
  });
  await alex.db.sortRules.add({ id: 'r1', integrationId: 'cw', order: 0, typeName: 'Firewall', layoutId: 'layout-firewalls' });
  await alex.db.layouts.add({ id: 'layout-firewalls', name: 'Firewalls', active: true, fields: [{ id: 'f1', name: 'WAN IP' }], createdAt: 3 });
  await alex.db.clientSpaces.add({ id: 'space-northwind', name: 'Northwind', createdAt: 2 });
  await alex.db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-northwind', decidedAt: 10 });
  await alex.db.records.bulkAdd([
    record('company', '1', '1', 'Northwind'),
    record('company', '2', '2', 'Contoso'),
    record('configuration', '100', '1', 'FW01'),
    record('configuration', '101', '1', 'NAS01'),
    record('contact', '500', '2', 'Dana Smith'),
  ]);
});
afterEach(async () => {
  for (const browser of opened.splice(0)) {
    await destroyDocStore(browser.store.name);
    browser.db.close();
  }
});

describe('the team’s shared setup and records', () => {
  it('reach a member with no integration of her own, who gets the team’s, without credentials', async () => {
    await alex.docs.publishSpaces();
    const written = await alex.docs.publishShared({ records: ['cw'] });
    expect(written).toBeGreaterThan(0);
    await replicate(alex, dana);

    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    const integration = await dana.db.integrations.get(teamId);
    expect(integration).toMatchObject({ psa: 'connectwise', settings: CW, uiOrigin: 'https://na.myconnectwise.net', team: { source: SOURCE } });
    expect(integration?.connection).toBeUndefined();
    expect(await dana.db.secrets.count()).toBe(0);
    expect((await dana.db.sortRules.where('integrationId').equals(teamId).toArray()).map((rule) => rule.typeName)).toEqual(['Firewall']);
    expect(await dana.db.layouts.get('layout-firewalls')).toMatchObject({ name: 'Firewalls', fields: [{ id: 'f1', name: 'WAN IP' }] });
    expect(await dana.db.matches.get([teamId, '1'])).toMatchObject({ state: 'matched', clientSpaceId: 'space-northwind', decidedAt: 10 });
    const rows = await dana.db.records.filter((row) => row.integrationId === teamId).toArray();
    expect(rows.map((row) => `${row.entity}/${row.remoteId}`).sort()).toEqual([
      'company/1',
      'company/2',
      'configuration/100',
      'configuration/101',
      'contact/500',
    ]);
    expect(rows.find((row) => row.remoteId === '100')).toMatchObject({ companyRemoteId: '1', sortName: 'fw01', words: expect.arrayContaining(['fw01']) });
    // Alex's own rows are his sync's, untouched by the chunks coming back.
    expect((await alex.db.records.toArray()).every((row) => row.teamChunk === undefined && row.integrationId === 'cw')).toBe(true);
    expect(await alex.db.integrations.count()).toBe(1);
  });

  it('a resync that changed one company rewrites that chunk only; a company gone takes its chunk and rows away', async () => {
    await alex.docs.publishShared({ records: ['cw'] });
    await replicate(alex, dana);
    expect(await alex.docs.publishShared({ records: ['cw'] })).toBe(0);

    await alex.db.records.put(record('configuration', '101', '1', 'NAS02'));
    expect(await alex.docs.publishShared({ records: ['cw'] })).toBe(1);
    await alex.db.records.filter((row) => row.companyRemoteId === '2').delete();
    expect(await alex.docs.publishShared({ records: ['cw'] })).toBe(2); // company 2's company and contact chunks, deleted
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    const rows = await dana.db.records.filter((row) => row.integrationId === teamId).toArray();
    expect(rows.map((row) => `${row.entity}/${row.remoteId}/${row.sortName}`).sort()).toEqual([
      'company/1/northwind',
      'configuration/100/fw01',
      'configuration/101/nas02',
    ]);
  });

  it('splits a large company into chunks of at most RECORDS_PER_CHUNK', async () => {
    const many = Array.from({ length: RECORDS_PER_CHUNK + 5 }, (_, index) => record('configuration', String(10_000 + index), '1', `PC${index}`));
    await alex.db.records.bulkPut(many);
    await alex.docs.publishShared({ records: ['cw'] });
    const chunks = await alex.store.allDocs({ startkey: 'records:', endkey: 'records:\ufff0' });
    expect(chunks.rows.filter((row) => row.id.includes(':configuration:1:'))).toHaveLength(2);
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    expect(await dana.db.records.where('[integrationId+entity+companyRemoteId]').equals([teamId, 'configuration', '1']).count()).toBe(RECORDS_PER_CHUNK + 7);
  });

  it('the later match decision wins, an older one arriving changes nothing', async () => {
    await alex.docs.publishShared();
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    // Dana decides later: company 1 is not a client after all.
    await dana.db.matches.put({ integrationId: teamId, companyRemoteId: '1', state: 'unmatched', decidedAt: 20 });
    await dana.docs.publishShared();
    await replicate(dana, alex);
    expect(await alex.db.matches.get(['cw', '1'])).toMatchObject({ state: 'unmatched', decidedAt: 20 });
    expect((await alex.db.matches.get(['cw', '1']))?.clientSpaceId).toBeUndefined();

    // Alex decides again (30) before Dana's next, older decision (25) arrives: his stays, then becomes the team's.
    await alex.db.matches.put({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-northwind', decidedAt: 30 });
    await dana.db.matches.put({ integrationId: teamId, companyRemoteId: '1', state: 'unmatched', decidedAt: 25 });
    await dana.docs.publishShared();
    await replicate(dana, alex);
    expect(await alex.db.matches.get(['cw', '1'])).toMatchObject({ state: 'matched', decidedAt: 30 });
    await alex.docs.publishShared();
    await replicate(alex, dana);
    expect(await dana.db.matches.get([teamId, '1'])).toMatchObject({ state: 'matched', clientSpaceId: 'space-northwind', decidedAt: 30 });
  });

  it('a member with her own integration of the same PSA reads the team’s records into it, and each keeps its own description', async () => {
    await dana.db.integrations.add({
      id: 'dana-cw',
      psa: 'connectwise',
      label: 'ConnectWise',
      settings: CW,
      uiOrigin: 'https://na.myconnectwise.net',
      origins: [],
      createdAt: 7,
    });
    await dana.db.records.add({ ...record('configuration', '100', '1', 'FW01 (Dana’s old sync)'), integrationId: 'dana-cw' });
    // A company her old sync saw and Alex's does not (gone from the PSA since).
    await dana.db.records.add({ ...record('company', '3', '3', 'Old Co'), integrationId: 'dana-cw' });
    await alex.docs.publishShared({ records: ['cw'] });
    await replicate(alex, dana);
    const rows = await dana.db.records.toArray();
    expect(rows.map((row) => `${row.integrationId}/${row.remoteId}/${row.sortName}`).sort()).toEqual([
      'dana-cw/1/northwind',
      'dana-cw/100/fw01',
      'dana-cw/101/nas01',
      'dana-cw/2/contoso',
      'dana-cw/3/old co',
      'dana-cw/500/dana smith',
    ]);
    // Dana joining later publishes none of her older records over the team's.
    expect(await dana.docs.publishShared({ records: ['dana-cw'], recordsOnlyIfFirst: true })).toBe(0);
    // Her integration takes the team's options and sort rules, not its settings.
    expect((await dana.db.sortRules.where('integrationId').equals('dana-cw').toArray()).map((rule) => rule.typeName)).toEqual(['Firewall']);
    expect(await dana.db.integrations.count()).toBe(1);
    // Both publish again: each keeps its own description, nothing goes back and forth.
    await dana.docs.publishShared();
    await replicate(dana, alex);
    await alex.docs.publishShared();
    await replicate(alex, dana);
    expect(await alex.docs.publishShared()).toBe(0);
    expect(await dana.docs.publishShared()).toBe(0);
    expect((await alex.store.get(`source:${await sourceDigest(SOURCE)}`)).label).toBe('ConnectWise (na.myconnectwise.net)');
    expect((await dana.db.integrations.get('dana-cw'))?.label).toBe('ConnectWise');
  });

  it('a teammate’s source document cannot move where a member sends her credentials', async () => {
    await alex.docs.publishShared();
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    // Dana gives the team's integration her own API keys (tested: it has a connection now).
    await dana.db.integrations.update(teamId, { connection: { ok: true, companyName: 'Acme', testedAt: 9 } });
    // A hostile or mistaken edit of the team's source: another host for the same tenant document.
    const doc = await alex.store.get(`source:${await sourceDigest(SOURCE)}`);
    await alex.store.put({
      ...doc,
      settings: { ...CW, host: 'collector.example' },
      uiOrigin: 'https://collector.example',
      origins: ['https://collector.example'],
      sortRules: [],
    });
    await replicate(alex, dana);
    const integration = await dana.db.integrations.get(teamId);
    expect(integration?.settings).toEqual(CW);
    expect(integration?.origins).toEqual(['https://na.myconnectwise.net', 'https://api-na.myconnectwise.net']);
    // Decisions (sort rules) still follow the team.
    expect(await dana.db.sortRules.where('integrationId').equals(teamId).count()).toBe(0);
  });

  it('a member without API keys gets the overlay: company pages from the team’s records, ticket pages from a teammate’s answer or the page’s names', async () => {
    await alex.db.integrations.update('cw', { lastSyncAt: 1_000 });
    const fetchedAt = Date.now() - 60_000;
    await alex.db.tickets.put({ integrationId: 'cw', ticketId: '9001', info: { ticketId: '9001', companyRemoteId: '1', summary: 'Printer jam' }, fetchedAt });
    await alex.docs.publishSpaces();
    await alex.docs.publishShared({ records: ['cw'] });
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    expect((await dana.db.integrations.get(teamId))?.lastSyncAt).toBe(1_000);
    expect(await dana.db.tickets.get([teamId, '9001'])).toMatchObject({ info: { companyRemoteId: '1' }, fetchedAt, fromTeam: true });
    // Dana's answers from the team are never published back.
    expect(await dana.docs.publishShared()).toBe(0);

    const noKeys = { db: dana.db, adapterFor: () => Promise.reject(new Error('no credentials')), tickets: new TicketCache() };
    const origin = 'https://na.myconnectwise.net';
    const company = await buildOverlayView(noKeys, origin, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(company).toMatchObject({ state: 'ready' });
    const ticket = await buildOverlayView(noKeys, origin, { psa: 'connectwise', kind: 'ticket', id: '9001' });
    expect(ticket).toMatchObject({ state: 'ready' });
    expect(JSON.stringify(ticket)).toContain('Northwind');
    // A ticket nobody looked up: the company the page names.
    const named = await buildOverlayView(noKeys, origin, { psa: 'connectwise', kind: 'ticket', id: '9002', hints: { companyName: 'Northwind' } });
    expect(named).toMatchObject({ state: 'ready' });
    const unknown = await buildOverlayView(noKeys, origin, { psa: 'connectwise', kind: 'ticket', id: '9003' });
    expect(unknown).toMatchObject({ state: 'error', message: expect.stringContaining('Nobody in your team has looked ticket #9003 up yet') });
  });
});
