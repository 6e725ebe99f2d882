import { z } from 'zod';
import { BMS_PACED_LISTS, BMS_PAGE_SIZE } from './lists';
import { emptyWalkPage, walkCompanies } from '../company-walk';
import { PsaError } from '../errors';
import type {
  CanonicalByEntity,
  CanonicalSite,
  ConnectionInfo,
  EntityCapabilities,
  EntityKind,
  PageRequest,
  PageResult,
  PsaAdapter,
  RejectedRecord,
  TicketInfo,
} from '../types';
import { parseEach } from '../values';
import { BmsClient, type BmsClientOptions } from './client';
import { testBmsConnection } from './connect';
import { toAgreement, toCompany, toConfiguration, toContact, toSites } from './normalize';
import { bmsAccountLookupSchema, bmsAccountSchema, bmsAssetSchema, bmsContactSchema, bmsContractSchema, bmsTicketSchema } from './schemas';
import { BmsBillingWriter } from './billing';
import { BmsTicketWriter } from './tickets';

/** The page size BMS clients rely on; larger pages are undocumented (docs/psa/kaseya-bms.md#paging). */
export { BMS_PAGE_SIZE };

// `total`: the paged list's totalRecords when the pass began; a different total later means the pages shifted.
const tokenSchema = z.object({
  page: z.number().int().positive(),
  account: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
});
type BmsToken = z.infer<typeof tokenSchema>;
const readToken = (token: string | null): BmsToken => (token ? tokenSchema.parse(JSON.parse(token)) : { page: 1 });

const isoFilter = (iso: string) => new Date(iso).toISOString();

function parseRows<T>(rows: unknown, schema: z.ZodType<T>) {
  if (!Array.isArray(rows)) throw new PsaError('bad-response', 'BMS sent something other than a list.');
  return parseEach(rows as unknown[], schema);
}

export class BmsAdapter implements PsaAdapter {
  readonly kind = 'kaseya-bms' as const;
  readonly listPageSize = BMS_PAGE_SIZE;
  readonly capabilities: Record<EntityKind, EntityCapabilities> = {
    // Accounts and contacts filter on ModifiedOn; contracts, hardware assets and locations cannot (docs/psa/kaseya-bms.md#incremental-sync).
    company: { incremental: true, idsOnly: false },
    contact: { incremental: true, idsOnly: false },
    // A large tenant's asset list is hours of requests: read whole only as often as the share allows.
    configuration: { incremental: false, idsOnly: false, pacedWhole: BMS_PACED_LISTS.configuration },
    // The contract list filters by account name, not id: read whole (docs/psa/kaseya-bms.md).
    agreement: { incremental: false, idsOnly: false, wholeListOnly: true },
    site: { incremental: false, idsOnly: false },
  };
  private readonly client: BmsClient;
  private accountIdsByName?: Promise<Map<string, string[]>>;
  /** Creating tickets (#16) over the same client: sign-in, pacing and error mapping are shared. */
  readonly tickets: BmsTicketWriter;
  /** Billing counts onto contracts (#16), over the same client. */
  readonly billing: BmsBillingWriter;

  constructor(options: BmsClientOptions) {
    this.client = new BmsClient(options);
    this.tickets = new BmsTicketWriter(this.client);
    this.billing = new BmsBillingWriter(this.client);
  }

  testConnection(): Promise<ConnectionInfo> {
    return testBmsConnection(this.client);
  }

  async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    const token = readToken(request.pageToken);
    const accountIndex = token.account ?? 0;
    // Children are read per account while few accounts are matched; contracts cannot be filtered by account.
    const walk = walkCompanies(entity === 'company' ? null : request.companyRemoteIds, accountIndex, !this.capabilities[entity].wholeListOnly);
    if (walk.nothingToRead) return emptyWalkPage();
    const perAccount = walk.perCompany;
    const accountId = walk.companyId;
    const paging = { PageSize: BMS_PAGE_SIZE, PageNumber: token.page };

    let result: { records: unknown[]; rejected: RejectedRecord[]; count: number; total?: number };
    switch (entity) {
      case 'company':
      case 'site':
        result = await this.accountsPage(entity, request, paging, accountId);
        break;
      case 'contact': {
        const envelope = await this.client.get('v2/crm/contacts/summary', {
          ...paging,
          ...(request.since ? { 'Filter.ModifiedOnFrom': isoFilter(request.since) } : {}),
          ...(accountId !== undefined ? { 'Filter.AccountId': accountId } : {}),
        });
        const parsed = parseRows(envelope.result, bmsContactSchema);
        result = {
          records: parsed.rows.map(toContact),
          rejected: parsed.rejected,
          count: parsed.count,
          ...(envelope.totalRecords !== undefined ? { total: envelope.totalRecords } : {}),
        };
        break;
      }
      case 'configuration': {
        const envelope = await this.client.get('v2/servicedesk/hardwareasset/searchselect', {
          ...paging,
          ...(accountId !== undefined ? { 'Filter.AccountId': accountId } : {}),
        });
        const parsed = parseRows(envelope.result, bmsAssetSchema);
        result = { records: parsed.rows.map(toConfiguration), rejected: parsed.rejected, count: parsed.count };
        break;
      }
      case 'agreement':
        result = await this.contractsPage(paging);
        break;
    }

    const seen = (token.page - 1) * BMS_PAGE_SIZE + result.count;
    const more = result.count >= BMS_PAGE_SIZE && (result.total === undefined || seen < result.total);
    const total = token.page === 1 ? result.total : token.total;
    const unstable = total !== undefined && result.total !== undefined && total !== result.total;
    let next: BmsToken | null = more
      ? { page: token.page + 1, ...(perAccount ? { account: accountIndex } : {}), ...(total !== undefined ? { total } : {}) }
      : null;
    if (!next && walk.nextIndex !== undefined) next = { page: 1, account: walk.nextIndex };
    return {
      records: result.records as CanonicalByEntity[E][],
      rejected: result.rejected,
      nextPageToken: next ? JSON.stringify(next) : null,
      ...(!request.pageToken && !perAccount && result.total !== undefined && entity !== 'site' ? { total: result.total } : {}),
      ...(unstable ? { unstable } : {}),
    };
  }

  /** Accounts carry their locations, so sites come from the same pages (one account when scoped). */
  private async accountsPage(entity: 'company' | 'site', request: PageRequest, paging: Record<string, number>, accountId: number | undefined) {
    const envelope =
      accountId !== undefined
        ? await this.client.get(`v2/crm/accounts/summary/${accountId}`)
        : await this.client.get('v2/crm/accounts/summary', {
            ...paging,
            ...(entity === 'company' && request.since ? { 'Filter.ModifiedOnFrom': isoFilter(request.since) } : {}),
          });
    const rows = accountId !== undefined ? (envelope.result ? [envelope.result] : []) : envelope.result;
    const parsed = parseRows(rows, bmsAccountSchema);
    const records = entity === 'company' ? parsed.rows.map(toCompany) : parsed.rows.flatMap<CanonicalSite>(toSites);
    return {
      records,
      rejected: parsed.rejected,
      count: accountId !== undefined ? 0 : parsed.count,
      ...(envelope.totalRecords !== undefined ? { total: envelope.totalRecords } : {}),
    };
  }

  /** Contract rows name their account but carry no id (docs/psa/kaseya-bms.md#contracts): map names through the accounts lookup. */
  private async contractsPage(paging: Record<string, number>) {
    const envelope = await this.client.get('v2/finance/contracts/summary', paging);
    const parsed = parseRows(envelope.result, bmsContractSchema);
    const byName = parsed.rows.some((row) => !row.accountId) ? await this.accountsByName() : new Map<string, string[]>();
    const records: CanonicalByEntity['agreement'][] = [];
    const rejected = [...parsed.rejected];
    for (const contract of parsed.rows) {
      const ids = contract.accountId ? [String(contract.accountId)] : (byName.get((contract.accountName ?? '').trim().toLowerCase()) ?? []);
      if (ids.length === 1) records.push(toAgreement(contract, ids[0]!));
      else
        rejected.push({
          remoteId: String(contract.id),
          reason: ids.length
            ? `account name "${contract.accountName}" is shared by ${ids.length} accounts`
            : `no account named "${contract.accountName ?? ''}"`,
        });
    }
    return { records, rejected, count: parsed.count, ...(envelope.totalRecords !== undefined ? { total: envelope.totalRecords } : {}) };
  }

  private accountsByName(): Promise<Map<string, string[]>> {
    this.accountIdsByName ??= this.client
      .get('v2/crm/accounts/lookup', { 'Filter.WithInactiveAccounts': true, WithInactiveAccounts: true })
      .then((envelope) => {
        const map = new Map<string, string[]>();
        for (const account of parseRows(envelope.result, bmsAccountLookupSchema).rows) {
          const key = (account.name ?? '').trim().toLowerCase();
          map.set(key, [...(map.get(key) ?? []), String(account.id)]);
        }
        return map;
      })
      .catch((error: unknown) => {
        this.accountIdsByName = undefined;
        throw error;
      });
    return this.accountIdsByName;
  }

  async getTicket(ticketId: string): Promise<TicketInfo> {
    if (!/^\d+$/.test(ticketId)) throw new PsaError('not-found', `"${ticketId}" is not a BMS ticket id.`);
    let envelope;
    try {
      envelope = await this.client.get(`v2/servicedesk/tickets/${ticketId}`);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found') throw new PsaError('not-found', `Ticket ${ticketId} was not found in Kaseya BMS.`);
      throw error;
    }
    const parsed = bmsTicketSchema.safeParse(envelope.result);
    if (!parsed.success) {
      if (envelope.result === null || envelope.result === undefined) throw new PsaError('not-found', `Ticket ${ticketId} was not found in Kaseya BMS.`);
      throw new PsaError('bad-response', `Kaseya BMS sent an unreadable ticket ${ticketId}.`);
    }
    if (!parsed.data.accountId) throw new PsaError('not-found', `Ticket ${ticketId} has no account in Kaseya BMS.`);
    return {
      ticketId: String(parsed.data.id),
      ...(parsed.data.title ? { summary: parsed.data.title } : {}),
      companyRemoteId: String(parsed.data.accountId),
      ...(parsed.data.accountName ? { companyName: parsed.data.accountName } : {}),
      ...(parsed.data.contactId ? { contactRemoteId: String(parsed.data.contactId) } : {}),
      ...(parsed.data.hardwareAssetId ? { configurationRemoteIds: [String(parsed.data.hardwareAssetId)] } : {}),
      ...(parsed.data.contractId ? { agreementRemoteId: String(parsed.data.contractId) } : {}),
    };
  }

  recordUrl(entity: EntityKind | 'ticket', remoteId: string): string | undefined {
    // Only the ticket routes are confirmed (docs/psa/kaseya-bms.md#two-uis); other record pages are unknown.
    return entity === 'ticket' ? `${this.client.settings.uiOrigin}/react/servicedesk/tickets/${encodeURIComponent(remoteId)}` : undefined;
  }
}
