// Over 300 lines on purpose: the emulator's fidelity suite, one describe per documented behaviour (auth, paging, filters, errors, rate limits, UI pages) as docs/psa/kaseya-bms.md states it.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateForm, startKaseyaBmsEmulator } from '../../emulator/kaseya-bms/start.ts';
import type { BmsCredential, RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';
import { generateDataset } from '../../emulator/kaseya-bms/dataset.ts';
import type { BmsStore, BmsTicket } from '../../emulator/kaseya-bms/store.ts';
import type { WireJson } from '../../support/wire-json.ts';

let emu: RunningKaseyaBms;
let token: string;
let auth: Record<string, string>;

async function login(e: RunningKaseyaBms, c: BmsCredential, casing: 'pascal' | 'camel' = 'pascal') {
  const res = await fetch(`${e.apiBaseUrl}/v2/security/authenticate`, { method: 'POST', body: authenticateForm(c, casing) });
  return { res, json: (await res.json()) as WireJson };
}

async function get(path: string, params: Record<string, string> = {}, headers: Record<string, string> = auth, e: RunningKaseyaBms = emu) {
  const u = new URL(path.startsWith('http') ? path : e.apiBaseUrl + path);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers });
  const text = await res.text();
  let json: WireJson;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, text, json };
}

beforeAll(async () => {
  emu = await startKaseyaBmsEmulator({ preset: 'tiny', seed: 1 });
  const r = await login(emu, emu.credentials.valid);
  token = r.json.result.accessToken;
  auth = { Authorization: `Bearer ${token}` };
});
afterAll(() => emu.close());

const first = () => emu.data.tickets.rows[0] as BmsTicket;
const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
const NO_OFFSET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;

/** Every object key in a JSON value (recursively). */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}

describe('authenticate', () => {
  it('valid credentials (urlencoded, PascalCase fields) → the token envelope', async () => {
    const before = emu.control.now().getTime();
    const { res, json } = await login(emu, emu.credentials.valid);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(json.success).toBe(true);
    expect(json.error).toBeNull();
    expect(Object.keys(json.result).sort()).toEqual(['accessToken', 'accessTokenExpireOn', 'refreshToken', 'refreshTokenExpireOn']);
    expect(json.result.accessToken.split('.')).toHaveLength(3); // JWT
    const claims = JSON.parse(Buffer.from(json.result.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.tenant).toBe(emu.credentials.valid.tenant);
    expect(json.result.refreshToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.result.accessTokenExpireOn).toMatch(NO_OFFSET_DATE);
    const lifetime = Date.parse(`${json.result.accessTokenExpireOn}Z`) - before;
    expect(lifetime).toBeGreaterThan(19 * 60_000);
    expect(lifetime).toBeLessThan(21 * 60_000);
    expect(Date.parse(`${json.result.refreshTokenExpireOn}Z`) - before).toBeGreaterThan(6 * 86_400_000);
  });

  it('camelCase field names, multipart bodies and any tenant casing work too', async () => {
    expect((await login(emu, emu.credentials.valid, 'camel')).res.status).toBe(200);
    const fd = new FormData();
    fd.set('GRANTTYPE', 'password');
    fd.set('userName', emu.credentials.valid.userName.toUpperCase());
    fd.set('Password', emu.credentials.valid.password);
    fd.set('tenant', emu.credentials.valid.tenant.toLowerCase());
    const res = await fetch(`${emu.apiBaseUrl}/v2/security/authenticate`, { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    expect(((await res.json()) as WireJson).result.accessToken).toBeTruthy();
  });

  it('wrong tenant, wrong password: 401 with the envelope; non-API user: 403', async () => {
    const t = await login(emu, emu.credentials.wrongTenant);
    expect(t.res.status).toBe(401);
    expect(t.json).toMatchObject({ success: false, result: null, error: { code: 401 } });
    expect(t.json.error.message).toContain(emu.credentials.wrongTenant.tenant);
    expect(Object.keys(t.json.error).sort()).toEqual(['code', 'details', 'message', 'stackStrace', 'subErrors']);
    const p = await login(emu, emu.credentials.wrongPassword);
    expect(p.res.status).toBe(401);
    expect(p.json.error.message).toBe('Invalid username or password.');
    const n = await login(emu, emu.credentials.nonApiUser);
    expect(n.res.status).toBe(403);
    expect(n.json.success).toBe(false);
    expect(n.json.error.message).toMatch(/API access/);
  });

  it('missing GrantType → 400 problem details; a JSON body → 415', async () => {
    const c = emu.credentials.valid;
    const r = await fetch(`${emu.apiBaseUrl}/v2/security/authenticate`, {
      method: 'POST',
      body: new URLSearchParams({ UserName: c.userName, Password: c.password, Tenant: c.tenant }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(((await r.json()) as WireJson).errors.GrantType).toBeTruthy();
    const j = await fetch(`${emu.apiBaseUrl}/v2/security/authenticate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grantType: 'password', ...c }),
    });
    expect(j.status).toBe(415);
  });

  it('variants: Has API Access checked per request, business errors as HTTP 200', async () => {
    const v = await startKaseyaBmsEmulator({ apiAccessCheck: 'request', businessErrorsAsHttp200: true, rateLimit: null });
    try {
      const bad = await login(v, v.credentials.wrongPassword);
      expect(bad.res.status).toBe(200);
      expect(bad.json.success).toBe(false);
      const n = await login(v, v.credentials.nonApiUser);
      expect(n.json.success).toBe(true);
      const r = await get('/v2/crm/accounts/summary', {}, { Authorization: `Bearer ${n.json.result.accessToken}` }, v);
      expect(r.res.status).toBe(200);
      expect(r.json).toMatchObject({ success: false, error: { code: 403 } });
      const missing = await get(
        '/v2/servicedesk/tickets/1',
        {},
        { Authorization: `Bearer ${(await login(v, v.credentials.valid)).json.result.accessToken}` },
        v,
      );
      expect(missing.res.status).toBe(200);
      expect(missing.json).toMatchObject({ success: false, result: null, error: { code: 404 } });
    } finally {
      await v.close();
    }
  });
});

describe('bearer tokens', () => {
  it('no token / unknown token → 401 without a body', async () => {
    const none = await get('/v2/crm/accounts/summary', {}, {});
    expect(none.res.status).toBe(401);
    expect(none.text).toBe('');
    expect(none.res.headers.get('www-authenticate')).toBe('Bearer');
    const bogus = await get('/v2/crm/accounts/summary', {}, { Authorization: 'Bearer abc.def.ghi' });
    expect(bogus.res.status).toBe(401);
    expect(bogus.res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(bogus.res.headers.get('token-expired')).toBeNull();
    expect((await get('/v2/crm/accounts/summary', {}, { Authorization: `Basic ${token}` })).res.status).toBe(401);
  });

  it('expiry (by clock or expireTokens) → 401 + Token-Expired; refresh issues a new pair and rotates', async () => {
    const l = (await login(emu, emu.credentials.valid)).json.result;
    const h = { Authorization: `Bearer ${l.accessToken}` };
    expect((await get('/v2/security/userinfo', {}, h)).json.result.fullName).toBe('Sidecar API');
    emu.control.setNow(Date.now() + 21 * 60_000);
    try {
      const expired = await get('/v2/security/userinfo', {}, h);
      expect(expired.res.status).toBe(401);
      expect(expired.res.headers.get('token-expired')).toBe('true');
      const ref = await fetch(`${emu.apiBaseUrl}/v2/security/refreshtoken`, {
        method: 'POST',
        body: new URLSearchParams({ AccessToken: l.accessToken, RefreshToken: l.refreshToken }),
      });
      expect(ref.status).toBe(200);
      const pair = ((await ref.json()) as WireJson).result;
      expect(pair.accessToken).not.toBe(l.accessToken);
      expect((await get('/v2/security/userinfo', {}, { Authorization: `Bearer ${pair.accessToken}` })).res.status).toBe(200);
      const again = await fetch(`${emu.apiBaseUrl}/v2/security/refreshtoken`, {
        method: 'POST',
        body: new URLSearchParams({ accessToken: l.accessToken, refreshToken: l.refreshToken }),
      });
      expect(again.status).toBe(401);
      expect(((await again.json()) as WireJson).success).toBe(false);
    } finally {
      emu.control.setNow(null);
    }
    const fresh = (await login(emu, emu.credentials.valid)).json.result;
    emu.control.expireTokens();
    const r = await get('/v2/crm/accounts/summary', {}, { Authorization: `Bearer ${fresh.accessToken}` });
    expect(r.res.status).toBe(401);
    expect(r.res.headers.get('token-expired')).toBe('true');
    const ref = await fetch(`${emu.apiBaseUrl}/v2/security/refreshtoken`, {
      method: 'POST',
      body: new URLSearchParams({ AccessToken: fresh.accessToken, RefreshToken: fresh.refreshToken }),
    });
    expect(ref.status).toBe(200);
    // the shared token of this file expired too: get a new one
    token = (await login(emu, emu.credentials.valid)).json.result.accessToken;
    auth = { Authorization: `Bearer ${token}` };
    expect((await get('/v2/crm/accounts/summary')).res.status).toBe(200);
  });

  it('tokenLifetimeSec is honoured', async () => {
    const v = await startKaseyaBmsEmulator({ tokenLifetimeSec: 60 });
    try {
      const l = (await login(v, v.credentials.valid)).json.result;
      expect(Date.parse(`${l.accessTokenExpireOn}Z`) - Date.now()).toBeLessThan(61_000);
    } finally {
      await v.close();
    }
  });
});

describe('envelope, casing and DTOs', () => {
  it('camelCase everywhere, vendor spellings kept, dates without offset', async () => {
    const t = first();
    for (const path of [
      '/v2/crm/accounts/summary',
      '/v2/crm/contacts/summary',
      `/v2/servicedesk/tickets/${t.id}`,
      `/v2/servicedesk/hardwareasset/${t.hardwareAssetId}`,
      '/v2/finance/contracts/summary',
      '/v2/servicedesk/tickets',
    ]) {
      const r = await get(path);
      expect(r.res.status).toBe(200);
      for (const k of keysOf(r.json)) expect(k, `${path}: ${k}`).toMatch(/^[a-z]/);
    }
    const ticket = (await get(`/v2/servicedesk/tickets/${t.id}`)).json.result;
    expect(Object.keys(ticket)).toEqual(expect.arrayContaining(['cCs', 'hasMetSLA', 'isSLAPaused', 'slaStatusEnum', 'vsaAssetId', 'statusForeColor']));
    expect(ticket.openDate).toMatch(NO_OFFSET_DATE);
    const contacts = (await get('/v2/crm/contacts/summary')).json.result;
    expect(contacts[0]).toHaveProperty('canRecieveInvoices');
    expect(contacts[0].phones[0]).toHaveProperty('phone');
    const asset = (await get(`/v2/servicedesk/hardwareasset/${t.hardwareAssetId}`)).json.result;
    expect(asset).toHaveProperty('dnsServers');
    expect(asset).toHaveProperty('dhcpEnabled');
  });

  const SPEC = '/work/shared/specs/kaseya-bms/kaseya-bms-openapi-original.json';
  it.skipIf(!existsSync(SPEC))('DTO property sets equal the OpenAPI schemas under the .NET camelCase rule', async () => {
    const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    // Newtonsoft ToCamelCase: lower the leading capitals, keeping the last one before a lower-case letter.
    const camel = (s: string) => {
      const c = [...s];
      for (let i = 0; i < c.length; i++) {
        if (i === 1 && !/[A-Z]/.test(c[i] as string)) break;
        if (i > 0 && i + 1 < c.length && !/[A-Z]/.test(c[i + 1] as string)) break;
        c[i] = (c[i] as string).toLowerCase();
      }
      return c.join('');
    };
    const expectKeys = (schema: string, obj: Record<string, unknown>) =>
      expect(Object.keys(obj).sort(), schema).toEqual(Object.keys(spec.components.schemas[schema]!.properties).map(camel).sort());
    const t = first();
    const account = emu.data.accounts.rows[0]!;
    expectKeys('TicketOutputDto', (await get(`/v2/servicedesk/tickets/${t.id}`)).json.result);
    expectKeys('TicketListDto', (await get('/v2/servicedesk/tickets')).json.result[0]);
    const acc = (await get(`/v2/crm/accounts/summary/${account.id}`)).json.result;
    expectKeys('AccountSummaryOutputDto', acc);
    expectKeys('AccountLocationOutputDto', acc.locations[0]);
    expectKeys('AccountAddressOutputDto', acc.locations[0].addresses[0]);
    const contact = (await get('/v2/crm/contacts/summary')).json.result[0];
    expectKeys('ContactsSummaryOutputDto', contact);
    expectKeys('ContactEmailOutputDto', contact.emails[0]);
    expectKeys('ContactPhoneOutputDto', contact.phones[0]);
    expectKeys('ClientContractSummaryOutputDto', (await get('/v2/finance/contracts/summary')).json.result[0]);
    expectKeys('ContractLookupOutputDto', (await get('/v2/finance/contracts/lookup')).json.result[0]);
    expectKeys('HardwareAssetsListSearchSelectOutputDto', (await get('/v2/servicedesk/hardwareasset/searchselect')).json.result[0]);
    expectKeys('HardwareAssetOutputDto', (await get(`/v2/servicedesk/hardwareasset/${t.hardwareAssetId}`)).json.result);
    expectKeys('AccountLookupOutputDto', (await get('/v2/crm/accounts/lookup')).json.result[0]);
    expectKeys('AccountLocationLookupOutputDto', (await get(`/v2/crm/accounts/${account.id}/locations/lookup`)).json.result[0]);
    expectKeys('ContactLookupOutputDto', (await get(`/v2/crm/accounts/${account.id}/contacts/lookup`)).json.result[0]);
    expectKeys('ContactsSearchSelectOutputDto', (await get('/v2/crm/contacts/search')).json.result[0]);
    expectKeys('ContactSummaryInfoOutputDto', (await get(`/v2/crm/accounts/${account.id}/contacts/${t.contactId}/summaryinfo`)).json.result);
    expectKeys('TicketsListSummaryOutputDto', (await get('/v2/servicedesk/tickets/summary', { 'Filter.AccountId': String(account.id) })).json.result[0]);
    expectKeys('UserInfoOutputDto', (await get('/v2/security/userinfo')).json.result);
    expectKeys('StatusLookupOutputDto', (await get('/v2/system/statuses/lookup')).json.result[0]);
  });

  it('paged wrappers carry totalRecords, list wrappers do not; summary/{id} is wrapped', async () => {
    const a = await get('/v2/crm/accounts/summary');
    expect(Object.keys(a.json).sort()).toEqual(['error', 'result', 'success', 'totalRecords']);
    const s = await get('/v2/servicedesk/hardwareasset/searchselect');
    expect(Object.keys(s.json).sort()).toEqual(['error', 'result', 'success']);
    const one = await get(`/v2/crm/contacts/summary/${emu.data.contacts.rows[0]!.id}`);
    expect(one.json).toMatchObject({ success: true, error: null, result: { id: emu.data.contacts.rows[0]!.id } });
  });
});

describe('paging and filters', () => {
  it('PageSize/PageNumber (1-based; 0 behaves as 1), totals, [] past the end', async () => {
    const total = emu.data.contacts.rows.length;
    const seen: number[] = [];
    for (let p = 1; p <= Math.ceil(total / 2); p++) {
      const r = await get('/v2/crm/contacts/summary', { PageSize: '2', PageNumber: String(p) });
      expect(r.json.totalRecords).toBe(total);
      seen.push(...ids(r.json.result));
    }
    expect(seen).toEqual(ids(emu.data.contacts.rows));
    expect(ids((await get('/v2/crm/contacts/summary', { pagesize: '2', pagenumber: '0' })).json.result)).toEqual(seen.slice(0, 2));
    const past = await get('/v2/crm/contacts/summary', { PageSize: '2', PageNumber: '99' });
    expect(past.json).toMatchObject({ totalRecords: total, success: true, result: [] });
  });

  it('Filter.ModifiedOnFrom (Z or no offset) finds exactly the changes after a high-water mark', async () => {
    const hwm = emu.data.accounts.rows
      .map((a) => a.modifiedOn as string)
      .sort()
      .at(-1) as string;
    const exact = await get('/v2/crm/accounts/summary', { 'Filter.ModifiedOnFrom': hwm });
    expect(exact.json.result.every((a: { modifiedOn: string }) => a.modifiedOn >= hwm)).toBe(true);
    expect(exact.json.totalRecords).toBe(1); // inclusive bound
    const after = new Date(Date.parse(`${hwm}Z`) + 1).toISOString();
    expect((await get('/v2/crm/accounts/summary', { 'Filter.ModifiedOnFrom': after })).json.totalRecords).toBe(0);
    const renamed = emu.control.mutate.renameAccount(emu.data.accounts.rows[1]!.id, 'Contoso Holdings');
    expect(String(renamed.modifiedOn) > hwm).toBe(true);
    const delta = await get('/v2/crm/accounts/summary', { 'Filter.ModifiedOnFrom': after });
    expect(delta.json.result.map((a: { accountName: string }) => a.accountName)).toEqual(['Contoso Holdings']);
    const to = await get('/v2/crm/accounts/summary', { 'Filter.ModifiedOnTo': hwm });
    expect(to.json.totalRecords).toBe(emu.data.accounts.rows.length - 1);
    const bad = await get('/v2/crm/accounts/summary', { 'Filter.ModifiedOnFrom': 'yesterday' });
    expect(bad.res.status).toBe(400);
    expect(bad.json.errors['Filter.ModifiedOnFrom']).toBeTruthy();
  });

  it('accounts IsActive/AccountName filters, Sort and Exclude', async () => {
    const inactive = emu.data.accounts.rows.filter((a) => !a.isActive);
    expect(inactive.length).toBeGreaterThan(0);
    expect(ids((await get('/v2/crm/accounts/summary', { 'Filter.IsActive': 'false' })).json.result)).toEqual(ids(inactive));
    expect((await get('/v2/crm/accounts/summary', { 'filter.accountName': 'northwind' })).json.result[0].accountName).toBe('Northwind Dental Group');
    const sorted = (await get('/v2/crm/accounts/summary', { Sort: 'accountName desc' })).json.result.map((a: { accountName: string }) => a.accountName);
    expect(sorted).toEqual([...sorted].sort().reverse());
    const slim = (await get('/v2/crm/accounts/summary', { Exclude: 'locations,description' })).json.result[0];
    expect(slim).not.toHaveProperty('locations');
    expect(slim).toHaveProperty('accountName');
    expect((await get('/v2/crm/accounts/summary', { Sort: '%%%' })).res.status).toBe(200);
    // the lookup hides inactive accounts unless asked
    expect((await get('/v2/crm/accounts/lookup')).json.result).toHaveLength(emu.data.accounts.rows.length - inactive.length);
    expect((await get('/v2/crm/accounts/lookup', { 'Filter.WithInactiveAccounts': 'true' })).json.result).toHaveLength(emu.data.accounts.rows.length);
  });
});

describe('resources', () => {
  it('ticket by id links account, location, contact, asset and contract that all resolve', async () => {
    const t = first();
    const r = (await get(`/v2/servicedesk/tickets/${t.id}`)).json.result;
    expect(r).toMatchObject({
      id: t.id,
      ticketNumber: t.ticketNumber,
      accountId: t.accountId,
      contactId: t.contactId,
      hardwareAssetId: t.hardwareAssetId,
      contractId: t.contractId,
    });
    expect(r.ticketNumber).toMatch(/^\d+-\d{8}$/);
    expect(r.accountName).toBe(emu.data.accounts.get(t.accountId)!.accountName);
    expect(r.contactId && r.hardwareAssetId && r.contractId && r.locationId).toBeTruthy();
    const acc = (await get(`/v2/crm/accounts/summary/${r.accountId}`)).json.result;
    expect(acc.locations.map((l: { id: number }) => l.id)).toContain(r.locationId);
    expect((await get(`/v2/crm/contacts/summary/${r.contactId}`)).json.result.accountId).toBe(r.accountId);
    expect((await get(`/v2/servicedesk/hardwareasset/${r.hardwareAssetId}`)).json.result.accountId).toBe(r.accountId);
    const lookup = (await get('/v2/finance/contracts/lookup', { AccountId: String(r.accountId) })).json.result;
    expect(lookup.map((k: { id: number }) => k.id)).toContain(r.contractId);
    expect(lookup.find((k: { isDefault: boolean }) => k.isDefault).id).toBe(r.contractId);
  });

  it('locations: lookup with one main, detail, account scoping', async () => {
    const a = emu.data.accounts.rows[0]!;
    const l = (await get(`/v2/crm/accounts/${a.id}/locations/lookup`)).json;
    expect(l).toMatchObject({ success: true, error: null });
    expect(l).not.toHaveProperty('totalRecords');
    expect(l.result.filter((x: { isMain: boolean }) => x.isMain)).toHaveLength(1);
    expect(l.result[0]).toEqual({ id: l.result[0].id, name: 'Main', accountId: a.id, isMain: true });
    const detail = (await get(`/v2/crm/accounts/${a.id}/locations/${l.result[0].id}`)).json.result;
    expect(detail.addresses[0].phone).toMatch(/^\d{3}-\d{3}-\d{4}$/);
    const other = emu.data.accounts.rows[2]!;
    expect((await get(`/v2/crm/accounts/${other.id}/locations/${l.result[0].id}`)).res.status).toBe(404);
    expect((await get('/v2/crm/accounts/999/locations/lookup')).json.result).toEqual([]);
  });

  it('contacts: summary by account, account lookup, search by AccountIds', async () => {
    const a = emu.data.accounts.rows[0]!;
    const mine = emu.data.contacts.children(a.id);
    const byAccount = await get('/v2/crm/contacts/summary', { 'Filter.AccountId': String(a.id) });
    expect(ids(byAccount.json.result)).toEqual(ids([...mine]));
    expect(byAccount.json.result[0].emails[0].emailAddress).toContain('@');
    const lookup = (await get(`/v2/crm/accounts/${a.id}/contacts/lookup`)).json.result;
    expect(lookup[0]).toMatchObject({ id: mine[0]!.id, name: `${mine[0]!.firstName} ${mine[0]!.lastName}` });
    const b = emu.data.accounts.rows[2]!;
    const search = (await get(`/v2/crm/contacts/search?Filter.AccountIds=${a.id}&Filter.AccountIds=${b.id}`)).json.result;
    expect(search.length).toBe(mine.length + emu.data.contacts.children(b.id).length);
  });

  it('contracts: summary has no accountId (only accountName); filters by account name and status', async () => {
    const all = (await get('/v2/finance/contracts/summary')).json;
    expect(all.totalRecords).toBe(emu.data.contracts.rows.length);
    expect(all.result[0]).not.toHaveProperty('accountId');
    const a = emu.data.accounts.rows[0]!;
    const mine = (await get('/v2/finance/contracts/summary', { 'Filter.AccountName': a.accountName })).json.result;
    expect(ids(mine)).toEqual(ids([...emu.data.contracts.children(a.id)]));
    const active = (await get('/v2/finance/contracts/summary', { 'Filter.Status': 'Active' })).json.result;
    expect(active.every((k: { status: string }) => k.status === 'Active')).toBe(true);
    expect(active.length).toBe(emu.data.contracts.rows.filter((k) => k.status === 'Active').length);
  });

  it('hardware assets: searchselect by account and IsActive, detail', async () => {
    const a = emu.data.accounts.rows[0]!;
    const rows = (await get('/v2/servicedesk/hardwareasset/searchselect', { 'Filter.AccountId': String(a.id) })).json.result;
    expect(ids(rows)).toEqual(ids([...emu.data.assets.children(a.id)]));
    const inactive = (await get('/v2/servicedesk/hardwareasset/searchselect', { 'Filter.IsActive': 'false' })).json.result;
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.every((x: { isActive: boolean }) => !x.isActive)).toBe(true);
    const detail = (await get(`/v2/servicedesk/hardwareasset/${rows[0].id}`)).json.result;
    expect(detail).toMatchObject({ id: rows[0].id, name: rows[0].assetName, category: rows[0].categoryName, accountId: a.id });
  });

  it('ticket list, search (JSON body), count, filters', async () => {
    const all = await get('/v2/servicedesk/tickets');
    expect(all.json.totalRecords).toBe(emu.data.tickets.rows.length);
    expect(typeof all.json.result[0].customFields).toBe('string');
    const open = emu.data.tickets.rows.filter((t) => t.completedDate === null).length;
    expect((await get('/v2/servicedesk/tickets', { 'Filter.ExcludeCompleted': '1' })).json.totalRecords).toBe(open);
    expect((await get('/v2/servicedesk/tickets/count', { ExcludeCompleted: '1' })).json).toEqual({ success: true, error: null, result: { count: open } });
    const a = emu.data.accounts.rows[0]!;
    const s = await fetch(`${emu.apiBaseUrl}/v2/servicedesk/tickets/search`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ pageSize: 100, pageNumber: 1, filter: { accountIds: String(a.id), statusNames: 'In Progress,New' } }),
    });
    const sj = (await s.json()) as WireJson;
    expect(s.status).toBe(200);
    expect(sj.result.length).toBeGreaterThan(0);
    expect(sj.result.every((t: { accountId: number; statusName: string }) => t.accountId === a.id && ['In Progress', 'New'].includes(t.statusName))).toBe(true);
    expect(
      (await get('/v2/servicedesk/tickets', { 'Filter.HardwareAssetId': String(first().hardwareAssetId) })).json.result.map((t: { id: number }) => t.id),
    ).toContain(first().id);
  });

  it('404s: unknown ids (envelope), unknown routes and wrong methods (no body)', async () => {
    const t = await get('/v2/servicedesk/tickets/1');
    expect(t.res.status).toBe(404);
    expect(t.json).toMatchObject({ success: false, result: null, error: { code: 404 } });
    expect((await get('/v2/crm/accounts/summary/1')).res.status).toBe(404);
    expect((await get('/v2/crm/contacts/summary/1')).res.status).toBe(404);
    expect((await get('/v2/servicedesk/hardwareasset/1')).res.status).toBe(404);
    const route = await get('/v2/crm/accounts/1'); // no GET /crm/accounts/{id} in v2
    expect(route.res.status).toBe(404);
    expect(route.text).toBe('');
    const method = await fetch(`${emu.apiBaseUrl}/v2/crm/accounts/summary`, { method: 'DELETE', headers: auth });
    expect(method.status).toBe(405);
    expect((await get('/V2/CRM/Accounts/Summary')).res.status).toBe(200); // ASP.NET routes are case-insensitive
  });

  it('the web app API /api2/v2 accepts the PSAAuthToken cookie from a UI page', async () => {
    const page = await fetch(`${emu.baseUrl}/react/servicedesk/tickets/${first().id}`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^PSAAuthToken=ey/);
    const r = await get(`${emu.baseUrl}/api2/v2/servicedesk/tickets/${first().id}`, {}, { Cookie: cookie });
    expect(r.res.status).toBe(200);
    expect(r.json.result.id).toBe(first().id);
    expect((await get(`/v2/servicedesk/tickets/${first().id}`, {}, { Cookie: cookie })).res.status).toBe(401); // api host: bearer only
    const again = await fetch(`${emu.baseUrl}/react/servicedesk/tickets`, { headers: { Cookie: cookie } });
    expect(again.headers.get('set-cookie')).toBeNull(); // still logged in
  });
});

describe('rate limit, faults, latency, request log, HTTP control', () => {
  it('default is 1,500 per hour per endpoint', async () => {
    const state = (await (await fetch(`${emu.baseUrl}/__emulator/state`)).json()) as WireJson;
    expect(state.rateLimit).toEqual({ limit: 1500, windowMs: 3_600_000 });
    expect(state.psa).toBe('kaseya-bms');
  });

  it('per endpoint: 429 + Retry-After once over the limit; other endpoints unaffected; window rolls', async () => {
    const a = emu.data.accounts.rows;
    emu.control.setRateLimit({ limit: 2, windowMs: 60_000 });
    emu.control.setNow(Date.now());
    try {
      expect((await get(`/v2/crm/accounts/summary/${a[0]!.id}`)).res.status).toBe(200);
      expect((await get(`/v2/crm/accounts/summary/${a[1]!.id}`)).res.status).toBe(200); // same template
      const r = await get(`/v2/crm/accounts/summary/${a[2]!.id}`);
      expect(r.res.status).toBe(429);
      expect(Number(r.res.headers.get('retry-after'))).toBe(60);
      expect(r.text).toBe('API calls quota exceeded! maximum admitted 2 per 1m.');
      expect((await get('/v2/crm/accounts/summary')).res.status).toBe(200);
      expect((await get('/v2/crm/contacts/summary')).res.status).toBe(200);
      emu.control.setNow(Date.now() + 61_000);
      expect((await get(`/v2/crm/accounts/summary/${a[0]!.id}`)).res.status).toBe(200);
    } finally {
      emu.control.setNow(null);
      emu.control.setRateLimit(null);
    }
    const v = await startKaseyaBmsEmulator({ rateLimit: { limit: 1, windowMs: 3_600_000 } });
    try {
      expect((await login(v, v.credentials.valid)).res.status).toBe(200);
      const second = await fetch(`${v.apiBaseUrl}/v2/security/authenticate`, { method: 'POST', body: authenticateForm(v.credentials.valid) });
      expect(second.status).toBe(429);
      expect(await second.text()).toContain('per 1h');
    } finally {
      await v.close();
    }
  });

  it('faults: status with times, malformed bodies', async () => {
    emu.control.injectFault({ path: '/v2/crm/accounts/summary', status: 503, times: 2 });
    expect((await get('/v2/crm/accounts/summary')).res.status).toBe(503);
    expect((await get('/v2/crm/accounts/summary')).res.status).toBe(503);
    expect((await get('/v2/crm/accounts/summary')).res.status).toBe(200);
    emu.control.injectFault({ path: /tickets\/\d+$/, malformed: 'truncated' });
    const t = await get(`/v2/servicedesk/tickets/${first().id}`);
    expect(t.res.status).toBe(200);
    expect(t.json).toBeUndefined();
    expect(t.text.startsWith('{"success":true')).toBe(true);
    emu.control.injectFault({ method: 'POST', path: 'authenticate', malformed: 'html' });
    const h = await fetch(`${emu.apiBaseUrl}/v2/security/authenticate`, { method: 'POST', body: authenticateForm(emu.credentials.valid) });
    expect(h.status).toBe(503);
    expect(h.headers.get('content-type')).toContain('text/html');
    emu.control.injectFault({ status: 500, times: 10 });
    emu.control.clearFaults();
    expect((await get('/v2/crm/accounts/summary')).res.status).toBe(200);
  });

  it('latency applies to the API only; the request log records calls', async () => {
    emu.control.resetRequestLog();
    emu.control.setLatency(120);
    try {
      const t0 = Date.now();
      await get('/v2/crm/accounts/summary', { PageSize: '1' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
      const t1 = Date.now();
      await fetch(`${emu.baseUrl}/MSP/TicketsListing.aspx`);
      expect(Date.now() - t1).toBeLessThan(110);
    } finally {
      emu.control.setLatency(0);
    }
    const log = emu.control.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/v2/crm/accounts/summary', status: 200, query: { PageSize: '1' } });
  });

  it('HTTP control endpoints: state, per-endpoint rate limit, mutate, expireTokens', async () => {
    const state = (await (await fetch(`${emu.baseUrl}/__emulator/state`)).json()) as WireJson;
    expect(state.counts.accounts).toBe(3);
    expect(state.credentials.valid.userName).toBe(emu.credentials.valid.userName);
    await fetch(`${emu.baseUrl}/__emulator/rate-limit`, { method: 'POST', body: JSON.stringify({ limit: 1, windowMs: 60_000 }) });
    try {
      expect((await get('/v2/system/queues/lookup')).res.status).toBe(200);
      expect((await get('/v2/system/queues/lookup')).res.status).toBe(429);
      expect((await get('/v2/system/priorities/lookup')).res.status).toBe(200);
    } finally {
      await fetch(`${emu.baseUrl}/__emulator/rate-limit`, { method: 'POST', body: 'null' });
    }
    const asset = emu.data.assets.rows[0]!;
    const m = await fetch(`${emu.baseUrl}/__emulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'rename', entity: 'asset', id: asset.id, name: 'NDG-WS-RENAMED' }),
    });
    expect(((await m.json()) as WireJson).result.name).toBe('NDG-WS-RENAMED');
    const bad = await fetch(`${emu.baseUrl}/__emulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'rename', entity: 'account', id: 1, name: 'x' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${emu.baseUrl}/__emulator/mutate`, { method: 'POST', body: JSON.stringify({ op: 'expireTokens' }) });
    expect((await get('/v2/system/queues/lookup')).res.headers.get('token-expired')).toBe('true');
    token = (await login(emu, emu.credentials.valid)).json.result.accessToken;
    auth = { Authorization: `Bearer ${token}` };
  });
});

describe('mutations', () => {
  it('a rename shows up in related records without touching them', async () => {
    const a = emu.data.accounts.rows[0]!;
    const contact = emu.data.contacts.children(a.id)[0]!;
    const before = contact.modifiedOn;
    emu.control.mutate.renameAccount(a.id, 'Northwind Dental Partners');
    expect((await get(`/v2/crm/contacts/summary/${contact.id}`)).json.result.accountName).toBe('Northwind Dental Partners');
    expect((await get(`/v2/servicedesk/tickets/${first().id}`)).json.result.accountName).toBe('Northwind Dental Partners');
    expect(contact.modifiedOn).toBe(before);
  });

  it('remove, add, update (ticket status), changeAssetType; pinned clock stamps strictly increase', async () => {
    const victim = emu.data.assets.rows.at(-1)!;
    emu.control.mutate.remove('asset', victim.id);
    expect((await get(`/v2/servicedesk/hardwareasset/${victim.id}`)).res.status).toBe(404);
    expect(ids((await get('/v2/servicedesk/hardwareasset/searchselect')).json.result)).not.toContain(victim.id);
    const a = emu.data.accounts.rows[2]!;
    const added = emu.control.mutate.add('contact', { accountId: a.id, firstName: 'Neu', lastName: 'Kontakt' });
    expect(added.id).toBeGreaterThan(Math.max(...emu.data.contacts.rows.filter((c) => c !== added).map((c) => c.id)));
    const listed = (await get('/v2/crm/contacts/summary', { 'Filter.AccountId': String(a.id) })).json.result;
    expect(listed.at(-1)).toMatchObject({ id: added.id, firstName: 'Neu', accountName: a.accountName, locationName: 'Main' });
    emu.control.setNow('2030-01-01T00:00:00Z');
    try {
      // tokens live on the emulator clock: the shared one expired when the clock jumped
      auth = { Authorization: `Bearer ${(await login(emu, emu.credentials.valid)).json.result.accessToken}` };
      const open = emu.data.tickets.rows.find((t) => t.completedDate === null)!;
      const u = emu.control.mutate.update('ticket', open.id, { statusId: 36708 }) as BmsTicket;
      // strictly after the login request served at the pinned instant
      expect(u.modifiedOn).toBe('2030-01-01T00:00:01');
      expect(u.completedDate).toBe(u.modifiedOn);
      expect(u.lastActivityUpdate).toBe(u.modifiedOn);
      const r = (await get(`/v2/servicedesk/tickets/${open.id}`)).json.result;
      expect(r.statusName).toBe('Closed');
      expect(
        (await get('/v2/servicedesk/tickets', { 'Filter.LastActivityUpdateFrom': '2030-01-01T00:00:00Z' })).json.result.map((t: { id: number }) => t.id),
      ).toEqual([open.id]);
      const asset = emu.data.assets.rows[0]!;
      const changed = emu.control.mutate.changeAssetType(asset.id, 'Tablet');
      expect(String(changed.modifiedOn) > String(u.modifiedOn)).toBe(true);
      expect((await get(`/v2/servicedesk/hardwareasset/${asset.id}`)).json.result.category).toBe('Tablet');
      const loc = emu.data.locations.rows[0]!;
      emu.control.mutate.rename('location', loc.id, 'HQ');
      expect(String(emu.data.accounts.get(loc.accountId)!.modifiedOn) > String(changed.modifiedOn)).toBe(true);
    } finally {
      emu.control.setNow(null);
      auth = { Authorization: `Bearer ${(await login(emu, emu.credentials.valid)).json.result.accessToken}` };
    }
    const gone = emu.data.accounts.rows[2]!;
    emu.control.mutate.remove('account', gone.id);
    expect((await get(`/v2/crm/accounts/summary/${gone.id}`)).res.status).toBe(404);
    expect(emu.data.contacts.children(gone.id)).toHaveLength(0);
    expect((await get('/v2/crm/accounts/summary')).json.totalRecords).toBe(2);
  });
});

describe('datasets', () => {
  const dump = (s: BmsStore) => JSON.stringify([s.accounts.rows, s.locations.rows, s.contacts.rows, s.contracts.rows, s.assets.rows, s.tickets.rows]);

  it('same seed → identical data; different seed → different data', () => {
    expect(dump(generateDataset({ preset: 'demo', seed: 7 }))).toBe(dump(generateDataset({ preset: 'demo', seed: 7 })));
    expect(dump(generateDataset({ preset: 'demo', seed: 7 }))).not.toBe(dump(generateDataset({ preset: 'demo', seed: 8 })));
  });

  it('tiny and demo contain the documented variety', () => {
    const tiny = generateDataset({ preset: 'tiny' });
    expect(tiny.accounts.rows.map((a) => a.accountName)).toEqual(['Northwind Dental Group', 'Contoso Ltd.', 'Fabrikam Manufacturing']);
    expect(tiny.assets.rows.some((a) => !a.isActive)).toBe(true);
    const demo = generateDataset({ preset: 'demo' });
    expect(demo.accounts.rows).toHaveLength(25);
    for (const a of demo.accounts.rows) {
      expect(demo.contacts.children(a.id).length).toBeGreaterThanOrEqual(2);
      expect(demo.assets.children(a.id).length).toBeGreaterThanOrEqual(3);
      expect(demo.contracts.children(a.id).length).toBeGreaterThanOrEqual(1);
      expect(demo.locations.children(a.id).filter((l) => l.isMain)).toHaveLength(1);
    }
    expect(demo.tickets.rows).toHaveLength(60);
    expect(new Set(demo.assets.rows.map((a) => a.categoryId)).size).toBeGreaterThanOrEqual(6);
    expect(demo.assets.rows.filter((a) => !a.isActive).length).toBeGreaterThan(0);
    expect(new Set(demo.contracts.rows.map((k) => k.status))).toEqual(new Set(['Active', 'Inactive', 'Expired']));
    expect(demo.accounts.rows.some((a) => !a.isActive)).toBe(true);
    expect(demo.contacts.rows.some((c) => c.modifiedOn === null)).toBe(true); // never-modified rows exist
    expect(demo.tickets.rows.some((t) => t.completedDate !== null)).toBe(true);
  });

  it('large preset builds in seconds with the documented counts; PageSize default 100, cap 500', async () => {
    const t0 = Date.now();
    const big = await startKaseyaBmsEmulator({ preset: 'large', rateLimit: null });
    try {
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(big.data.counts()).toMatchObject({ accounts: 2000, contacts: 40_000, assets: 150_000, contracts: 3_000, locations: 6_000 });
      const h = { Authorization: `Bearer ${(await login(big, big.credentials.valid)).json.result.accessToken}` };
      const d = await get('/v2/crm/contacts/summary', {}, h, big);
      expect(d.json.result).toHaveLength(100);
      expect(d.json.totalRecords).toBe(40_000);
      const capped = await get('/v2/servicedesk/hardwareasset/searchselect', { PageSize: '5000', PageNumber: '3' }, h, big);
      expect(capped.json.result).toHaveLength(500);
      expect(capped.json.result[0].id).toBe(big.data.assets.rows[1000]!.id);
      const ui = await fetch(`${big.baseUrl}/react/crm/accounts/${big.data.accounts.rows[0]!.id}`);
      expect(await ui.text()).toContain('psa-account-view-title');
    } finally {
      await big.close();
    }
  }, 60_000);
});

describe('web UI', () => {
  const page = async (path: string) => {
    const r = await fetch(emu.baseUrl + path);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    return r.text();
  };

  it('React ticket page (/react/servicedesk/tickets/N) has the hooks of docs/psa/kaseya-bms.md#page-hooks', async () => {
    const t = emu.data.tickets.rows[1]!;
    const account = emu.data.accounts.get(t.accountId)!;
    const html = await page(`/react/servicedesk/tickets/${t.id}`);
    expect(html).toContain(`<title>Ticket #${t.ticketNumber} - Sidecar Test MSP</title>`);
    expect(html).toContain('id="psa-content"');
    expect(html).toMatch(new RegExp(`class="psa-ticket-view-title"[^>]*>${t.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</h2>`));
    expect(html).toMatch(new RegExp(`class="psa-ticket-info-summary-account"[^>]*><a href="/react/crm/accounts/${account.id}" data-bms-nav=""[^>]*>`));
    expect(html).toMatch(/<label class="psa-label-field">Assignee<\/label><span class="psa-field-value">/);
    expect(html).toContain('id="createTicket" class="createTicket');
    expect(html).toContain('class="psa-right-side"><div class="psa-sidebar"><div class="psa-sidebar-container"');
    expect(html).toContain('<ul class="sidebar-menu tree">');
    expect(html).toContain('class="psa-searchable-items-header"');
    expect(html).toContain(`data-bms-page="ticket" data-ticket-id="${t.id}"`);
    expect(html).toContain('/react/__ui/client.js');
    // other ticket routes of the React UI
    expect(await page(`/react/servicedesk/mytickets/${t.id}`)).toContain(`data-ticket-id="${t.id}"`);
    expect(await page(`/react/home/views/12/tickets/${t.id}`)).toContain(`data-ticket-id="${t.id}"`);
    expect(await page(`/react/home/views/12/mytickets/${t.id}/`)).toContain(`data-ticket-id="${t.id}"`);
    expect(await page('/react/servicedesk/tickets/1')).toContain('data-testid="not-found"');
  });

  it('legacy ticket page (/MSP/TicketEdit.aspx?ID=N) has the WebForms hooks', async () => {
    const t = emu.data.tickets.rows[1]!;
    const account = emu.data.accounts.get(t.accountId)!;
    const html = await page(`/MSP/TicketEdit.aspx?ID=${t.id}`);
    expect(html).toContain(`<title>Sidecar Test MSP - Ticket# ${t.ticketNumber} - `);
    expect(html).toContain(`<form method="post" action="./TicketEdit.aspx?ID=${t.id}" id="aspnetForm"`);
    expect(html).toMatch(/class="TicketTitle"[^>]*>.*<em><span id="ctl00_phContent_lblTicketTitle">/);
    expect(html).toMatch(new RegExp(`<a class="itg-org" href="/CRM/AccountEdit.aspx\\?ID=${account.id}"[^>]*>`));
    for (const id of [
      'ctl00_phContent_lblVPrimaryAssignee',
      'ctl00_phContent_pnlTicketProperties',
      'ctl00_phMenu_pnlGroupActionButtons',
      'ctl00_phContent_CustomAttach_rdAttachment_GridData',
    ])
      expect(html).toContain(`id="${id}"`);
    expect(await page(`/msp/ticketedit.aspx?id=${t.id}`)).toContain(`data-ticket-id="${t.id}"`); // IIS: WireJson case
  });

  it('account pages (React and legacy) and ticket lists', async () => {
    const a = emu.data.accounts.rows[0]!;
    const react = await page(`/react/crm/accounts/${a.id}`);
    expect(react).toContain(`data-bms-page="account" data-account-id="${a.id}"`);
    expect(react).toContain(`class="psa-account-view-title" data-testid="account-name">${a.accountName}<`);
    for (const cls of ['psa-account-locations', 'psa-account-contacts', 'psa-account-assets', 'psa-account-contracts', 'psa-account-tickets'])
      expect(react).toContain(cls);
    const legacy = await page(`/CRM/AccountEdit.aspx?ID=${a.id}`);
    expect(legacy).toContain(`id="ctl00_phContent_lblAccountName" class="itg-org" data-testid="account-name">${a.accountName}<`);
    const list = await page('/react/servicedesk/tickets');
    expect(list).toContain('data-bms-page="tickets"');
    expect(list).toContain(`href="/react/servicedesk/tickets/${emu.data.tickets.rows.at(-1)!.id}" data-bms-nav=""`);
    const classic = await page('/MSP/TicketsListing.aspx');
    expect(classic).toContain('class="rgMasterTable"');
    expect(classic).toContain(`href="/MSP/TicketEdit.aspx?ID=${emu.data.tickets.rows.at(-1)!.id}"`);
    expect(await page('/MSP/MyTickets.aspx')).toContain('data-bms-page="mytickets"');
    expect(await page('/react/crm/accounts')).toContain('data-bms-page="accounts"');
    const root = await fetch(`${emu.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
  });

  it('view JSON (not the API) drives in-app navigation; server HTML escapes data; client uses pushState', async () => {
    const t = first();
    const r = await fetch(`${emu.baseUrl}/react/__ui/view?url=${encodeURIComponent(`/react/servicedesk/tickets/${t.id}`)}`);
    const data = (await r.json()) as { title: string; target: unknown; view: { attrs: Record<string, string> } };
    expect(data.target).toEqual({ ui: 'react', type: 'ticket', id: t.id });
    expect(data.view.attrs['data-ticket-id']).toBe(String(t.id));
    emu.control.mutate.rename('ticket', t.id, '<img src=x onerror=alert(1)> "Quotes" & Co');
    const html = await page(`/react/servicedesk/tickets/${t.id}`);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Quotes&quot; &amp; Co');
    const js = await (await fetch(`${emu.baseUrl}/react/__ui/client.js`)).text();
    expect(js).toContain('history.pushState');
    expect(js).toContain('__bmsNavigations');
    expect(js).toContain('PSAUserInfo');
    expect(js).not.toContain('innerHTML');
  });

  it('reactSsr: false serves an empty shell that the script fills', async () => {
    const v = await startKaseyaBmsEmulator({ reactSsr: false });
    try {
      const t = v.data.tickets.rows[0]!;
      const html = await (await fetch(`${v.baseUrl}/react/servicedesk/tickets/${t.id}`)).text();
      expect(html).toContain('<main id="psa-content" class="psa-main" data-ssr="0"></main>');
      expect(html).not.toContain('psa-ticket-view-title');
    } finally {
      await v.close();
    }
  });
});

// Drives the React UI in a real browser when one is installed (system chromium or CHROMIUM_PATH).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(chromiumPath))('web UI in a browser', () => {
  let ui: RunningKaseyaBms;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    ui = await startKaseyaBmsEmulator({ preset: 'tiny' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
  });

  it('React UI: links change the URL without a reload, back/forward re-render, counters and PSAUserInfo', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t = ui.data.tickets.rows[0]!;
    const account = ui.data.accounts.get(t.accountId)!;
    await page.goto(`${ui.baseUrl}/react/servicedesk/tickets/${t.id}`);
    expect(await page.textContent('.psa-ticket-view-title')).toBe(t.title);
    expect(await page.textContent('.psa-ticket-info-summary-account')).toBe(account.accountName);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('PSAUserInfo'))) ?? '{}')).toMatchObject({ userId: 51140, fullName: 'Dana Okafor' });
    expect((await page.context().cookies()).find((c) => c.name === 'PSAAuthToken')?.value).toMatch(/^ey/);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));

    await page.click('.psa-ticket-info-summary-account a');
    await page.waitForFunction((n) => document.querySelector('.psa-account-view-title')?.textContent === n, account.accountName);
    expect(page.url()).toBe(`${ui.baseUrl}/react/crm/accounts/${account.id}`);
    expect(await page.title()).toBe(`${account.accountName} - Sidecar Test MSP`);

    const other = ui.data.tickets.children(account.id).at(-1)!;
    await page.click(`[data-testid=account-ticket-link][href="/react/servicedesk/tickets/${other.id}"]`);
    await page.waitForFunction((id) => document.querySelector('[data-bms-page=ticket]')?.getAttribute('data-ticket-id') === String(id), other.id);
    expect(page.url()).toBe(`${ui.baseUrl}/react/servicedesk/tickets/${other.id}`);

    await page.goBack();
    await page.waitForFunction((n) => document.querySelector('.psa-account-view-title')?.textContent === n, account.accountName);
    await page.click('[data-testid=nav-tickets]');
    await page.waitForSelector('[data-bms-page=tickets] [data-testid=grid-ticket-link]');
    const state = await page.evaluate(() => ({
      marker: (window as unknown as { __marker?: number }).__marker,
      navigations: (window as unknown as { __bmsNavigations: number }).__bmsNavigations,
    }));
    expect(state).toEqual({ marker: 42, navigations: 4 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('client-rendered shell (reactSsr: false) fills in late; legacy pages are plain page loads', async () => {
    const late = await startKaseyaBmsEmulator({ reactSsr: false, reactRenderDelayMs: 150 });
    try {
      const page = await browser.newPage();
      const t = late.data.tickets.rows[0]!;
      const resp = await page.goto(`${late.baseUrl}/react/servicedesk/tickets/${t.id}`);
      expect(await resp!.text()).not.toContain('psa-ticket-view-title'); // the shell arrives empty
      await page.waitForSelector('.psa-ticket-view-title');
      expect(await page.textContent('.psa-ticket-view-title')).toBe(t.title);
      await page.goto(`${late.baseUrl}/MSP/TicketEdit.aspx?ID=${t.id}`);
      expect(await page.textContent('.TicketTitle em span')).toBe(t.title);
      expect(await page.evaluate(() => (window as unknown as { __bmsNavigations: number }).__bmsNavigations)).toBe(0);
      await page.close();
    } finally {
      await late.close();
    }
  });
});
