import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalAgreement, CanonicalConfiguration, CanonicalContact, CanonicalRecord, CanonicalSite, PageResult } from '@/lib/psa/types';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';
import { contactName } from '../../emulator/kaseya-bms/store.ts';

let bms: RunningKaseyaBms;

function adapter(name: 'valid' | 'wrongPassword' | 'wrongTenant' | 'nonApiUser' = 'valid', apiOrigin?: string) {
  const creds = bms.credentials[name];
  return new BmsAdapter({
    settings: { uiOrigin: bms.baseUrl, apiOrigin: apiOrigin ?? bms.apiBaseUrl, tenant: creds.tenant },
    credentials: { username: creds.userName, password: creds.password },
    retries: 0,
    timeoutMs: 5000,
  });
}

beforeAll(async () => {
  bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
});
afterAll(async () => {
  await bms.close();
});

describe('Kaseya BMS adapter against the emulator', () => {
  it('tests the connection', async () => {
    const info = await adapter().testConnection();
    expect(info.companyName).toBeTruthy();
  });

  it.each([
    ['a wrong password', 'wrongPassword', 'auth', /rejected the user name or password/],
    ['a wrong tenant', 'wrongTenant', 'company-not-found', /does not know the tenant "Sidecar Test"/],
    ['a user without API access', 'nonApiUser', 'permission', /API Employee with Has API Access/],
  ] as const)('names %s', async (_what, name, code, message) => {
    const error = (await adapter(name)
      .testConnection()
      .catch((caught: unknown) => caught)) as PsaError;
    expect(error).toBeInstanceOf(PsaError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('a sign-in that redirects elsewhere is refused: the password is not posted on', async () => {
    const received: string[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ success: true, error: null, result: { accessToken: 'collected', refreshToken: 'r', accessTokenExpireOn: '2099-01-01T00:00:00Z' } }),
        );
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v2/security/authenticate`;
    try {
      bms.control.injectFault({ method: 'POST', path: /\/v2\/security\/authenticate$/, status: 307, headers: { Location: elsewhere }, body: '' });
      const error = (await adapter()
        .testConnection()
        .catch((caught: unknown) => caught)) as PsaError;
      expect(error).toBeInstanceOf(PsaError);
      expect(error).toMatchObject({ code: 'config', field: 'apiUrl' });
      expect(error.message).toContain(`redirected the sign-in to ${elsewhere}`);
      expect(received).toEqual([]);
    } finally {
      bms.control.clearFaults();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });

  it('an unreachable API host is named', async () => {
    const error = (await adapter('valid', 'http://127.0.0.1:9')
      .testConnection()
      .catch((caught: unknown) => caught)) as PsaError;
    expect(error.code).toBe('unreachable');
  });

  it('lists accounts, and the locations, contacts, assets and contracts of one account', async () => {
    const bms1 = adapter();
    const companies = await bms1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    expect(companies.records.map((record) => Number(record.remoteId)).sort((a, b) => a - b)).toEqual(
      bms.data.accounts.rows.map((row) => row.id).sort((a, b) => a - b),
    );
    const account = String(bms.data.accounts.rows[0]!.id);
    const scope = { pageToken: null, since: null, companyRemoteIds: [account] };
    const sites = (await bms1.listPage('site', scope)).records as CanonicalSite[];
    expect(sites.map((site) => Number(site.remoteId)).sort()).toEqual(
      bms.data.locations.rows
        .filter((row) => String(row.accountId) === account)
        .map((row) => row.id)
        .sort(),
    );
    const contacts = (await bms1.listPage('contact', scope)).records as CanonicalContact[];
    expect(contacts.length).toBe(bms.data.contacts.rows.filter((row) => String(row.accountId) === account).length);
    expect(contacts.every((contact) => contact.companyRemoteId === account)).toBe(true);
    const assets = (await bms1.listPage('configuration', scope)).records as CanonicalConfiguration[];
    expect(assets.length).toBe(bms.data.assets.rows.filter((row) => String(row.accountId) === account).length);
    const contracts = await bms1.listPage('agreement', scope);
    expect(contracts.rejected).toEqual([]);
    expect((contracts.records as CanonicalAgreement[]).filter((record) => record.companyRemoteId === account).length).toBe(
      bms.data.contracts.rows.filter((row) => String(row.accountId) === account).length,
    );
  });

  it('takes an envelope whose `error` is not an object (an older client’s stub sends "None") by its `success` and `result`', async () => {
    const account = bms.data.accounts.rows[0]!;
    const row = { id: account.id, accountName: 'Stubbed Account', accountCode: 'STUB' };
    bms.control.injectFault({ path: /\/v2\/crm\/accounts/i, status: 200, body: { success: true, error: 'None', result: [row], totalRecords: 1 } });
    const page = await adapter().listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    bms.control.clearFaults();
    expect(page.records).toEqual([expect.objectContaining({ remoteId: String(account.id), name: 'Stubbed Account' })]);
    // A failure is still judged by what it says, given as text too (read as "not found", not "no details").
    const ticket = bms.data.tickets.rows[0]!;
    bms.control.injectFault({
      path: new RegExp(`/servicedesk/tickets/${ticket.id}$`),
      status: 200,
      body: { success: false, error: 'Ticket does not exist', result: null },
    });
    const failed = await adapter()
      .getTicket(String(ticket.id))
      .catch((error: unknown) => error);
    bms.control.clearFaults();
    expect(failed).toBeInstanceOf(PsaError);
    expect(failed).toMatchObject({ code: 'not-found' });
  });

  it('filters accounts by modification time', async () => {
    const before = bms.control.now().toISOString();
    const target = bms.data.accounts.rows[1]!;
    bms.control.mutate.renameAccount(target.id, 'Renamed Account');
    const page = await adapter().listPage('company', { pageToken: null, since: before, companyRemoteIds: null });
    expect(page.records.map((record) => record.remoteId)).toEqual([String(target.id)]);
  });

  it('renews an expired token and carries on; resolves tickets', async () => {
    const bms1 = adapter();
    await bms1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    bms.control.expireTokens();
    await bms1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    const ticket = bms.data.tickets.rows[0]!;
    expect(await bms1.getTicket(String(ticket.id))).toMatchObject({ companyRemoteId: String(ticket.accountId) });
    await expect(bms1.getTicket('99999999')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('Kaseya BMS fields (what a layout custom field can show)', () => {
  /** Every page of a pass over all accounts (children are read account by account). */
  async function listed(entity: 'company' | 'contact' | 'configuration' | 'site') {
    const bms1 = adapter();
    const records = new Map<string, CanonicalRecord>();
    let pageToken: string | null = null;
    do {
      const page: PageResult = await bms1.listPage(entity, { pageToken, since: null, companyRemoteIds: bms.data.accounts.rows.map((row) => String(row.id)) });
      expect(page.rejected).toEqual([]);
      for (const record of page.records) records.set(record.remoteId, record);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return records;
  }

  it('hardware assets offer what the list row has: machine group, location and contact', async () => {
    const assets = await listed('configuration');
    const assigned = bms.data.assets.rows.find((row) => row.machineGroupId && row.contactId)!;
    expect(assets.get(String(assigned.id))!.fields).toEqual({
      'Machine Group': assigned.machineGroupId,
      Location: bms.data.locations.get(assigned.accountLocationId)!.locationName,
      Contact: contactName(bms.data.contacts.get(assigned.contactId!)!),
    });
    const bare = bms.data.assets.rows.find((row) => !row.machineGroupId && !row.contactId)!;
    expect(assets.get(String(bare.id))!.fields).toEqual({ Location: bms.data.locations.get(bare.accountLocationId)!.locationName });
  });

  it('contacts, locations and accounts offer their list fields; empty ones are left out', async () => {
    const [contacts, sites, companies] = await Promise.all([listed('contact'), listed('site'), listed('company')]);
    const poc = bms.data.contacts.rows.find((row) => row.isPoc)!;
    expect(contacts.get(String(poc.id))!.fields).toEqual({ Location: bms.data.locations.get(poc.locationId!)!.locationName, 'Point of Contact': 'Yes' });
    const other = bms.data.contacts.rows.find((row) => !row.isPoc)!;
    expect(contacts.get(String(other.id))!.fields!['Point of Contact']).toBe('No');

    const faxed = bms.data.locations.rows.find((row) => row.addresses[0]?.fax && row.addresses[0]?.emailAddress)!;
    expect(sites.get(String(faxed.id))!.fields).toEqual({ Country: 'United States', Fax: faxed.addresses[0]!.fax, Email: faxed.addresses[0]!.emailAddress });
    const plain = bms.data.locations.rows.find((row) => !row.addresses[0]?.fax && !row.addresses[0]?.emailAddress)!;
    expect(sites.get(String(plain.id))!.fields).toEqual({ Country: 'United States' });

    const account = bms.data.accounts.rows.find((row) => row.description)!;
    const fields = companies.get(String(account.id))!.fields!;
    expect(fields).toMatchObject({
      Description: account.description,
      'Acquired Date': account.acquiredDate!.slice(0, 10),
      'Account Manager': expect.any(String),
      'Business Type': expect.any(String),
    });
    expect(fields).not.toHaveProperty('Class');
  });
});

describe('Kaseya BMS ticket: contact, hardware asset and contract', () => {
  const fullTicket = () => bms.data.tickets.rows.find((row) => row.contactId && row.hardwareAssetId && row.contractId)!;

  it('reads contactId, hardwareAssetId and contractId of GET /v2/servicedesk/tickets/{id}', async () => {
    const ticket = fullTicket();
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toEqual({
      ticketId: String(ticket.id),
      summary: ticket.title,
      companyRemoteId: String(ticket.accountId),
      companyName: bms.data.accounts.get(ticket.accountId)!.accountName,
      contactRemoteId: String(ticket.contactId),
      configurationRemoteIds: [String(ticket.hardwareAssetId)],
      agreementRemoteId: String(ticket.contractId),
    });
    // The account's own contact, asset and contract: the records the sync stores for it.
    expect(bms.data.contacts.get(ticket.contactId!)!.accountId).toBe(ticket.accountId);
    expect(bms.data.assets.get(ticket.hardwareAssetId!)!.accountId).toBe(ticket.accountId);
    expect(bms.data.contracts.get(ticket.contractId!)!.accountId).toBe(ticket.accountId);
  });

  it('leaves out the keys a ticket has no value for (null or 0)', async () => {
    const partial = bms.data.tickets.rows.find((row) => row.contactId && !row.hardwareAssetId && !row.contractId)!;
    const info = await adapter().getTicket(String(partial.id));
    expect(info.contactRemoteId).toBe(String(partial.contactId));
    expect(info).not.toHaveProperty('configurationRemoteIds');
    expect(info).not.toHaveProperty('agreementRemoteId');

    const ticket = fullTicket();
    const saved = { contactId: ticket.contactId, hardwareAssetId: ticket.hardwareAssetId, contractId: ticket.contractId };
    bms.control.mutate.update('ticket', ticket.id, { contactId: null, hardwareAssetId: null, contractId: null });
    try {
      const none = await adapter().getTicket(String(ticket.id));
      expect(Object.keys(none).sort()).toEqual(['companyName', 'companyRemoteId', 'summary', 'ticketId']);
    } finally {
      bms.control.mutate.update('ticket', ticket.id, saved);
    }

    const zeros = { id: ticket.id, title: 'Zeros', accountId: ticket.accountId, accountName: 'Acme', contactId: 0, hardwareAssetId: 0, contractId: 0 };
    bms.control.injectFault({ path: new RegExp(`/servicedesk/tickets/${ticket.id}$`), status: 200, body: { success: true, error: null, result: zeros } });
    const zero = await adapter().getTicket(String(ticket.id));
    bms.control.clearFaults();
    expect(zero).toEqual({ ticketId: String(ticket.id), summary: 'Zeros', companyRemoteId: String(ticket.accountId), companyName: 'Acme' });
  });

  it('reads a malformed contact, asset or contract id as absent instead of failing the ticket', async () => {
    const ticket = fullTicket();
    const odd = { id: ticket.id, title: 'Odd', accountId: ticket.accountId, contactId: 'x', hardwareAssetId: { id: 1 }, contractId: -4 };
    bms.control.injectFault({ path: new RegExp(`/servicedesk/tickets/${ticket.id}$`), status: 200, body: { success: true, error: null, result: odd } });
    const info = await adapter().getTicket(String(ticket.id));
    bms.control.clearFaults();
    expect(info).toEqual({ ticketId: String(ticket.id), summary: 'Odd', companyRemoteId: String(ticket.accountId) });
  });
});
