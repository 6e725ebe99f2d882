import { PsaError } from '../errors';
import type { AgreementLine, BillingProduct, BillingRequestPreview, BillingWriter, QuantityChange } from '../billing-writer';
import { parseEach } from '../values';
import { haloItemSchema, haloRecurringInvoiceSchema, writtenLines, type HaloInvoiceLine, type HaloRecurringInvoice } from './billing-schemas';
import type { HaloClient } from './client';
import { haloRefusal } from './refusal';
import { parseWrapper } from './schemas';

/**
 * Billing counts in HaloPSA (docs/psa/halo.md#billing-counts): a count is the quantity
 * (`qty_order`) of an item's line on the **recurring invoice of the contract** (`InvoiceHeader`
 * with `contract_id`): Halo's contracts themselves hold no item lines (`ContractHeader` has
 * charge rates, schedules and prepay, no items or quantities). An existing line changes with
 * `POST /api/RecurringInvoice/updatelines`, a new one is added with `POST /api/RecurringInvoice/Lines`,
 * each an array of one `InvoiceDetail`.
 */
export const HALO_BILLING_TARGET = 'recurring invoice lines of a HaloPSA contract';

/** Rows per page of the item and recurring-invoice lists; a page repeated or past this many stops the walk. */
const PAGE_SIZE = 100;
const MAX_PAGES = 50;

const MAX_INT32 = 2_147_483_647;
function haloId(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 && id <= MAX_INT32 ? id : undefined;
}

/** The one line body both writes send: an array of one `InvoiceDetail` (Halo's POSTs take arrays). */
interface LineBody {
  id?: number;
  ihid: number;
  _itemid?: number | null;
  item_shortdescription?: string;
  qty_order: number;
}

export class HaloBillingWriter implements BillingWriter {
  readonly target = HALO_BILLING_TARGET;
  /** From the last read: the recurring invoice each line is on (updatelines names it, `ihid`). */
  private readonly lineInvoice = new Map<string, number>();
  /** From the last read: per contract, the one recurring invoice a new line goes on. */
  private readonly newLineInvoice = new Map<string, number>();

  constructor(private readonly client: HaloClient) {}

  /** Active items (`GET /api/Item`), by name. */
  async products(): Promise<BillingProduct[]> {
    const rows = await this.readPages('Item', 'items', { includeactive: true, includeinactive: false }, 'items');
    return parseEach(rows, haloItemSchema)
      .rows.filter((item) => item.inactive !== true)
      .map((item) => ({ id: String(item.id), name: item.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async lines(agreementRemoteId: string, companyRemoteId: string, productIds: string[]): Promise<AgreementLine[]> {
    const contractId = haloId(agreementRemoteId);
    const clientId = haloId(companyRemoteId);
    if (contractId === undefined) throw new PsaError('config', `“${agreementRemoteId}” is not a HaloPSA contract id.`);
    if (clientId === undefined) throw new PsaError('config', `“${companyRemoteId}” is not a HaloPSA client id.`);
    const all = await this.contractInvoices(clientId, contractId);
    // A disabled recurring invoice makes no invoices: its lines bill nothing.
    const live = all.filter((invoice) => invoice.disabled !== true);
    if (!live.length) {
      throw new PsaError(
        'config',
        all.length
          ? `The recurring invoice of HaloPSA contract ${contractId} is disabled, so its quantities bill nothing. Enable it in HaloPSA (Billing › Recurring Invoices) first.`
          : `HaloPSA contract ${contractId} has no recurring invoice, so there is nowhere to put its quantities. In HaloPSA, add a recurring invoice for the contract (Billing › Recurring Invoices, with the contract chosen); Sidecar then keeps its lines' quantities.`,
      );
    }
    const wanted = new Set(productIds);
    const found: AgreementLine[] = [];
    for (const invoice of live) {
      for (const line of invoice.lines ?? []) {
        this.lineInvoice.set(String(line.id), invoice.id);
        if (line.itemId !== undefined && wanted.has(String(line.itemId)))
          found.push({ lineId: String(line.id), productId: String(line.itemId), quantity: line.quantity });
      }
    }
    const twice = productIds.find((id) => found.filter((line) => line.productId === id).length > 1);
    if (twice !== undefined) {
      throw new PsaError(
        'config',
        `HaloPSA item ${twice} is on more than one line of contract ${contractId}'s recurring invoices; Sidecar keeps one line per item, so it changes neither. Merge the lines in HaloPSA.`,
      );
    }
    const key = agreementRemoteId;
    if (live.length === 1) this.newLineInvoice.set(key, live[0]!.id);
    else {
      this.newLineInvoice.delete(key);
      // Which of them a new line belongs on (monthly or yearly, say) only the MSP knows.
      if (productIds.some((id) => !found.some((line) => line.productId === id))) {
        throw new PsaError(
          'config',
          `HaloPSA contract ${contractId} has ${live.length} recurring invoices (${live.map((invoice) => `#${invoice.id}`).join(', ')}), so Sidecar cannot tell which one a new line belongs on. Add the missing items' lines in HaloPSA (any quantity); Sidecar then keeps their quantities.`,
        );
      }
    }
    return found;
  }

  preview(change: QuantityChange): BillingRequestPreview {
    return { method: 'POST', ...this.request(change) };
  }

  private request(change: QuantityChange): { path: string; body: [LineBody] } {
    if (change.line) {
      const ihid = this.lineInvoice.get(change.line.lineId);
      if (ihid === undefined) throw this.notRead(change);
      return { path: 'RecurringInvoice/updatelines', body: [{ id: haloId(change.line.lineId) ?? 0, ihid, qty_order: change.quantity }] };
    }
    const ihid = this.newLineInvoice.get(change.agreementRemoteId);
    if (ihid === undefined) throw this.notRead(change);
    // Halo fills the line from the item (`_itemid`); the description is sent so the line is named even if it did not.
    return {
      path: 'RecurringInvoice/Lines',
      body: [{ ihid, _itemid: haloId(change.product.id) ?? null, item_shortdescription: change.product.name, qty_order: change.quantity }],
    };
  }

  private notRead(change: QuantityChange): PsaError {
    return new PsaError(
      'config',
      `Sidecar has not read the recurring invoice of HaloPSA contract ${change.agreementRemoteId} for ${change.product.name} yet; read the contract's lines again.`,
    );
  }

  async setQuantity(change: QuantityChange): Promise<AgreementLine> {
    const { product, quantity } = change;
    if (!Number.isFinite(quantity) || quantity < 0) throw new PsaError('config', `${quantity} is not a quantity HaloPSA can bill for ${product.name}.`);
    if (haloId(product.id) === undefined) throw new PsaError('config', `“${product.id}” is not a HaloPSA item id (${product.name}).`);
    // The request names the line's recurring invoice: read the contract when this writer has not.
    const known = change.line ? this.lineInvoice.has(change.line.lineId) : this.newLineInvoice.has(change.agreementRemoteId);
    if (!known) {
      await this.lines(change.agreementRemoteId, change.companyRemoteId, [product.id]);
      if (change.line && !this.lineInvoice.has(change.line.lineId)) {
        throw new PsaError(
          'config',
          `The ${product.name} line is no longer on HaloPSA contract ${change.agreementRemoteId}'s recurring invoice; read the contract again.`,
        );
      }
    }
    const { path, body } = this.request(change);
    const answer = await this.client.post(path, body, (status, data) => describeRefusal(status, data, path));
    const ihid = body[0].ihid;
    const shown = this.landed(writtenLines(answer), change, ihid);
    if (shown?.quantity === quantity) return this.remember(shown, ihid);
    // The answer did not show the line as asked: what the contract holds now is the truth.
    const again = (await this.lines(change.agreementRemoteId, change.companyRemoteId, [product.id])).find((line) => line.productId === product.id);
    if (again && again.quantity === quantity && (!change.line || again.lineId === change.line.lineId)) return again;
    if (again) {
      throw new PsaError(
        'config',
        `HaloPSA kept ${product.name} at ${again.quantity}, not ${quantity}: the line may work out its quantity itself (from assets, users or licences). Turn that off on the line in HaloPSA to let Sidecar set it.`,
      );
    }
    throw new PsaError(
      'bad-response',
      `HaloPSA accepted the ${product.name} quantity, but contract ${change.agreementRemoteId}'s recurring invoice shows no ${product.name} line: the change was not made.`,
    );
  }

  /** The line the write answered, when it shows it: the one updated, or the newest line of the item on that invoice. */
  private landed(lines: HaloInvoiceLine[], change: QuantityChange, ihid: number): AgreementLine | undefined {
    const matches = change.line
      ? lines.filter((line) => String(line.id) === change.line!.lineId)
      : lines.filter((line) => String(line.itemId) === change.product.id && (line.ihid === undefined || line.ihid === ihid)).sort((a, b) => b.id - a.id);
    const line = matches[0];
    return line ? { lineId: String(line.id), productId: change.product.id, quantity: line.quantity } : undefined;
  }

  private remember(line: AgreementLine, ihid: number): AgreementLine {
    this.lineInvoice.set(line.lineId, ihid);
    return line;
  }

  /**
   * The contract's recurring invoices with their lines: `GET /api/RecurringInvoice?client_id=&contract_id=&includelines=true`.
   * Halo ignores parameters it does not know, so the contract is checked here too; one listed
   * without its lines is read whole (`GET /api/RecurringInvoice/{id}`).
   */
  private async contractInvoices(clientId: number, contractId: number): Promise<HaloRecurringInvoice[]> {
    const rows = await this.readPages(
      'RecurringInvoice',
      'invoices',
      { client_id: clientId, contract_id: contractId, includelines: true },
      'recurring invoices',
    );
    const invoices = parseEach(rows, haloRecurringInvoiceSchema).rows.filter(
      (invoice) => invoice.contract_id === contractId && (invoice.client_id === undefined || invoice.client_id === clientId),
    );
    return Promise.all(invoices.map(async (invoice) => (invoice.lines ? invoice : { ...invoice, lines: await this.invoiceLines(invoice.id) })));
  }

  private async invoiceLines(id: number): Promise<HaloInvoiceLine[]> {
    const parsed = haloRecurringInvoiceSchema.safeParse(await this.client.get(`RecurringInvoice/${id}`, { includedetails: true }));
    if (!parsed.success) throw new PsaError('bad-response', `HaloPSA sent an unreadable recurring invoice #${id}.`);
    return parsed.data.lines ?? [];
  }

  /** Every row of a list, page by page; a bare array is the whole list (Halo answers some lists without paging). */
  private async readPages(path: string, key: string, params: Record<string, string | number | boolean>, what: string): Promise<unknown[]> {
    const rows: unknown[] = [];
    const seen = new Set<unknown>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const body = await this.client.get(path, { ...params, pageinate: true, page_size: PAGE_SIZE, page_no: page });
      if (Array.isArray(body)) return body;
      const wrapper = parseWrapper(body, key);
      if (!wrapper) throw new PsaError('bad-response', `HaloPSA sent an unreadable list of ${what} (GET /api/${path}).`);
      // An empty page, or the same rows again (a Halo that ignores page_no), ends the list.
      const fresh = wrapper.rows.filter((row) => !seen.has((row as { id?: unknown } | null)?.id));
      if (!fresh.length) break;
      for (const row of fresh) {
        seen.add((row as { id?: unknown } | null)?.id);
        rows.push(row);
      }
      if (rows.length >= wrapper.recordCount) break;
    }
    return rows;
  }
}

/** What a refused line write means: Halo's own words; on 403 the right to give. Every refusal is final (`config`). */
function describeRefusal(status: number, data: unknown, path: string): PsaError | undefined {
  if (status === 401 || status === 429 || status < 400 || status >= 500) return undefined;
  const { text } = haloRefusal(data);
  if (status === 403) {
    return new PsaError(
      'config',
      `HaloPSA refused to change the recurring invoice (403)${text ? `: ${text}` : ''}. Give the API application the edit:invoices permission (Configuration › Integrations › Halo API › Applications › Permissions) and check that the agent it logs in as may edit recurring invoices.`,
      { status },
    );
  }
  if (text) return new PsaError('config', `HaloPSA refused the quantity: ${text}`, { status });
  return new PsaError('config', `HaloPSA refused the quantity (HTTP ${status} to POST /api/${path}) without saying why.`, { status });
}
