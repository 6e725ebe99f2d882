// Over 300 lines on purpose: the emulator's fidelity suite, one describe per documented behaviour (auth, paging, conditions, errors, rate limits, UI pages) as docs/psa/connectwise.md states it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectwiseAuthHeaders, startEmulator } from '../../emulator/index.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { generateDataset } from '../../emulator/connectwise/dataset.ts';
import type { CwRecord } from '../../emulator/connectwise/store.ts';
import type { WireJson } from '../../support/wire-json.ts';

let emu: RunningEmulator;
let api: string;
let auth: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ psa: 'connectwise', preset: 'tiny', seed: 1 });
  api = emu.apiUrl;
  auth = connectwiseAuthHeaders(emu.credentials.valid);
});
afterAll(() => emu.close());

async function get(path: string, params: Record<string, string> = {}, headers: Record<string, string> = auth) {
  const u = new URL(path.startsWith('http') ? path : api + path);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, text, json: json as WireJson };
}

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
const maxUpdated = (rows: readonly CwRecord[]) =>
  rows
    .map((r) => r._info.lastUpdated as string)
    .sort()
    .at(-1) as string;

describe('auth', () => {
  it('rejects bad credentials with 401 and a ConnectWise error body', async () => {
    const bad = connectwiseAuthHeaders({ ...emu.credentials.valid, privateKey: 'wrong' });
    const r = await get('/company/companies', {}, bad);
    expect(r.res.status).toBe(401);
    expect(r.json.code).toBe('Unauthorized');
    expect(typeof r.json.message).toBe('string');
    expect((await get('/company/companies', {}, { clientId: 'x' })).res.status).toBe(401);
  });

  it('accepts the login company id in any case; requires the + separator literally', async () => {
    const c = emu.credentials.valid;
    const upper = connectwiseAuthHeaders({ ...c, companyId: c.companyId.toUpperCase() });
    expect((await get('/company/companies/count', {}, upper)).res.status).toBe(200);
    const noPlus = { ...auth, Authorization: `Basic ${Buffer.from(`${c.companyId}${c.publicKey}:${c.privateKey}`).toString('base64')}` };
    expect((await get('/company/companies/count', {}, noPlus)).res.status).toBe(401);
  });

  it('answers 403 without a clientId header, any header casing works', async () => {
    const { clientId: _omit, ...noClient } = auth;
    const r = await get('/company/companies', {}, noClient);
    expect(r.res.status).toBe(403);
    expect(r.json.code).toBeTruthy();
    const r2 = await get('/company/companies/count', {}, { Authorization: auth.Authorization as string, CLIENTID: 'abc' });
    expect(r2.res.status).toBe(200);
  });

  it('limited key: 403 naming the module on companies/configurations, contacts still allowed', async () => {
    const lim = connectwiseAuthHeaders(emu.credentials.limited);
    const c = await get('/company/companies', {}, lim);
    expect(c.res.status).toBe(403);
    expect(c.json.message).toContain('Company Maintenance');
    expect(c.json.errors[0].resource).toBe('Company Maintenance');
    const cfg = await get('/company/configurations/count', {}, lim);
    expect(cfg.res.status).toBe(403);
    expect(cfg.json.message).toContain('Configurations');
    expect((await get('/company/companies/101/sites', {}, lim)).res.status).toBe(403);
    const contacts = await get('/company/contacts', {}, lim);
    expect(contacts.res.status).toBe(200);
    expect(contacts.json.length).toBe(emu.data.contacts.rows.length);
  });
});

describe('discovery', () => {
  it('companyinfo is unauthenticated PascalCase; unknown company is 404', async () => {
    const r = await get(`${emu.baseUrl}/login/companyinfo/SIDECARTEST`, {}, {});
    expect(r.res.status).toBe(200);
    expect(r.json).toMatchObject({ Codebase: 'v4_6_release/', CompanyID: 'sidecartest', IsCloud: 'False' });
    expect(r.json.SiteUrl).toBe(new URL(emu.baseUrl).host);
    expect(Object.keys(r.json).sort()).toEqual(['Codebase', 'CompanyID', 'CompanyName', 'IsCloud', 'SiteUrl', 'VersionCode', 'VersionNumber']);
    const unknown = await get(`${emu.baseUrl}/login/companyinfo/nope`, {}, {});
    expect(unknown.res.status).toBe(404);
    expect(unknown.json.code).toBe('NotFound');
  });

  it('system/info needs auth by default and returns the Info shape and headers', async () => {
    expect((await get('/system/info', {}, {})).res.status).toBe(401);
    const r = await get('/system/info');
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.res.headers.get('api-current-version')).toMatch(/^\d{4}\.\d+$/);
    expect(r.json.isCloud).toBe(false);
    expect(r.json.version).toMatch(/^v\d{4}\./);
    expect(Array.isArray(r.json.licenseBits)).toBe(true);
  });

  it('serves the cloud codebase too, paths case-insensitively, and tolerates 3.0//', async () => {
    const cloud = await get(`${emu.baseUrl}/v2025_1/apis/3.0/company/companies/101`);
    expect(cloud.res.status).toBe(200);
    expect(cloud.json._info.contacts_href).toContain('/v2025_1/apis/3.0/company/contacts?conditions=company/id=101');
    expect((await get(`${emu.baseUrl}/V4_6_RELEASE/APIS/3.0/Company/Companies/101`)).json.id).toBe(101);
    expect((await get(`${emu.baseUrl}/v4_6_release/apis/3.0//company/companies/101`)).json.id).toBe(101);
    const withAccept = await get('/company/companies/count', {}, { ...auth, Accept: 'application/vnd.connectwise.com+json; version=2025.1, application/json' });
    expect(withAccept.json.count).toBe(3);
  });
});

describe('records', () => {
  it('omits null fields, formats dates, builds refs with hrefs', async () => {
    const r = await get('/company/contacts/' + (emu.data.contacts.rows[0] as CwRecord).id);
    expect(r.res.status).toBe(200);
    expect(r.text).not.toContain('null');
    expect(r.json._info.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(r.json.company._info.company_href).toBe(`${api}/company/companies/${r.json.company.id}`);
    expect(r.json.company._info.mobileGuid).toMatch(/^[0-9a-f-]{36}$/);
    const items = r.json.communicationItems as { communicationType: string; defaultFlag: boolean }[];
    expect(items.some((i) => i.communicationType === 'Email' && i.defaultFlag)).toBe(true);
    expect(items.some((i) => i.communicationType === 'Phone')).toBe(true);
  });

  it('404 body for unknown records; project ticket ids 404 on /service/tickets', async () => {
    const r = await get('/company/companies/99999');
    expect(r.res.status).toBe(404);
    expect(r.json).toEqual({ code: 'NotFound', message: 'Company 99999 not found' });
    const project = emu.data.projectTickets.rows[0] as CwRecord;
    expect(project).toBeDefined();
    const svc = await get(`/service/tickets/${project.id}`);
    expect(svc.res.status).toBe(404);
    expect(svc.json).toEqual({ code: 'NotFound', message: `Ticket ${project.id} not found` });
    const pt = await get(`/project/tickets/${project.id}`);
    expect(pt.json.recordType).toBe('ProjectTicket');
  });

  it('ticket by id carries company and contact; its configurations are listed', async () => {
    const t = emu.data.tickets.rows[0] as CwRecord;
    const r = await get(`/service/tickets/${t.id}`, { fields: 'id,summary,company,contact,status,_info' });
    expect(r.json.company.id).toBe((t.company as { id: number }).id);
    expect(r.json.company.name).toBe((t.company as { name: string }).name);
    expect(r.json.contact.id).toBeGreaterThan(0);
    expect(Object.keys(r.json).sort()).toEqual(['_info', 'company', 'contact', 'id', 'status', 'summary']);
    const cfgs = await get(`/service/tickets/${t.id}/configurations`);
    expect(cfgs.json.length).toBeGreaterThan(0);
    expect(cfgs.json[0].name).toBeTruthy();
  });

  it("tickets name an active agreement of their own company (some none); linked configurations are the company's", async () => {
    const all = [...emu.data.tickets.rows, ...emu.data.projectTickets.rows] as CwRecord[];
    const companyOf = (r: CwRecord) => (r.company as { id: number }).id;
    const withAgreement = all.filter((t) => t.agreement);
    expect(withAgreement.length).toBeGreaterThan(0);
    expect(withAgreement.length).toBeLessThan(all.length);
    for (const t of withAgreement) {
      const a = emu.data.agreements.get((t.agreement as { id: number }).id) as CwRecord;
      expect(companyOf(a)).toBe(companyOf(t));
      expect(a.agreementStatus).toBe('Active');
    }
    for (const t of emu.data.tickets.rows)
      for (const id of emu.data.ticketConfigurations.get(t.id) ?? []) expect(companyOf(emu.data.configurations.get(id) as CwRecord)).toBe(companyOf(t));
    expect(emu.data.tickets.rows.some((t) => (emu.data.ticketConfigurations.get(t.id) ?? []).length > 0 && t.agreement)).toBe(true);

    const t = withAgreement[0] as CwRecord;
    const agreement = emu.data.agreements.get((t.agreement as { id: number }).id) as CwRecord;
    const r = await get(`/service/tickets/${t.id}`, { fields: 'id,agreement' });
    expect(r.json).toEqual({
      id: t.id,
      agreement: {
        id: agreement.id,
        name: agreement.name,
        type: (agreement.type as { name: string }).name,
        _info: { agreement_href: `${api}/finance/agreements/${agreement.id}` },
      },
    });
    expect((await get('/service/tickets', { conditions: `agreement/id=${agreement.id}`, fields: 'id' })).json.length).toBeGreaterThan(0);
  });

  it('sites per company with count, by id, and a parent check', async () => {
    const mine = emu.data.sites.children(101);
    const r = await get('/company/companies/101/sites');
    expect(ids(r.json)).toEqual(mine.map((s) => s.id));
    expect(r.json.filter((s: { primaryAddressFlag: boolean }) => s.primaryAddressFlag)).toHaveLength(1);
    expect((await get('/company/companies/101/sites/count')).json.count).toBe(mine.length);
    expect((await get(`/company/companies/101/sites/${mine[0]?.id}`)).json.name).toBe('Main');
    const other = emu.data.sites.children(102)[0] as CwRecord;
    expect((await get(`/company/companies/101/sites/${other.id}`)).res.status).toBe(404);
    expect((await get('/company/companies/99999/sites')).res.status).toBe(404);
  });

  it('lookup tables', async () => {
    expect((await get('/company/companies/types')).json.map((t: { name: string }) => t.name)).toContain('Prospect');
    expect((await get('/company/companies/statuses')).json.map((t: { name: string }) => t.name)).toContain('Inactive');
    const types = await get('/company/configurations/types');
    expect(types.json.find((t: { id: number }) => t.id === 52).name).toBe('Firewall');
    expect((await get('/company/configurations/types/25')).json.name).toBe('Managed Server');
    expect((await get('/company/configurations/statuses')).json[0].description).toBe('Active');
    expect((await get('/finance/agreements/types')).json.length).toBeGreaterThan(0);
  });
});

describe('paging', () => {
  it('page/pageSize with first/prev/next/last Link header, [] past the end, page<1 → 1', async () => {
    const r = await get('/company/companies', { pageSize: '1', page: '2', orderBy: 'id asc' });
    expect(ids(r.json)).toEqual([102]);
    const link = r.res.headers.get('link') as string;
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    expect(link).toMatch(/page=3>; rel="last"/);
    expect(link).toContain(`<${api}/company/companies?`);
    const first = await get('/company/companies', { pageSize: '1', page: '1' });
    expect(first.res.headers.get('link')).not.toContain('rel="prev"');
    expect((await get('/company/companies', { pageSize: '1', page: '9' })).json).toEqual([]);
    expect(ids((await get('/company/companies', { pageSize: '1', page: '0' })).json)).toEqual([101]);
  });

  it('default page size is 25; forward-only paging walks every id once', async () => {
    const all = emu.data.contacts.rows.map((c) => c.id);
    const seen: number[] = [];
    let next: string | null = `${api}/company/contacts?pageSize=2&fields=id`;
    let guard = 0;
    while (next && guard++ < 50) {
      const r = await get(next, {}, { ...auth, 'pagination-type': 'forward-only' });
      if (!r.json.length) break;
      seen.push(...ids(r.json));
      const m = /<([^>]+)>; rel="next"/.exec(r.res.headers.get('link') ?? '');
      next = m ? (m[1] as string) : null;
      if (next) expect(next).toContain(`pageId=${seen.at(-1)}`);
    }
    expect(seen).toEqual(all);
    const bad = await get('/company/contacts', { orderBy: 'id desc' }, { ...auth, 'pagination-type': 'forward-only' });
    expect(bad.res.status).toBe(400);
  });

  it('uses publicBaseUrl in Link headers and hrefs', async () => {
    const pub = await startEmulator({ psa: 'connectwise', preset: 'tiny', publicBaseUrl: 'https://manage.example.test/' });
    try {
      expect(pub.baseUrl).toBe('https://manage.example.test');
      expect(pub.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await get(`${pub.localUrl}/v4_6_release/apis/3.0/company/companies`, { pageSize: '1' });
      expect(r.res.headers.get('link')).toContain('<https://manage.example.test/v4_6_release/apis/3.0/company/companies?pageSize=1&page=2>; rel="next"');
      expect(r.json[0]._info.sites_href).toBe('https://manage.example.test/v4_6_release/apis/3.0/company/companies/101/sites');
      expect(r.json[0].status._info.status_href).toMatch(/^https:\/\/manage\.example\.test\//);
    } finally {
      await pub.close();
    }
  });
});

describe('conditions, fields, orderBy, count', () => {
  const list = async (path: string, params: Record<string, string>) => {
    const r = await get(path, { pageSize: '1000', ...params });
    expect(r.res.status, r.text).toBe(200);
    return r.json as WireJson[];
  };

  it('lastUpdated with datetime and date-only literals, and the _info/ form', async () => {
    const rows = emu.data.configurations.rows;
    const sorted = rows.map((r) => r._info.lastUpdated as string).sort();
    const pivot = sorted[Math.floor(sorted.length / 2)] as string;
    const expected = rows.filter((r) => (r._info.lastUpdated as string) > pivot).map((r) => r.id);
    expect(ids(await list('/company/configurations', { conditions: `lastUpdated > [${pivot}]` }))).toEqual(expected);
    expect(ids(await list('/company/configurations', { conditions: `_info/lastUpdated > [${pivot}]` }))).toEqual(expected);
    const day = pivot.slice(0, 10);
    const byDay = rows.filter((r) => Date.parse(r._info.lastUpdated as string) >= Date.parse(`${day}T00:00:00Z`)).map((r) => r.id);
    expect(ids(await list('/company/configurations', { conditions: `lastUpdated >= [${day}]` }))).toEqual(byDay);
  });

  it('company/id in (...), status/name, type/name, deletedFlag, and/or with parentheses', async () => {
    const cfg = emu.data.configurations.rows;
    const inIds = cfg.filter((c) => [101, 103].includes((c.company as { id: number }).id)).map((c) => c.id);
    expect(ids(await list('/company/configurations', { conditions: 'company/id in (101, 103)' }))).toEqual(inIds);
    expect(ids(await list('/company/companies', { conditions: 'status/name = "Inactive"' }))).toEqual([103]);
    expect(ids(await list('/company/companies', { conditions: "status/name != 'Inactive' AND deletedFlag = false" }))).toEqual([101, 102]);
    const ws = cfg.filter((c) => (c.type as { name: string }).name === 'Managed Workstation').map((c) => c.id);
    expect(ids(await list('/company/configurations', { conditions: 'type/name="Managed Workstation"' }))).toEqual(ws);
    const combo = cfg
      .filter((c) => ((c.company as { id: number }).id === 101 || (c.company as { id: number }).id === 102) && c.activeFlag === true)
      .map((c) => c.id);
    expect(ids(await list('/company/configurations', { conditions: '(company/id=101 or company/id=102) and activeFlag=True' }))).toEqual(combo);
    expect(ids(await list('/company/companies', { conditions: 'name like "north*" OR name LIKE \'%oso%\'' }))).toEqual([101, 102]);
    expect(ids(await list('/company/companies', { conditions: 'name contains "ABRIK"' }))).toEqual([103]);
    expect(ids(await list('/company/companies', { conditions: 'name not contains "dental"' }))).toEqual([102, 103]);
    expect(ids(await list('/company/companies', { conditions: 'id not in (101,102)' }))).toEqual([103]);
    expect(ids(await list('/company/companies', { conditions: 'addressLine2 = null or addressLine2 != null' }))).toEqual([101, 102, 103]);
  });

  it('unknown fields and array properties → 400 ApiFindCondition', async () => {
    const r = await get('/company/companies', { conditions: 'board/name="x"' });
    expect(r.res.status).toBe(400);
    expect(r.json).toEqual({ code: 'ApiFindCondition', message: 'board/name is not a recognized name.' });
    expect(r.text).toContain('board\\/name');
    expect((await get('/company/companies', { conditions: 'types/id=1' })).json.code).toBe('ApiFindCondition');
    expect((await get('/company/companies', { conditions: 'name = ' })).res.status).toBe(400);
    expect((await get('/finance/agreements', { conditions: 'agreementStatus = "Canceled"' })).json.message).toBe('Enum value supplied was invalid');
  });

  it('childConditions and customFieldConditions', async () => {
    expect(ids(await list('/company/companies', { childConditions: 'types/name="Prospect"' }))).toEqual([102]);
    expect(ids(await list('/company/companies', { childconditions: 'types/id=1' }))).toEqual([101, 103]);
    const c = emu.data.contacts.rows[0] as CwRecord;
    const email = (c.communicationItems as { communicationType: string; value: string }[]).find((i) => i.communicationType === 'Email')?.value as string;
    const found = await list('/company/contacts', {
      childConditions: `communicationItems/value like "${email}" AND communicationItems/communicationType="Email"`,
    });
    expect(ids(found)).toContain(c.id);
    const region = await list('/company/companies', { customFieldConditions: 'caption="Region" AND value != null' });
    expect(region).toHaveLength(3);
  });

  it('fields projection (nested, _info only when asked) and orderBy', async () => {
    const r = await list('/company/companies', { fields: 'id,name,status/name,_info/lastUpdated' });
    expect(Object.keys(r[0]).sort()).toEqual(['_info', 'id', 'name', 'status']);
    expect(r[0].status).toEqual({ name: 'Active' });
    expect(Object.keys(r[0]._info)).toEqual(['lastUpdated']);
    const noInfo = await list('/company/companies', { fields: 'id,name' });
    expect(noInfo[0]._info).toBeUndefined();
    const desc = await list('/company/companies', { orderBy: 'name desc', fields: 'id,name' });
    expect(desc.map((c) => c.name)).toEqual([...desc.map((c) => c.name)].sort().reverse());
    const byUpdated = await list('/company/contacts', { orderBy: '_info/lastUpdated asc', fields: 'id,_info/lastUpdated' });
    const stamps = byUpdated.map((c) => c._info.lastUpdated);
    expect(stamps).toEqual([...stamps].sort());
    const multi = await list('/company/configurations', { orderBy: 'company/id desc, name asc', fields: 'id,name,company/id' });
    expect(multi[0].company.id).toBe(103);
  });

  it('custom fields (value omitted when empty) and configuration questions, through a fields projection', async () => {
    const configs = await list('/company/configurations', { pageSize: '1000', fields: 'id,type/id,questions,customFields' });
    expect(configs).toHaveLength(emu.data.configurations.rows.length);
    for (const c of configs)
      expect(c.customFields.map((f: { caption: string }) => f.caption)).toEqual(['Backup Plan', 'Monitored', 'Go-Live Date', 'Monthly Cost']);
    const fields = configs.flatMap((c) => c.customFields as Record<string, unknown>[]);
    expect(fields.some((f) => 'value' in f)).toBe(true);
    expect(fields.some((f) => !('value' in f))).toBe(true);
    expect(fields.every((f) => f.value !== null && f.value !== '')).toBe(true);
    // Only computers and network gear have questions; an unanswered question has no answer key.
    const withQuestions = configs.filter((c) => c.questions);
    expect(withQuestions.every((c) => [21, 25, 56, 60, 52, 53, 55, 57].includes(c.type.id))).toBe(true);
    expect(withQuestions.some((c) => c.questions.some((q: Record<string, unknown>) => 'answer' in q))).toBe(true);
    const first = configs.find((c) => c.id === emu.data.configurations.children(101)[0]!.id);
    expect(first.customFields[0]).toMatchObject({ caption: 'Backup Plan', value: expect.any(String) });
    for (const path of ['/company/contacts', '/company/companies/101/sites']) {
      const rows = await list(path, path.includes('contacts') ? { fields: 'id,customFields' } : {});
      expect(
        rows.every((r) => Array.isArray(r.customFields) && r.customFields.length > 0),
        path,
      ).toBe(true);
    }
    const plan = await list('/company/configurations', { pageSize: '1000', fields: 'id', customFieldConditions: 'caption="Backup Plan" AND value != null' });
    expect(plan.length).toBe(emu.data.configurations.rows.filter((r) => (r.customFields as Record<string, unknown>[])[0]!.value !== undefined).length);
  });

  it('count honours conditions', async () => {
    expect((await get('/company/configurations/count')).json).toEqual({ count: emu.data.configurations.rows.length });
    const n = emu.data.configurations.children(101).length;
    expect((await get('/company/configurations/count', { conditions: 'company/id=101' })).json).toEqual({ count: n });
  });
});

describe('control: rate limit, faults, latency, request log', () => {
  it('429 with Retry-After and the documented body once over the limit', async () => {
    emu.control.setRateLimit({ limit: 2, windowMs: 30_000 });
    try {
      await get('/company/companies/count');
      await get('/company/companies/count');
      const r = await get('/company/companies/count');
      expect(r.res.status).toBe(429);
      expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(r.json.error).toBe('ConnectWiseAPI');
      expect(r.json.message).toMatch(/Too many requests/);
    } finally {
      emu.control.setRateLimit(null);
    }
    expect((await get('/company/companies/count')).res.status).toBe(200);
  });

  it('injected status faults apply `times` times, then clear', async () => {
    emu.control.injectFault({ path: '/company/companies', status: 500, times: 2 });
    expect((await get('/company/companies/count')).res.status).toBe(500);
    expect((await get('/company/companies/count')).res.status).toBe(500);
    expect((await get('/company/companies/count')).res.status).toBe(200);
    emu.control.injectFault({ path: /contacts$/, method: 'GET', status: 503, body: { code: 'Busy', message: 'x' }, headers: { 'Retry-After': '1' } });
    expect((await get('/company/companies/count')).res.status).toBe(200); // path does not match
    const r = await get('/company/CONTACTS');
    expect(r.res.status).toBe(503);
    expect(r.json.code).toBe('Busy');
    emu.control.injectFault({ status: 502, times: 5 });
    emu.control.clearFaults();
    expect((await get('/company/companies/count')).res.status).toBe(200);
  });

  it('malformed bodies: truncated JSON, non-JSON text, HTML error page', async () => {
    emu.control.injectFault({ path: '/company/companies', malformed: 'truncated' });
    const t = await get('/company/companies');
    expect(t.res.status).toBe(200);
    expect(t.json).toBeUndefined();
    expect(t.text.startsWith('[{')).toBe(true);
    emu.control.injectFault({ path: '/company/companies', malformed: 'non-json' });
    const n = await get('/company/companies');
    expect(n.json).toBeUndefined();
    expect(n.text).toContain('Cannot route');
    emu.control.injectFault({ path: '/company/companies', malformed: 'html' });
    const h = await get('/company/companies');
    expect(h.res.status).toBe(503);
    expect(h.res.headers.get('content-type')).toContain('text/html');
    expect(h.text).toContain('<html');
  });

  it('latency and delayed faults slow requests down; the request log records them', async () => {
    emu.control.resetRequestLog();
    emu.control.setLatency(120);
    const t0 = Date.now();
    await get('/company/companies/count', { conditions: 'id > 0' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    emu.control.setLatency(0);
    emu.control.injectFault({ path: 'count', delayMs: 100 });
    const t1 = Date.now();
    expect((await get('/company/contacts/count')).res.status).toBe(200);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(90);
    const log = emu.control.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/v4_6_release/apis/3.0/company/companies/count', status: 200, query: { conditions: 'id > 0' } });
  });

  it('HTTP control endpoints steer a separately started emulator', async () => {
    const state = await (await fetch(`${emu.baseUrl}/__emulator/state`)).json();
    expect(state.counts.companies).toBe(3);
    expect(state.credentials.valid.publicKey).toBe(emu.credentials.valid.publicKey);
    await fetch(`${emu.baseUrl}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ pathRegex: 'companies/\\d+$', status: 418 }) });
    expect((await get('/company/companies/101')).res.status).toBe(418);
    await fetch(`${emu.baseUrl}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: 'companies', status: 500 }) });
    await fetch(`${emu.baseUrl}/__emulator/faults`, { method: 'DELETE' });
    expect((await get('/company/companies/101')).res.status).toBe(200);
    await fetch(`${emu.baseUrl}/__emulator/rate-limit`, { method: 'POST', body: JSON.stringify({ limit: 0, windowMs: 60_000 }) });
    expect((await get('/company/companies/101')).res.status).toBe(429);
    await fetch(`${emu.baseUrl}/__emulator/rate-limit`, { method: 'POST', body: 'null' });
    const m = await fetch(`${emu.baseUrl}/__emulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'rename', entity: 'site', id: emu.data.sites.children(103)[0]?.id, name: 'HQ' }),
    });
    expect((await m.json()).result.name).toBe('HQ');
    const bad = await fetch(`${emu.baseUrl}/__emulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'rename', entity: 'company', id: 424242, name: 'x' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('mutations', () => {
  it('a change right after a sync is visible to a lastUpdated > [high-water mark] query', async () => {
    const hwm = maxUpdated(emu.data.companies.rows);
    expect((await get('/company/companies', { conditions: `lastUpdated > [${hwm}]` })).json).toEqual([]);
    const renamed = emu.control.mutate.renameCompany(102, 'Contoso Holdings');
    expect(String(renamed._info.lastUpdated) > hwm).toBe(true);
    const delta = await get('/company/companies', { conditions: `lastUpdated > [${hwm}]`, fields: 'id,name' });
    expect(delta.json).toEqual([{ id: 102, name: 'Contoso Holdings' }]);
    // references elsewhere follow the rename, without touching those records
    const contact = emu.data.contacts.children(102)[0] as CwRecord;
    const before = contact._info.lastUpdated;
    expect((await get(`/company/contacts/${contact.id}`)).json.company.name).toBe('Contoso Holdings');
    expect(contact._info.lastUpdated).toBe(before);
    // and a second mutation in the same second is still strictly later
    const hwm2 = String(renamed._info.lastUpdated);
    const cfg = emu.control.mutate.changeConfigurationType((emu.data.configurations.rows[0] as CwRecord).id, 'Firewall');
    expect(String(cfg._info.lastUpdated) > hwm2).toBe(true);
    expect((cfg.type as { id: number }).id).toBe(52);
  });

  it('pinned clock still yields strictly increasing stamps', () => {
    emu.control.setNow('2030-01-01T00:00:00Z');
    try {
      const a = emu.control.mutate.rename('agreement', (emu.data.agreements.rows[0] as CwRecord).id, 'Renamed agreement');
      const b = emu.control.mutate.rename('contact', (emu.data.contacts.rows[0] as CwRecord).id, 'Ada Lovelace');
      expect(a._info.lastUpdated).toBe('2030-01-01T00:00:00Z');
      expect(b._info.lastUpdated).toBe('2030-01-01T00:00:01Z');
      expect(b.firstName).toBe('Ada');
      expect(b.lastName).toBe('Lovelace');
    } finally {
      emu.control.setNow(null);
    }
  });

  it('remove: companies soft-deleted, others gone; add: fresh ids', async () => {
    emu.control.mutate.remove('company', 103);
    const c = await get('/company/companies/103');
    expect(c.json.deletedFlag).toBe(true);
    expect(c.json.dateDeleted).toMatch(/Z$/);
    expect(ids((await get('/company/companies', { conditions: 'deletedFlag=false' })).json)).toEqual([101, 102]);
    const victim = emu.data.configurations.children(101)[0] as CwRecord;
    emu.control.mutate.remove('configuration', victim.id);
    expect((await get(`/company/configurations/${victim.id}`)).res.status).toBe(404);
    const maxId = Math.max(...emu.data.configurations.rows.map((r) => r.id), victim.id);
    const added = emu.control.mutate.add('configuration', { name: 'NDG-NEW01', company: { id: 101 }, serialNumber: 'SN-NEW' });
    expect(added.id).toBeGreaterThan(maxId);
    const got = await get(`/company/configurations/${added.id}`);
    expect(got.json).toMatchObject({ name: 'NDG-NEW01', serialNumber: 'SN-NEW', company: { id: 101, name: 'Northwind Dental Group' } });
    const contact = emu.control.mutate.add('contact', { firstName: 'Neu', lastName: 'Kontakt', company: { id: 102 } });
    expect((await get('/company/contacts/count', { conditions: 'company/id=102' })).json.count).toBe(emu.data.contacts.children(102).length);
    expect(emu.data.contacts.children(102)).toContain(contact);
  });
});

describe('ticket agreements follow their agreement', () => {
  it('a renamed agreement is renamed on its tickets; a removed one is no longer named', async () => {
    const agreement = emu.control.mutate.add('agreement', { company: { id: 101 }, name: 'Block Time - extra' });
    const ticket = emu.control.mutate.add('ticket', { company: { id: 101 }, agreement: { id: agreement.id } });
    expect((await get(`/service/tickets/${ticket.id}`, { fields: 'agreement/id,agreement/name' })).json).toEqual({
      agreement: { id: agreement.id, name: 'Block Time - extra' },
    });
    emu.control.mutate.rename('agreement', agreement.id, 'Block Time - renamed');
    expect((await get(`/service/tickets/${ticket.id}`, { fields: 'agreement/name' })).json).toEqual({ agreement: { name: 'Block Time - renamed' } });
    emu.control.mutate.remove('agreement', agreement.id);
    expect((await get(`/service/tickets/${ticket.id}`, { fields: 'id,agreement' })).json).toEqual({ id: ticket.id });
    emu.control.mutate.remove('ticket', ticket.id);
  });
});

describe('datasets', () => {
  it('same seed → identical data; different seed → different data', () => {
    const a = generateDataset({ preset: 'demo', seed: 7 });
    const b = generateDataset({ preset: 'demo', seed: 7 });
    const c = generateDataset({ preset: 'demo', seed: 8 });
    const dump = (s: typeof a) => JSON.stringify([s.companies.rows, s.contacts.rows, s.configurations.rows, s.agreements.rows, s.sites.rows, s.tickets.rows]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('tiny and demo contain the documented variety', () => {
    const tiny = generateDataset({ preset: 'tiny' });
    const typeNames = tiny.companies.rows.map((c) => (c.types as { name: string }[])[0]?.name);
    expect(typeNames).toContain('Prospect');
    expect(tiny.companies.rows.map((c) => (c.status as { name: string }).name)).toContain('Inactive');
    expect(tiny.projectTickets.rows.length).toBeGreaterThan(0);
    const demo = generateDataset({ preset: 'demo' });
    expect(demo.companies.rows).toHaveLength(25);
    for (const co of demo.companies.rows) {
      expect(demo.contacts.children(co.id).length).toBeGreaterThanOrEqual(2);
      expect(demo.configurations.children(co.id).length).toBeGreaterThanOrEqual(3);
      expect(demo.sites.children(co.id).filter((s) => s.primaryAddressFlag)).toHaveLength(1);
    }
    expect(new Set(demo.companies.rows.map((c) => (c.types as { name: string }[])[0]?.name))).toEqual(new Set(['Client', 'Prospect', 'Vendor', 'Partner']));
    expect(demo.tickets.rows.length).toBeGreaterThanOrEqual(55);
    // Custom field values and question answers in every preset (large: see below).
    for (const data of [tiny, demo]) {
      const valued = (rows: readonly CwRecord[]) =>
        rows.filter((r) => (r.customFields as Record<string, unknown>[] | undefined)?.some((f) => f.value !== undefined));
      expect(valued(data.configurations.rows).length).toBeGreaterThanOrEqual(data.companies.rows.length);
      expect(valued(data.contacts.rows).length).toBeGreaterThanOrEqual(data.companies.rows.length);
      expect(valued(data.sites.rows).length).toBeGreaterThan(0);
      expect(data.configurations.rows.some((r) => (r.questions as Record<string, unknown>[] | undefined)?.some((q) => q.answer !== undefined))).toBe(true);
    }
  });

  it('large preset generates quickly with the documented counts and caps pageSize at 1000', async () => {
    const t0 = Date.now();
    const big = await startEmulator({ psa: 'connectwise', preset: 'large' });
    try {
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(big.data.counts()).toMatchObject({ companies: 2000, contacts: 40_000, configurations: 150_000, agreements: 3_000, sites: 6_000 });
      const valued = big.data.configurations.rows.filter((r) => (r.customFields as Record<string, unknown>[]).some((f) => f.value !== undefined)).length;
      expect(valued).toBeGreaterThan(30_000);
      expect(valued).toBeLessThan(50_000); // most share one empty list (memory)
      const h = connectwiseAuthHeaders(big.credentials.valid);
      const r = await fetch(`${big.apiUrl}/company/configurations?pageSize=5000&fields=id`, { headers: h });
      expect(((await r.json()) as unknown[]).length).toBe(1000);
      const d = await fetch(`${big.apiUrl}/company/contacts?fields=id`, { headers: h });
      expect(((await d.json()) as unknown[]).length).toBe(25);
      const page = await fetch(`${big.apiUrl}/company/configurations?orderBy=name desc&page=3&pageSize=1000&fields=id,name`, { headers: h });
      expect(page.status).toBe(200);
      const ui = await fetch(`${big.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=101`);
      expect(await ui.text()).toContain('Company: ');
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
  const ticket = () => emu.data.tickets.rows[0] as CwRecord;

  it('ticket page (form A) has the GWT hooks', async () => {
    const t = ticket();
    const co = t.company as { id: number; name: string };
    const html = await page(`/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${t.id}`);
    expect(html).toContain('<title>Manage: Service Ticket #');
    expect(html).toContain('id="cwContent"');
    expect(html).toMatch(new RegExp(`class="cw_BannerView"[\\s\\S]*class="gwt-Label detailLabel cw_CwLabel"[^>]*>Service Ticket #${t.id} - `));
    expect(html).toContain(`class="cw_company" value="${co.name}"`);
    expect(html).toContain('class="cw_contact"');
    expect(html).toContain('pod_service_ticket_company_header');
    expect(html).toContain('class="gwt-Label mm_label" title="Company"');
    expect(html).toContain(`routeTo=CompanyFV&amp;recid=${co.id}`);
    expect(html).toContain('routeTo=ConfigFV&amp;recid=');
    expect(html).toContain('__ui/client.js');
  });

  it('other URL forms: fv_sr100_request.rails, openrecord.rails (WireJson case), CompanyFV/AccountFV, ContactFV, ConfigFV, AgreementFV', async () => {
    const t = ticket();
    expect(await page(`/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${t.id}&companyName=sidecartest`)).toContain(
      `Service Ticket #${t.id} - `,
    );
    expect(
      await page(`/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=ServiceFv&recid=${t.id}&companyName=sidecartest`),
    ).toContain(`Service Ticket #${t.id}`);
    expect(await page('/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordtype=companyFV&recid=101')).toContain(
      'Company: Northwind Dental Group',
    );
    expect(await page('/v4_6_release/ConnectWise.aspx?routeTo=AccountFV&recid=101')).toContain('class="cw_company" value="Northwind Dental Group"');
    const contact = emu.data.contacts.children(101)[1] as CwRecord;
    expect(await page(`/v2025_1/connectwise.aspx?locale=en_US&routeTo=ContactFV&recid=${contact.id}`)).toContain(`Contact: ${String(contact.firstName)}`);
    const cfg = emu.data.configurations.children(101)[0] as CwRecord;
    expect(await page(`/v4_6_release/ConnectWise.aspx?routeTo=ConfigFV&recid=${cfg.id}`)).toContain(`Configuration: ${String(cfg.name)}`);
    const ag = emu.data.agreements.rows[1] as CwRecord;
    expect(await page(`/v4_6_release/services/system_io/router/openrecord.rails?recordType=AgreementFV&recid=${ag.id}`)).toContain('Agreement: ');
    const board = await page('/v4_6_release/ConnectWise.aspx');
    expect(board).toContain('class="srboard-grid"');
    expect(board).toMatch(/<tr class="cw-ml-row"[^>]*><td><a [^>]*class="multilineClickable"/);
    expect(await page('/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1')).toContain('data-testid="not-found"');
  });

  it('record JSON endpoint resolves hash-state URLs; server HTML escapes data', async () => {
    const t = ticket();
    const hashUrl = `/v4_6_release/ConnectWise.aspx?fullscreen=false&locale=en_US#startscreen=sr150&state=${encodeURIComponent(JSON.stringify({ p: 'sr150', s: { p: { pid: 184, rd: t.id, screenid: 'sr100' } } }))}`;
    const r = await fetch(`${emu.baseUrl}/v4_6_release/__ui/record?url=${encodeURIComponent(hashUrl)}`);
    const data = (await r.json()) as { title: string; target: { type: string; id: number } };
    expect(data.target).toEqual({ type: 'ticket', id: t.id });
    expect(data.title).toContain(`Service Ticket #${t.id}`);
    emu.control.mutate.renameCompany(101, '<img src=x onerror=alert(1)> "Smiles" & Co');
    const html = await page('/v4_6_release/ConnectWise.aspx?routeTo=CompanyFV&recid=101');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Smiles&quot; &amp; Co');
    const js = await (await fetch(`${emu.baseUrl}/v4_6_release/__ui/client.js`)).text();
    expect(js).toContain('history.pushState');
    expect(js).not.toContain('innerHTML');
  });
});
