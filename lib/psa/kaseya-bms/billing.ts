import type { AgreementLine, BillingProduct, BillingRequestPreview, BillingWriter, QuantityChange } from '../billing-writer';
import { PsaError } from '../errors';
import { BmsBillingReads } from './billing-read';
import { bmsWrittenLineSchema, type BmsContractServiceRow } from './billing-schemas';
import type { BmsClient } from './client';
import { refusedBillingWrite } from './billing-refusal';

/**
 * Billing counts onto Kaseya BMS contracts (docs/psa/kaseya-bms.md#billing-counts): a count is
 * the units of a catalog service (Admin › Finance › Services) on the company's recurring
 * services contract.
 *
 * - A service not on the contract yet is added with the spec's only contract-service write,
 *   `POST /v2/finance/contracts/recurringservices/{contractId}/services` (an array), at the
 *   catalog's name and prices, effective today.
 * - A service already there gets its units replaced with `PATCH …/services/{contractServiceId}`
 *   and a JSON Patch. That call is not in Kaseya's published API (a guess in BMS's own PATCH
 *   style); a server without it refuses, and Sidecar says what to change by hand. Adding the
 *   service again instead could leave the contract billing it twice.
 * - BMS's API tells which contracts carry a service (with the line ids) but not the units, so
 *   `lines()` returns only lines whose units a server sends; the lines it saw are kept so
 *   previews name them, and the quantity Sidecar last wrote is the caller's to keep.
 */

export const BMS_BILLING_TARGET = 'recurring services of a Kaseya BMS contract';
const CONTRACT_SERVICES = (contractId: string) => `v2/finance/contracts/recurringservices/${contractId}/services`;
const MAX_INT32 = 2_147_483_647;
const isId = (value: string) => /^\d{1,10}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_INT32;

/** The contract's lines of one service as last read: none, one, or several (nothing stops adding a service twice). */
type Seen = BmsContractServiceRow[];

export class BmsBillingWriter implements BillingWriter {
  readonly target = BMS_BILLING_TARGET;
  private readonly reads: BmsBillingReads;
  /** `${contractId}:${serviceId}` → the contract's lines of the service as last read, so previews name them. */
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: BmsClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.reads = new BmsBillingReads(client, () => this.now().getTime());
  }

  async products(): Promise<BillingProduct[]> {
    const rows = await this.reads.services();
    return rows.map((row) => ({ id: String(row.id), name: row.name!.trim() })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async lines(agreementRemoteId: string, companyRemoteId: string, productIds: string[]): Promise<AgreementLine[]> {
    const contractId = checkedId(agreementRemoteId, 'contract');
    const accountId = checkedId(companyRemoteId, 'account');
    await this.reads.checkContract(contractId, accountId);
    const lines: AgreementLine[] = [];
    for (const productId of productIds) {
      const serviceId = checkedId(productId, 'service');
      const own = ownLines(await this.reads.contractLines(serviceId), contractId, accountId);
      this.seen.set(`${contractId}:${serviceId}`, own);
      // Adding needs the catalog's name and prices: read now, so the preview is the request.
      if (!own.length) await this.reads.service(serviceId);
      for (const row of own) {
        if (typeof row.units === 'number') lines.push({ lineId: String(row.id), productId, quantity: row.units });
      }
    }
    return lines;
  }

  preview(change: QuantityChange): BillingRequestPreview {
    const lineId = change.line?.lineId ?? this.seen.get(`${change.agreementRemoteId}:${change.product.id}`)?.[0]?.id;
    return this.request(change, lineId === undefined ? undefined : String(lineId));
  }

  /** The one request for the change: replace the units of `lineId`, or add the service when there is none. */
  private request(change: QuantityChange, lineId: string | undefined): BillingRequestPreview {
    const path = CONTRACT_SERVICES(change.agreementRemoteId);
    if (lineId !== undefined) return { method: 'PATCH', path: `${path}/${lineId}`, body: [{ op: 'replace', path: '/units', value: change.quantity }] };
    const catalog = isId(change.product.id) ? this.reads.known(Number(change.product.id)) : undefined;
    const service = {
      serviceId: isId(change.product.id) ? Number(change.product.id) : change.product.id,
      serviceName: catalog?.name ?? change.product.name,
      serviceDescription: catalog?.description ?? null,
      units: change.quantity,
      // Left out, BMS would bind both to 0: a line billed at no price.
      ...(catalog ? { unitCost: catalog.unitCost ?? 0, unitPrice: catalog.unitPrice ?? 0 } : {}),
      effectiveDate: `${localDay(this.now())}T00:00:00`,
    };
    return { method: 'POST', path, body: [service] };
  }

  /**
   * Reads the contract's lines of the service again and writes to what BMS holds now: the
   * preview's request when nothing changed since; an update (never a second line) when the
   * service was added meanwhile.
   */
  async setQuantity(change: QuantityChange): Promise<AgreementLine> {
    const contractId = checkedId(change.agreementRemoteId, 'contract');
    const accountId = checkedId(change.companyRemoteId, 'account');
    const serviceId = checkedId(change.product.id, 'service');
    if (!Number.isInteger(change.quantity) || change.quantity < 0 || change.quantity > MAX_INT32) {
      throw new PsaError('config', `${change.quantity} is not a quantity Kaseya BMS can bill (whole units, 0 or more).`);
    }
    await this.reads.checkContract(contractId, accountId);
    const own = ownLines(await this.reads.contractLines(serviceId, true), contractId, accountId);
    this.seen.set(`${contractId}:${serviceId}`, own);
    const target = this.lineToChange(change, own);
    if (target === undefined) await this.reads.service(serviceId);
    const request = this.request(change, target);

    let envelope;
    try {
      envelope =
        request.method === 'PATCH'
          ? await this.client.patch(request.path, request.body as unknown[], refusedBillingWrite(change, 'update'))
          : await this.client.post(request.path, request.body, refusedBillingWrite(change, 'add'));
    } finally {
      // Whatever the answer, the write may have landed: the next read asks BMS again.
      this.reads.forget(serviceId);
    }
    const answered = Array.isArray(envelope.result) ? envelope.result.find((row) => (row as { serviceId?: unknown }).serviceId === serviceId) : envelope.result;
    const written = bmsWrittenLineSchema.safeParse(answered);
    if (target === undefined && !written.success) {
      // 'bad-response' may be retried: the retry then finds the line this add made and updates it.
      throw new PsaError('bad-response', `Kaseya BMS answered the new ${change.product.name} line without its id.`);
    }
    const lineId = target ?? String(written.data!.id);
    const quantity = written.success && typeof written.data.units === 'number' ? written.data.units : change.quantity;
    this.seen.set(`${contractId}:${serviceId}`, [{ id: Number(lineId), serviceId, contractId, accountId, units: quantity }]);
    return { lineId, productId: change.product.id, quantity };
  }

  /** The line to change (undefined: add one), from the lines BMS holds now. */
  private lineToChange(change: QuantityChange, own: Seen): string | undefined {
    const wanted = change.line?.lineId;
    if (wanted !== undefined) {
      if (own.some((row) => String(row.id) === wanted)) return wanted;
      throw new PsaError(
        'config',
        `${change.product.name} (line ${wanted}) is no longer on contract ${change.agreementRemoteId} in Kaseya BMS. Preview again.`,
      );
    }
    if (own.length > 1) throw twoLines(change, own);
    return own[0] === undefined ? undefined : String(own[0].id);
  }
}

/** The contract's rows; a row naming another account means the contract is not the company's after all. */
function ownLines(rows: Seen, contractId: number, accountId: number): Seen {
  const own = rows.filter((row) => row.contractId === contractId);
  if (own.some((row) => typeof row.accountId === 'number' && row.accountId !== accountId)) {
    throw new PsaError('config', `Contract ${contractId} belongs to another account than ${accountId} in Kaseya BMS: choose the company's contract again.`);
  }
  return own;
}

function checkedId(value: string, what: 'contract' | 'account' | 'service'): number {
  if (!isId(value)) throw new PsaError('config', `"${value}" is not a Kaseya BMS ${what} id.`);
  return Number(value);
}

/** The calendar day where Sidecar runs: the day the technician means by "from today". */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function twoLines(change: QuantityChange, rows: Seen): PsaError {
  return new PsaError(
    'config',
    `Contract ${change.agreementRemoteId} has ${change.product.name} ${rows.length} times in Kaseya BMS (lines ${rows.map((row) => row.id).join(', ')}); Sidecar cannot tell which to change. Keep one line in BMS, then run again.`,
  );
}
