// The ConnectWise billing writer (#16, counts onto agreements) against the emulator: catalog products, agreement additions, the exact request, refusals, write rights.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgreementLine, BillingProduct, QuantityChange } from '@/lib/psa/billing-writer';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { CW_BILLING_RIGHT } from '@/lib/psa/connectwise/billing';
import { PsaError } from '@/lib/psa/errors';
import { connectwiseAuthHeaders, startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { cwSpecAvailable, cwSpecErrors } from '../../emulator/connectwise/spec-check.ts';
import type { CwRecord } from '../../emulator/connectwise/store.ts';

let emulator: RunningEmulator;

function adapter(retries = 0) {
  const credentials = emulator.credentials.valid;
  return new ConnectwiseAdapter({
    settings: { host: new URL(emulator.baseUrl).host, scheme: 'http', companyId: credentials.companyId },
    credentials: { publicKey: credentials.publicKey, privateKey: credentials.privateKey, clientId: credentials.clientId },
    retries,
    timeoutMs: 5000,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => emulator.control.clearFaults());

// The tiny preset (tests/emulator/connectwise/billing-data.ts): Northwind's agreement bills
// workstations and users and has a cancelled server line; Contoso's has no additions; Fabrikam has no agreement.
const NORTHWIND = 101;
const CONTOSO = 102;
const FABRIKAM = 103;
const agreementOf = (companyId: number) => emulator.data.agreements.children(companyId)[0] as CwRecord;
const catalog = (identifier: string) => emulator.data.catalogItems.rows.find((p) => p.identifier === identifier) as CwRecord;
const product = (identifier: string): BillingProduct => ({ id: String(catalog(identifier).id), name: String(catalog(identifier).description) });
const additionsOf = (agreement: CwRecord) => emulator.data.additions.children(agreement.id);
const addition = (agreement: CwRecord, identifier: string) =>
  additionsOf(agreement).find((a) => (a.product as { identifier: string }).identifier === identifier && !a.cancelledDate) as CwRecord;

function change(companyId: number, identifier: string, quantity: number, line?: AgreementLine): QuantityChange {
  return {
    companyRemoteId: String(companyId),
    agreementRemoteId: String(agreementOf(companyId).id),
    product: product(identifier),
    ...(line ? { line } : {}),
    quantity,
  };
}

/** The JSON bodies the emulator received for requests matching `method` and `path`. */
function capture(method: string, path: RegExp): unknown[] {
  const bodies: unknown[] = [];
  emulator.control.injectFault({ method, path, effect: (req) => void bodies.push(JSON.parse(req.body ?? 'null')) });
  return bodies;
}

/** A raw API request as the valid API member. */
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${emulator.apiUrl}${path}`, {
    ...init,
    headers: { ...connectwiseAuthHeaders(emulator.credentials.valid), 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error as PsaError,
  );

describe('the emulated data', () => {
  it('has the products, an agreement with lines, one without and a company without any; the API serves them as the contract has them', async () => {
    expect(emulator.data.catalogItems.rows.map((p) => p.description)).toEqual(expect.arrayContaining(['Managed Workstation', 'Managed User']));
    expect(additionsOf(agreementOf(NORTHWIND)).filter((a) => !a.cancelledDate).length).toBeGreaterThanOrEqual(2);
    expect(additionsOf(agreementOf(CONTOSO))).toEqual([]);
    expect(emulator.data.agreements.children(FABRIKAM)).toEqual([]);
    if (!cwSpecAvailable()) return;
    const items = (await (await api('/procurement/catalog?pageSize=1000')).json()) as unknown[];
    expect(items).toHaveLength(emulator.data.catalogItems.rows.length);
    expect(items.flatMap((item) => cwSpecErrors('CatalogItem', item))).toEqual([]);
    for (const agreement of emulator.data.agreements.rows) {
      const additions = (await (await api(`/finance/agreements/${agreement.id}/additions`)).json()) as unknown[];
      expect(additions.flatMap((row) => cwSpecErrors('Addition', row))).toEqual([]);
    }
  });
});

describe('products', () => {
  it('lists the active catalog items by name, with their catalog ids', async () => {
    emulator.control.resetRequestLog();
    const products = await adapter().billing.products();
    expect(products).toContainEqual(product('MS-WORKSTATION'));
    expect(products).toContainEqual(product('MS-USER'));
    expect(products.map((p) => p.name)).not.toContain('Antivirus (legacy)'); // inactive
    expect(products.map((p) => p.name)).toEqual([...products.map((p) => p.name)].sort((a, b) => a.localeCompare(b)));
    const reads = emulator.control.requests().filter((r) => /\/procurement\/catalog$/.test(r.path));
    expect(reads.map((r) => r.query.conditions)).toEqual(['inactiveFlag=false AND id > 0']);
  });

  it('tells two items with one description apart by their identifiers', async () => {
    emulator.control.injectFault({
      path: /\/procurement\/catalog$/,
      transform: (rows) => [...(rows as object[]), { id: 399, identifier: 'MS-WORKSTATION-EU', description: 'Managed Workstation', inactiveFlag: false }],
    });
    const names = (await adapter().billing.products()).map((p) => p.name);
    expect(names).toContain('Managed Workstation (MS-WORKSTATION)');
    expect(names).toContain('Managed Workstation (MS-WORKSTATION-EU)');
  });

  it('without the catalog right, says which right to grant', async () => {
    emulator.control.injectFault({
      path: /\/procurement\/catalog$/,
      status: 403,
      body: { code: 'Unauthorized', message: 'You do not have access to the Product Catalog module.' },
    });
    const error = await failure(adapter().billing.products());
    expect(error).toMatchObject({ code: 'permission', message: expect.stringMatching(/Product Catalog module.*Procurement › Product Catalog \(Inquire\)/) });
  });
});

describe('lines', () => {
  const ids = (...identifiers: string[]) => identifiers.map((i) => product(i).id);

  it("reads the agreement's running additions of the products asked for; cancelled ones are left out", async () => {
    const agreement = agreementOf(NORTHWIND);
    const lines = await adapter().billing.lines(String(agreement.id), String(NORTHWIND), ids('MS-WORKSTATION', 'MS-USER', 'MS-SERVER'));
    expect(lines).toEqual(
      ['MS-WORKSTATION', 'MS-USER'].map((identifier) => {
        const row = addition(agreement, identifier);
        return { lineId: String(row.id), productId: product(identifier).id, quantity: row.quantity };
      }),
    );
    expect(additionsOf(agreement).some((a) => (a.product as { identifier: string }).identifier === 'MS-SERVER' && a.cancelledDate)).toBe(true);
    expect(await adapter().billing.lines(String(agreement.id), String(NORTHWIND), ids('MS-USER'))).toHaveLength(1);
  });

  it('an agreement without additions has no lines', async () => {
    expect(await adapter().billing.lines(String(agreementOf(CONTOSO).id), String(CONTOSO), ids('MS-WORKSTATION'))).toEqual([]);
  });

  it("refuses another company's agreement, an unknown one and a cancelled one, before reading additions", async () => {
    const billing = adapter().billing;
    emulator.control.resetRequestLog();
    const foreign = await failure(billing.lines(String(agreementOf(NORTHWIND).id), String(CONTOSO), ids('MS-USER')));
    expect(foreign).toMatchObject({
      code: 'config',
      message: expect.stringMatching(/belongs to another ConnectWise company \(id 101\), not 102; nothing was written/),
    });
    const unknown = await failure(billing.lines('999', String(CONTOSO), ids('MS-USER')));
    expect(unknown).toMatchObject({ code: 'config', status: 404, message: expect.stringMatching(/no agreement 999/) });
    const contoso = agreementOf(CONTOSO);
    emulator.control.mutate.update('agreement', contoso.id, { cancelledFlag: true, agreementStatus: 'Cancelled' });
    try {
      const cancelled = await failure(billing.lines(String(contoso.id), String(CONTOSO), ids('MS-USER')));
      expect(cancelled).toMatchObject({ code: 'config', message: expect.stringMatching(/is cancelled in ConnectWise/) });
    } finally {
      emulator.control.mutate.update('agreement', contoso.id, { cancelledFlag: false, agreementStatus: 'Active' });
    }
    for (const error of [foreign, unknown]) expect(error.retryable).toBe(false);
    expect(emulator.control.requests().filter((r) => /\/additions$/.test(r.path))).toEqual([]);
  });
});

describe('setQuantity', () => {
  it('changes the quantity of the line there is with a PATCH, exactly as previewed; lines() and the agreement page show it', async () => {
    const billing = adapter().billing;
    const agreement = agreementOf(NORTHWIND);
    const [line] = await billing.lines(String(agreement.id), String(NORTHWIND), [product('MS-USER').id]);
    const request = change(NORTHWIND, 'MS-USER', line!.quantity + 3, line);
    const sent = capture('PATCH', /\/additions\/\d+$/);
    const preview = billing.preview(request);
    expect(preview).toEqual({
      method: 'PATCH',
      path: `finance/agreements/${agreement.id}/additions/${line!.lineId}`,
      body: [{ op: 'replace', path: 'quantity', value: line!.quantity + 3 }],
    });
    const written = await billing.setQuantity(request);
    expect(sent).toEqual([preview.body]);
    expect(written).toEqual({ ...line, quantity: line!.quantity + 3 });
    expect(await billing.lines(String(agreement.id), String(NORTHWIND), [product('MS-USER').id])).toEqual([written]);

    const html = await (await fetch(`${emulator.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=AgreementFV&recid=${agreement.id}`)).text();
    expect(html).toMatch(new RegExp(`data-record-id="${line!.lineId}" data-product="MS-USER">.*?data-testid="addition-quantity">${line!.quantity + 3}<`));
  });

  it('adds the line when the agreement has none, with a POST exactly as previewed (a contract Addition); lines() reads it back', async () => {
    const billing = adapter().billing;
    const agreement = agreementOf(CONTOSO);
    const request = change(CONTOSO, 'MS-WORKSTATION', 7);
    const sent = capture('POST', /\/additions$/);
    const preview = billing.preview(request);
    expect(preview).toEqual({
      method: 'POST',
      path: `finance/agreements/${agreement.id}/additions`,
      body: { product: { id: Number(product('MS-WORKSTATION').id) }, quantity: 7, billCustomer: 'Billable' },
    });
    if (cwSpecAvailable()) expect(cwSpecErrors('Addition', preview.body)).toEqual([]);
    const written = await billing.setQuantity(request);
    expect(sent).toEqual([preview.body]);
    expect(written).toEqual({ lineId: expect.stringMatching(/^\d+$/), productId: product('MS-WORKSTATION').id, quantity: 7 });
    expect(await billing.lines(String(agreement.id), String(CONTOSO), [product('MS-WORKSTATION').id])).toEqual([written]);
    // The new line takes the catalog item's price, as the ConnectWise screen does.
    expect(emulator.data.additions.get(Number(written.lineId))).toMatchObject({
      unitPrice: catalog('MS-WORKSTATION').price,
      billCustomer: 'Billable',
      agreementId: agreement.id,
    });
  });

  it("a product ConnectWise refuses is a non-retryable 'config' error in ConnectWise's words, sent once", async () => {
    const billing = adapter().billing;
    emulator.control.resetRequestLog();
    const inactive = await failure(billing.setQuantity(change(CONTOSO, 'AV-LEGACY', 2)));
    expect(inactive).toBeInstanceOf(PsaError);
    expect(inactive).toMatchObject({
      code: 'config',
      status: 400,
      message: `ConnectWise refused a new Antivirus (legacy) line on agreement ${agreementOf(CONTOSO).id} (400): product AV-LEGACY is inactive.`,
    });
    expect(inactive.retryable).toBe(false);
    const unknown = await failure(billing.setQuantity({ ...change(CONTOSO, 'MS-USER', 2), product: { id: '999', name: 'Gone' } }));
    expect(unknown).toMatchObject({ code: 'config', status: 400, message: expect.stringMatching(/\(400\): product was not found\.$/) });
    expect(emulator.control.requests().filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it("an unknown agreement or line is a 'config' error with ConnectWise's 404 message", async () => {
    const billing = adapter().billing;
    const noAgreement = await failure(billing.setQuantity({ ...change(CONTOSO, 'MS-USER', 2), agreementRemoteId: '999' }));
    expect(noAgreement).toMatchObject({
      code: 'config',
      status: 404,
      message: 'ConnectWise refused a new Managed User line on agreement 999 (404): Agreement 999 not found',
    });
    const line = { lineId: '98765', productId: product('MS-USER').id, quantity: 1 };
    const noLine = await failure(billing.setQuantity(change(NORTHWIND, 'MS-USER', 2, line)));
    expect(noLine).toMatchObject({ code: 'config', status: 404, message: expect.stringMatching(/\(404\): Addition 98765 not found$/) });
  });

  it('a 403 names the security-role right to grant', async () => {
    const message = 'You do not have access to the Agreements module. Please contact your ConnectWise administrator to update your security role.';
    emulator.control.injectFault({ method: 'PATCH', path: /\/additions\/\d+$/, status: 403, body: { code: 'Unauthorized', message } });
    const agreement = agreementOf(NORTHWIND);
    const line = { lineId: String(addition(agreement, 'MS-USER').id), productId: product('MS-USER').id, quantity: 1 };
    const error = await failure(adapter().billing.setQuantity(change(NORTHWIND, 'MS-USER', 4, line)));
    expect(error).toMatchObject({ code: 'config', status: 403 });
    expect(error.message).toBe(
      `ConnectWise refused the quantity of Managed User on agreement ${agreement.id} (403): ${message} In ConnectWise, System › Security Roles, grant the API member's role ${CW_BILLING_RIGHT}.`,
    );
  });

  it('a server error is not retried, even by a client that retries reads', async () => {
    emulator.control.injectFault({ method: 'PATCH', path: /\/additions\/\d+$/, status: 503, times: 1 });
    emulator.control.resetRequestLog();
    const agreement = agreementOf(NORTHWIND);
    const line = { lineId: String(addition(agreement, 'MS-USER').id), productId: product('MS-USER').id, quantity: 1 };
    await expect(adapter(2).billing.setQuantity(change(NORTHWIND, 'MS-USER', 5, line))).rejects.toMatchObject({ code: 'server' });
    expect(emulator.control.requests().filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('a 200 that did not apply the quantity is an error, not a success', async () => {
    const agreement = agreementOf(NORTHWIND);
    const row = addition(agreement, 'MS-WORKSTATION');
    emulator.control.injectFault({ method: 'PATCH', path: /\/additions\/\d+$/, transform: (body) => ({ ...(body as object), quantity: 1 }) });
    const line = { lineId: String(row.id), productId: product('MS-WORKSTATION').id, quantity: row.quantity as number };
    const error = await failure(adapter().billing.setQuantity(change(NORTHWIND, 'MS-WORKSTATION', 40, line)));
    expect(error).toMatchObject({ code: 'config', message: expect.stringMatching(/the quantity is 1, not 40/) });
  });

  it('a 201 without a readable body: the new line is found on the agreement instead', async () => {
    const agreement = agreementOf(CONTOSO);
    emulator.control.injectFault({ method: 'POST', path: /\/additions$/, transform: () => ({ unexpected: true }) });
    const written = await adapter().billing.setQuantity(change(CONTOSO, 'PWB-SEAT', 11));
    expect(written).toEqual({ lineId: String(addition(agreement, 'PWB-SEAT').id), productId: product('PWB-SEAT').id, quantity: 11 });
  });

  it('refuses, without a request, a change it can tell is wrong', async () => {
    const billing = adapter().billing;
    emulator.control.resetRequestLog();
    const other = { lineId: '4001', productId: product('MS-SERVER').id, quantity: 1 };
    for (const [bad, message] of [
      [change(CONTOSO, 'MS-USER', -1), /a number of 0 or more, not -1/],
      [change(CONTOSO, 'MS-USER', Number.NaN), /a number of 0 or more/],
      [{ ...change(CONTOSO, 'MS-USER', 1), agreementRemoteId: 'a-1' }, /"a-1" is not a ConnectWise agreement id/],
      [change(NORTHWIND, 'MS-USER', 1, other), /not a line of Managed User/],
    ] as const) {
      expect(() => billing.preview(bad)).toThrow(message);
      await expect(billing.setQuantity(bad)).rejects.toMatchObject({ code: 'config' });
    }
    expect(emulator.control.requests()).toEqual([]);
  });
});

describe('the emulated additions API', () => {
  it("PATCH takes the runbook's '/quantity', refuses other casing and derived fields; PUT replaces the whole line", async () => {
    const agreement = agreementOf(NORTHWIND);
    const row = addition(agreement, 'MS-WORKSTATION');
    const path = `/finance/agreements/${agreement.id}/additions/${row.id}`;
    const slash = await api(path, { method: 'PATCH', body: JSON.stringify([{ op: 'replace', path: '/quantity', value: 12 }]) });
    expect(slash.status).toBe(200);
    expect(await slash.json()).toMatchObject({ id: row.id, quantity: 12, extPrice: 12 * (row.unitPrice as number) });
    const refused = await api(path, {
      method: 'PATCH',
      body: JSON.stringify([
        { op: 'replace', path: 'Quantity', value: 3 },
        { op: 'replace', path: 'extPrice', value: 3 },
      ]),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['Quantity', 'extPrice']);
    expect(row.quantity).toBe(12); // all or nothing

    const put = await api(path, { method: 'PUT', body: JSON.stringify({ product: { identifier: 'MS-WORKSTATION' }, billCustomer: 'NoCharge', quantity: 2 }) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: row.id, quantity: 2, billCustomer: 'NoCharge', sequenceNumber: row.sequenceNumber });
    expect((await api(path, { method: 'PUT', body: JSON.stringify({ product: { id: catalog('MS-WORKSTATION').id } }) })).status).toBe(400); // billCustomer required
  });

  it('reads additions with conditions on the product, and a catalog item by id', async () => {
    const agreement = agreementOf(NORTHWIND);
    const user = catalog('MS-USER');
    const rows = (await (await api(`/finance/agreements/${agreement.id}/additions?conditions=product/id=${user.id}`)).json()) as { product: { id: number } }[];
    expect(rows.map((r) => r.product.id)).toEqual([user.id]);
    expect(rows[0]).toMatchObject({ product: { identifier: 'MS-USER', _info: { product_href: `${emulator.apiUrl}/procurement/catalog/${user.id}` } } });
    expect(await (await api(`/procurement/catalog/${user.id}`)).json()).toMatchObject({ id: user.id, description: 'Managed User' });
    expect((await api('/finance/agreements/999/additions')).status).toBe(404);
  });
});

describe('writeRights', () => {
  it('the connection test names the Agreements right billing uses, unknown until the first write', async () => {
    const info = await adapter().testConnection();
    expect(info.writeRights).toContainEqual({ what: 'Finance › Agreements (Add and Edit)', usedFor: 'update billing quantities on agreements', allowed: null });
  });
});
