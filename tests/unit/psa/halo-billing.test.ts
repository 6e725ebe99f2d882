// Over 300 lines on purpose: the HaloPSA billing writer end to end against the emulator (items, a contract's recurring invoice lines, changing and adding a line, what Halo refuses, write rights, spec shapes), one describe per BillingWriter duty.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuantityChange } from '@/lib/psa/billing-writer';
import { PsaError } from '@/lib/psa/errors';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { grantsScope } from '@/lib/psa/halo/connect';
import { haloToken, startHaloEmulator, type HaloRecord, type RunningHaloEmulator } from '../../emulator/halo/start.ts';
import { loadSpec, shapeProblems } from '../../support/openapi-shape.ts';

/**
 * The tiny emulator's billing data (tests/emulator/halo/billing-data.ts): Acorn Construction (12)
 * has contract 801 with recurring invoice 60001 (Managed Workstation 14, Managed User 22, Managed
 * Server 2), expired contract 802 with disabled invoice 60002 (Managed Workstation 9) and its own
 * invoice 60003 without a contract (Microsoft 365 22, Managed User 5); Mario and Luigi's (13) has
 * contract 803 with invoice 60004 without lines, and expired contract 804 without one.
 */
const ACORN = { client: '12', contract: '801' };
const MARIO = { client: '13', contract: '803' };
const ITEM = { workstation: '201', user: '202', server: '203', m365: '204' };
const WORKSTATION = { id: ITEM.workstation, name: 'Managed Workstation' };
const USER = { id: ITEM.user, name: 'Managed User' };

let halo: RunningHaloEmulator;
type Credential = 'valid' | 'limited' | 'readonly';

function adapter(name: Credential = 'valid') {
  const creds = halo.credentials[name];
  return new HaloAdapter({
    settings: { resourceOrigin: halo.baseUrl, ...(creds.tenant ? { tenant: creds.tenant } : {}) },
    credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
    retries: 0,
    timeoutMs: 5000,
  });
}

beforeEach(async () => {
  halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
});
afterEach(async () => {
  await halo.close();
});

const invoice = (id: number) => halo.data.recurringInvoices.get(id)!;
const linesOf = (id: number) => invoice(id)._lines as HaloRecord[];

/** The JSON bodies the emulator receives on a path (answered as usual). */
function capture(path: RegExp): unknown[] {
  const bodies: unknown[] = [];
  halo.control.injectFault({ method: 'POST', path, times: Infinity, effect: (req) => void bodies.push(JSON.parse(req.body)) });
  return bodies;
}

async function caught(promise: Promise<unknown>): Promise<PsaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PsaError);
  return error as PsaError;
}

describe('products', () => {
  it('lists the active items by name, the retired plan left out', async () => {
    const products = await adapter().billing.products();
    expect(products.map((product) => product.name)).toEqual([
      'Backup - Per Device',
      'Dell Latitude 5450 Laptop',
      'Managed Server',
      'Managed User',
      'Managed Workstation',
      'Microsoft 365 Business Premium',
      'Remote Support (per hour)',
    ]);
    expect(products).toContainEqual(WORKSTATION);
    // One page holds them all (record_count 7): no second request.
    const reads = halo.control.requests().filter((request) => /\/api\/Item$/i.test(request.path));
    expect(reads.map((request) => request.query)).toEqual([
      expect.objectContaining({ includeactive: 'true', includeinactive: 'false', pageinate: 'true', page_no: '1' }),
    ]);
  });

  it('reads a bare array (Halo without paging) and drops a row Halo marks inactive', async () => {
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/Item$/,
      status: 200,
      body: [
        { id: 201, name: 'Managed Workstation' },
        { id: 209, name: 'Old Bundle', inactive: true },
        { id: 0, name: 'no id' },
      ],
    });
    expect(await adapter().billing.products()).toEqual([WORKSTATION]);
  });

  it('walks the pages to record_count, and stops when a Halo repeats the page', async () => {
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/Item$/,
      query: { page_no: '1' },
      transform: (body) => ({ ...(body as object), record_count: 250 }),
    });
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/Item$/,
      query: { page_no: '2' },
      status: 200,
      body: { record_count: 250, items: [{ id: 301, name: 'Zebra Support' }] },
    });
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/Item$/,
      query: { page_no: '3' },
      status: 200,
      body: { record_count: 250, items: [{ id: 201, name: 'Managed Workstation' }] },
    });
    const names = (await adapter().billing.products()).map((product) => product.name);
    expect(names).toHaveLength(8);
    expect(names.at(-1)).toBe('Zebra Support');
    // Page 3 answered rows already read (a Halo ignoring page_no): the walk ends there.
    expect(
      halo.control
        .requests()
        .filter((request) => /\/api\/Item$/i.test(request.path))
        .map((request) => request.query.page_no),
    ).toEqual(['1', '2', '3']);
  });

  it('without read:items: a permission error naming it', async () => {
    const error = await caught(adapter('limited').billing.products());
    expect([error.code, error.message]).toEqual(['permission', expect.stringContaining('read:items')]);
  });
});

describe('lines of a contract', () => {
  it("reads the contract's recurring invoice only: not the expired contract's, not the client's own", async () => {
    const lines = await adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation, ITEM.user, ITEM.m365]);
    expect(lines).toEqual([
      { lineId: '70001', productId: ITEM.workstation, quantity: 14 },
      { lineId: '70002', productId: ITEM.user, quantity: 22 },
    ]);
    const read = halo.control.requests().find((request) => /\/api\/RecurringInvoice$/i.test(request.path))!;
    expect(read.query).toMatchObject({ client_id: ACORN.client, contract_id: ACORN.contract, includelines: 'true' });
  });

  it('checks the contract itself when Halo ignores contract_id, and reads an invoice listed without lines whole', async () => {
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/RecurringInvoice$/,
      query: { contract_id: ACORN.contract },
      transform: () => ({
        record_count: 3,
        // Every invoice of the client, none with its lines.
        invoices: [60001, 60002, 60003].map((id) => ({ id, client_id: 12, contract_id: invoice(id).contract_id, disabled: invoice(id).disabled })),
      }),
    });
    const lines = await adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation, ITEM.m365]);
    expect(lines).toEqual([{ lineId: '70001', productId: ITEM.workstation, quantity: 14 }]);
    // The disabled invoice of the expired contract was never even read.
    expect(
      halo.control
        .requests()
        .filter((request) => /\/api\/RecurringInvoice\/\d+$/i.test(request.path))
        .map((request) => request.path),
    ).toEqual(['/api/RecurringInvoice/60001']);
  });

  it("reads the line's item also as item_id or linked_item", async () => {
    halo.control.injectFault({
      method: 'GET',
      path: /\/api\/RecurringInvoice$/,
      transform: (body) => {
        const wrapper = body as { invoices: { lines: Record<string, unknown>[] }[] };
        const [first, second] = wrapper.invoices[0]!.lines;
        const { _itemid: a, ...one } = first!;
        const { _itemid: b, ...two } = second!;
        wrapper.invoices[0]!.lines = [
          { ...one, item_id: a },
          { ...two, linked_item: { id: b, name: 'Managed User' } },
        ];
        return wrapper;
      },
    });
    expect(await adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation, ITEM.user])).toHaveLength(2);
  });

  it('a contract whose recurring invoice has no lines: none', async () => {
    expect(await adapter().billing.lines(MARIO.contract, MARIO.client, [ITEM.workstation, ITEM.user])).toEqual([]);
  });

  it('a contract without a recurring invoice, or with a disabled one only: a clear refusal', async () => {
    halo.data.recurringInvoices.delete(60004);
    const none = await caught(adapter().billing.lines(MARIO.contract, MARIO.client, [ITEM.user]));
    expect([none.code, none.retryable, none.message]).toEqual(['config', false, expect.stringContaining('has no recurring invoice')]);
    const disabled = await caught(adapter().billing.lines('802', ACORN.client, [ITEM.workstation]));
    expect(disabled.message).toContain('is disabled');
  });

  it('an item on two lines, or a second recurring invoice when a line is missing: refused, nothing guessed', async () => {
    linesOf(60001).push({ ...linesOf(60001)[0]!, id: 79001 });
    const twice = await caught(adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation]));
    expect(twice.message).toContain('more than one line');
    linesOf(60001).pop();
    invoice(60003).contract_id = 801;
    // Both invoices hold a Managed User line: fine. A missing item: which invoice is not for Sidecar to choose.
    const both = await caught(adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation, ITEM.user]));
    expect(both.message).toContain('more than one line');
    const which = await caught(adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation, ITEM.server, '205']));
    expect(which.message).toContain('2 recurring invoices (#60001, #60003)');
  });
});

describe('setting a quantity', () => {
  const change = (extra: Partial<QuantityChange> = {}): QuantityChange => ({
    companyRemoteId: ACORN.client,
    agreementRemoteId: ACORN.contract,
    product: WORKSTATION,
    quantity: 11,
    ...extra,
  });

  it('changes an existing line with updatelines; the preview is what Halo received; lines() reads it back and the page shows it', async () => {
    const billing = adapter().billing;
    const [line] = await billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation]);
    const preview = billing.preview(change({ line }));
    expect(preview).toEqual({ method: 'POST', path: 'RecurringInvoice/updatelines', body: [{ id: 70001, ihid: 60001, qty_order: 11 }] });
    const received = capture(/\/api\/RecurringInvoice\/updatelines$/);
    expect(await billing.setQuantity(change({ line }))).toEqual({ lineId: '70001', productId: ITEM.workstation, quantity: 11 });
    expect(received).toEqual([preview.body]);
    expect(await adapter().billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation])).toEqual([{ ...line, quantity: 11 }]);
    // Nothing else moved: the other lines, the expired contract's invoice.
    expect(linesOf(60001).map((row) => row.qty_order)).toEqual([11, 22, 2]);
    expect(linesOf(60002)[0]!.qty_order).toBe(9);
    const page = await (await fetch(`${halo.baseUrl}/customers?mainview=client&clientid=12`)).text();
    expect(page).toMatch(
      /data-line-id="70001"[^>]*>.*?<td data-testid="recurring-line-item">Managed Workstation<\/td><td data-testid="recurring-line-qty">11<\/td>/,
    );
  });

  it('adds the line when the contract has none: Lines with the item, the preview is what Halo received', async () => {
    const billing = adapter().billing;
    expect(await billing.lines(MARIO.contract, MARIO.client, [ITEM.user])).toEqual([]);
    const add = change({ companyRemoteId: MARIO.client, agreementRemoteId: MARIO.contract, product: USER, quantity: 7 });
    const preview = billing.preview(add);
    expect(preview).toEqual({
      method: 'POST',
      path: 'RecurringInvoice/Lines',
      body: [{ ihid: 60004, _itemid: 202, item_shortdescription: 'Managed User', qty_order: 7 }],
    });
    const received = capture(/\/api\/RecurringInvoice\/Lines$/);
    const added = await billing.setQuantity(add);
    expect(received).toEqual([preview.body]);
    expect(added).toEqual({ lineId: expect.stringMatching(/^\d+$/), productId: ITEM.user, quantity: 7 });
    expect(await adapter().billing.lines(MARIO.contract, MARIO.client, [ITEM.user])).toEqual([added]);
    expect(linesOf(60004)).toMatchObject([{ id: Number(added.lineId), _itemid: 202, item_shortdescription: 'Managed User', qty_order: 7, unit_price: 35 }]);
    // Next time it is a change of that line, not another line.
    expect(billing.preview({ ...add, line: added, quantity: 8 }).path).toBe('RecurringInvoice/updatelines');
  });

  it('a writer that has not read the contract reads it first, so its request names the right invoice', async () => {
    const received = capture(/\/api\/RecurringInvoice\/updatelines$/);
    await adapter().billing.setQuantity(change({ line: { lineId: '70001', productId: ITEM.workstation, quantity: 14 }, quantity: 3 }));
    expect(received).toEqual([[{ id: 70001, ihid: 60001, qty_order: 3 }]]);
    expect(() => adapter().billing.preview(change())).toThrow(/has not read/);
  });

  it('checks what Halo answered against the contract: a line Halo did not change is an error, not a success', async () => {
    const billing = adapter().billing;
    const [line] = await billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation]);
    // Halo answers 200 without the line (and, here, without doing anything).
    halo.control.injectFault({ method: 'POST', path: /updatelines$/, status: 200, body: [] });
    const kept = await caught(billing.setQuantity(change({ line })));
    expect([kept.code, kept.message]).toEqual(['config', expect.stringContaining('HaloPSA kept Managed Workstation at 14, not 11')]);
    // Or answers the line with its old quantity (a line that works out its quantity itself).
    halo.control.injectFault({ method: 'POST', path: /updatelines$/, status: 200, body: [{ id: 70001, ihid: 60001, _itemid: 201, qty_order: 14 }] });
    expect((await caught(billing.setQuantity(change({ line })))).message).toContain('kept Managed Workstation at 14');
    // An answer that does not show the line is fine when the contract then does.
    halo.control.injectFault({ method: 'POST', path: /updatelines$/, transform: () => ({ ok: true }) });
    expect(await billing.setQuantity(change({ line }))).toEqual({ ...line, quantity: 11 });
  });
});

describe('refusals', () => {
  const add = (product: { id: string; name: string }): QuantityChange => ({
    companyRemoteId: MARIO.client,
    agreementRemoteId: MARIO.contract,
    product,
    quantity: 4,
  });

  it("an item Halo does not have: Halo's words, final (config, not retried)", async () => {
    const billing = adapter().billing;
    await billing.lines(MARIO.contract, MARIO.client, ['999']);
    const error = await caught(billing.setQuantity(add({ id: '999', name: 'Gone Item' })));
    expect([error.code, error.retryable, error.status, error.message]).toEqual([
      'config',
      false,
      400,
      'HaloPSA refused the quantity: Item 999 does not exist.',
    ]);
    expect(linesOf(60004)).toEqual([]);
  });

  it('an unknown contract: nothing to write to, said before any write', async () => {
    const error = await caught(adapter().billing.setQuantity({ ...add(USER), agreementRemoteId: '9999' }));
    expect([error.code, error.message]).toEqual(['config', expect.stringContaining('HaloPSA contract 9999 has no recurring invoice')]);
    expect(halo.control.requests().some((request) => request.method === 'POST' && /RecurringInvoice/i.test(request.path))).toBe(false);
  });

  it('bad ids and quantities never reach Halo', async () => {
    const billing = adapter().billing;
    expect((await caught(billing.lines('MSA-1', ACORN.client, []))).message).toContain('not a HaloPSA contract id');
    expect((await caught(billing.setQuantity({ ...add(USER), quantity: -1 }))).message).toContain('-1 is not a quantity');
    expect((await caught(billing.setQuantity({ ...add(USER), quantity: Number.NaN }))).code).toBe('config');
    expect((await caught(billing.setQuantity(add({ id: 'ws', name: 'Workstation' })))).message).toContain('not a HaloPSA item id');
    expect(halo.control.requests()).toEqual([]);
  });

  it('without edit:invoices: 403 naming the permission, final', async () => {
    const billing = adapter('readonly').billing;
    const [line] = await billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation]);
    const error = await caught(
      billing.setQuantity({ companyRemoteId: ACORN.client, agreementRemoteId: ACORN.contract, product: WORKSTATION, line, quantity: 1 }),
    );
    expect([error.code, error.retryable, error.status, error.message]).toEqual(['config', false, 403, expect.stringContaining('edit:invoices permission')]);
    expect(linesOf(60001)[0]!.qty_order).toBe(14);
  });

  it('the emulator refuses a line without its invoice, and a value that does not bind, as Halo does', async () => {
    const token = await haloToken(halo.baseUrl, halo.credentials.valid);
    const post = (path: string, body: unknown) =>
      fetch(`${halo.apiUrl}/${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noInvoice = await post('RecurringInvoice/Lines', [{ _itemid: 202, qty_order: 1 }]);
    expect([noInvoice.status, await noInvoice.text()]).toEqual([400, 'Please choose the recurring invoice for the line (ihid).']);
    const notANumber = await post('RecurringInvoice/updatelines', [{ id: 70001, qty_order: 'lots' }]);
    expect([notANumber.status, Object.keys((await notANumber.json()) as object)]).toEqual([400, ['[0].qty_order']]);
    const otherInvoice = await post('RecurringInvoice/updatelines', [{ id: 70001, ihid: 60003, qty_order: 1 }]);
    expect(await otherInvoice.text()).toBe('Line 70001 is not on recurring invoice 60003.');
    expect(linesOf(60001)[0]!.qty_order).toBe(14);
  });
});

describe('the emulator beyond what the writer sends', () => {
  async function call(method: string, path: string, body?: unknown, credential: 'valid' | 'restricted' = 'valid') {
    const token = await haloToken(halo.baseUrl, halo.credentials[credential]);
    const response = await fetch(`${halo.apiUrl}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> & Record<string, unknown>[] };
  }

  it('POST /api/RecurringInvoice: add_lines appends, lines is the whole set', async () => {
    const added = await call('POST', 'RecurringInvoice', [{ id: 60001, add_lines: [{ _itemid: 204, qty_order: 3 }] }]);
    expect(added.status).toBe(200);
    expect((added.json.lines as HaloRecord[]).map((line) => [line._itemid, line.qty_order])).toEqual([
      [201, 14],
      [202, 22],
      [203, 2],
      [204, 3],
    ]);
    const replaced = await call('POST', 'RecurringInvoice', [{ id: 60001, lines: [{ id: 70001, qty_order: 1 }] }]);
    expect((replaced.json.lines as HaloRecord[]).map((line) => [line.id, line.qty_order])).toEqual([[70001, 1]]);
  });

  it('lists: inactive items when asked, the paged wrapper, invoices by contract, what a restricted agent may see', async () => {
    expect(((await call('GET', 'Item?includeinactive=true')).json as unknown as HaloRecord[]).map((item) => item.id)).toContain(208);
    const paged = await call('GET', 'Item?pageinate=true&page_size=2&page_no=2');
    expect([paged.json.record_count, (paged.json.items as HaloRecord[]).map((item) => item.id)]).toEqual([7, [203, 204]]);
    const byContract = await call('GET', 'RecurringInvoice?contract_id=801');
    expect((byContract.json.invoices as HaloRecord[]).map((row) => [row.id, row.lines])).toEqual([[60001, undefined]]);
    // Mario and Luigi's is a break-fix client: the restricted agent sees neither its invoices nor one by id.
    expect((await call('GET', 'RecurringInvoice?client_id=13', undefined, 'restricted')).json.record_count).toBe(0);
    expect((await call('GET', 'RecurringInvoice/60004', undefined, 'restricted')).status).toBe(404);
  });
});

describe('write rights', () => {
  it('edit:invoices from the scope the token granted', async () => {
    const right = { what: 'edit:invoices', usedFor: 'update billing quantities on agreements' };
    expect((await adapter().testConnection()).writeRights).toContainEqual({ ...right, allowed: true });
    expect((await adapter('readonly').testConnection()).writeRights).toContainEqual({ ...right, allowed: false });
  });

  it.each([
    ['all', true],
    ['read:invoices edit:invoices', true],
    ['edit:tickets read:invoices', false],
    ['admin', null],
    [undefined, null],
  ] as const)('scope %j → %s', (scope, allowed) => {
    expect(grantsScope(scope, 'edit:invoices')).toBe(allowed);
  });
});

const SPEC = loadSpec('/work/shared/specs/halo/openapi/halo-api-v2-swagger_ssmanji89_2025-04.json');
describe.skipIf(!SPEC)('requests and answers as the 2025-04 spec declares them', () => {
  it('both writes send InvoiceDetail arrays; items, recurring invoices and lines answer Item, InvoiceHeader and InvoiceDetail', async () => {
    const spec = SPEC!;
    const lines = (body: unknown) => shapeProblems(spec, { type: 'array', items: { $ref: '#/components/schemas/InvoiceDetail' } }, body);
    const billing = adapter().billing;
    const [line] = await billing.lines(ACORN.contract, ACORN.client, [ITEM.workstation]);
    await billing.lines(MARIO.contract, MARIO.client, [ITEM.user]);
    const update = billing.preview({ companyRemoteId: ACORN.client, agreementRemoteId: ACORN.contract, product: WORKSTATION, line, quantity: 5 });
    const add = billing.preview({ companyRemoteId: MARIO.client, agreementRemoteId: MARIO.contract, product: USER, quantity: 5 });
    expect([lines(update.body), lines(add.body)]).toEqual([[], []]);

    const token = await haloToken(halo.baseUrl, halo.credentials.valid);
    const get = async (path: string) => (await fetch(`${halo.apiUrl}/${path}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    const items = (await get('Item')) as unknown[];
    expect(shapeProblems(spec, { type: 'array', items: { $ref: '#/components/schemas/Item' } }, items)).toEqual([]);
    const list = (await get('RecurringInvoice?client_id=12&includelines=true')) as { invoices: unknown[] };
    expect(shapeProblems(spec, { type: 'array', items: { $ref: '#/components/schemas/InvoiceHeader' } }, list.invoices)).toEqual([]);
    const posted = await fetch(`${halo.apiUrl}/${add.path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(add.body),
    });
    expect(lines(await posted.json())).toEqual([]);
  });
});
