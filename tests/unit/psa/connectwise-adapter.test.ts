import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalConfiguration, CanonicalContact } from '@/lib/psa/types';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';

let emulator: RunningEmulator;
const hostOf = (url: string) => new URL(url).host;

function adapter(credentials = emulator.credentials.valid, overrides: { host?: string; companyId?: string } = {}) {
  return new ConnectwiseAdapter({
    settings: { host: overrides.host ?? hostOf(emulator.baseUrl), scheme: 'http', companyId: overrides.companyId ?? credentials.companyId },
    credentials: { publicKey: credentials.publicKey, privateKey: credentials.privateKey, clientId: credentials.clientId },
    retries: 0,
    timeoutMs: 5000,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
afterAll(async () => {
  await emulator.close();
});

describe('ConnectWise testConnection', () => {
  it('reports the company and version and discovers the codebase', async () => {
    const info = await adapter().testConnection();
    expect(info.companyName).toBeTruthy();
    expect(info.version).toMatch(/^v\d{4}\./);
    expect(info.settingsPatch).toEqual({ codebase: expect.stringMatching(/^v[0-9a-z_]+\/$/i) });
  });

  it.each([
    ['wrong keys', () => adapter({ ...emulator.credentials.valid, privateKey: 'wrong' }), 'auth', /rejected the API keys \(401\)/],
    ['unknown company', () => adapter(emulator.credentials.valid, { companyId: 'nosuchcompany' }), 'company-not-found', /does not know the company ID "nosuchcompany"/],
    ['unreachable host', () => adapter(emulator.credentials.valid, { host: '127.0.0.1:9' }), 'unreachable', /Could not reach 127\.0\.0\.1:9/],
    ['missing security modules', () => adapter(emulator.credentials.limited), 'permission', /Company Maintenance.*Configurations/],
  ])('%s gives a specific error', async (_name, make, code, message) => {
    const error = await make().testConnection().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaError);
    expect((error as PsaError).code).toBe(code);
    expect((error as PsaError).message).toMatch(message);
  });
});

describe('ConnectWise listPage', () => {
  it('lists every company once across keyset pages, with the total for progress', async () => {
    const cw = adapter();
    const page = await cw.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    const expected = emulator.data.companies.rows.length;
    expect(page.total).toBe(expected);
    expect(new Set(page.records.map((record) => record.remoteId)).size).toBe(expected);
    expect(page.records[0]).toMatchObject({ remoteId: expect.any(String), name: expect.any(String), updatedAt: expect.stringMatching(/Z$/) });
  });

  it('filters children to the companies asked for and maps them to canonical records', async () => {
    const cw = adapter();
    const companyId = String(emulator.data.companies.rows[0]!.id);
    const contacts = await cw.listPage('contact', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect(contacts.records.length).toBeGreaterThan(0);
    expect(contacts.records.every((record) => (record as CanonicalContact).companyRemoteId === companyId)).toBe(true);
    const configurations = await cw.listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect((configurations.records[0] as CanonicalConfiguration).typeName).toBeTruthy();
    const sites = await cw.listPage('site', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect(sites.records.length).toBeGreaterThan(0);
  });

  it('returns only records changed since a time', async () => {
    const cw = adapter();
    const target = emulator.data.companies.rows[1]!;
    const before = emulator.control.now().toISOString();
    emulator.control.mutate.renameCompany(target.id, 'Renamed Co');
    const page = await cw.listPage('company', { pageToken: null, since: before, companyRemoteIds: null });
    expect(page.records.map((record) => record.remoteId)).toEqual([String(target.id)]);
    expect(page.records[0]).toMatchObject({ name: 'Renamed Co' });
  });

  it('sets aside a record that breaks the schema and keeps the rest', async () => {
    const cw = adapter();
    emulator.control.injectFault({ path: /company\/companies$/i, body: JSON.stringify([{ id: 1, name: 'Good' }, { id: 'x' }, { id: 3 }]), status: 200 });
    const page = await cw.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    emulator.control.clearFaults();
    expect(page.records.map((record) => record.remoteId)).toContain('1');
    expect(page.rejected).toEqual([{ remoteId: 'x', reason: expect.stringMatching(/^id:/) }, { remoteId: '3', reason: expect.stringMatching(/^name:/) }]);
  });

  it('surfaces a 429 beyond our retries as rate-limited with a retry time', async () => {
    const cw = adapter();
    emulator.control.injectFault({ path: /company\/contacts$/i, status: 429, headers: { 'Retry-After': '120' }, times: 5 });
    const error = (await cw.listPage('contact', { pageToken: null, since: null, companyRemoteIds: ['1'] }).catch((caught: unknown) => caught)) as PsaError;
    emulator.control.clearFaults();
    expect(error.code).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThan(Date.now() + 100_000);
  });

  it('resolves a ticket to its company', async () => {
    const ticket = emulator.data.tickets.rows[0]!;
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toMatchObject({ ticketId: String(ticket.id), companyRemoteId: String((ticket.company as { id: number }).id) });
    await expect(adapter().getTicket('99999999')).rejects.toMatchObject({ code: 'not-found', message: 'Ticket #99999999 was not found in ConnectWise.' });
  });
});
