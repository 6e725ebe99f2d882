import type { z } from 'zod';
import { PsaError } from '../errors';
import { parseEach } from '../values';
import type { BmsClient } from './client';
import { bmsContractLookupSchema, bmsContractServiceSchema, bmsServiceSchema, type BmsContractServiceRow, type BmsServiceRow } from './billing-schemas';
import type { Envelope } from './wire';

/**
 * The reads behind billing counts (docs/psa/kaseya-bms.md#billing-counts): the service catalog,
 * which contracts carry a service, and whether a contract is the account's. Catalog rows are
 * kept for the adapter's life (a new line takes its name and prices from them); the contract
 * lines of a service for a couple of minutes, so planning many companies reads each service's
 * list once instead of once per company.
 */

const PAGE_SIZE = 100;
/** Enough for 20,000 rows; a server that keeps answering full pages past that is not believed. */
const MAX_PAGES = 200;
const LINES_TTL_MS = 2 * 60_000;

async function readPages<T>(what: string, page: (number: number) => Promise<Envelope>, schema: z.ZodType<T>, strict: boolean): Promise<T[]> {
  const all: T[] = [];
  for (let number = 1; number <= MAX_PAGES; number++) {
    const envelope = await page(number);
    if (!Array.isArray(envelope.result)) throw new PsaError('bad-response', `Kaseya BMS sent something other than a list of ${what}.`);
    const parsed = parseEach(envelope.result as unknown[], schema);
    // A contract line that cannot be read could be the one Sidecar is about to add again: fail instead.
    if (strict && parsed.rejected.length) throw new PsaError('bad-response', `Kaseya BMS sent ${what} Sidecar cannot read (${parsed.rejected[0]!.reason}).`);
    all.push(...parsed.rows);
    const seen = (number - 1) * PAGE_SIZE + parsed.count;
    if (parsed.count < PAGE_SIZE || (envelope.totalRecords !== undefined && seen >= envelope.totalRecords)) return all;
  }
  throw new PsaError('bad-response', `Kaseya BMS kept sending pages of ${what}; Sidecar stopped after ${MAX_PAGES}.`);
}

export class BmsBillingReads {
  private readonly catalog = new Map<number, BmsServiceRow>();
  private readonly lines = new Map<number, { at: number; rows: BmsContractServiceRow[] }>();

  constructor(
    private readonly client: BmsClient,
    private readonly now: () => number,
  ) {}

  /** Active catalog services: `POST /v2/admin/finance/services/search` (it has `isActive` and the prices; the lookup has neither). */
  async services(): Promise<BmsServiceRow[]> {
    const rows = await readPages(
      'services',
      (pageNumber) => this.client.post('v2/admin/finance/services/search', { pageSize: PAGE_SIZE, pageNumber, filter: { isActive: 1 } }),
      bmsServiceSchema,
      false,
    );
    for (const row of rows) this.catalog.set(row.id, row);
    return rows.filter((row) => row.isActive !== false && (row.name ?? '').trim() !== '');
  }

  /** A catalog service as last read, without asking BMS (for previews). */
  known(serviceId: number): BmsServiceRow | undefined {
    return this.catalog.get(serviceId);
  }

  /** A catalog service: as read before, else `GET /v2/admin/finance/services/{serviceId}`. */
  async service(serviceId: number): Promise<BmsServiceRow> {
    const cached = this.catalog.get(serviceId);
    if (cached) return cached;
    let envelope: Envelope;
    try {
      envelope = await this.client.get(`v2/admin/finance/services/${serviceId}`);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found') throw noService(serviceId);
      throw error;
    }
    if (envelope.result === null || envelope.result === undefined) throw noService(serviceId);
    const parsed = bmsServiceSchema.safeParse(envelope.result);
    if (!parsed.success) throw new PsaError('bad-response', `Kaseya BMS sent an unreadable service ${serviceId}.`);
    this.catalog.set(serviceId, parsed.data);
    return parsed.data;
  }

  /**
   * Every contract line of a service: `POST /v2/admin/finance/services/{serviceId}/relatedservices/search`,
   * all pages (its filters take names, not ids: the rows are matched by `contractId` here).
   */
  async contractLines(serviceId: number, fresh = false): Promise<BmsContractServiceRow[]> {
    const cached = this.lines.get(serviceId);
    if (!fresh && cached && this.now() - cached.at < LINES_TTL_MS) return cached.rows;
    const path = `v2/admin/finance/services/${serviceId}/relatedservices/search`;
    let rows: BmsContractServiceRow[];
    try {
      rows = await readPages('contract services', (pageNumber) => this.client.post(path, { pageSize: PAGE_SIZE, pageNumber }), bmsContractServiceSchema, true);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found') throw noService(serviceId);
      throw error;
    }
    this.lines.set(serviceId, { at: this.now(), rows });
    return rows;
  }

  /** After a write: the next read of the service's lines asks BMS again. */
  forget(serviceId: number): void {
    this.lines.delete(serviceId);
  }

  /** The contract exists and is the account's: `GET /v2/finance/contracts/lookup?Ids=…&AccountId=…`, checked again here. */
  async checkContract(contractId: number, accountId: number): Promise<void> {
    const envelope = await this.client.get('v2/finance/contracts/lookup', { Ids: contractId, AccountId: accountId });
    if (!Array.isArray(envelope.result)) throw new PsaError('bad-response', 'Kaseya BMS sent something other than a list of contracts.');
    const rows = parseEach(envelope.result as unknown[], bmsContractLookupSchema).rows;
    if (!rows.some((row) => row.id === contractId)) {
      throw new PsaError('config', `Kaseya BMS has no contract ${contractId} for account ${accountId} (any more): choose the company's contract again.`);
    }
  }
}

function noService(serviceId: number): PsaError {
  return new PsaError('config', `Kaseya BMS has no service ${serviceId} (any more): map the count to another service (Admin › Finance › Services).`);
}
