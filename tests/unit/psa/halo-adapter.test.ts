import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalCompany, CanonicalConfiguration, CanonicalRecord, PageResult } from '@/lib/psa/types';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';

let halo: RunningHaloEmulator;

function adapter(name: 'valid' | 'limited' | 'restricted' = 'valid', overrides: { tenant?: string; clientSecret?: string; resourceOrigin?: string } = {}) {
  const creds = halo.credentials[name];
  return new HaloAdapter({
    settings: {
      resourceOrigin: overrides.resourceOrigin ?? halo.baseUrl,
      ...((overrides.tenant ?? creds.tenant) ? { tenant: overrides.tenant ?? creds.tenant } : {}),
    },
    credentials: { clientId: creds.clientId, clientSecret: overrides.clientSecret ?? creds.clientSecret },
    retries: 0,
    timeoutMs: 5000,
  });
}

beforeAll(async () => {
  halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
});
afterAll(async () => {
  await halo.close();
});

describe('HaloPSA adapter against the emulator', () => {
  it('tests the connection: authinfo, token, instance info', async () => {
    const info = await adapter().testConnection();
    expect(info.companyName).toBeTruthy();
    expect(info.settingsPatch).toEqual({ authUrl: `${halo.baseUrl}/auth` });
  });

  it.each([
    ['a wrong secret', () => adapter('valid', { clientSecret: 'nope' }), 'auth', /invalid_client/],
    ['a wrong tenant', () => adapter('valid', { tenant: 'someoneelse' }), 'auth', /tenant "someoneelse"/],
    ['a missing permission', () => adapter('limited'), 'permission', /cannot read assets \(read:assets\).*Client Access Level/],
    ['an address that is no Halo', () => adapter('valid', { resourceOrigin: 'http://127.0.0.1:9' }), 'unreachable', /Could not reach/],
  ])('names %s', async (_what, make, code, message) => {
    const error = (await make()
      .testConnection()
      .catch((caught: unknown) => caught)) as PsaError;
    expect(error).toBeInstanceOf(PsaError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('lists every client, and the assets of chosen clients with their type names', async () => {
    const halo1 = adapter();
    const companies = await halo1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    expect(companies.records.length).toBe(halo.data.clients.rows.length);
    const clientId = String(companies.records[0]!.remoteId);
    const assets = await halo1.listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [clientId] });
    expect(assets.records.length).toBeGreaterThan(0);
    expect(assets.records.every((record) => (record as CanonicalConfiguration).companyRemoteId === clientId)).toBe(true);
    expect((assets.records[0] as CanonicalConfiguration).typeName).not.toBe('Asset');
    for (const entity of ['contact', 'site', 'agreement'] as const) {
      const page = await halo1.listPage(entity, { pageToken: null, since: null, companyRemoteIds: [clientId] });
      expect(page.rejected, entity).toEqual([]);
    }
  });

  it('renews an expired token once and carries on', async () => {
    const halo1 = adapter();
    await halo1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    halo.control.expireTokens();
    const again = await halo1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    expect(again.records.length).toBe(halo.data.clients.rows.length);
  });

  it('resolves a ticket to its client', async () => {
    const ticket = halo.data.tickets.rows[0]!;
    const info = await adapter().getTicket(String(ticket.id));
    expect(info.companyRemoteId).toBe(String(ticket.client_id));
    await expect(adapter().getTicket('987654')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('HaloPSA fields (what a layout custom field can show)', () => {
  type Row = Record<string, unknown>;
  const custom = (row: Row, label: string) => (row.customfields as Row[] | undefined)?.find((field) => field.label === label);
  /** Every page of a pass over all clients (children are read client by client). */
  async function listed(entity: 'company' | 'contact' | 'configuration' | 'site') {
    const halo1 = adapter();
    const records = new Map<string, CanonicalRecord>();
    let pageToken: string | null = null;
    do {
      const page: PageResult = await halo1.listPage(entity, { pageToken, since: null, companyRemoteIds: halo.data.clients.rows.map((row) => String(row.id)) });
      expect(page.rejected).toEqual([]);
      for (const record of page.records) records.set(record.remoteId, record);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return records;
  }

  it('assets carry their type fields, warranty, supplier, contract and custom fields as display text', async () => {
    const assets = await listed('configuration');
    const rows = halo.data.assets.rows;
    const planned = rows.find((row) => custom(row, 'Backup Plan') && custom(row, 'Go-Live Date') && custom(row, 'Decommission Reason'))!;
    const values = planned._values as Record<string, string>;
    const contract = halo.data.contracts.get(Number(planned.contract_id));
    const fields = assets.get(String(planned.id))!.fields!;
    expect(fields).toMatchObject({
      'Device Name': values.deviceName,
      'Serial Number': values.serial,
      Model: values.model,
      'Inventory Number': planned.inventory_number,
      'Warranty Start': (planned.warranty_start as string).slice(0, 10),
      'Backup Plan': custom(planned, 'Backup Plan')!.display,
      // A date custom field whose display is empty shows its value as a date.
      'Go-Live Date': (custom(planned, 'Go-Live Date')!.value as string).slice(0, 10),
    });
    if (contract) expect(fields.Contract).toBe(contract.ref);
    // Empty custom fields (value and display "") are left out.
    expect(fields).not.toHaveProperty('Decommission Reason');

    const supplied = rows.find((row) => row.supplier_name)!;
    expect(assets.get(String(supplied.id))!.fields!.Supplier).toBe(supplied.supplier_name);
    const unsupplied = rows.find((row) => !row.supplier_name)!;
    expect(assets.get(String(unsupplied.id))!.fields).not.toHaveProperty('Supplier');
    expect(assets.size).toBe(rows.length);
  });

  it('users, sites and clients carry their custom fields; a record with none has no fields key', async () => {
    const [users, sites, clients] = await Promise.all([listed('contact'), listed('site'), listed('company')]);
    const user = halo.data.users.rows.find((row) => custom(row, 'Preferred Contact Method'))!;
    expect(users.get(String(user.id))!.fields).toEqual({ 'Preferred Contact Method': custom(user, 'Preferred Contact Method')!.display });
    const plainUser = halo.data.users.rows.find((row) => !(row.customfields as Row[]).length && !row.inactive)!;
    expect(users.get(String(plainUser.id))).not.toHaveProperty('fields');
    const site = halo.data.sites.rows.find((row) => custom(row, 'After-hours Access'))!;
    expect(sites.get(String(site.id))!.fields).toEqual({ 'After-hours Access': custom(site, 'After-hours Access')!.display });
    const client = halo.data.clients.rows[0]!;
    expect(clients.get(String(client.id))!.fields).toEqual({ Region: custom(client, 'Region')!.display });
  });

  it('drops a malformed custom field without rejecting the record, and leaves empty dates out', async () => {
    const asset = halo.data.assets.rows[1]!;
    halo.control.mutate.update('asset', asset.id, {
      warranty_end: '1900-01-01T00:00:00',
      supplier_name: '',
      customfields: [
        { id: 141, name: 'CFBackupPlan', label: 'Backup Plan', type: 2, value: 2, display: 'Cloud only' },
        { id: 144, name: 'CFRackUnits', type: 0, value: 2, display: '' },
        { id: 145, name: 'CFManaged', label: 'Managed', type: 6, value: true, display: null },
        { id: 146, label: 'Installed On', type: 4, value: '0001-01-01T00:00:00', display: '' },
        { id: 147, value: 'no name or label', display: 'no name or label' },
        { id: 148, name: 42, label: ['x'], value: 'malformed names', display: 'malformed names' },
        'not a custom field',
      ],
    });
    const user = halo.data.users.rows[0]!;
    halo.control.mutate.update('user', user.id, { customfields: 'oops' });
    const clientId = String(asset.client_id);
    const assets = await adapter().listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [clientId] });
    expect(assets.rejected).toEqual([]);
    const fields = assets.records.find((record) => record.remoteId === String(asset.id))!.fields!;
    expect(fields).toMatchObject({ 'Backup Plan': 'Cloud only', CFRackUnits: '2', Managed: 'Yes' });
    for (const label of ['Warranty End', 'Supplier', 'Installed On']) expect(fields).not.toHaveProperty(label);
    expect(Object.values(fields)).not.toContain('no name or label');
    expect(Object.values(fields)).not.toContain('malformed names');

    const users = await adapter().listPage('contact', { pageToken: null, since: null, companyRemoteIds: [String(user.client_id)] });
    expect(users.rejected).toEqual([]);
    expect(users.records.find((record) => record.remoteId === String(user.id))).not.toHaveProperty('fields');
  });

  it('asks for the asset type fields (includeassetfields=true)', async () => {
    halo.control.resetRequestLog();
    await adapter().listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [String(halo.data.clients.rows[0]!.id)] });
    const list = halo.control.requests().find((request) => /\/api\/asset$/i.test(request.path))!;
    expect(list.query.includeassetfields).toBe('true');
  });
});

describe('HaloPSA ticket: contact, assets and contract', () => {
  type Row = Record<string, unknown>;
  const linked = (ticket: Row) => (ticket._assets as number[] | undefined) ?? [];
  /** A ticket with an end user, a contract and at least two assets. */
  const fullTicket = () => halo.data.tickets.rows.find((row) => Number(row.user_id) > 0 && Number(row.contract_id) > 0 && linked(row).length >= 2)!;
  const ticketPath = (id: number) => new RegExp(`/api/Tickets/${id}$`, 'i');
  /** The full ticket as the emulator serves it, with some keys changed or removed. */
  async function servedTicket(id: number, patch: Row, drop: string[] = []) {
    const response = await fetch(`${halo.apiUrl}/Tickets/${id}`, { headers: { Authorization: `Bearer ${await tokenOf()}` } });
    const body = (await response.json()) as Row;
    for (const key of drop) delete body[key];
    return { ...body, ...patch };
  }
  async function tokenOf() {
    const creds = halo.credentials.valid;
    const response = await fetch(`${halo.authUrl}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        scope: 'all',
        ...(creds.tenant ? { tenant: creds.tenant } : {}),
      }),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('reads user_id, contract_id and the assets of GET /api/Tickets/{id}', async () => {
    const ticket = fullTicket();
    halo.control.resetRequestLog();
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toEqual({
      ticketId: String(ticket.id),
      summary: ticket.summary,
      companyRemoteId: String(ticket.client_id),
      companyName: halo.data.clients.get(Number(ticket.client_id))!.name,
      contactRemoteId: String(ticket.user_id),
      configurationRemoteIds: linked(ticket).map(String),
      agreementRemoteId: String(ticket.contract_id),
    });
    // They are the client's own user, assets and contract (what the sync stores for it).
    expect(halo.data.users.get(Number(ticket.user_id))!.client_id).toBe(ticket.client_id);
    for (const id of linked(ticket)) expect(halo.data.assets.get(id)!.client_id).toBe(ticket.client_id);
    expect(halo.data.contracts.get(Number(ticket.contract_id))!.client_id).toBe(ticket.client_id);
    // The ticket carries its assets: no asset list is asked for.
    expect(halo.control.requests().filter((request) => /\/api\/Asset/i.test(request.path))).toEqual([]);
  });

  it('leaves out the keys a ticket has no value for (user 0, contract 0, no assets)', async () => {
    const plain = halo.data.tickets.rows.find((row) => linked(row).length === 0)!;
    const info = await adapter().getTicket(String(plain.id));
    expect(info).not.toHaveProperty('configurationRemoteIds');
    expect(info.agreementRemoteId).toBe(String(plain.contract_id));

    const body = await servedTicket(plain.id, { user_id: 0, user_name: '', contract_id: 0, contract_ref: '', assets: [] });
    halo.control.injectFault({ path: ticketPath(plain.id), status: 200, body });
    const none = await adapter().getTicket(String(plain.id));
    halo.control.clearFaults();
    expect(none).toEqual({ ticketId: String(plain.id), summary: plain.summary, companyRemoteId: String(plain.client_id), companyName: expect.any(String) });

    halo.control.injectFault({ path: ticketPath(plain.id), status: 200, body: { ...body, user_id: null, contract_id: null, assets: null } });
    const nulls = await adapter().getTicket(String(plain.id));
    halo.control.clearFaults();
    expect(Object.keys(nulls).sort()).toEqual(['companyName', 'companyRemoteId', 'summary', 'ticketId']);
  });

  it('tolerates ids sent as numeric strings or doubles, asset_id, and asset rows without an id', async () => {
    const ticket = fullTicket();
    const [first, second] = linked(ticket);
    const body = await servedTicket(ticket.id, {
      user_id: String(ticket.user_id),
      contract_id: Number(ticket.contract_id) + 0.0,
      assets: [{ id: String(first) }, { key_field: 'no id' }, 'x', { id: first }],
      asset_id: second,
    });
    halo.control.injectFault({ path: ticketPath(ticket.id), status: 200, body });
    const info = await adapter().getTicket(String(ticket.id));
    halo.control.clearFaults();
    expect(info).toMatchObject({
      contactRemoteId: String(ticket.user_id),
      agreementRemoteId: String(ticket.contract_id),
      configurationRemoteIds: [String(first), String(second)],
    });

    halo.control.injectFault({
      path: ticketPath(ticket.id),
      status: 200,
      body: { ...body, user_id: 'someone', contract_id: { id: 1 }, assets: 'none', asset_id: -1 },
    });
    const odd = await adapter()
      .getTicket(String(ticket.id))
      .catch((caught: unknown) => caught);
    halo.control.clearFaults();
    expect(odd).not.toBeInstanceOf(Error);
    expect(odd).not.toHaveProperty('contactRemoteId');
    expect(odd).not.toHaveProperty('agreementRemoteId');
  });

  it('asks GET /api/Asset?ticket_id= when the ticket leaves its assets out, and lives without them if refused', async () => {
    const ticket = fullTicket();
    const body = await servedTicket(ticket.id, {}, ['assets']);
    halo.control.injectFault({ path: ticketPath(ticket.id), status: 200, body });
    halo.control.resetRequestLog();
    const info = await adapter().getTicket(String(ticket.id));
    halo.control.clearFaults();
    expect(info.configurationRemoteIds).toEqual(linked(ticket).map(String));
    const assetCall = halo.control.requests().find((request) => /\/api\/Asset$/i.test(request.path))!;
    expect(assetCall.query).toMatchObject({ ticket_id: String(ticket.id), includeinactive: 'true' });

    // An API application without the assets area gets a 403 there: the ticket still resolves.
    halo.control.injectFault({ path: ticketPath(ticket.id), status: 200, body });
    const limited = await adapter('limited').getTicket(String(ticket.id));
    halo.control.clearFaults();
    expect(limited).toMatchObject({ ticketId: String(ticket.id), contactRemoteId: String(ticket.user_id), agreementRemoteId: String(ticket.contract_id) });
    expect(limited).not.toHaveProperty('configurationRemoteIds');
  });
});

describe('HaloPSA client records (what the April 2025 list lacks)', () => {
  it('marks list rows without a website as lacking it, and reads it from full client records a few per page', async () => {
    const halo1 = adapter();
    const list = await halo1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    // The April 2025 list row has no `website` key at all: the record says so instead of claiming "no website".
    for (const record of list.records) expect(record).toMatchObject({ unlistedFields: ['website'] });
    for (const record of list.records) expect((record as CanonicalCompany).website).toBeUndefined();

    const clients = halo.data.clients.rows;
    const ids = clients.map((client) => String(client.id));
    const gone = '999999';
    halo.control.resetRequestLog();
    const pages: PageResult<'company'>[] = [];
    let pageToken: string | null = null;
    do {
      const page: PageResult<'company'> = await halo1.listPage('company', { pageToken, since: null, companyRemoteIds: [...ids, gone], details: true });
      pages.push(page);
      pageToken = page.nextPageToken;
    } while (pageToken);
    // One GET /api/Client/{id} per requested client, five per page; the one that is gone (404) is passed over.
    const calls = halo.control.requests().filter((request) => /\/api\/Client\/\d+$/i.test(request.path));
    expect(calls.map((call) => call.path.split('/').at(-1))).toEqual([...ids, gone]);
    const asked = [...ids, gone];
    const perPage = Array.from({ length: Math.ceil(asked.length / 5) }, (_, index) => asked.slice(index * 5, index * 5 + 5).filter((id) => id !== gone).length);
    expect(pages.map((page) => page.records.length)).toEqual(perPage);
    // Each page says what it cost: a request per client asked for, the one gone too.
    expect(pages.map((page) => page.requests)).toEqual(Array.from({ length: perPage.length }, (_, index) => asked.slice(index * 5, index * 5 + 5).length));
    expect(pages[0]!.total).toBe(ids.length + 1);
    const records = pages.flatMap((page) => page.records);
    expect(records.map((record) => record.remoteId)).toEqual(ids);
    for (const [index, record] of records.entries()) {
      expect(record).not.toHaveProperty('unlistedFields');
      expect(record).toMatchObject({ website: clients[index]!.website });
    }
  });

  it('sets aside an unreadable client record with the reason, and fails the page on an auth error', async () => {
    const client = halo.data.clients.rows[0]!;
    halo.control.injectFault({ path: `/api/Client/${client.id}`, status: 200, body: { id: client.id } });
    const page = await adapter().listPage('company', { pageToken: null, since: null, companyRemoteIds: [String(client.id)], details: true });
    halo.control.clearFaults();
    expect(page.records).toEqual([]);
    expect(page.rejected).toEqual([{ remoteId: String(client.id), reason: expect.stringMatching(/^HaloPSA sent an unreadable client record \(.+\)\.$/) }]);

    halo.control.injectFault({ path: `/api/Client/${client.id}`, status: 401, body: { error: 'unauthorized' }, times: 5 });
    const error = await adapter()
      .listPage('company', { pageToken: null, since: null, companyRemoteIds: [String(client.id)], details: true })
      .catch((caught: unknown) => caught);
    halo.control.clearFaults();
    expect(error).toBeInstanceOf(PsaError);
    expect((error as PsaError).code).toBe('auth');
  });
});
