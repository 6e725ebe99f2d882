import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthor } from '@/lib/db/queries';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { destroyDocStore, docStore, replicateStores, type DocStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { saveAuthorName } from '@/lib/docstore/author';
import { sourceDigest } from '@/lib/docstore/ids';
import { sharedContext, teamIntegrationId } from '@/lib/documents/shared-context';
import { publishRecords, RECORDS_PER_CHUNK } from '@/lib/documents/team-records';
import { teamPullTarget } from '@/lib/team/pull-target';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';

/**
 * The team's shared setup and PSA records (#15), between two browsers replicating in-process
 * through a third store standing for the team's database, as the background does: the setup
 * through each browser's documentation store, the records published straight to the team's
 * database and pulled straight into `records` (lib/team/pull-target.ts). Alex's ConnectWise
 * integration (settings, options, sort rules), matches, layouts and records reach Dana, who has
 * no integration of her own and gets the team's (no credentials); a resync that changed one
 * company rewrites one chunk; a company gone removes its chunk and rows there; a later match
 * decision wins; a member who takes over the sync writes over the team's revisions.
 *
 * Checked by hand to fail without their guards: with applyRecordChunks applying the chunks this
 * install wrote, Alex's own rows gain `teamChunk` (the first case fails); with publishRecords not
 * comparing digests, the resync case writes every chunk; with the match applier taking any
 * arriving decision, the older-decision part fails; with publishRecords ignoring `onlyIfFirst`,
 * Dana's joining publishes her stale company; with the source applier rewriting the settings of an
 * integration that has credentials, the collector case fails. Since records skip the
 * documentation store: with the pull target not routing `bulkDocs`, every records case fails (the
 * chunks land in Dana's store); with no second write after a conflict, or publishRecords leaving
 * out rows another holder's chunks brought, the takeover case fails; with the chunk's earlier
 * revision kept although a deletion follows it, the conflict case fails.
 */

interface Browser {
  db: SidecarDb;
  store: DocStore;
  docs: DocumentService;
}
const opened: Browser[] = [];
let team: DocStore;

async function browserNamed(name: string): Promise<Browser> {
  const db = new SidecarDb(`team-shared-${name}-${crypto.randomUUID()}`);
  await db.open();
  const store = docStore(`team-shared-${name}-${crypto.randomUUID()}`);
  await saveAuthorName(db, name);
  const browser = { db, store, docs: new DocumentService(db, () => store) };
  opened.push(browser);
  return browser;
}

/** `from`'s documents to the team's database, then everything the team has to `to`, as the background's pull writes it. */
async function replicate(from: Browser, to: Browser): Promise<void> {
  await from.store.replicate.to(team);
  await replicateStores(team, teamPullTarget(to.store, to.db), {});
  await to.docs.catchUp();
}

/** The shared setup and, of these integrations, the records (as TeamService.publishRecords does): how many documents were written. */
async function publish(browser: Browser, records: string[] = [], options: { onlyIfFirst?: boolean } = {}): Promise<number> {
  let written = await browser.docs.publishShared();
  for (const integrationId of records) {
    const published = await publishRecords(browser.db, team, integrationId, await sharedContext(browser.db), options);
    written += published.written + published.deleted;
  }
  return written;
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
    syncedAt: 1,
  };
}

let alex: Browser;
let dana: Browser;
beforeEach(async () => {
  team = docStore(`team-shared-team-${crypto.randomUUID()}`);
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
  await destroyDocStore(team.name);
});

describe('the team’s shared setup and records', () => {
  it('reach a member with no integration of her own, who gets the team’s, without credentials', async () => {
    await alex.docs.publishSpaces();
    const written = await publish(alex, ['cw']);
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
    // The records went to Dana's `records` only, not through her documentation store.
    expect((await dana.store.allDocs({ startkey: 'records:', endkey: 'records:\ufff0' })).rows).toEqual([]);
    expect(await dana.db.teamChunks.count()).toBe(4); // company 1 and 2, configurations of 1, contacts of 2
    // Alex's own rows are his sync's, untouched by the chunks coming back.
    await replicate(dana, alex);
    expect(await alex.db.teamChunks.count()).toBe(4);
    expect((await alex.db.records.toArray()).every((row) => row.teamChunk === undefined && row.integrationId === 'cw')).toBe(true);
    expect(await alex.db.integrations.count()).toBe(1);
  });

  it('a resync that changed one company rewrites that chunk only; a company gone takes its chunk and rows away', async () => {
    await publish(alex, ['cw']);
    await replicate(alex, dana);
    expect(await publish(alex, ['cw'])).toBe(0);

    await alex.db.records.put(record('configuration', '101', '1', 'NAS02'));
    expect(await publish(alex, ['cw'])).toBe(1);
    await alex.db.records.filter((row) => row.companyRemoteId === '2').delete();
    expect(await publish(alex, ['cw'])).toBe(2); // company 2's company and contact chunks, deleted
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
    await publish(alex, ['cw']);
    const chunks = await team.allDocs({ startkey: 'records:', endkey: 'records:\ufff0' });
    expect(chunks.rows.filter((row) => row.id.includes(':configuration:1:'))).toHaveLength(2);
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    expect(await dana.db.records.where('[integrationId+entity+companyRemoteId]').equals([teamId, 'configuration', '1']).count()).toBe(RECORDS_PER_CHUNK + 7);
  });

  it('a member who takes the sync over writes over the team’s revisions, also ones she had not pulled yet: no conflict, her records win', async () => {
    await publish(alex, ['cw']);
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    // Alex's next sync renames NAS01; Dana has not pulled it when she takes the lease over.
    await alex.db.records.put(record('configuration', '101', '1', 'NAS02'));
    expect(await publish(alex, ['cw'])).toBe(1);
    // Dana's own sync of the team's integration (she gave it API keys): her rows, not the team's.
    await dana.db.integrations.update(teamId, { connection: { ok: true, companyName: 'Acme', testedAt: 9 } });
    await dana.db.records.bulkPut([
      { ...record('company', '1', '1', 'Northwind'), integrationId: teamId },
      { ...record('configuration', '100', '1', 'FW01'), integrationId: teamId },
      { ...record('configuration', '101', '1', 'NAS03'), integrationId: teamId },
    ]);
    await dana.db.records.filter((row) => row.teamChunk !== undefined).delete();
    // Company 1 and its configurations (written over Alex's newer revision); company 2's chunks are Alex's to remove.
    expect(await publish(dana, [teamId])).toBe(2);
    const configurations = await team.get(`records:${await sourceDigest(SOURCE)}:configuration:1:0`, { conflicts: true });
    expect(configurations._conflicts).toBeUndefined();
    expect(configurations.writer).toBe((await loadAuthor(dana.db))?.installId);
    expect((configurations.records as { sortName: string }[]).map((row) => row.sortName)).toEqual(['fw01', 'nas03']);
    // Alex takes in Dana's records; her own publish stays unchanged once she has them back.
    await replicate(dana, alex);
    expect((await alex.db.records.get(['cw', 'configuration', '101']))?.sortName).toBe('nas03');
    expect(await publish(dana, [teamId])).toBe(0);
    // Alex's turn again: his incremental sync rewrites only what changed; his chunk still holds
    // every configuration of the company, the ones Dana's chunk brought him included.
    await alex.db.records.put(record('configuration', '101', '1', 'NAS04'));
    expect(await publish(alex, ['cw'])).toBeGreaterThanOrEqual(1);
    const again = await team.get(`records:${await sourceDigest(SOURCE)}:configuration:1:0`);
    expect((again.records as { sortName: string }[]).map((row) => row.sortName)).toEqual(['fw01', 'nas04']);
  });

  it('takes in the revision CouchDB shows of a records document in conflict, and a deletion that follows the one it has', async () => {
    await publish(alex, ['cw']);
    await replicate(alex, dana);
    const teamId = teamIntegrationId(await sourceDigest(SOURCE));
    const id = `records:${await sourceDigest(SOURCE)}:configuration:1:0`;
    const current = await team.get(id);
    const [generation, hash] = (current._rev as string).split('-');
    const child = (suffix: string, body: Record<string, unknown>) => ({
      ...current,
      ...body,
      _rev: `${Number(generation) + 1}-${suffix}`,
      _revisions: { start: Number(generation) + 1, ids: [suffix, hash] },
    });
    const renamed = (name: string) => ({ records: [{ remoteId: '100', data: { remoteId: '100', name }, sortName: name.toLowerCase() }], writer: 'other' });
    // Two members wrote the same chunk apart (as replication brings them): the greater revision wins, on every replica.
    await team.bulkDocs({ docs: [child('aaaa', renamed('FW-A')), child('ffff', renamed('FW-F'))], new_edits: false });
    await replicate(alex, dana);
    expect((await team.get(id, { conflicts: true }))._conflicts).toHaveLength(1);
    const rows = () => dana.db.records.where('[integrationId+entity+companyRemoteId]').equals([teamId, 'configuration', '1']).toArray();
    expect((await rows()).map((row) => row.sortName)).toEqual(['fw-f']);
    // The winner deleted: the other revision shows, as in CouchDB.
    await team.remove({ _id: id, _rev: `${Number(generation) + 1}-ffff` });
    await replicate(alex, dana);
    expect((await rows()).map((row) => row.sortName)).toEqual(['fw-a']);
    expect((await dana.db.teamChunks.get(id))?.rev).toBe(`${Number(generation) + 1}-aaaa`);
    // Both gone: so are the rows.
    await team.remove({ _id: id, _rev: `${Number(generation) + 1}-aaaa` });
    await replicate(alex, dana);
    expect(await rows()).toEqual([]);
    expect((await dana.db.teamChunks.get(id))?.deleted).toBe(true);
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
    await publish(alex, ['cw']);
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
    expect(await publish(dana, ['dana-cw'], { onlyIfFirst: true })).toBe(0);
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
    await publish(alex, ['cw']);
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
