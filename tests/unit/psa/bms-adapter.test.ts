import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalAgreement, CanonicalConfiguration, CanonicalContact, CanonicalSite } from '@/lib/psa/types';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';

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
    const error = (await adapter(name).testConnection().catch((caught: unknown) => caught)) as PsaError;
    expect(error).toBeInstanceOf(PsaError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('an unreachable API host is named', async () => {
    const error = (await adapter('valid', 'http://127.0.0.1:9').testConnection().catch((caught: unknown) => caught)) as PsaError;
    expect(error.code).toBe('unreachable');
  });

  it('lists accounts, and the locations, contacts, assets and contracts of one account', async () => {
    const bms1 = adapter();
    const companies = await bms1.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    expect(companies.records.map((record) => Number(record.remoteId)).sort((a, b) => a - b)).toEqual(bms.data.accounts.rows.map((row) => row.id).sort((a, b) => a - b));
    const account = String(bms.data.accounts.rows[0]!.id);
    const scope = { pageToken: null, since: null, companyRemoteIds: [account] };
    const sites = (await bms1.listPage('site', scope)).records as CanonicalSite[];
    expect(sites.map((site) => Number(site.remoteId)).sort()).toEqual(bms.data.locations.rows.filter((row) => String(row.accountId) === account).map((row) => row.id).sort());
    const contacts = (await bms1.listPage('contact', scope)).records as CanonicalContact[];
    expect(contacts.length).toBe(bms.data.contacts.rows.filter((row) => String(row.accountId) === account).length);
    expect(contacts.every((contact) => contact.companyRemoteId === account)).toBe(true);
    const assets = (await bms1.listPage('configuration', scope)).records as CanonicalConfiguration[];
    expect(assets.length).toBe(bms.data.assets.rows.filter((row) => String(row.accountId) === account).length);
    const contracts = await bms1.listPage('agreement', scope);
    expect(contracts.rejected).toEqual([]);
    expect((contracts.records as CanonicalAgreement[]).filter((record) => record.companyRemoteId === account).length).toBe(bms.data.contracts.rows.filter((row) => String(row.accountId) === account).length);
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
