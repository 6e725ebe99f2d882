import { describe, expect, it } from 'vitest';
import { BMS_PAGE_SIZE, BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { startKaseyaBmsEmulator } from '../../emulator/kaseya-bms/start.ts';
import { faultMatrix, sortIds, useHarness, type Emulator, type PsaCase, type Row } from './faults-matrix';

/** Issue #6's fault matrix against the Kaseya BMS emulator (shared rows in faults-matrix.ts), plus token expiry. */


export const BMS: PsaCase = {
  name: 'Kaseya BMS',
  kind: 'kaseya-bms',
  async start(): Promise<Emulator> {
    const bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
    const creds = bms.credentials.valid;
    const data = bms.data;
    return {
      baseUrl: bms.baseUrl,
      adapter: (options) => new BmsAdapter({ settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant }, credentials: { username: creds.userName, password: creds.password }, ...options }),
      injectFault: (fault) => bms.control.injectFault(fault),
      clearFaults: () => bms.control.clearFaults(),
      requests: () => bms.control.requests(),
      revokeCredentials: () => bms.control.revokeCredentials(),
      expireTokens: (options) => bms.control.expireTokens(options),
      truth: () => {
        const live = new Set(data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id));
        const of = (rows: readonly { id: number; accountId: number }[]) => sortIds(rows.filter((row) => live.has(row.accountId)).map((row) => row.id));
        return { company: sortIds(live), contact: of(data.contacts.rows), configuration: of(data.assets.rows), agreement: of(data.contracts.rows), site: of(data.locations.rows) };
      },
      addCompanies: (count) => {
        for (let index = 0; index < count; index++) bms.control.mutate.add('account', { accountName: `Added Account ${index}` });
      },
      removeCompany: (id) => void bms.control.mutate.remove('account', Number(id)),
      renameContact: (id, name) => void bms.control.mutate.rename('contact', Number(id), name),
      renameCompany: (id, name) => void bms.control.mutate.rename('account', Number(id), name),
      setNow: (at) => bms.control.setNow(at),
      close: () => bms.close(),
    };
  },
  lists: { company: /\/v2\/crm\/accounts\/summary$/i, contact: /\/v2\/crm\/contacts\/summary$/i, configuration: /\/v2\/servicedesk\/hardwareasset\/searchselect$/i },
  pageSize: BMS_PAGE_SIZE,
  // Pages of a full pass (a manual sync's reconcile), not of the incremental one before it.
  companyPage: { first: { PageNumber: '1', 'Filter.ModifiedOnFrom': null }, second: { PageNumber: '2', 'Filter.ModifiedOnFrom': null } },
  rows: (body) => (body as { result: Row[] }).result,
  withRows: (body, rows) => ({ ...(body as object), result: rows }),
  updatedOf: (row) => (typeof row.modifiedOn === 'string' ? row.modifiedOn : undefined),
  contactCompanyField: 'accountId',
  setUnknownType: (row, name) => void (row.categoryName = name),
  messages: {
    notJson: /^BMS sent a response that is not JSON for v2\/crm\/contacts\/summary\.$/,
    wrongShape: /^BMS sent something other than a list\.$/,
    revoked: /^BMS rejected the user name or password \(“Invalid username or password\.”\)\.$/,
    denied: /^BMS refused access to v2\/crm\/contacts\/summary \(403\)/,
  },
};

faultMatrix(BMS);

describe('Kaseya BMS: the access token expires mid-sync', () => {
  const h = useHarness(BMS);
  const posts = (path: RegExp) => h.emu.requests().filter((request) => request.method === 'POST' && path.test(request.path));
  const REFRESH = /\/v2\/security\/refreshtoken$/;
  const SIGN_IN = /\/v2\/security\/authenticate$/;

  it.each([
    { expired: 'the access token', refreshToo: false, refreshes: [200], signIns: 0 },
    { expired: 'the access and refresh tokens', refreshToo: true, refreshes: [401], signIns: 1 },
  ])('$expired: renewed once (refresh, else sign in again) and the sync finishes', async ({ refreshToo, refreshes, signIns }) => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: BMS.lists.contact, effect: () => h.emu.expireTokens!({ refresh: refreshToo }) });
    const signedIn = posts(SIGN_IN).length;
    const run = await h.synced();
    expect(run.attempts).toBe(0);
    expect(posts(REFRESH).map((request) => request.status)).toEqual(refreshes);
    expect(posts(SIGN_IN).length - signedIn).toBe(signIns);
    expect(await h.local()).toEqual(h.emu.truth());
  });

  it('when refresh and sign-in both answer 503, the run waits with a retry and finishes when the alarm fires', async () => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: BMS.lists.contact, effect: () => h.emu.expireTokens!() });
    h.emu.injectFault({ method: 'POST', path: /\/v2\/security\/(refreshtoken|authenticate)$/, status: 503, times: 2 });
    const waiting = await h.sync();
    expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: 'server', message: expect.stringMatching(/server error \(HTTP 503\)/) } });
    expect(waiting.retryAt).toBeGreaterThan(Date.now());
    const done = await h.alarm(waiting.id);
    expect(done.status, done.error?.message).toBe('succeeded');
    expect(await h.local()).toEqual(h.emu.truth());
  });
});
