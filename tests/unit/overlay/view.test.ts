import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { buildOverlayView, TicketCache } from '@/lib/overlay/view';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalRecord, EntityKind, PsaAdapter, TicketInfo } from '@/lib/psa/types';

const ORIGIN = 'https://na.myconnectwise.net';
let db: SidecarDb;
let ticketCalls: string[];
let tickets: Record<string, TicketInfo>;

const adapter = {
  kind: 'connectwise',
  async getTicket(id: string) {
    ticketCalls.push(id);
    const info = tickets[id];
    if (!info) throw new PsaError('not-found', `Ticket #${id} was not found in ConnectWise.`);
    return info;
  },
  recordUrl: (entity: string, id: string) => `${ORIGIN}/v2025_1/ConnectWise.aspx?routeTo=${entity}&recid=${id}`,
} as unknown as PsaAdapter;

const deps = () => ({ db, adapterFor: async () => adapter, tickets: new TicketCache() });
const row = (entity: EntityKind, data: CanonicalRecord, extra: Partial<RecordRow> = {}): RecordRow => ({
  integrationId: 'cw',
  entity,
  remoteId: data.remoteId,
  companyRemoteId: entity === 'company' ? data.remoteId : (data as { companyRemoteId: string }).companyRemoteId,
  data,
  sortName: ((data as { name?: string }).name ?? '').toLowerCase(),
  syncedAt: 1,
  ...extra,
});

beforeEach(async () => {
  db = new SidecarDb(`view-${Math.random()}`);
  ticketCalls = [];
  tickets = { '900': { ticketId: '900', summary: 'Printer down', companyRemoteId: '1' }, '901': { ticketId: '901', companyRemoteId: '2' } };
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise (na.myconnectwise.net)',
    settings: {},
    uiOrigin: ORIGIN,
    origins: [ORIGIN],
    createdAt: 0,
    connection: { ok: true, companyName: 'MSP', testedAt: 0 },
    lastSyncAt: 1000,
  });
  await db.records.bulkAdd([
    row('company', { remoteId: '1', name: 'Northwind <b>Dental</b>', types: [], phone: '555' }),
    row('company', { remoteId: '2', name: 'Contoso', types: [] }),
    row('contact', { remoteId: '10', companyRemoteId: '1', name: 'Zoe Adams', email: 'zoe@example.com' }),
    row('contact', { remoteId: '11', companyRemoteId: '1', name: 'Al Brown' }),
    row('contact', { remoteId: '12', companyRemoteId: '1', name: 'Gone Person' }, { archivedAt: 5 }),
    row('configuration', { remoteId: '20', companyRemoteId: '1', name: 'SRV01', typeName: 'Server', serialNumber: 'ABC' }, { layoutId: 'layout-configurations' }),
    row('agreement', { remoteId: '30', companyRemoteId: '1', name: 'Managed Services', status: 'Active' }),
    row('site', { remoteId: '40', companyRemoteId: '1', name: 'Main', primary: true }),
    row('contact', { remoteId: '50', companyRemoteId: '2', name: 'Other Company Contact' }),
  ]);
  await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
  await db.matches.bulkAdd([
    { integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 },
    { integrationId: 'cw', companyRemoteId: '2', state: 'unmatched', decidedAt: 0 },
  ]);
});
afterEach(async () => {
  await db.delete();
});

describe('buildOverlayView', () => {
  it('shows the matched company’s live records for a ticket, resolving the company through the PSA once', async () => {
    const shared = deps();
    const view = await buildOverlayView(shared, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '900' });
    expect(view.state).toBe('ready');
    if (view.state !== 'ready') return;
    expect(view.clientSpaceName).toBe('Northwind');
    expect(view.company.title).toBe('Northwind <b>Dental</b>'); // text, rendered as text by React
    expect(view.ticket).toEqual({ id: '900', summary: 'Printer down' });
    expect(view.contacts.map((item) => item.title)).toEqual(['Al Brown', 'Zoe Adams']);
    expect(view.contacts[1]!.fields).toEqual([{ label: 'Email', value: 'zoe@example.com', copy: true }]);
    expect(view.configurations).toEqual([{ layout: 'Configurations', items: [expect.objectContaining({ title: 'SRV01', subtitle: 'Server' })] }]);
    expect(view.agreements.map((item) => item.title)).toEqual(['Managed Services']);
    expect(view.sites[0]).toMatchObject({ title: 'Main', subtitle: 'Primary site' });
    expect(view.contacts[0]!.url).toContain('recid=11');
    await buildOverlayView(shared, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '900' });
    expect(ticketCalls).toEqual(['900']);
  });

  it('marks the record of a record page', async () => {
    const view = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'configuration', id: '20' });
    expect(view.state === 'ready' && view.configurations[0]!.items[0]!.focused).toBe(true);
  });

  it('gives a clear state for each thing that can be missing', async () => {
    const view = (origin: string, page: Parameters<typeof buildOverlayView>[2]) => buildOverlayView(deps(), origin, page);
    expect(await view('https://other.example.com', { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({ state: 'not-configured' });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '901' })).toEqual({
      state: 'not-matched',
      company: { remoteId: '2', name: 'Contoso' },
      lastSyncAt: 1000,
    });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '404' })).toEqual({ state: 'not-found', message: 'Ticket #404 was not found in ConnectWise.' });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'contact', id: '999' })).toMatchObject({ state: 'not-found', message: expect.stringMatching(/not in Sidecar/) });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '77' })).toMatchObject({ state: 'not-found', message: expect.stringMatching(/Resync/) });

    await db.integrations.update('cw', { lastSyncAt: undefined });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({ state: 'not-synced' });
    await db.integrations.update('cw', { connection: { ok: false, code: 'auth', message: 'bad', testedAt: 0 } });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({ state: 'not-configured', message: expect.stringMatching(/not connected yet/) });
  });

  it('never shows another integration’s data to a page, whatever the page claims', async () => {
    const view = await buildOverlayView(deps(), 'https://evil.example.com', { psa: 'connectwise', kind: 'company', id: '1' });
    expect(view.state).toBe('not-configured');
  });

  it('shows every PSA feeding one client space, with the source of each record', async () => {
    await db.integrations.add({ id: 'halo', psa: 'halo', label: 'HaloPSA (acme.halopsa.com)', settings: {}, uiOrigin: 'https://acme.halopsa.com', origins: [], createdAt: 1 });
    await db.records.bulkAdd([
      row('company', { remoteId: '12', name: 'Northwind (Halo)', types: [] }, { integrationId: 'halo' }),
      row('contact', { remoteId: '30001', companyRemoteId: '12', name: 'Halo Person' }, { integrationId: 'halo' }),
    ]);
    await db.matches.add({ integrationId: 'halo', companyRemoteId: '12', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
    const view = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(view.state === 'ready' && view.contacts.map((item) => [item.title, item.source])).toEqual([
      ['Al Brown', 'ConnectWise (na.myconnectwise.net)'],
      ['Halo Person', 'HaloPSA (acme.halopsa.com)'],
      ['Zoe Adams', 'ConnectWise (na.myconnectwise.net)'],
    ]);
  });
});
