// Over 300 lines on purpose: every state of the overlay's view, from not configured to ready, sharing one seeded database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import { coveringAgreement } from '@/lib/overlay-view/coverage';
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
    row(
      'configuration',
      { remoteId: '20', companyRemoteId: '1', name: 'SRV01', typeName: 'Server', serialNumber: 'ABC' },
      { layoutId: 'layout-configurations' },
    ),
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
    expect(view.ticket).toMatchObject({
      id: '900',
      summary: 'Printer down',
      items: [],
      coverage: { kind: 'active', agreement: { title: 'Managed Services' } },
    });
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
    // …and shows it expanded at the top, with its company's summary (agreements included) around it.
    expect(view).toMatchObject({ focus: { remoteId: '20', title: 'SRV01', focused: true } });
    expect(view.state === 'ready' && view.company.fields).toContainEqual({ label: 'Agreements', value: '1 active' });
    const companyPage = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(companyPage).not.toHaveProperty('focus');
  });

  it('gives a clear state for each thing that can be missing', async () => {
    const view = (origin: string, page: Parameters<typeof buildOverlayView>[2]) => buildOverlayView(deps(), origin, page);
    expect(await view('https://other.example.com', { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({ state: 'not-configured' });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '901' })).toEqual({
      state: 'not-matched',
      company: { remoteId: '2', name: 'Contoso' },
      lastSyncAt: 1000,
      offer: {}, // no client space is like it: one click creates one
    });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '404' })).toEqual({
      state: 'not-found',
      message: 'Ticket #404 was not found in ConnectWise.',
    });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'contact', id: '999' })).toMatchObject({
      state: 'not-found',
      message: expect.stringMatching(/not in Sidecar/),
    });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '77' })).toMatchObject({
      state: 'not-found',
      message: expect.stringMatching(/Sync now/),
    });

    await db.integrations.update('cw', { lastSyncAt: undefined });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({ state: 'not-synced' });
    await db.integrations.update('cw', { connection: { ok: false, code: 'auth', message: 'bad', testedAt: 0 } });
    expect(await view(ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' })).toMatchObject({
      state: 'not-configured',
      message: expect.stringMatching(/not connected yet/),
    });
  });

  it('shows a company with no address of its own its main site’s (HaloPSA keeps it there), not another PSA’s site of that id', async () => {
    await db.integrations.add({ id: 'halo', psa: 'halo', label: 'HaloPSA', settings: {}, uiOrigin: 'https://acme.halopsa.com', origins: [], createdAt: 1 });
    await db.records.bulkAdd([
      row('site', { remoteId: '41', companyRemoteId: '1', name: 'Head Office', address: '1 Acorn Way, Leeds' }),
      row('company', { remoteId: '12', name: 'Northwind (Halo)', types: [] }, { integrationId: 'halo' }),
      row('site', { remoteId: '41', companyRemoteId: '12', name: 'A Halo site', address: '9 Elsewhere St' }, { integrationId: 'halo' }),
    ]);
    await db.matches.add({ integrationId: 'halo', companyRemoteId: '12', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
    await db.records.update(['cw', 'company', '1'], { data: { remoteId: '1', name: 'Northwind', types: [], mainSiteRemoteId: '41' } as CanonicalRecord });
    const view = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(view.state === 'ready' && view.company.fields).toContainEqual({ label: 'Address', value: '1 Acorn Way, Leeds', copy: true });
  });

  it('never shows another integration’s data to a page, whatever the page claims', async () => {
    const view = await buildOverlayView(deps(), 'https://evil.example.com', { psa: 'connectwise', kind: 'company', id: '1' });
    expect(view.state).toBe('not-configured');
  });

  it('shows every PSA feeding one client space, with the source of each record', async () => {
    await db.integrations.add({
      id: 'halo',
      psa: 'halo',
      label: 'HaloPSA (acme.halopsa.com)',
      settings: {},
      uiOrigin: 'https://acme.halopsa.com',
      origins: [],
      createdAt: 1,
    });
    await db.records.bulkAdd([
      row('company', { remoteId: '12', name: 'Northwind (Halo)', types: [] }, { integrationId: 'halo' }),
      row('contact', { remoteId: '30001', companyRemoteId: '12', name: 'Halo Person' }, { integrationId: 'halo' }),
    ]);
    await db.matches.add({ integrationId: 'halo', companyRemoteId: '12', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
    const view = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(view.state === 'ready' && view.contacts.map((item) => [item.title, item.source])).toEqual([
      ['Al Brown', 'CW'],
      ['Halo Person', 'Halo'],
      ['Zoe Adams', 'CW'],
    ]);
  });

  it('puts the ticket’s contact and configurations first, flagged, with the agreement the ticket names', async () => {
    await db.records.bulkAdd([
      row('configuration', { remoteId: '21', companyRemoteId: '1', name: 'AAA-FIRST-BY-NAME', typeName: 'Laptop' }, { layoutId: 'layout-configurations' }),
      row('agreement', { remoteId: '31', companyRemoteId: '1', name: 'Block Hours', status: 'Active' }),
    ]);
    tickets['902'] = {
      ticketId: '902',
      summary: 'VPN down',
      companyRemoteId: '1',
      contactRemoteId: '10',
      configurationRemoteIds: ['20'],
      agreementRemoteId: '31',
    };
    const view = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '902' });
    if (view.state !== 'ready') throw new Error(view.state);
    expect(view.ticket!.items.map((item) => [item.title, item.onTicket])).toEqual([
      ['Zoe Adams', true],
      ['SRV01', true],
    ]);
    expect(view.ticket!.coverage).toMatchObject({
      kind: 'named',
      message: expect.stringMatching(/logged against this agreement/),
      agreement: { title: 'Block Hours' },
    });
    expect(view.contacts.map((item) => item.title)).toEqual(['Zoe Adams', 'Al Brown']);
    expect(view.configurations[0]!.items.map((item) => item.title)).toEqual(['SRV01', 'AAA-FIRST-BY-NAME']);
    expect(view.agreements.map((item) => item.title)).toEqual(['Block Hours', 'Managed Services']);
  });

  it('shows a ticket page from the stored answer when the PSA cannot be reached, saying so; never for a ticket the PSA says is gone', async () => {
    tickets['903'] = { ticketId: '903', companyRemoteId: '1', contactRemoteId: '11' };
    expect((await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '903' })).state).toBe('ready');
    // The service worker restarted (empty memory) and the PSA is down.
    const down = { ...adapter, getTicket: async () => Promise.reject(new PsaError('unreachable', 'Could not reach ConnectWise.')) } as unknown as PsaAdapter;
    const offline = { db, adapterFor: async () => down, tickets: new TicketCache(), now: () => Date.now() + 5 * 60_000 };
    const view = await buildOverlayView(offline, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '903' });
    if (view.state !== 'ready') throw new Error(view.state);
    expect(view.ticket).toMatchObject({
      id: '903',
      cachedAt: expect.any(Number),
      offline: expect.stringMatching(/could not be reached \(Could not reach ConnectWise\.\)/),
    });
    expect(view.ticket!.items.map((item) => item.title)).toEqual(['Al Brown']);
    // A ticket never seen: the outage is the answer.
    expect(await buildOverlayView(offline, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '904' })).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/Could not reach/),
    });
    // Not found stays not found, even with a stored answer (asked anew: the outage above is remembered for 10 minutes).
    const gone = {
      ...offline,
      tickets: new TicketCache(),
      adapterFor: async () =>
        ({
          ...adapter,
          getTicket: async () => Promise.reject(new PsaError('not-found', 'Ticket #903 was not found in ConnectWise.')),
        }) as unknown as PsaAdapter,
    };
    expect(await buildOverlayView(gone, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '903' })).toMatchObject({ state: 'not-found' });
  });

  it('with the PSA down and no stored answer, the page’s own company and contact names pick them, when unambiguous', async () => {
    const down = { ...adapter, getTicket: async () => Promise.reject(new PsaError('unreachable', 'Could not reach ConnectWise.')) } as unknown as PsaAdapter;
    const offline = { db, adapterFor: async () => down, tickets: new TicketCache() };
    const hinted = await buildOverlayView(offline, ORIGIN, {
      psa: 'connectwise',
      kind: 'ticket',
      id: '777',
      hints: { companyName: 'northwind <b>dental</b>', contactName: 'Zoe Adams' },
    });
    expect(hinted).toMatchObject({
      state: 'ready',
      clientSpaceName: 'Northwind',
      ticket: { id: '777', offline: expect.stringMatching(/company and contact were read from the page/) },
    });
    expect(hinted.state === 'ready' && hinted.ticket!.items.map((item) => item.title)).toEqual(['Zoe Adams']);
    // A name no company has, or two companies share, is not guessed.
    expect(await buildOverlayView(offline, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '777', hints: { companyName: 'Nobody' } })).toMatchObject({
      state: 'error',
    });
    await db.records.add(row('company', { remoteId: '3', name: 'Contoso', types: [] }));
    expect(await buildOverlayView(offline, ORIGIN, { psa: 'connectwise', kind: 'ticket', id: '777', hints: { companyName: 'Contoso' } })).toMatchObject({
      state: 'error',
    });
  });

  it('says when the data is stale and when the last sync failed', async () => {
    const fresh = await buildOverlayView({ ...deps(), now: () => 1000 + 60_000 }, ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(fresh).not.toHaveProperty('stale');
    const old = await buildOverlayView({ ...deps(), now: () => 1000 + 7 * 3_600_000 }, ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(old).toMatchObject({ stale: expect.stringMatching(/^This data is 7 hours old/) });
    await db.runs.add({
      id: 'r',
      integrationId: 'cw',
      trigger: 'schedule',
      status: 'failed',
      startedAt: 2000,
      steps: [],
      stepIndex: 0,
      pageToken: null,
      maxUpdatedAt: {},
      counts: {},
      attempts: 5,
      error: { code: 'auth', message: 'ConnectWise rejected the API keys (401).' },
    });
    const failed = await buildOverlayView(deps(), ORIGIN, { psa: 'connectwise', kind: 'company', id: '1' });
    expect(failed).toMatchObject({ failed: expect.stringMatching(/last sync of .* failed: ConnectWise rejected the API keys/) });
  });
});

describe('coveringAgreement', () => {
  const agreement = (remoteId: string, data: Partial<{ status: string; startDate: string; endDate: string; inactive: boolean }>, companyRemoteId = '1') =>
    row('agreement', { remoteId, companyRemoteId, name: `Agreement ${remoteId}`, ...data });
  const ticket = { ticketId: '1', companyRemoteId: '1' };
  const today = '2026-11-29';

  it('prefers the ticket’s own agreement, warns when it is not active', () => {
    const named = agreement('a', { startDate: '2026-01-01T00:00:00Z', endDate: '2026-06-30T00:00:00Z' });
    const other = agreement('b', {});
    expect(coveringAgreement([named, other], { ...ticket, agreementRemoteId: 'a' }, 'cw', today)).toMatchObject({
      kind: 'expired',
      agreement: named,
      message: expect.stringMatching(/ended 2026-06-30/),
    });
    expect(coveringAgreement([named, other], { ...ticket, agreementRemoteId: 'b' }, 'cw', today)).toMatchObject({ kind: 'named', agreement: other });
  });

  it('else the company’s active agreement running longest; else a warning', () => {
    const short = agreement('s', { endDate: '2026-12-31' });
    const open = agreement('o', { startDate: '2025-01-01' });
    const future = agreement('f', { startDate: '2027-01-01' });
    const inactive = agreement('i', { inactive: true });
    expect(coveringAgreement([short, open, future, inactive], ticket, 'cw', today)).toMatchObject({
      kind: 'active',
      agreement: open,
      message: expect.stringMatching(/One of 2 active agreements/),
    });
    expect(coveringAgreement([future, inactive], ticket, 'cw', today)).toEqual({
      kind: 'none',
      message: expect.stringMatching(/No active agreement covers this ticket/),
    });
  });
});
