import { describe, expect, it } from 'vitest';
import { HALO_PAGE_SIZE, HaloAdapter } from '@/lib/psa/halo/adapter';
import { startHaloEmulator } from '../../emulator/halo/start.ts';
import { faultMatrix, sortIds, useHarness, type Emulator, type PsaCase, type Row } from './faults-matrix';

/** Issue #6's fault matrix against the HaloPSA emulator (shared rows in faults-matrix.ts), plus token expiry. */

/** The record array of a Halo list body: `{record_count, clients|users|assets|…: []}`. */
const listKey = (body: unknown) => Object.keys(body as object).find((key) => Array.isArray((body as Record<string, unknown>)[key]))!;


export const HALO: PsaCase = {
  name: 'HaloPSA',
  kind: 'halo',
  async start(): Promise<Emulator> {
    const halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
    const creds = halo.credentials.valid;
    const data = halo.data;
    return {
      baseUrl: halo.baseUrl,
      adapter: (options) => new HaloAdapter({ settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! }, credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret }, ...options }),
      injectFault: (fault) => halo.control.injectFault(fault),
      clearFaults: () => halo.control.clearFaults(),
      requests: () => halo.control.requests(),
      revokeCredentials: () => halo.control.revokeCredentials(),
      expireTokens: () => halo.control.expireTokens(),
      truth: () => {
        const live = new Set(data.clients.rows.filter((row) => row.inactive !== true).map((row) => row.id));
        const of = (rows: readonly Record<string, unknown>[]) => sortIds(rows.filter((row) => live.has(Number(row.client_id))).map((row) => row.id));
        return { company: sortIds(live), contact: of(data.users.rows), configuration: of(data.assets.rows), agreement: of(data.contracts.rows), site: of(data.sites.rows) };
      },
      addCompanies: (count) => {
        for (let index = 0; index < count; index++) halo.control.mutate.add('client', { name: `Added Client ${index}` });
      },
      removeCompany: (id) => void halo.control.mutate.remove('client', Number(id)),
      renameContact: (id, name) => void halo.control.mutate.rename('user', Number(id), name),
      renameCompany: (id, name) => void halo.control.mutate.rename('client', Number(id), name),
      setNow: (at) => halo.control.setNow(at),
      close: () => halo.close(),
    };
  },
  lists: { company: /\/api\/Client$/i, contact: /\/api\/Users$/i, configuration: /\/api\/Asset$/i },
  pageSize: HALO_PAGE_SIZE,
  companyPage: { first: { page_no: '1' }, second: { page_no: '2' } },
  rows: (body) => (body as Record<string, Row[]>)[listKey(body)]!,
  withRows: (body, rows) => ({ ...(body as object), [listKey(body)]: rows }),
  // Client, Users and Asset rows carry no timestamp (halo-api.md §5).
  updatedOf: () => undefined,
  contactCompanyField: 'client_id',
  setUnknownType: (row, name) => Object.assign(row, { assettype_id: 999, assettype_name: name }),
  messages: {
    notJson: /^Halo sent a response that is not JSON for Users\.$/,
    wrongShape: /^Halo sent an unexpected Users list \(no record_count\/users\)\.$/,
    revoked: /^Halo rejected the client ID or secret \(invalid_client\)/,
    denied: /^Halo refused access to Users \(403\)\. Give the API application the read:customers permission/,
  },
};

faultMatrix(HALO);

describe('HaloPSA: the access token expires mid-sync', () => {
  const h = useHarness(HALO);
  const tokenRequests = () => h.emu.requests().filter((request) => request.method === 'POST' && /\/auth\/token$/.test(request.path));

  it('renews it once (401 → new token) and the sync finishes', async () => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: HALO.lists.contact, effect: () => h.emu.expireTokens!() });
    const issued = tokenRequests().length;
    const run = await h.synced();
    expect(run.attempts).toBe(0);
    expect(tokenRequests().length).toBe(issued + 1);
    expect(h.emu.requests().filter((request) => HALO.lists.contact.test(request.path)).map((request) => request.status)[0]).toBe(401);
    expect(await h.local()).toEqual(h.emu.truth());
  });

  it('when the token server is down as well, the run waits with a retry and finishes when the alarm fires', async () => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: HALO.lists.contact, effect: () => h.emu.expireTokens!() });
    h.emu.injectFault({ method: 'POST', path: /\/auth\/token$/, status: 503 });
    const waiting = await h.sync();
    expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: 'server', message: expect.stringMatching(/server error \(HTTP 503\)/) } });
    expect(waiting.retryAt).toBeGreaterThan(Date.now());
    const done = await h.alarm(waiting.id);
    expect(done.status, done.error?.message).toBe('succeeded');
    expect(await h.local()).toEqual(h.emu.truth());
  });
});
