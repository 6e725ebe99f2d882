import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalConfiguration } from '@/lib/psa/types';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';

let halo: RunningHaloEmulator;

function adapter(name: 'valid' | 'limited' | 'restricted' = 'valid', overrides: { tenant?: string; clientSecret?: string; resourceOrigin?: string } = {}) {
  const creds = halo.credentials[name];
  return new HaloAdapter({
    settings: { resourceOrigin: overrides.resourceOrigin ?? halo.baseUrl, ...(overrides.tenant ?? creds.tenant ? { tenant: overrides.tenant ?? creds.tenant } : {}) },
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
    const error = (await make().testConnection().catch((caught: unknown) => caught)) as PsaError;
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
