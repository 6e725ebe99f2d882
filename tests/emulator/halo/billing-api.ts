// Over 300 lines on purpose: the emulator's whole billing surface (items, recurring invoices, their lines, the three line writes) shares one binding and one set of Halo checks, read top to bottom.
import type { Router } from '../framework/router.ts';
import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { jsonResponse } from '../framework/types.ts';
import type { Ctx } from './api.ts';
import { newLine } from './billing-data.ts';
import { activeFlags, bool, DEFAULT_PAGE_SIZE, int } from './list.ts';
import type { HaloRecord, HaloStore } from './store.ts';

/**
 * Billing counts' endpoints (docs/psa/halo.md#billing-counts):
 *
 * - `GET /api/Item` (`read:items`): a bare array, or with `pageinate=true` the `{record_count, items}`
 *   wrapper (HaloAPI reads `items`; redanthrax/halopsa-node reads a bare array) [INFER which when];
 *   active items only unless `includeinactive`/`activeinactive` ask.
 * - `GET /api/RecurringInvoice` (`read:invoices`): `{record_count, invoices}` (HaloAPI, n8n node),
 *   filtered by `client_id`, `client_ids`, `contract_id`, `search`; `lines` only with
 *   `includelines=true`. `GET /api/RecurringInvoice/{id}` always carries its lines [INFER].
 * - `POST /api/RecurringInvoice/updatelines` and `/Lines` (`edit:invoices`): an array of
 *   `InvoiceDetail`; an item with an `id` changes that line (its `ihid`, when sent, must be the
 *   line's invoice), one without is added to the invoice `ihid` — both endpoints alike [INFER:
 *   public clients call the first "update lines" and the second "add lines"]. The answer is the
 *   array of lines written [INFER].
 * - `POST /api/RecurringInvoice` (`edit:invoices`): an array of `InvoiceHeader` updates by `id`:
 *   `lines` is the invoice's whole set (lines left out are removed), `add_lines` appends [INFER
 *   from the spec having both]. Creating recurring invoices is not emulated.
 *
 * Binding and refusals are those of `POST /api/Tickets` (ticket-create.ts): names in any casing,
 * a value that does not bind → 400 `{"[0].qty_order": ["…"]}`, a Halo check → 400 plain text
 * (texts [INFER]).
 */

export interface BillingDeps {
  store: HaloStore;
  /** The calling agent may see this client (Client Access Level). */
  visible(clientId: number, ctx: Ctx): boolean;
  forbidden(status: 403, message: string): EmuResponse;
  notFound(message: string): EmuResponse;
}

// Fields declared apart from the constructor: `npm run emulator` and the demo run this file with
// Node's type stripping, which refuses parameter properties.
class BindError {
  readonly errors: Record<string, string[]>;
  constructor(errors: Record<string, string[]>) {
    this.errors = errors;
  }
}
class Refusal {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}
const text400 = (message: string): EmuResponse => ({ status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message });

const round2 = (n: number) => Math.round(n * 100) / 100;

function itemWire(item: HaloRecord): Record<string, unknown> {
  const { _inactive: _hidden, ...wire } = item;
  return wire;
}

function lineWire(line: HaloRecord): Record<string, unknown> {
  return { ...line, net_amount: round2(Number(line.qty_order) * Number(line.unit_price)) };
}

function invoiceWire(store: HaloStore, invoice: HaloRecord, withLines: boolean): Record<string, unknown> {
  const { _lines, ...header } = invoice;
  const lines = _lines as HaloRecord[];
  const client = store.clients.get(Number(invoice.client_id));
  const contract = store.contracts.get(Number(invoice.contract_id));
  return {
    ...header,
    client_name: client?.name ?? '',
    contract_ref: contract?.ref ?? '',
    total: round2(lines.filter((line) => !line.isinactive).reduce((sum, line) => sum + Number(line.qty_order) * Number(line.unit_price), 0)),
    ...(withLines ? { lines: lines.map(lineWire) } : {}),
  };
}

/** A list answer: the wrapper when paging (`page_no`, `page_size` added), else every row. */
function listAnswer(p: Map<string, string>, key: string, rows: Record<string, unknown>[], bare: boolean): EmuResponse {
  if (bool(p, 'pageinate')) {
    const size = Math.max(1, int(p, 'page_size') ?? DEFAULT_PAGE_SIZE);
    const page = Math.max(1, int(p, 'page_no') ?? 1);
    return jsonResponse(200, { page_no: page, page_size: size, record_count: rows.length, [key]: rows.slice((page - 1) * size, page * size) });
  }
  const count = int(p, 'count');
  const slice = count !== undefined && count > 0 ? rows.slice(0, count) : rows;
  return jsonResponse(200, bare ? slice : { record_count: rows.length, [key]: slice });
}

const toInt = (value: unknown) => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
};
const toNumber = (value: unknown) => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

interface BoundLine {
  id?: number;
  ihid?: number;
  itemId?: number;
  qty?: number;
  price?: number;
  description?: string;
  inactive?: boolean;
}

/** One `InvoiceDetail`, bound like Newtonsoft (names in any casing, unknown ones ignored). */
function bindLine(item: unknown, at: string): BoundLine {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw new BindError({ [at]: [`Error converting value to type 'InvoiceDetail'. Path '${at}'.`] });
  const sent = new Map(Object.entries(item).map(([key, value]) => [key.toLowerCase(), value]));
  const errors: Record<string, string[]> = {};
  const bound: BoundLine = {};
  const get = <T>(key: string, convert: (v: unknown) => T | undefined, type: string): T | undefined => {
    const value = sent.get(key);
    if (value === undefined || value === null) return undefined;
    const converted = convert(value);
    if (converted === undefined) errors[`${at}.${key}`] = [`Could not convert ${typeof value} to ${type}: ${String(value)}. Path '${at}.${key}'.`];
    return converted;
  };
  bound.id = get('id', toInt, 'integer');
  bound.ihid = get('ihid', toInt, 'integer');
  // The spec's `_itemid`; `item_id` tolerated (what a client may guess from other Halo objects).
  bound.itemId = get('_itemid', toInt, 'integer') ?? get('item_id', toInt, 'integer');
  bound.qty = get('qty_order', toNumber, 'double');
  bound.price = get('unit_price', toNumber, 'double');
  bound.description = get('item_shortdescription', (v) => (typeof v === 'object' ? undefined : String(v)), 'string');
  bound.inactive = get('isinactive', (v) => (typeof v === 'boolean' ? v : undefined), 'boolean');
  if (Object.keys(errors).length) throw new BindError(errors);
  return bound;
}

/** The body as an array of objects, or the Newtonsoft refusal of anything else. */
function arrayBody(req: EmuRequest, type: string): unknown[] | EmuResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return jsonResponse(400, { '': ["Unexpected character encountered while parsing value. Path '', line 1, position 1."] });
  }
  if (!Array.isArray(body)) {
    return jsonResponse(400, {
      '': [
        `Cannot deserialize the current JSON object (e.g. {"name":"value"}) into type 'System.Collections.Generic.List\`1[${type}]' because the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly. Path ''.`,
      ],
    });
  }
  return body;
}

function refusalOr(error: unknown): EmuResponse {
  if (error instanceof BindError) return jsonResponse(400, error.errors);
  if (error instanceof Refusal) return text400(error.message);
  throw error;
}

export function addBillingRoutes(router: Router<Ctx>, deps: BillingDeps): void {
  const { store } = deps;
  const readable = (ctx: Ctx, area: 'items' | 'invoices', label: string) =>
    ctx.grant.areas.has(area)
      ? undefined
      : deps.forbidden(
          403,
          `The API application does not have permission to access ${label}. Grant it the read:${area} permission (Configuration > Integrations > Halo API > Applications > Permissions) and check the agent it logs in as.`,
        );
  const writable = (ctx: Ctx) =>
    ctx.grant.edits.has('invoices')
      ? undefined
      : deps.forbidden(
          403,
          'The API application does not have permission to change recurring invoices. Grant it the edit:invoices permission (Configuration > Integrations > Halo API > Applications > Permissions) and check the agent it logs in as.',
        );
  const invoiceOf = (ctx: Ctx, id: number | undefined) => {
    const invoice = id ? store.recurringInvoices.get(id) : undefined;
    return invoice && deps.visible(Number(invoice.client_id), ctx) ? invoice : undefined;
  };
  const lineOf = (ctx: Ctx, id: number) => {
    for (const invoice of store.recurringInvoices.rows) {
      const line = (invoice._lines as HaloRecord[]).find((row) => row.id === id);
      if (line) return deps.visible(Number(invoice.client_id), ctx) ? { invoice, line } : undefined;
    }
    return undefined;
  };

  router.add('GET', '/Item', (_req, _params, ctx) => {
    const refused = readable(ctx, 'items', 'Item');
    if (refused) return refused;
    const p = ctx.params;
    const { active, inactive } = activeFlags(p);
    const search = p.get('search')?.trim().toLowerCase();
    const rows = store.items.rows.filter(
      (item) =>
        (item._inactive ? inactive : active) &&
        (!search || String(item.name).toLowerCase().includes(search)) &&
        (!bool(p, 'recurringonly') || item.isrecurringitem === true) &&
        (!bool(p, 'excluderecurring') || item.isrecurringitem !== true),
    );
    return listAnswer(p, 'items', rows.map(itemWire), true);
  });
  router.add('GET', '/Item/:id', (_req, params, ctx) => {
    const refused = readable(ctx, 'items', 'Item');
    if (refused) return refused;
    const item = store.items.get(Number(params.id));
    return item ? jsonResponse(200, itemWire(item)) : deps.notFound(`Item ${params.id} not found.`);
  });

  router.add('GET', '/RecurringInvoice', (_req, _params, ctx) => {
    const refused = readable(ctx, 'invoices', 'RecurringInvoice');
    if (refused) return refused;
    const p = ctx.params;
    const clientId = int(p, 'client_id');
    const clientIds = p
      .get('client_ids')
      ?.split(',')
      .map((v) => Number(v.trim()))
      .filter((n) => n > 0);
    const contractId = int(p, 'contract_id');
    const search = p.get('search')?.trim().toLowerCase();
    const rows = store.recurringInvoices.rows.filter(
      (invoice) =>
        deps.visible(Number(invoice.client_id), ctx) &&
        (!clientId || invoice.client_id === clientId) &&
        (!clientIds?.length || clientIds.includes(Number(invoice.client_id))) &&
        (!contractId || invoice.contract_id === contractId) &&
        (!search ||
          String(invoice.reference).toLowerCase().includes(search) ||
          String(store.clients.get(Number(invoice.client_id))?.name ?? '')
            .toLowerCase()
            .includes(search)),
    );
    return listAnswer(
      p,
      'invoices',
      rows.map((invoice) => invoiceWire(store, invoice, bool(p, 'includelines') === true)),
      false,
    );
  });
  router.add('GET', '/RecurringInvoice/:id', (_req, params, ctx) => {
    const refused = readable(ctx, 'invoices', 'RecurringInvoice');
    if (refused) return refused;
    const invoice = invoiceOf(ctx, Number(params.id));
    return invoice ? jsonResponse(200, invoiceWire(store, invoice, true)) : deps.notFound(`Recurring Invoice ${params.id} not found.`);
  });

  /** Checks one bound line against the data; returns what to do, changing nothing yet. */
  const plan = (ctx: Ctx, b: BoundLine, into?: HaloRecord): (() => HaloRecord) => {
    const item = b.itemId ? store.items.get(b.itemId) : undefined;
    if (b.itemId && !item) throw new Refusal(`Item ${b.itemId} does not exist.`);
    if (item?._inactive) throw new Refusal(`Item '${String(item.name)}' is inactive and cannot be added to an invoice.`);
    if (b.id && b.id > 0) {
      const found = lineOf(ctx, b.id);
      if (!found) throw new Refusal(`Recurring invoice line ${b.id} does not exist.`);
      const ihid = into?.id ?? b.ihid;
      if (ihid && ihid !== found.invoice.id) throw new Refusal(`Line ${b.id} is not on recurring invoice ${ihid}.`);
      return () => {
        const line = found.line;
        if (item)
          Object.assign(line, {
            _itemid: item.id,
            item_code: item.internalreference,
            item_shortdescription: item.name,
            item_longdescription: item.description,
          });
        if (b.qty !== undefined) line.qty_order = b.qty;
        if (b.price !== undefined) line.unit_price = b.price;
        if (b.description !== undefined) line.item_shortdescription = b.description;
        if (b.inactive !== undefined) line.isinactive = b.inactive;
        return line;
      };
    }
    const invoice = into ?? invoiceOf(ctx, b.ihid);
    if (!invoice) throw new Refusal(b.ihid ? `Recurring Invoice ${b.ihid} does not exist.` : 'Please choose the recurring invoice for the line (ihid).');
    if (!item && !b.description?.trim()) throw new Refusal('Please choose an item or enter a description for the line.');
    return () => {
      const line = item
        ? newLine(store, invoice, item, b.qty ?? 1)
        : newLine(
            store,
            invoice,
            { id: 0, name: b.description, internalreference: '', description: '', nominalcode: '', taxcode: 1, baseprice: 0, costprice: 0 },
            b.qty ?? 1,
          );
      if (b.price !== undefined) line.unit_price = b.price;
      if (b.description !== undefined) line.item_shortdescription = b.description;
      return line;
    };
  };

  const writeLines = (req: EmuRequest, ctx: Ctx): EmuResponse => {
    const refused = writable(ctx);
    if (refused) return refused;
    const body = arrayBody(req, 'InvoiceDetail');
    if (!Array.isArray(body)) return body;
    if (!body.length) return text400('No invoice lines were supplied.');
    try {
      // Every line checked before any is written: one refusal changes nothing.
      const steps = body.map((item, i) => plan(ctx, bindLine(item, `[${i}]`)));
      return jsonResponse(
        200,
        steps.map((step) => lineWire(step())),
      );
    } catch (error) {
      return refusalOr(error);
    }
  };
  router.add('POST', '/RecurringInvoice/updatelines', (req, _params, ctx) => writeLines(req, ctx));
  router.add('POST', '/RecurringInvoice/Lines', (req, _params, ctx) => writeLines(req, ctx));

  router.add('POST', '/RecurringInvoice', (req, _params, ctx) => {
    const refused = writable(ctx);
    if (refused) return refused;
    const body = arrayBody(req, 'InvoiceHeader');
    if (!Array.isArray(body)) return body;
    if (!body.length) return text400('No recurring invoices were supplied.');
    try {
      const steps = body.map((header, i) => planHeader(ctx, header, `[${i}]`));
      const written = steps.map((step) => step());
      const wire = written.map((invoice) => invoiceWire(store, invoice, true));
      return jsonResponse(200, wire.length === 1 ? wire[0] : wire);
    } catch (error) {
      return refusalOr(error);
    }
  });

  const planHeader = (ctx: Ctx, header: unknown, at: string): (() => HaloRecord) => {
    if (typeof header !== 'object' || header === null || Array.isArray(header))
      throw new BindError({ [at]: [`Error converting value to type 'InvoiceHeader'. Path '${at}'.`] });
    const sent = new Map(Object.entries(header).map(([key, value]) => [key.toLowerCase(), value]));
    const id = toInt(sent.get('id'));
    if (!id) throw new Refusal('The emulator only updates recurring invoices: send the id of one.');
    const invoice = invoiceOf(ctx, id);
    if (!invoice) throw new Refusal(`Recurring Invoice ${id} does not exist.`);
    const list = (key: string) => {
      const value = sent.get(key);
      if (value === undefined || value === null) return undefined;
      if (!Array.isArray(value))
        throw new BindError({ [`${at}.${key}`]: [`Cannot deserialize the current JSON value into type 'List<InvoiceDetail>'. Path '${at}.${key}'.`] });
      return value.map((line, i) => bindLine(line, `${at}.${key}[${i}]`));
    };
    const lines = list('lines');
    const added = list('add_lines') ?? [];
    const disabled = sent.get('disabled');
    const steps = [...(lines ?? []), ...added].map((line) => plan(ctx, { ...line, id: added.includes(line) ? undefined : line.id }, invoice));
    return () => {
      const kept = new Set(lines?.flatMap((line) => (line.id ? [line.id] : [])));
      const done = steps.map((step) => step());
      // `lines` is the whole set: lines it leaves out go [INFER].
      if (lines) invoice._lines = (invoice._lines as HaloRecord[]).filter((line) => kept.has(line.id) || done.includes(line));
      if (typeof disabled === 'boolean') invoice.disabled = disabled;
      return invoice;
    };
  };
}
