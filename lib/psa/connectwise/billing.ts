import type { AgreementLine, BillingProduct, BillingRequestPreview, BillingWriter, QuantityChange } from '../billing-writer';
import { PsaError } from '../errors';
import { cwAdditionSchema, cwAdditionsSchema, cwAgreementOwnerSchema, cwCatalogItemsSchema } from './billing-schemas';
import type { ConnectwiseClient, Describe } from './client';
import { CW_MAX_IN_LIST } from './paging';
import { cwValidationErrorSchema } from './ticket-schemas';

/**
 * Billing counts in ConnectWise (docs/psa/connectwise.md#billing-counts): a count is the quantity
 * of a catalog product's *addition* on the company's agreement. `PATCH
 * /finance/agreements/{id}/additions/{additionId}` replaces the quantity of the line there is;
 * `POST /finance/agreements/{id}/additions` adds the line when there is none. Neither is retried
 * here: a POST whose answer was lost may have added the line, and `lines()` (read again before
 * the next attempt) is what finds it.
 */

/** The security-role rights, as ConnectWise names them: Add for a new line, Edit to change one. */
export const CW_BILLING_RIGHT = 'Finance › Agreements (Add and Edit)';
export const CW_CATALOG_RIGHT = 'Procurement › Product Catalog (Inquire)';

const PAGE_SIZE = 1000;
/** 50,000 active catalog items; distributor-fed catalogs can be large, never this large. */
const MAX_PAGES = 50;

const isId = (value: string | undefined): value is string => !!value && /^\d{1,10}$/.test(value.trim()) && Number(value) > 0;
const additionsPath = (agreementId: string) => `finance/agreements/${Number(agreementId)}/additions`;

/** ConnectWise's own words from an error body: the `errors[]` messages, else `message`. */
function reasonOf(body: unknown): string | undefined {
  const parsed = cwValidationErrorSchema.safeParse(body);
  if (!parsed.success) return typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : undefined;
  const messages = parsed.data.errors.map((item) => item.message).filter((message): message is string => !!message);
  return messages.length ? messages.join(' ') : parsed.data.message || undefined;
}

/**
 * A refused write (4xx other than 401, 408, 429) as a 'config' error in ConnectWise's words, never
 * retried; a 403 also names the right to grant. 401, 408, 429 and 5xx keep the shared mapping.
 */
function refusal(what: string): Describe {
  return (status, body) => {
    if (status < 400 || status >= 500 || status === 401 || status === 408 || status === 429) return undefined;
    const reason = reasonOf(body) ?? 'no reason given';
    const grant = status === 403 ? ` In ConnectWise, System › Security Roles, grant the API member's role ${CW_BILLING_RIGHT}.` : '';
    return new PsaError('config', `ConnectWise refused ${what} (${status}): ${reason}${grant}`, { status });
  };
}

/** What setQuantity (and preview) refuse before any request. */
function changeProblems(change: QuantityChange): string[] {
  const problems: string[] = [];
  if (!isId(change.agreementRemoteId)) problems.push(`"${change.agreementRemoteId}" is not a ConnectWise agreement id.`);
  if (!isId(change.product.id)) problems.push(`"${change.product.id}" is not a ConnectWise product id.`);
  if (change.line && !isId(change.line.lineId)) problems.push(`"${change.line.lineId}" is not a ConnectWise agreement addition id.`);
  if (change.line && change.line.productId !== change.product.id) problems.push(`Addition ${change.line.lineId} is not a line of ${change.product.name}.`);
  if (!Number.isFinite(change.quantity) || change.quantity < 0) problems.push(`The quantity must be a number of 0 or more, not ${change.quantity}.`);
  return problems;
}

export class ConnectwiseBillingWriter implements BillingWriter {
  readonly target = 'additions of a ConnectWise agreement';
  private readonly client: ConnectwiseClient;

  constructor(client: ConnectwiseClient) {
    this.client = client;
  }

  /** Active catalog items, by name; a description shared by two items gets their identifiers added. */
  async products(): Promise<BillingProduct[]> {
    const rows: { id: number; identifier?: string | null; description?: string | null }[] = [];
    let after = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await this.readCatalog({
        conditions: `inactiveFlag=false AND id > ${after}`,
        fields: 'id,identifier,description,inactiveFlag',
        orderBy: 'id asc',
        pageSize: PAGE_SIZE,
      });
      const parsed = cwCatalogItemsSchema.safeParse(body);
      if (!parsed.success) throw new PsaError('bad-response', 'ConnectWise sent an unreadable product catalog.');
      rows.push(...parsed.data.filter((row) => row.inactiveFlag !== true));
      const last = parsed.data.at(-1);
      if (parsed.data.length < PAGE_SIZE || !last) break;
      after = last.id;
    }
    const nameOf = (row: (typeof rows)[number]) => row.description?.trim() || row.identifier?.trim() || `Product ${row.id}`;
    const taken = new Map<string, number>();
    for (const row of rows) taken.set(nameOf(row), (taken.get(nameOf(row)) ?? 0) + 1);
    return rows
      .map((row) => {
        const name = nameOf(row);
        const identifier = row.identifier?.trim();
        return { id: String(row.id), name: (taken.get(name) ?? 0) > 1 && identifier && identifier !== name ? `${name} (${identifier})` : name };
      })
      .sort((a, b) => a.name.localeCompare(b.name) || Number(a.id) - Number(b.id));
  }

  private async readCatalog(query: Record<string, string | number>): Promise<unknown> {
    try {
      return await this.client.get('procurement/catalog', query);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'permission')
        throw new PsaError('permission', `${error.message} Listing products needs ${CW_CATALOG_RIGHT} on the API member's security role.`, { status: 403 });
      throw error;
    }
  }

  /**
   * The agreement's running additions of these products (cancelled ones left out: they no longer
   * bill), after checking that the agreement is the company's and not cancelled, so a count never
   * lands on another company's agreement.
   */
  async lines(agreementRemoteId: string, companyRemoteId: string, productIds: string[]): Promise<AgreementLine[]> {
    if (!isId(agreementRemoteId)) throw new PsaError('config', `"${agreementRemoteId}" is not a ConnectWise agreement id.`);
    const badProduct = productIds.find((id) => !isId(id));
    if (badProduct !== undefined) throw new PsaError('config', `"${badProduct}" is not a ConnectWise product id.`);
    if (!productIds.length) return [];
    await this.checkAgreement(agreementRemoteId, companyRemoteId);

    const wanted = new Set(productIds.map((id) => Number(id)));
    // More ids than fit a URL: read every addition and keep the wanted ones here.
    const byProduct = wanted.size <= CW_MAX_IN_LIST ? `product/id in (${[...wanted].join(',')}) AND ` : '';
    const lines: AgreementLine[] = [];
    let after = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await this.client.get(additionsPath(agreementRemoteId), {
        conditions: `${byProduct}id > ${after}`,
        fields: 'id,product/id,quantity,cancelledDate',
        orderBy: 'id asc',
        pageSize: PAGE_SIZE,
      });
      const parsed = cwAdditionsSchema.safeParse(body);
      if (!parsed.success) throw new PsaError('bad-response', `ConnectWise sent an unreadable list of additions for agreement ${agreementRemoteId}.`);
      for (const row of parsed.data)
        if (wanted.has(row.product.id) && !isCancelled(row.cancelledDate))
          lines.push({ lineId: String(row.id), productId: String(row.product.id), quantity: row.quantity });
      const last = parsed.data.at(-1);
      if (parsed.data.length < PAGE_SIZE || !last) break;
      after = last.id;
    }
    return lines;
  }

  private async checkAgreement(agreementRemoteId: string, companyRemoteId: string): Promise<void> {
    let body: unknown;
    try {
      body = await this.client.get(`finance/agreements/${Number(agreementRemoteId)}`, { fields: 'id,company/id,cancelledFlag,agreementStatus' });
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found')
        throw new PsaError(
          'config',
          `ConnectWise has no agreement ${agreementRemoteId} (it was deleted or merged). Sync, then choose the company's current agreement.`,
          {
            status: 404,
          },
        );
      throw error;
    }
    const agreement = cwAgreementOwnerSchema.safeParse(body);
    if (!agreement.success) throw new PsaError('bad-response', `ConnectWise sent an unreadable agreement ${agreementRemoteId}.`);
    if (String(agreement.data.company.id) !== companyRemoteId.trim())
      throw new PsaError(
        'config',
        `Agreement ${agreementRemoteId} belongs to another ConnectWise company (id ${agreement.data.company.id}), not ${companyRemoteId}; nothing was written. Sync, then choose the company's agreement again.`,
      );
    if (agreement.data.cancelledFlag === true || agreement.data.agreementStatus === 'Cancelled')
      throw new PsaError('config', `Agreement ${agreementRemoteId} is cancelled in ConnectWise; Sidecar writes counts only to running agreements.`);
  }

  /** The PATCH of the line there is, or the POST of a new one; `setQuantity` sends exactly this. */
  preview(change: QuantityChange): BillingRequestPreview {
    const problems = changeProblems(change);
    if (problems.length) throw new PsaError('config', `The quantity was not sent: ${problems.join(' ')}`);
    if (change.line)
      return {
        method: 'PATCH',
        path: `${additionsPath(change.agreementRemoteId)}/${Number(change.line.lineId)}`,
        body: [{ op: 'replace', path: 'quantity', value: change.quantity }],
      };
    // billCustomer is required by the contract; Billable is what a recurring count is for.
    return {
      method: 'POST',
      path: additionsPath(change.agreementRemoteId),
      body: { product: { id: Number(change.product.id) }, quantity: change.quantity, billCustomer: 'Billable' },
    };
  }

  async setQuantity(change: QuantityChange): Promise<AgreementLine> {
    const request = this.preview(change);
    const agreement = change.agreementRemoteId;
    if (request.method === 'PATCH') {
      const lineId = change.line!.lineId;
      const answer = await this.client.patch(
        request.path,
        request.body as unknown[],
        refusal(`the quantity of ${change.product.name} on agreement ${agreement}`),
      );
      const parsed = cwAdditionSchema.safeParse(answer);
      if (!parsed.success) throw new PsaError('bad-response', `ConnectWise sent an unreadable answer to the change of addition ${lineId}.`);
      // The guide warns that a PATCH can answer 200 without applying the change.
      if (parsed.data.quantity !== change.quantity)
        throw new PsaError(
          'config',
          `ConnectWise answered the change of ${change.product.name} on agreement ${agreement}, but the quantity is ${parsed.data.quantity}, not ${change.quantity}.`,
        );
      return { lineId: String(parsed.data.id), productId: change.product.id, quantity: parsed.data.quantity };
    }
    const answer = await this.client.post(request.path, request.body, refusal(`a new ${change.product.name} line on agreement ${agreement}`));
    const parsed = cwAdditionSchema.safeParse(answer);
    if (parsed.success) return { lineId: String(parsed.data.id), productId: change.product.id, quantity: parsed.data.quantity };
    // 201 with an unreadable body: the line exists; the newest one of the product is it.
    const found = (await this.lines(agreement, change.companyRemoteId, [change.product.id])).at(-1);
    if (!found)
      throw new PsaError(
        'bad-response',
        `ConnectWise accepted the new ${change.product.name} line but sent no readable answer, and agreement ${agreement} has no such line.`,
      );
    return found;
  }
}

/** A cancellation date that has passed (one in the future still bills until then). */
function isCancelled(cancelledDate: string | null | undefined, now = Date.now()): boolean {
  if (!cancelledDate) return false;
  const at = Date.parse(cancelledDate);
  return !Number.isNaN(at) && at <= now;
}
