// Over 300 lines on purpose: the emulator's fidelity suite, one describe per documented behaviour (auth, paging, filters, errors, rate limits, UI pages) as docs/psa/halo.md states it.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulator/halo/dataset.ts';
import { RollingRateLimiter } from '../../emulator/halo/rate-limit.ts';
import { haloToken, startHaloEmulator } from '../../emulator/halo/start.ts';
import type { HaloCredential, RunningHaloEmulator } from '../../emulator/halo/start.ts';
import { loadSpec, shapeProblems } from '../../support/openapi-shape.ts';
import type { WireJson } from '../../support/wire-json.ts';

let emu: RunningHaloEmulator;
let token: string;

beforeAll(async () => {
  emu = await startHaloEmulator({ preset: 'tiny', seed: 1, rateLimit: null });
  token = await haloToken(emu.baseUrl, emu.credentials.valid);
});
afterAll(() => emu.close());

async function get(path: string, params: Record<string, string> = {}, bearer: string | null = token, base?: string) {
  const u = new URL(path.startsWith('http') ? path : `${base ?? emu.baseUrl}${path}`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const text = await res.text();
  let json: WireJson;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, text, json };
}

async function tokenRequest(body: Record<string, string>, query = '', base = emu.baseUrl, contentType = 'application/x-www-form-urlencoded') {
  const res = await fetch(`${base}/auth/token${query}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: contentType.includes('json') ? JSON.stringify(body) : new URLSearchParams(body),
  });
  return { res, json: (await res.json().catch(() => undefined)) as WireJson };
}

const form = (c: HaloCredential, extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: c.clientId,
  client_secret: c.clientSecret,
  scope: 'all',
  ...extra,
});
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;

describe('discovery and tokens', () => {
  it('authinfo is anonymous and names the auth server and tenant; any path casing', async () => {
    for (const p of ['/api/authinfo', '/api/AuthInfo', '/API/AUTHINFO']) {
      const r = await get(p, {}, null);
      expect(r.res.status).toBe(200);
      expect(r.json.auth_url).toBe(`${emu.baseUrl}/auth`);
      expect(r.json.tenant_id).toBe('sidecartest');
    }
    const oidc = await get('/auth/.well-known/openid-configuration', {}, null);
    expect(oidc.json.token_endpoint).toBe(`${emu.baseUrl}/auth/token`);
  });

  it('control.setAuthUrl makes authinfo and InstanceInfo name another authorisation server, and null undoes it', async () => {
    try {
      emu.control.setAuthUrl('https://login.example.net/auth/');
      expect((await get('/api/authinfo', {}, null)).json.auth_url).toBe('https://login.example.net/auth');
      expect((await get('/api/InstanceInfo')).json.auth_url).toBe('https://login.example.net/auth');
      // Its own token endpoint keeps working (the tests route the named server to it, or not).
      expect((await tokenRequest(form(emu.credentials.valid), '?tenant=sidecartest')).res.status).toBe(200);
      const post = (body: unknown) => fetch(`${emu.baseUrl}/__emulator/mutate`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
      expect((await post({ op: 'setAuthUrl', url: 'http://collector.example/x' })).result).toEqual({ authUrl: 'http://collector.example/x' });
      expect((await get('/api/authinfo', {}, null)).json.auth_url).toBe('http://collector.example/x');
      expect((await post({ op: 'setAuthUrl', url: null })).result).toEqual({ authUrl: null });
      expect((await get('/api/authinfo', {}, null)).json.auth_url).toBe(`${emu.baseUrl}/auth`);
    } finally {
      emu.control.setAuthUrl(null);
    }
  });

  it('issues a client-credentials token with the documented fields', async () => {
    const r = await tokenRequest(form(emu.credentials.valid), '?tenant=sidecartest');
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.json).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'all' });
    expect(r.json.access_token.split('.')).toHaveLength(3);
    // tenant in the body (asachs01/node-halopsa) and a case-insensitive tenant work too
    expect((await tokenRequest(form(emu.credentials.valid, { tenant: 'sidecartest' }))).res.status).toBe(200);
    expect((await tokenRequest(form(emu.credentials.valid), '?tenant=SidecarTest')).res.status).toBe(200);
  });

  it('token errors: invalid_client 401, tenant missing/wrong 400, unsupported grant, bad content type, unknown scope', async () => {
    const c = emu.credentials.valid;
    const bad = await tokenRequest(form(c, { client_secret: 'wrong' }), '?tenant=sidecartest');
    expect(bad.res.status).toBe(401);
    expect(bad.json.error).toBe('invalid_client');
    expect(typeof bad.json.error_description).toBe('string');
    expect((await tokenRequest(form(c, { client_id: 'nobody' }), '?tenant=sidecartest')).json.error).toBe('invalid_client');
    const noTenant = await tokenRequest(form(c));
    expect(noTenant.res.status).toBe(400);
    expect(noTenant.json.error_description).toMatch(/tenant/);
    const wrongTenant = await tokenRequest(form(c), '?tenant=acme');
    expect(wrongTenant.res.status).toBe(400);
    expect(wrongTenant.json.error_description).toMatch(/tenant 'acme'/);
    const grant = await tokenRequest(form(c, { grant_type: 'password' }), '?tenant=sidecartest');
    expect([grant.res.status, grant.json.error]).toEqual([400, 'unsupported_grant_type']);
    const json = await tokenRequest(form(c), '?tenant=sidecartest', emu.baseUrl, 'application/json');
    expect([json.res.status, json.json.error]).toEqual([400, 'invalid_request']);
    const scope = await tokenRequest(form(c, { scope: 'read:everything' }), '?tenant=sidecartest');
    expect([scope.res.status, scope.json.error]).toEqual([400, 'invalid_scope']);
  });

  it('self-hosted: no tenant anywhere; wrong-tenant status is configurable for hosted', async () => {
    const self = await startHaloEmulator({ preset: 'tiny', hosted: false, rateLimit: null });
    try {
      const info = await get(`${self.baseUrl}/api/authinfo`, {}, null);
      expect(info.json.tenant_id).toBeUndefined();
      expect(self.credentials.valid.tenant).toBeUndefined();
      const t = await tokenRequest(form(self.credentials.valid), '', self.baseUrl);
      expect(t.res.status).toBe(200);
      expect((await get(`${self.baseUrl}/api/Client`, {}, t.json.access_token)).res.status).toBe(200);
    } finally {
      await self.close();
    }
    const strict = await startHaloEmulator({ preset: 'tiny', wrongTenantStatus: 401, rateLimit: null });
    try {
      const r = await tokenRequest(form(strict.credentials.valid), '?tenant=acme', strict.baseUrl);
      expect([r.res.status, r.json.error]).toEqual([401, 'invalid_client']);
    } finally {
      await strict.close();
    }
  });

  it('the API needs a bearer token: missing or unknown → 401 with WWW-Authenticate', async () => {
    const none = await get('/api/Client', {}, null);
    expect(none.res.status).toBe(401);
    expect(none.res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const junk = await get('/api/Client', {}, 'abc.def.ghi');
    expect(junk.res.status).toBe(401);
    expect(junk.res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('tokens expire (short lifetime + clock) and control.expireTokens() revokes them', async () => {
    const short = await startHaloEmulator({ preset: 'tiny', tokenLifetimeSec: 60, rateLimit: null });
    try {
      const t = await tokenRequest(form(short.credentials.valid), '?tenant=sidecartest', short.baseUrl);
      expect(t.json.expires_in).toBe(60);
      expect((await get(`${short.baseUrl}/api/Client`, {}, t.json.access_token)).res.status).toBe(200);
      short.control.setNow(Date.now() + 61_000);
      const expired = await get(`${short.baseUrl}/api/Client`, {}, t.json.access_token);
      expect(expired.res.status).toBe(401);
      expect(expired.res.headers.get('www-authenticate')).toMatch(/expired/);
      const fresh = await haloToken(short.baseUrl, short.credentials.valid);
      expect((await get(`${short.baseUrl}/api/Client`, {}, fresh)).res.status).toBe(200);
      short.control.expireTokens();
      expect((await get(`${short.baseUrl}/api/Client`, {}, fresh)).res.status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('InstanceInfo and Agent/me after authenticating', async () => {
    const r = await get('/api/InstanceInfo');
    expect(r.res.status).toBe(200);
    expect(r.json).toMatchObject({ agent_url: emu.baseUrl, portal_url: `${emu.baseUrl}/portal`, auth_url: `${emu.baseUrl}/auth`, app_name: 'HaloPSA' });
    expect((await get('/api/InstanceInfo', {}, null)).res.status).toBe(401);
    expect((await get('/api/Agent/me')).json.id).toBe(1);
  });
});

describe('permissions', () => {
  it('limited application: 403 on Asset/AssetType naming read:assets; customers still readable', async () => {
    const lim = await haloToken(emu.baseUrl, emu.credentials.limited);
    for (const p of ['/api/Asset', '/api/asset/100001', '/api/AssetType']) {
      const r = await get(p, {}, lim);
      expect(r.res.status).toBe(403);
      expect(r.json.Message).toContain('read:assets');
    }
    expect((await get('/api/Client', {}, lim)).res.status).toBe(200);
    expect((await get('/api/Tickets/400001', {}, lim)).res.status).toBe(200);
  });

  it('scopes narrow what a token may read', async () => {
    const t = await haloToken(emu.baseUrl, emu.credentials.valid, 'read:customers');
    expect((await get('/api/Client', {}, t)).res.status).toBe(200);
    expect((await get('/api/ClientContract', {}, t)).res.status).toBe(403);
    expect((await get('/api/Tickets', {}, t)).res.status).toBe(403);
  });

  it('restricted agent: other top levels are filtered out (200, smaller record_count) and 404 by id', async () => {
    const emuAll = await get('/api/Client', { includeinactive: 'true' });
    const t = await haloToken(emu.baseUrl, emu.credentials.restricted);
    const r = await get('/api/Client', { includeinactive: 'true' }, t);
    expect(r.res.status).toBe(200);
    const visible = emu.data.clients.rows.filter((c) => c.toplevel_id === 1).map((c) => c.id);
    expect(r.json.clients.map((c: WireJson) => c.id)).toEqual(visible);
    const hidden = emu.data.clients.rows.find((c) => c.toplevel_id !== 1)!;
    expect(hidden.id).toBe(13);
    expect(r.json.record_count).toBeLessThan(emuAll.json.record_count);
    expect((await get(`/api/Client/${hidden.id}`, {}, t)).res.status).toBe(404);
    expect((await get('/api/Users', { client_id: String(hidden.id) }, t)).json.record_count).toBe(0);
    expect((await get('/api/Tickets', {}, t)).json.tickets.every((x: WireJson) => x.client_id !== 13)).toBe(true);
  });
});

describe('lists, wrappers and records', () => {
  it('each list has its wrapper key and record_count; AssetType is a bare array', async () => {
    const keys: [string, string][] = [
      ['Client', 'clients'],
      ['Site', 'sites'],
      ['Users', 'users'],
      ['Asset', 'assets'],
      ['ClientContract', 'contracts'],
      ['Tickets', 'tickets'],
    ];
    for (const [path, key] of keys) {
      const r = await get(`/api/${path}`);
      expect(r.res.status, path).toBe(200);
      expect(Array.isArray(r.json[key]), path).toBe(true);
      expect(r.json.record_count, path).toBe(r.json[key].length);
      expect(r.json.page_no, path).toBeUndefined();
    }
    const types = await get('/api/AssetType');
    expect(Array.isArray(types.json)).toBe(true);
    expect(types.json.map((t: WireJson) => t.id)).toContain(121);
    expect(types.json.find((t: WireJson) => t.id === 130)).toMatchObject({
      name: 'Laptop',
      assetgroup_name: 'Hardware',
      keyfield_name: 'Device Name',
      keyfield2_name: 'Serial Number',
    });
    expect((await get('/api/AssetType/130')).json.allowed_status.length).toBeGreaterThan(0);
    for (const p of ['/api/Agent', '/api/TicketType', '/api/Status', '/api/Lookup?lookupid=11']) expect(Array.isArray((await get(p)).json), p).toBe(true);
  });

  it('pageinate/page_size/page_no: 1-based, record_count is the total, page_no<1 → 1, past the end → []', async () => {
    const all = (await get('/api/Users', { includeinactive: 'true' })).json;
    const p2 = (await get('/api/Users', { includeinactive: 'true', pageinate: 'true', page_size: '2', page_no: '2' })).json;
    expect(p2).toMatchObject({ page_no: 2, page_size: 2, record_count: all.record_count });
    expect(p2.users.map((u: WireJson) => u.id)).toEqual(all.users.slice(2, 4).map((u: WireJson) => u.id));
    const p0 = (await get('/api/Users', { includeinactive: 'true', pageinate: 'true', page_size: '2', page_no: '0' })).json;
    expect(p0.page_no).toBe(1);
    expect(p0.users[0].id).toBe(all.users[0].id);
    const past = (await get('/api/Users', { pageinate: 'true', page_size: '50', page_no: '9' })).json;
    expect(past.users).toEqual([]);
    const counted = (await get('/api/Users', { includeinactive: 'true', count: '3' })).json;
    expect(counted.users).toHaveLength(3);
    expect(counted.record_count).toBe(all.record_count);
    // Unknown parameters are ignored silently.
    expect((await get('/api/Users', { includeinactive: 'true', open_only: 'true', frobnicate: '1' })).json.record_count).toBe(all.record_count);
  });

  it('single GET returns the bare, fuller object; unknown id and unknown route → 404', async () => {
    const c = (await get('/api/Client/12')).json;
    expect(c).toMatchObject({ id: 12, name: 'Acorn Construction', toplevel_name: 'Managed Clients' });
    expect(c.main_site_id).toBeGreaterThan(0);
    expect(c.alastupdate).toMatch(ZONELESS);
    for (const p of ['/api/Client/999', '/api/Site/1', '/api/Users/1', '/api/Asset/1', '/api/ClientContract/1', '/api/Tickets/1']) {
      const r = await get(p);
      expect(r.res.status, p).toBe(404);
      expect(r.json.Message, p).toBeTruthy();
    }
    expect((await get('/api/NoSuchThing')).res.status).toBe(404);
    expect((await get('/api/client/12')).json.id).toBe(12);
  });

  it('ticket by id carries client, site and user; fields and dates are zone-less UTC, empty dates are 1900-01-01', async () => {
    const t = (await get('/api/Tickets/400001')).json;
    expect(t).toMatchObject({ id: 400001, client_id: 12, client_name: 'Acorn Construction', site_id: 5001, user_id: 30001 });
    expect(t.user_name).toBe(emu.data.users.get(30001)?.name);
    for (const f of ['dateoccurred', 'last_update', 'lastactiondate', 'respondbydate', 'fixbydate']) expect(t[f], f).toMatch(ZONELESS);
    expect(t.targetdate).toBe('1900-01-01T00:00:00');
    expect(t.starttime).toBe('00:00:00');
    expect(t.assets.map((a: WireJson) => a.id)).toEqual(emu.data.tickets.get(400001)?._assets);
    expect(t.assets.map((a: WireJson) => a.id)).toContain(100001);
    // Faults.contract_id / contract_ref: the client's current contract.
    expect(t.contract_id).toBe(emu.data.tickets.get(400001)?.contract_id);
    expect(emu.data.contracts.get(t.contract_id)).toMatchObject({ client_id: 12, active: true, expired: false });
    expect(t.contract_ref).toBe(emu.data.contracts.get(t.contract_id)?.ref);
    expect((await get('/api/Asset', { ticket_id: '400001', includeinactive: 'true' })).json.assets.map((a: WireJson) => a.id)).toEqual(
      emu.data.tickets.get(400001)?._assets,
    );
    const contract = (await get('/api/ClientContract', { client_id: '12' })).json.contracts[0];
    expect(contract.start_date).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(contract.last_modified).toMatch(ZONELESS);
    const anyEmpty = (await get('/api/Tickets', { client_id: '12' })).json.tickets.some((x: WireJson) => x.dateclosed === '1900-01-01T00:00:00');
    expect(anyEmpty).toBe(true);
  });

  const SPEC = loadSpec('/work/shared/specs/halo/openapi/halo-api-v2-swagger_ssmanji89_2025-04.json');
  it.skipIf(!SPEC)('list rows carry only what the 2025-04 spec’s *_List schemas declare (no client website or mainsite_address)', async () => {
    for (const [path, key, schema] of [
      ['Client', 'clients', 'Area_List'],
      ['Site', 'sites', 'Site_List'],
      ['Users', 'users', 'Users_List'],
      ['Asset', 'assets', 'Device_List'],
      ['ClientContract', 'contracts', 'ContractHeader_List'],
      ['Tickets', 'tickets', 'Faults_List'],
    ] as const) {
      const rows = (await get(`/api/${path}`, { includeinactive: 'true', includeaddress: 'true', includeassetfields: 'true', includenotes: 'true' })).json[key];
      expect(rows.length, path).toBeGreaterThan(0);
      expect(
        rows.flatMap((row: WireJson) => shapeProblems(SPEC!, schema, row)),
        path,
      ).toEqual([]);
    }
    const client = (await get('/api/Client')).json.clients[0];
    expect(client).not.toHaveProperty('website');
    expect(client).not.toHaveProperty('mainsite_address');
    // The full record keeps `website` (spec `Area`) and names the main site.
    expect((await get(`/api/Client/${client.id}`)).json).toMatchObject({ website: expect.stringMatching(/^https:\/\//), main_site_id: expect.any(Number) });
    // Opt-in: the list row as newer Halo versions are said to send it.
    const newer = await startHaloEmulator({ preset: 'tiny', rateLimit: null, newerClientList: true });
    try {
      const t = await haloToken(newer.baseUrl, newer.credentials.valid);
      const row = (await get(`${newer.baseUrl}/api/Client`, {}, t)).json.clients[0];
      expect(row).toMatchObject({ website: expect.stringMatching(/^https:\/\//), mainsite_address: expect.any(String) });
    } finally {
      await newer.close();
    }
  });

  it('field names and casing as in the spec list schemas', async () => {
    const site = (await get('/api/Site', { client_id: '12', includeaddress: 'true' })).json.sites[0];
    for (const k of [
      'id',
      'name',
      'client_id',
      'client_name',
      'clientsite_name',
      'inactive',
      'phonenumber',
      'timezone',
      'delivery_address_line1',
      'maincontact_id',
    ])
      expect(site, k).toHaveProperty(k);
    const user = (await get('/api/Users', { client_id: '12' })).json.users[0];
    for (const k of [
      'site_id',
      'site_id_int',
      'site_name',
      'client_name',
      'client_id',
      'firstname',
      'surname',
      'emailaddress',
      'phonenumber_preferred',
      'isimportantcontact',
      'isserviceaccount',
    ])
      expect(user, k).toHaveProperty(k);
    const asset = (await get('/api/Asset', { client_id: '12', includeassetfields: 'true' })).json.assets[0];
    for (const k of [
      'inventory_number',
      'key_field',
      'key_field2',
      'key_field3',
      'assettype_id',
      'assettype_name',
      'site_name',
      'username',
      'status_name',
      'warranty_end',
      'contract_ref',
    ])
      expect(asset, k).toHaveProperty(k);
    expect(asset.fields.length).toBeGreaterThan(0);
    expect(asset.fields[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String), display: expect.any(String) });
    expect((await get('/api/Asset', { client_id: '12' })).json.assets[0].fields).toEqual([]);
  });

  it('custom fields (CustomField: name, label, value, display) on clients, sites, users and assets; asset suppliers', async () => {
    const assets = (await get('/api/Asset', { includeinactive: 'true' })).json.assets as WireJson[];
    const withCustom = assets.filter((a) => a.customfields.length);
    expect(withCustom.length).toBeGreaterThanOrEqual(3);
    expect(withCustom[0].customfields[0]).toEqual({
      id: 141,
      name: 'CFBackupPlan',
      label: 'Backup Plan',
      type: 2,
      value: expect.any(Number),
      display: expect.any(String),
    });
    expect(assets.some((a) => a.customfields.some((f: WireJson) => f.value === '' && f.display === ''))).toBe(true);
    expect(assets.some((a) => a.supplier_name && a.supplier_id)).toBe(true);
    expect(assets.some((a) => a.supplier_name === '' && a.supplier_id === 0)).toBe(true);
    const client = (await get('/api/Client')).json.clients[0];
    expect(client.customfields).toEqual([
      { id: 171, name: 'CFRegion', label: 'Region', type: 2, value: expect.any(Number), display: expect.stringMatching(/^(East|West)$/) },
    ]);
    const users = (await get('/api/Users', { client_id: '12', includeinactive: 'true' })).json.users as WireJson[];
    expect(users[0].customfields[0]).toMatchObject({ label: 'Preferred Contact Method', display: expect.any(String) });
    const sites = (await get('/api/Site', { includeinactive: 'true' })).json.sites as WireJson[];
    expect(sites.some((site) => site.customfields.some((f: WireJson) => f.label === 'After-hours Access'))).toBe(true);
  });
});

describe('filters', () => {
  it('active only by default; includeinactive / includeactive / activeinactive', async () => {
    const d = emu.data;
    const activeUsers = d.users.rows.filter((u) => !u.inactive).length;
    expect((await get('/api/Users')).json.record_count).toBe(activeUsers);
    expect((await get('/api/Users', { includeinactive: 'true' })).json.record_count).toBe(d.users.rows.length);
    expect((await get('/api/Users', { includeactive: 'false', includeinactive: 'true' })).json.record_count).toBe(d.users.rows.length - activeUsers);
    expect((await get('/api/Users', { activeinactive: 'false,true' })).json.record_count).toBe(d.users.rows.length - activeUsers);
    expect((await get('/api/Client', { includeinactive: 'true' })).json.record_count).toBe(3);
    expect((await get('/api/Client')).json.record_count).toBe(2);
    const inactiveAssets = d.assets.rows.filter((a) => a.inactive).length;
    expect(inactiveAssets).toBeGreaterThan(0);
    expect((await get('/api/Asset', { activeinactive: 'true,true' })).json.record_count).toBe(d.assets.rows.length);
  });

  it('client_id, site_id, search, asset type, ordering', async () => {
    const sites = (await get('/api/Site', { client_id: '12', includeinactive: 'true' })).json;
    expect(sites.sites.every((s: WireJson) => s.client_id === 12)).toBe(true);
    expect(sites.record_count).toBe(emu.data.sites.children(12).length);
    const siteId = String(sites.sites[0].id);
    const users = (await get('/api/Users', { site_id: siteId, includeinactive: 'true' })).json.users;
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u: WireJson) => String(u.site_id) === siteId)).toBe(true);
    expect((await get('/api/Client', { search: 'pizza' })).json.clients.map((c: WireJson) => c.id)).toEqual([13]);
    const laptops = (await get('/api/Asset', { assettype_id: '130', includeinactive: 'true' })).json;
    expect(laptops.assets.every((a: WireJson) => a.assettype_id === 130 && a.assettype_name === 'Laptop')).toBe(true);
    expect(laptops.record_count).toBe(emu.data.assets.rows.filter((a) => a.assettype_id === 130).length);
    const both = (await get('/api/Asset', { assettypes: '130,131', includeinactive: 'true' })).json.record_count;
    expect(both).toBe(emu.data.assets.rows.filter((a) => a.assettype_id === 130 || a.assettype_id === 131).length);
    const desc = (await get('/api/Client', { order: 'name', orderdesc: 'true', includeinactive: 'true' })).json.clients.map((c: WireJson) => c.name);
    expect(desc).toEqual([...desc].sort().reverse());
  });

  it('contracts: current by default, includeinactive/includeexpired add the rest', async () => {
    const d = emu.data.contracts.rows;
    expect((await get('/api/ClientContract')).json.record_count).toBe(d.filter((c) => c.active && !c.expired).length);
    expect((await get('/api/ClientContract', { includeinactive: 'true', includeexpired: 'true' })).json.record_count).toBe(d.length);
    expect(d.some((c) => c.expired)).toBe(true);
  });

  it('tickets: client/user filters, open_only/closed_only, lastupdatefromdate (all three date styles), datesearch, page_size max 100', async () => {
    const all = emu.data.tickets.rows;
    expect((await get('/api/Tickets', { client_id: '12' })).json.record_count).toBe(all.filter((t) => t.client_id === 12).length);
    expect((await get('/api/Tickets', { user_id: '30001' })).json.tickets.every((t: WireJson) => t.user_id === 30001)).toBe(true);
    const open = (await get('/api/Tickets', { open_only: 'true' })).json.record_count;
    const closed = (await get('/api/Tickets', { closed_only: 'true' })).json.record_count;
    expect(open + closed).toBe(all.length);
    const stamps = all.map((t) => String(t.last_update)).sort();
    const mid = stamps[Math.floor(stamps.length / 2)] as string;
    const expected = all.filter((t) => Date.parse(`${String(t.last_update)}Z`) >= Date.parse(`${mid}Z`)).length;
    const noFrac = mid.slice(0, 19);
    const plain = (await get('/api/Tickets', { lastupdatefromdate: mid })).json.record_count;
    expect(plain).toBe(expected);
    expect((await get('/api/Tickets', { lastupdatefromdate: `${noFrac}Z` })).json.record_count).toBeGreaterThanOrEqual(expected);
    expect((await get('/api/Tickets', { lastupdatefromdate: `${noFrac}.000000Z` })).json.record_count).toBeGreaterThanOrEqual(expected);
    const opened = (await get('/api/Tickets', { datesearch: 'dateoccured', startdate: '2000-01-01T00:00:00', enddate: '2100-01-01T00:00:00' })).json
      .record_count;
    expect(opened).toBe(all.length);
    const page = (await get('/api/Tickets', { pageinate: 'true', page_size: '500', page_no: '1' })).json;
    expect(page.page_size).toBe(100);
  });
});

describe('control: rate limit, faults, latency, request log, HTTP control', () => {
  it("rolling window: 429 with Halo's message and Retry-After once over the limit", async () => {
    emu.control.setRateLimit({ limit: 3, windowMs: 60_000 });
    try {
      for (let i = 0; i < 3; i++) expect((await get('/api/Client')).res.status).toBe(200);
      const r = await get('/api/Client');
      expect(r.res.status).toBe(429);
      expect(r.text).toBe('Rate Limit Reached - 3 Requests per rolling 1 minute window');
      expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThan(0);
      // The web UI is not rate limited.
      expect((await fetch(`${emu.baseUrl}/tickets?id=400001`)).status).toBe(200);
    } finally {
      emu.control.setRateLimit(null);
    }
    expect((await get('/api/Client')).res.status).toBe(200);
  });

  it("the default limit is Halo's 300 per rolling 5 minutes, and it rolls (unlike a fixed window)", async () => {
    const lim = new RollingRateLimiter();
    lim.set({ limit: 2, windowMs: 1000 });
    expect(lim.take(0)).toBeNull();
    expect(lim.take(500)).toBeNull();
    expect(lim.take(600)).toBe(1); // oldest leaves at 1000
    expect(lim.take(1001)).toBeNull(); // the hit at 0 left the window
    expect(lim.take(1002)).toBe(1); // the hit at 500 is still in it (a fixed window would allow this)
    const def = await startHaloEmulator({ preset: 'tiny' });
    try {
      const state = await (await fetch(`${def.baseUrl}/__emulator/state`)).json();
      expect(state.rateLimit).toEqual({ limit: 300, windowMs: 300_000 });
    } finally {
      await def.close();
    }
  });

  it('injected faults apply `times` times; malformed bodies', async () => {
    emu.control.injectFault({ path: '/api/Client', status: 500, times: 2 });
    expect((await get('/api/Client')).res.status).toBe(500);
    expect((await get('/api/Client')).res.status).toBe(500);
    expect((await get('/api/Client')).res.status).toBe(200);
    emu.control.injectFault({ path: /\/api\/site$/i, malformed: 'truncated' });
    const t = await get('/api/Site');
    expect(t.res.status).toBe(200);
    expect(t.json).toBeUndefined();
    emu.control.injectFault({ path: '/api/Users', malformed: 'html' });
    expect((await get('/api/Users')).res.headers.get('content-type')).toMatch(/text\/html/);
    emu.control.clearFaults();
  });

  it('latency slows API requests; the request log records them', async () => {
    emu.control.resetRequestLog();
    emu.control.setLatency(120);
    const t0 = Date.now();
    await get('/api/Client', { pageinate: 'true', page_size: '1' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    emu.control.setLatency(0);
    const log = emu.control.requests();
    expect(log.at(-1)).toMatchObject({ method: 'GET', path: '/api/Client', status: 200, query: { pageinate: 'true', page_size: '1' } });
  });

  it('HTTP control endpoints: state, mutate, expireTokens', async () => {
    const state = await (await fetch(`${emu.baseUrl}/__emulator/state`)).json();
    expect(state).toMatchObject({ psa: 'halo', preset: 'tiny', hosted: true, tenant: 'sidecartest' });
    expect(state.counts.clients).toBe(3);
    expect(state.credentials.valid.clientId).toBe(emu.credentials.valid.clientId);
    const post = (body: unknown) => fetch(`${emu.baseUrl}/__emulator/mutate`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    const res = await post({ op: 'rename', entity: 'site', id: 5001, name: 'Head Office' });
    expect(res.result.name).toBe('Head Office');
    expect((await get('/api/Site/5001')).json.name).toBe('Head Office');
    expect((await post({ op: 'nope' })).error).toMatch(/op must be/);
    const mine = await haloToken(emu.baseUrl, emu.credentials.valid);
    await post({ op: 'expireTokens' });
    expect((await get('/api/Client', {}, mine)).res.status).toBe(401);
    token = await haloToken(emu.baseUrl, emu.credentials.valid);
  });
});

describe('mutations', () => {
  it('rename propagates to related rows and bumps the last-update column; tickets show up in lastupdatefromdate', async () => {
    const before = emu.data.clients.get(13)?.alastupdate as string;
    emu.control.mutate.renameClient(13, 'Mario & Luigi <Pizza>');
    expect((await get('/api/Client/13')).json.alastupdate > before).toBe(true);
    const sites = (await get('/api/Site', { client_id: '13' })).json.sites;
    expect(sites[0].client_name).toBe('Mario & Luigi <Pizza>');
    const hwm = emu.data.tickets.rows
      .map((t) => String(t.last_update))
      .sort()
      .at(-1) as string;
    const t = emu.control.mutate.rename('ticket', 400002, 'Printer on fire');
    const since = (await get('/api/Tickets', { lastupdatefromdate: hwm.slice(0, 19) })).json.tickets;
    expect(since.map((x: WireJson) => x.id)).toContain(400002);
    expect(t.last_update).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('add / update / setInactive / remove / changeAssetType', async () => {
    const u = emu.control.mutate.add('user', { client_id: 12, name: 'Nina Novak', emailaddress: 'nina@example.com' });
    const got = (await get(`/api/Users/${u.id}`)).json;
    expect(got).toMatchObject({ name: 'Nina Novak', firstname: 'Nina', surname: 'Novak', client_id: 12, client_name: 'Acorn Construction' });
    emu.control.mutate.setInactive('user', u.id);
    expect((await get('/api/Users', { client_id: '12' })).json.users.map((x: WireJson) => x.id)).not.toContain(u.id);
    emu.control.mutate.update('user', u.id, { client_id: 13, inactive: false });
    expect((await get('/api/Users', { client_id: '13' })).json.users.map((x: WireJson) => x.id)).toContain(u.id);
    emu.control.mutate.remove('user', u.id);
    expect((await get(`/api/Users/${u.id}`)).res.status).toBe(404);

    const moved = emu.control.mutate.changeAssetType(100001, 'Desktop');
    expect(moved.assettype_id).toBe(131);
    expect((await get('/api/Asset/100001')).json.assettype_name).toBe('Desktop');
    emu.control.mutate.changeAssetType(100001, 'Smart Fridge');
    const types = (await get('/api/AssetType')).json;
    const fridge = types.find((x: WireJson) => x.name === 'Smart Fridge');
    expect(fridge).toBeTruthy();
    expect((await get('/api/Asset/100001')).json.assettype_id).toBe(fridge.id);
    const c = emu.control.mutate.add('client', { name: 'Zeta Zoo' });
    expect((await get('/api/Client', { search: 'zeta' })).json.clients[0].id).toBe(c.id);
  });
});

describe('options', () => {
  it('publicBaseUrl shows in authinfo, InstanceInfo and web_url; JSON 429 without Retry-After; new tokens can revoke old ones', async () => {
    const o = await startHaloEmulator({
      preset: 'tiny',
      publicBaseUrl: 'https://acme.halopsa.example/',
      rateLimit: { limit: 1, windowMs: 60_000 },
      rateLimitBody: 'json',
      retryAfterHeader: false,
      newTokenRevokesOld: true,
    });
    try {
      expect(o.baseUrl).toBe('https://acme.halopsa.example');
      const info = await get(`${o.localUrl}/api/authinfo`, {}, null);
      expect(info.json.auth_url).toBe('https://acme.halopsa.example/auth');
      const limited = await get(`${o.localUrl}/api/authinfo`, {}, null);
      expect(limited.res.status).toBe(429);
      expect(limited.json.Message).toMatch(/^Rate Limit Reached - 1 Requests per rolling 1 minute window$/);
      expect(limited.res.headers.get('retry-after')).toBeNull();
      o.control.setRateLimit(null);
      const first = await haloToken(o.localUrl, o.credentials.valid);
      const t = (await get(`${o.localUrl}/api/Tickets/400001`, {}, first)).json;
      expect(t.web_url).toBe('https://acme.halopsa.example/tickets?id=400001');
      // client_secret_basic works as well as client_secret_post
      const basic = await fetch(`${o.localUrl}/auth/token?tenant=sidecartest`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${o.credentials.valid.clientId}:${o.credentials.valid.clientSecret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials&scope=all',
      });
      expect(basic.status).toBe(200);
      expect((await get(`${o.localUrl}/api/Client`, {}, first)).res.status).toBe(401);
    } finally {
      await o.close();
    }
  });
});

describe('datasets', () => {
  it('same seed → identical data; different seed → different data', () => {
    const a = generateDataset({ preset: 'demo', seed: 7 });
    const b = generateDataset({ preset: 'demo', seed: 7 });
    const c = generateDataset({ preset: 'demo', seed: 8 });
    const dump = (s: typeof a) => JSON.stringify([s.clients.rows, s.users.rows, s.assets.rows, s.contracts.rows, s.tickets.rows, s.assetTypes]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('demo has the documented variety', () => {
    const d = generateDataset({ preset: 'demo', seed: 1 });
    expect(d.clients.rows.length).toBe(25);
    expect(d.tickets.rows.length).toBe(60);
    expect(d.clients.rows.some((c) => c.inactive)).toBe(true);
    expect(d.users.rows.some((u) => u.inactive)).toBe(true);
    expect(d.assets.rows.some((a) => a.inactive)).toBe(true);
    expect(d.sites.rows.some((a) => a.inactive)).toBe(true);
    expect(d.contracts.rows.some((k) => k.expired)).toBe(true);
    expect(new Set(d.assets.rows.map((a) => a.assettype_id)).size).toBeGreaterThanOrEqual(6);
    const first = d.tickets.rows[0]!;
    const cid = Number(first.client_id);
    for (const t of [d.users, d.assets, d.contracts, d.sites]) expect(t.children(cid).length).toBeGreaterThan(0);
    // Custom field values in every preset (tiny: the emulator under test; large: below).
    for (const data of [d, generateDataset({ preset: 'tiny' })]) {
      const valued = (rows: readonly Record<string, unknown>[]) =>
        rows.filter((r) => (r.customfields as Record<string, unknown>[]).some((f) => f.display !== ''));
      expect(valued(data.assets.rows).length).toBeGreaterThanOrEqual(data.clients.rows.length);
      expect(valued(data.users.rows).length).toBeGreaterThanOrEqual(data.clients.rows.length);
      expect(valued(data.sites.rows).length).toBeGreaterThan(0);
    }
  });

  it('large preset builds in seconds with the documented counts; pages of 1000 work', async () => {
    const t0 = Date.now();
    const big = await startHaloEmulator({ preset: 'large', rateLimit: null });
    try {
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(big.data.counts()).toMatchObject({ clients: 2000, users: 40_000, assets: 150_000, contracts: 3_000, sites: 6_000 });
      const valued = big.data.assets.rows.filter((a) => (a.customfields as unknown[]).length).length;
      expect(valued).toBeGreaterThan(30_000);
      expect(valued).toBeLessThan(50_000);
      const tk = await haloToken(big.baseUrl, big.credentials.valid);
      const page = await get(`${big.baseUrl}/api/Asset`, { pageinate: 'true', page_size: '1000', page_no: '150', includeinactive: 'true' }, tk);
      expect(page.json.record_count).toBe(150_000);
      expect(page.json.assets).toHaveLength(1000);
      expect(page.json.assets.at(-1).id).toBe(big.data.assets.rows.at(-1)!.id);
    } finally {
      await big.close();
    }
  }, 60_000);
});

describe('web UI', () => {
  const page = async (path: string) => {
    const res = await fetch(`${emu.baseUrl}${path}`);
    return { res, html: await res.text() };
  };

  it('ticket page (plain and opened from a list view) shows the client in the detail panel', async () => {
    for (const p of ['/tickets?id=400001', '/tickets?area=1&mainview=myviews&viewid=4&selid=15&sellevel=1&id=400001', '/tickets?&id=400001']) {
      const { res, html } = await page(p);
      expect(res.status, p).toBe(200);
      expect(html).toContain('data-testid="view-ticket" data-record-type="ticket" data-record-id="400001"');
      expect(html).toContain('data-testid="ticket-details" data-client-id="12"');
      expect(html).toContain('href="/customers?mainview=client&amp;clientid=12"');
      expect(html).toMatch(/<title>#400001 - .* - HaloPSA<\/title>/);
      expect(html).toContain('<script src="/__ui/app.js">');
    }
  });

  it('new-ticket form (id=-1), ticket list, client/site/user/asset pages, portal', async () => {
    expect((await page('/tickets?id=-1')).html).toContain('id="input-field-for-client_id"');
    const list = (await page('/tickets?area=1&mainview=myviews&viewid=4&selid=15&sellevel=1')).html;
    expect(list).toContain('data-testid="ticket-list"');
    expect(list).toContain('href="/tickets?area=1&amp;mainview=myviews&amp;viewid=4&amp;selid=15&amp;sellevel=1&amp;id=');
    expect((await page('/customers?clientid=12')).html).toContain('data-record-type="client" data-record-id="12"');
    expect((await page('/customers?mainview=client&inactive=false&hideinternal=false&clientid=12')).html).toContain(
      'data-record-type="client" data-record-id="12"',
    );
    expect((await page('/customers?mainview=site&siteid=5001')).html).toContain('data-record-type="site" data-record-id="5001"');
    expect((await page('/customers?mainview=user&userid=30001')).html).toContain('data-record-type="user" data-record-id="30001"');
    const asset = (await page('/assets?id=100002')).html;
    expect(asset).toContain('data-record-type="asset" data-record-id="100002"');
    expect(asset).toContain('data-testid="asset-client-link"');
    expect((await page('/assets?assetid=100002')).html).toContain('data-record-id="100002"');
    const portal = (await page('/portal/ticket?id=400001')).html;
    expect(portal).toContain('class="halo-portal"');
    expect(portal).toContain('data-record-type="portal-ticket" data-record-id="400001"');
    expect((await page('/portal/nothing')).html).toContain('ERROR 404');
    const redirect = await fetch(`${emu.baseUrl}/portal/tickets`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/portal/tickets?viewid=1']);
  });

  it('unknown records show an in-app message; guessed paths 404; server HTML escapes data', async () => {
    expect((await page('/tickets?id=999')).html).toContain('data-testid="not-found"');
    expect((await page('/client?id=12')).res.status).toBe(404);
    expect((await page('/customer?id=12')).res.status).toBe(404);
    emu.control.mutate.renameClient(12, 'Acorn <b>"Construction"</b> & Sons');
    const html = (await page('/customers?clientid=12')).html;
    expect(html).toContain('Acorn &lt;b&gt;&quot;Construction&quot;&lt;/b&gt; &amp; Sons');
    expect(html).not.toContain('<b>"Construction"</b>');
    emu.control.mutate.renameClient(12, 'Acorn Construction');
  });

  it('the SPA view endpoint (not /api) serves the same view as JSON for in-app navigation', async () => {
    const r = await fetch(`${emu.baseUrl}/__ui/view?url=${encodeURIComponent('/customers?mainview=user&userid=30001')}`);
    const v = await r.json();
    expect(v.target).toEqual({ type: 'user', id: 30001 });
    expect(v.title).toMatch(/ - HaloPSA$/);
    expect(JSON.stringify(v.view)).toContain('user-client-link');
    const js = await (await fetch(`${emu.baseUrl}/__ui/app.js`)).text();
    expect(js).toContain('history.pushState');
    expect(js).toContain('__haloNavigations');
    expect(js).toContain('popstate');
    expect(js).not.toContain('innerHTML');
  });
});

// Drives the emulated Halo agent app in a real browser when one is installed (system chromium or
// CHROMIUM_PATH); skipped otherwise so the unit suite stays runnable everywhere.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(chromiumPath))('Halo web UI in a browser', () => {
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const viewIs = (type: string) => document.querySelector('[data-record-type]')?.getAttribute('data-record-type') === type;

  it('navigates ticket → client → asset with pushState (no reload), back/forward re-render', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t = emu.data.tickets.get(400001)!;
    await page.goto(`${emu.baseUrl}/tickets?area=1&mainview=myviews&viewid=4&selid=15&sellevel=1`);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await page.click('[data-ticket-id="400001"] [data-testid=ticket-list-link]');
    await page.waitForFunction(viewIs, 'ticket');
    expect(page.url()).toBe(`${emu.baseUrl}/tickets?area=1&mainview=myviews&viewid=4&selid=15&sellevel=1&id=400001`);
    expect(await page.title()).toBe(`#400001 - ${String(t.summary)} - HaloPSA`);
    expect(await page.getAttribute('[data-testid=ticket-details]', 'data-client-id')).toBe('12');

    await page.click('[data-testid=ticket-client-link]');
    await page.waitForFunction(viewIs, 'client');
    expect(page.url()).toBe(`${emu.baseUrl}/customers?mainview=client&clientid=12`);
    await page.click('[data-testid=client-asset-link] >> nth=0');
    await page.waitForFunction(viewIs, 'asset');
    expect(page.url()).toMatch(/\/assets\?id=\d+$/);

    await page.goBack();
    await page.waitForFunction(viewIs, 'client');
    await page.goBack();
    await page.waitForFunction(viewIs, 'ticket');
    await page.goForward();
    await page.waitForFunction(viewIs, 'client');
    const state = await page.evaluate(() => ({
      marker: (window as unknown as { __marker?: number }).__marker,
      navs: (window as unknown as { __haloNavigations: number }).__haloNavigations,
    }));
    expect(state).toEqual({ marker: 42, navs: 6 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
