// Over 300 lines on purpose: the BMS billing writer against the emulator, one describe per part of the BillingWriter contract, and the emulator's side of it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuantityChange } from '@/lib/psa/billing-writer';
import { PsaError } from '@/lib/psa/errors';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { BMS_BILLING_TARGET } from '@/lib/psa/kaseya-bms/billing';
import { BMS_TICKET_RIGHT } from '@/lib/psa/kaseya-bms/connect';
import { camelKey } from '@/lib/psa/kaseya-bms/wire';
import { SERVICE_IDS } from '../../emulator/kaseya-bms/billing-data.ts';
import { BMS_SPEC_PATH, bmsSpecSchema, hasBmsSpec, specIssues } from '../../emulator/kaseya-bms/spec-schema.ts';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';
import { loadSpec } from '../../support/openapi-shape.ts';
import type { WireJson } from '../../support/wire-json.ts';

let bms: RunningKaseyaBms;

function adapter(target: RunningKaseyaBms = bms, retries = 0) {
  const creds = target.credentials.valid;
  return new BmsAdapter({
    settings: { uiOrigin: target.baseUrl, apiOrigin: target.apiBaseUrl, tenant: creds.tenant },
    credentials: { username: creds.userName, password: creds.password },
    retries,
    timeoutMs: 5000,
  });
}

// tiny: Northwind's 5501 carries Managed Workstation and Managed User; Contoso's 5502 carries nothing; 5503 is prepaid hours.
const northwind = () => bms.data.accounts.rows[0]!;
const contoso = () => bms.data.accounts.rows[1]!;
const contractOf = (accountId: number, type = 'Recurring Services') => bms.data.contracts.children(accountId).find((k) => k.contractType === type)!;
const linesOf = (contractId: number, serviceId: number) => bms.data.contractServices.children(contractId).filter((l) => l.serviceId === serviceId);
const product = (id: number) => ({ id: String(id), name: bms.data.services.get(id)!.name });
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T00:00:00`;
};

function change(accountId: number, contractId: number, serviceId: number, quantity: number): QuantityChange {
  return { companyRemoteId: String(accountId), agreementRemoteId: String(contractId), product: product(serviceId), quantity };
}

/** The body the emulator receives for the next write to a contract's services. */
function captureNextWrite(method: 'POST' | 'PATCH'): { body?: string } {
  const seen: { body?: string } = {};
  bms.control.injectFault({
    method,
    path: /\/v2\/finance\/contracts\/recurringservices\/\d+\/services(\/\d+)?$/,
    effect: (req) => void (seen.body = req.body),
  });
  return seen;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error as PsaError,
  );

async function api(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const c = bms.credentials.valid;
  const login = (await (
    await fetch(`${bms.apiBaseUrl}/v2/security/authenticate`, {
      method: 'POST',
      body: new URLSearchParams({ GrantType: 'password', UserName: c.userName, Password: c.password, Tenant: c.tenant }),
    })
  ).json()) as WireJson;
  const res = await fetch(`${bms.apiBaseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${login.result.accessToken}`, 'Content-Type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { res, json: (text ? JSON.parse(text) : undefined) as WireJson };
}

beforeAll(async () => {
  bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
});
afterAll(async () => {
  await bms.close();
});
beforeEach(() => bms.control.clearFaults());

describe('products', () => {
  it("lists the catalog's active services by name, as Admin › Finance › Services has them", async () => {
    bms.control.resetRequestLog();
    const writer = adapter().billing;
    expect(writer.target).toBe(BMS_BILLING_TARGET);
    const products = await writer.products();
    const names = products.map((p) => p.name);
    expect(names).toContain('Managed Workstation');
    expect(names).toContain('Managed User');
    expect(names).not.toContain('Legacy Antivirus'); // inactive
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(products.find((p) => p.name === 'Managed Workstation')).toEqual({ id: String(SERVICE_IDS.workstation), name: 'Managed Workstation' });
    expect(
      bms.control
        .requests()
        .filter((r) => r.path.startsWith('/v2/admin/'))
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['POST /v2/admin/finance/services/search']);
  });
});

describe('lines', () => {
  const mapped = [SERVICE_IDS.workstation, SERVICE_IDS.user, SERVICE_IDS.backup].map(String);

  it('finds the contract’s lines, yet returns none: BMS does not say their units; the preview names the lines it found', async () => {
    const a = northwind();
    const k = contractOf(a.id);
    const writer = adapter().billing;
    expect(await writer.lines(String(k.id), String(a.id), mapped)).toEqual([]);
    const [workstation] = linesOf(k.id, SERVICE_IDS.workstation);
    expect(writer.preview(change(a.id, k.id, SERVICE_IDS.workstation, 9))).toEqual({
      method: 'PATCH',
      path: `v2/finance/contracts/recurringservices/${k.id}/services/${workstation!.id}`,
      body: [{ op: 'replace', path: '/units', value: 9 }],
    });
    // No backup line on 5501: that one would be added.
    expect(writer.preview(change(a.id, k.id, SERVICE_IDS.backup, 2)).method).toBe('POST');
  });

  it('reads the units when a server sends them (the spec’s rows have none)', async () => {
    const a = northwind();
    const k = contractOf(a.id);
    bms.control.injectFault({
      method: 'POST',
      path: /relatedservices\/search$/,
      times: 3,
      transform: (body) => {
        const page = body as WireJson;
        for (const row of page.result) row.units = bms.data.contractServices.get(row.id)!.units;
        return page;
      },
    });
    const lines = await adapter().billing.lines(String(k.id), String(a.id), mapped);
    expect(lines).toEqual(
      bms.data.contractServices
        .children(k.id)
        .filter((l) => mapped.includes(String(l.serviceId)))
        .map((l) => ({ lineId: String(l.id), productId: String(l.serviceId), quantity: l.units })),
    );
  });

  it('refuses a contract that is not the company’s, an unknown service and ids BMS cannot have', async () => {
    const a = northwind();
    const writer = adapter().billing;
    const elsewhere = await refusal(writer.lines(String(contractOf(contoso().id).id), String(a.id), mapped));
    expect(elsewhere).toMatchObject({ code: 'config', message: expect.stringContaining(`no contract ${contractOf(contoso().id).id} for account ${a.id}`) });
    expect(elsewhere.retryable).toBe(false);
    const gone = await refusal(writer.lines(String(contractOf(a.id).id), String(a.id), ['1499']));
    expect(gone).toMatchObject({ code: 'config', message: expect.stringContaining('no service 1499') });
    expect(await refusal(writer.lines('CN-1', String(a.id), mapped))).toMatchObject({ code: 'config', message: '"CN-1" is not a Kaseya BMS contract id.' });
  });

  it('a server that ignored the lookup’s filters cannot pass off another account’s contract: its lines name their account', async () => {
    const fabrikam = bms.data.accounts.rows[2]!;
    const k = contractOf(fabrikam.id);
    bms.control.injectFault({
      method: 'GET',
      path: '/v2/finance/contracts/lookup',
      transform: () => ({ success: true, error: null, result: [{ id: k.id, name: k.contractName }] }),
    });
    const error = await refusal(adapter().billing.lines(String(k.id), String(northwind().id), mapped));
    expect(error).toMatchObject({
      code: 'config',
      message: `Contract ${k.id} belongs to another account than ${northwind().id} in Kaseya BMS: choose the company's contract again.`,
    });
  });
});

describe('setQuantity', () => {
  it('changes the units of a line already on the contract: the preview is the request BMS receives', async () => {
    const a = northwind();
    const k = contractOf(a.id);
    const writer = adapter().billing;
    await writer.lines(String(k.id), String(a.id), [String(SERVICE_IDS.user)]);
    const [line] = linesOf(k.id, SERVICE_IDS.user);
    const before = line!.units;
    const c = change(a.id, k.id, SERVICE_IDS.user, before + 4);
    const preview = writer.preview(c);
    const seen = captureNextWrite('PATCH');
    expect(await writer.setQuantity(c)).toEqual({ lineId: String(line!.id), productId: String(SERVICE_IDS.user), quantity: before + 4 });
    expect({ method: 'PATCH', path: preview.path, body: JSON.parse(seen.body!) }).toEqual(preview);
    expect(line!.units).toBe(before + 4);
    expect(line!.history.at(-1)).toMatchObject({ units: before });
    expect(linesOf(k.id, SERVICE_IDS.user)).toHaveLength(1);
    // A person sees it on the account's page (BMS has no public contract page URL).
    const page = await (await fetch(`${bms.baseUrl}/react/crm/accounts/${a.id}`)).text();
    expect(page).toContain(
      `data-contract-service-id="${line!.id}" data-service-id="${SERVICE_IDS.user}" data-units="${before + 4}">Managed User: ${before + 4} × 30.00`,
    );
  });

  it('adds the service when the contract has none, at the catalog’s name and prices, effective today; the next read finds it', async () => {
    const a = contoso();
    const k = contractOf(a.id);
    const writer = adapter().billing;
    await writer.lines(String(k.id), String(a.id), [String(SERVICE_IDS.workstation)]);
    const c = change(a.id, k.id, SERVICE_IDS.workstation, 6);
    const preview = writer.preview(c);
    expect(preview).toEqual({
      method: 'POST',
      path: `v2/finance/contracts/recurringservices/${k.id}/services`,
      body: [
        {
          serviceId: SERVICE_IDS.workstation,
          serviceName: 'Managed Workstation',
          serviceDescription: 'Monitoring, patching and support of one desktop or laptop',
          units: 6,
          unitCost: 12,
          unitPrice: 45,
          effectiveDate: today(),
        },
      ],
    });
    if (hasBmsSpec()) {
      // The day is sent the way BMS writes its own dates (no offset, so no server can shift it to another day).
      const schema = bmsSpecSchema('RecurringServicePostInputDto', { answer: true });
      const [item] = preview.body as Record<string, unknown>[];
      expect(specIssues(schema, item)).toEqual([]);
      // The check can fail: a number sent as text, a property the DTO does not have.
      expect(specIssues(schema, { ...item, units: '6', colour: 'red' })).toHaveLength(2);
    }
    const seen = captureNextWrite('POST');
    const written = await writer.setQuantity(c);
    expect(JSON.parse(seen.body!)).toEqual(preview.body);
    const [added] = linesOf(k.id, SERVICE_IDS.workstation);
    expect(written).toEqual({ lineId: String(added!.id), productId: String(SERVICE_IDS.workstation), quantity: 6 });
    expect(added).toMatchObject({ units: 6, unitPrice: 45, unitCost: 12, serviceName: 'Managed Workstation', createdBy: 51190 });
    expect(k.contractBillingPrice).toBe(270);

    // Read again by a new adapter (nothing kept): the line is found, and the next change updates it.
    const again = adapter().billing;
    expect(await again.lines(String(k.id), String(a.id), [String(SERVICE_IDS.workstation)])).toEqual([]);
    expect(again.preview({ ...c, quantity: 7 })).toMatchObject({ method: 'PATCH', path: expect.stringContaining(`/services/${added!.id}`) });
    expect(await again.setQuantity({ ...c, quantity: 7 })).toEqual({ ...written, quantity: 7 });
    expect(linesOf(k.id, SERVICE_IDS.workstation).map((l) => l.units)).toEqual([7]);
  });

  it('never adds a second line: a service added after the preview is updated instead', async () => {
    const a = contoso();
    const k = contractOf(a.id);
    const writer = adapter().billing;
    await writer.lines(String(k.id), String(a.id), [String(SERVICE_IDS.backup)]);
    const c = change(a.id, k.id, SERVICE_IDS.backup, 5);
    expect(writer.preview(c).method).toBe('POST');
    // Someone adds it by hand (or a lost answer hid that an earlier add went through).
    const manual = await api('POST', `/v2/finance/contracts/recurringservices/${k.id}/services`, [
      { serviceId: SERVICE_IDS.backup, units: 2, unitPrice: 15, unitCost: 6, effectiveDate: today() },
    ]);
    expect(manual.res.status).toBe(200);
    const written = await writer.setQuantity(c);
    expect(written).toEqual({ lineId: String(manual.json.result.id), productId: String(SERVICE_IDS.backup), quantity: 5 });
    expect(linesOf(k.id, SERVICE_IDS.backup).map((l) => l.units)).toEqual([5]);
  });

  it('refuses, without retrying, what BMS refuses: a contract without recurring services, a 403, a server without the update call', async () => {
    const a = contoso();
    const prepaid = contractOf(a.id, 'Prepaid Hours');
    const writer = adapter(bms, 3).billing;
    bms.control.resetRequestLog();
    const notRecurring = await refusal(writer.setQuantity(change(a.id, prepaid.id, SERVICE_IDS.user, 3)));
    expect(notRecurring).toMatchObject({ code: 'config', status: 400 });
    expect(notRecurring.message).toBe(
      `Kaseya BMS refused adding Managed User to contract ${prepaid.id}: Contract ${prepaid.contractNumber} is not a recurring services contract.`,
    );
    expect(notRecurring.retryable).toBe(false);
    expect(bms.control.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/services'))).toHaveLength(1);
    expect(bms.data.contractServices.children(prepaid.id)).toHaveLength(0);

    const k = contractOf(northwind().id);
    bms.control.injectFault({
      method: 'PATCH',
      path: /\/services\/\d+$/,
      status: 403,
      body: { success: false, error: { code: 403, message: 'Access denied.' }, result: null },
    });
    const denied = await refusal(writer.setQuantity(change(northwind().id, k.id, SERVICE_IDS.workstation, 4)));
    expect(denied).toMatchObject({ code: 'config', status: 403 });
    expect(denied.message).toContain("the API user's security role needs Finance › Contracts (View and Modify)");

    const bare = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null, contractServiceUpdates: false });
    try {
      const line = bare.data.contractServices.children(k.id).find((l) => l.serviceId === SERVICE_IDS.workstation)!;
      const before = line.units;
      const missing = await refusal(adapter(bare).billing.setQuantity(change(northwind().id, k.id, SERVICE_IDS.workstation, before + 1)));
      expect(missing).toMatchObject({ code: 'config', status: 404 });
      expect(missing.message).toContain('no API call that changes the units of a service already on a contract');
      expect(missing.message).toContain(`Change Managed Workstation on contract ${k.id} to ${before + 1} in BMS`);
      expect(line.units).toBe(before);
      expect(bare.data.contractServices.children(k.id).filter((l) => l.serviceId === SERVICE_IDS.workstation)).toHaveLength(1);
    } finally {
      await bare.close();
    }
  });

  it('checks before writing: the company’s own contract, a whole quantity, a line still there', async () => {
    const a = northwind();
    const writer = adapter().billing;
    bms.control.resetRequestLog();
    const other = contractOf(contoso().id);
    expect(await refusal(writer.setQuantity(change(a.id, other.id, SERVICE_IDS.user, 2)))).toMatchObject({ code: 'config' });
    expect(await refusal(writer.setQuantity(change(a.id, contractOf(a.id).id, SERVICE_IDS.user, 2.5)))).toMatchObject({
      code: 'config',
      message: '2.5 is not a quantity Kaseya BMS can bill (whole units, 0 or more).',
    });
    const stale = { ...change(a.id, contractOf(a.id).id, SERVICE_IDS.user, 2), line: { lineId: '39999', productId: String(SERVICE_IDS.user), quantity: 1 } };
    expect(await refusal(writer.setQuantity(stale))).toMatchObject({
      code: 'config',
      message: expect.stringContaining('(line 39999) is no longer on contract'),
    });
    expect(bms.control.requests().filter((r) => r.method === 'PATCH' || r.path.endsWith('/services'))).toEqual([]);
  });
});

describe('a write is sent once', () => {
  it('a server error to an add is not sent again, even with retries allowed', async () => {
    const a = contoso();
    const k = contractOf(a.id);
    const writer = adapter(bms, 3).billing;
    const before = bms.data.contractServices.children(k.id).length;
    bms.control.resetRequestLog();
    bms.control.injectFault({ method: 'POST', path: /\/recurringservices\/\d+\/services$/, status: 503, body: '' });
    const error = await refusal(writer.setQuantity(change(a.id, k.id, SERVICE_IDS.user, 4)));
    expect(error).toMatchObject({ code: 'server' });
    expect(bms.control.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/services'))).toHaveLength(1);
    expect(bms.data.contractServices.children(k.id)).toHaveLength(before);
  });
});

describe('write rights', () => {
  const billingRight = {
    what: 'Finance › Contracts (View and Modify) and Admin › Finance › Services (View)',
    usedFor: 'update billing quantities on agreements',
  };

  it('reports the billing right next to the ticket right: unknown while the catalog reads, refused when it does not', async () => {
    expect((await adapter().testConnection()).writeRights).toEqual([
      { what: BMS_TICKET_RIGHT, usedFor: 'create tickets', allowed: null },
      { ...billingRight, allowed: null },
    ]);
    bms.control.injectFault({
      method: 'POST',
      path: /\/v2\/admin\/finance\/services\/search$/,
      status: 403,
      body: { success: false, error: { code: 403, message: 'Access denied.' }, result: null },
    });
    expect((await adapter().testConnection()).writeRights?.[1]).toEqual({ ...billingRight, allowed: false });
  });
});

describe('the emulator, as the spec has it', () => {
  const spec = loadSpec(BMS_SPEC_PATH);
  const keys = (schema: string) => Object.keys(spec!.components.schemas[schema]!.properties!).map(camelKey).sort();

  it.runIf(Boolean(spec))('answers the catalog, the related services and an add with the spec’s DTOs (and no units in related rows)', async () => {
    const search = await api('POST', '/v2/admin/finance/services/search', { pageSize: 2, pageNumber: 1 });
    expect(Object.keys(search.json).sort()).toEqual(['error', 'result', 'success', 'totalRecords']);
    expect(Object.keys(search.json.result[0]).sort()).toEqual(keys('ServiceListOutputDto'));
    expect(specIssues(bmsSpecSchema('ServiceListOutputDto', { answer: true }), search.json.result[0])).toEqual([]);
    const one = await api('GET', `/v2/admin/finance/services/${SERVICE_IDS.user}`);
    expect(Object.keys(one.json.result).sort()).toEqual(keys('ServiceOutputDto'));
    expect(Object.keys((await api('GET', '/v2/admin/finance/services/lookup')).json.result[0]).sort()).toEqual(keys('ServiceLookupOutputDto'));
    const related = await api('POST', `/v2/admin/finance/services/${SERVICE_IDS.user}/relatedservices/search`, { pageSize: 10, pageNumber: 1 });
    expect(Object.keys(related.json.result[0]).sort()).toEqual(keys('RelatedServicesListOutputDto'));
    expect(related.json.result[0]).not.toHaveProperty('units');
    expect(specIssues(bmsSpecSchema('RelatedServicesListOutputDto', { answer: true }), related.json.result[0])).toEqual([]);
    const k = contractOf(northwind().id);
    const add = await api('POST', `/v2/finance/contracts/recurringservices/${k.id}/services`, [
      { ServiceId: String(SERVICE_IDS.backup), Units: 1, UnitPrice: 15, UnitCost: 6, EffectiveDate: today() },
    ]);
    expect(Object.keys(add.json.result).sort()).toEqual(keys('RecurringServicePostOutputDto'));
    expect(specIssues(bmsSpecSchema('RecurringServicePostOutputDto', { answer: true }), add.json.result)).toEqual([]);
  });

  it('binds an add the ASP.NET way and refuses what BMS would', async () => {
    const k = contractOf(northwind().id);
    const path = `/v2/finance/contracts/recurringservices/${k.id}/services`;
    const object = await api('POST', path, { serviceId: SERVICE_IDS.user, units: 1 });
    expect(object.res.status).toBe(400);
    expect(Object.keys(object.json.errors)).toEqual(['$']);
    expect((await api('POST', path, [{ serviceId: SERVICE_IDS.user, units: 'many' }])).json.errors).toEqual({
      '[0].units': ["Could not convert string to integer: many. Path '[0].units'."],
    });
    expect((await api('POST', path, [{ serviceId: 1499, units: 1, effectiveDate: today() }])).json).toMatchObject({
      success: false,
      error: { message: 'Service 1499 does not exist.' },
    });
    // Left out, the effective date is C#'s default (year 1): outside the contract.
    expect((await api('POST', path, [{ serviceId: SERVICE_IDS.user, units: 1 }])).json.error.message).toBe(
      "The effective date must fall within the contract's start and end dates.",
    );
    expect((await api('POST', '/v2/finance/contracts/recurringservices/5999/services', [])).res.status).toBe(404);
    expect((await api('POST', path, 'units=1', 'application/x-www-form-urlencoded')).res.status).toBe(415);
    const patch = await api(
      'PATCH',
      `${path}/${linesOf(k.id, SERVICE_IDS.user)[0]!.id}`,
      [{ op: 'replace', path: '/colour', value: 1 }],
      'application/json-patch+json',
    );
    expect(patch.json.errors).toEqual({ '[0].path': ["The target location specified by path segment 'colour' was not found."] });
  });

  it('demo has contracts with and without lines, and an active account without any contract', async () => {
    const demo = await startKaseyaBmsEmulator({ preset: 'demo', rateLimit: null });
    try {
      const bare = demo.data.accounts.rows.filter((a) => a.isActive && demo.data.contracts.children(a.id).length === 0);
      expect(bare.map((a) => a.accountName)).toEqual(['Southridge Video']);
      const recurring = demo.data.contracts.rows.filter((k) => k.contractType === 'Recurring Services' && k.status === 'Active');
      expect(recurring.some((k) => demo.data.contractServices.children(k.id).length === 0)).toBe(true);
      expect(recurring.some((k) => demo.data.contractServices.children(k.id).length > 0)).toBe(true);
      // Tickets never name a contract that is gone.
      expect(demo.data.tickets.rows.every((t) => t.contractId === null || demo.data.contracts.get(t.contractId))).toBe(true);
    } finally {
      await demo.close();
    }
  });
});
