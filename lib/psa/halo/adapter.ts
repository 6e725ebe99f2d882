import { z } from 'zod';
import { emptyWalkPage, walkCompanies } from '../company-walk';
import { PsaError } from '../errors';
import type {
  CanonicalByEntity,
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
import { HaloClient, type HaloClientOptions } from './client';
import { testHaloConnection } from './connect';
import { toAgreement, toCompany, toConfiguration, toContact, toSite } from './normalize';
import {
  haloAssetSchema,
  haloAssetTypeSchema,
  haloClientSchema,
  haloContractSchema,
  haloSiteSchema,
  haloTicketAssetSchema,
  haloTicketSchema,
  haloUserSchema,
  parseWrapper,
} from './schemas';
import { HaloTicketWriter } from './tickets';
import { HaloBillingWriter } from './billing';

/** The largest page Halo's clients use on these lists (docs/psa/halo.md#paging): fewer calls against 300 per 5 minutes. */
export const HALO_PAGE_SIZE = 1000;

interface HaloList {
  path: string;
  key: string;
  schema: z.ZodType<unknown>;
  params: Record<string, string | number | boolean>;
  byClient: boolean;
}

const BOTH = { includeactive: true, includeinactive: true };
const LISTS: Record<EntityKind, HaloList> = {
  company: { path: 'Client', key: 'clients', schema: haloClientSchema, params: BOTH, byClient: false },
  site: { path: 'Site', key: 'sites', schema: haloSiteSchema, params: { ...BOTH, includeaddress: true }, byClient: true },
  contact: { path: 'Users', key: 'users', schema: haloUserSchema, params: BOTH, byClient: true },
  configuration: { path: 'Asset', key: 'assets', schema: haloAssetSchema, params: { ...BOTH, includeassetfields: true }, byClient: true },
  agreement: { path: 'ClientContract', key: 'contracts', schema: haloContractSchema, params: { includeinactive: true, includeexpired: true }, byClient: true },
};

// `count`: the list's record_count when the pass began; a different count later means the pages shifted.
const tokenSchema = z.object({
  page: z.number().int().positive(),
  seen: z.number().int().nonnegative(),
  client: z.number().int().nonnegative().optional(),
  count: z.number().int().nonnegative().optional(),
});
type HaloToken = z.infer<typeof tokenSchema>;
const readToken = (token: string | null): HaloToken => (token ? tokenSchema.parse(JSON.parse(token)) : { page: 1, seen: 0 });

const FULL_PASS: EntityCapabilities = { incremental: false, idsOnly: false };

/** Full client records read per slice: short steps (a request each, paced at about one a second or slower). */
const CLIENT_RECORDS_PER_PAGE = 5;
const detailsTokenSchema = z.object({ index: z.number().int().nonnegative() });

export class HaloAdapter implements PsaAdapter {
  readonly kind = 'halo' as const;
  // Client, Site, Users and Asset list rows carry no timestamp (docs/psa/halo.md#filters-and-change-tracking): every sync is a full pass.
  readonly listPageSize = HALO_PAGE_SIZE;
  readonly capabilities: Record<EntityKind, EntityCapabilities> = {
    // The April 2025 client list has no website: matched clients' full records give it (docs/psa/halo.md#clients).
    company: { ...FULL_PASS, readsFullCompanies: true },
    contact: FULL_PASS,
    configuration: FULL_PASS,
    agreement: FULL_PASS,
    site: FULL_PASS,
  };
  private readonly client: HaloClient;
  private assetTypes?: Promise<Map<number, string>>;
  /** Creating tickets (docs/psa/halo.md#creating-tickets), over the same client: one token, one pace. */
  readonly tickets: HaloTicketWriter;
  /** Billing counts onto contracts' recurring invoices (docs/psa/halo.md#billing-counts), over the same client. */
  readonly billing: HaloBillingWriter;

  constructor(options: HaloClientOptions) {
    this.client = new HaloClient(options);
    this.tickets = new HaloTicketWriter(this.client);
    this.billing = new HaloBillingWriter(this.client);
  }

  testConnection(): Promise<ConnectionInfo> {
    return testHaloConnection(this.client);
  }

  async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    if (entity === 'company' && request.details) return (await this.clientRecords(request)) as PageResult<E>;
    const list = LISTS[entity];
    const token = readToken(request.pageToken);
    const clientIndex = token.client ?? 0;
    // Children are read per client (`client_id=`) while few clients are matched.
    const walk = walkCompanies(list.byClient ? request.companyRemoteIds : null, clientIndex);
    if (walk.nothingToRead) return emptyWalkPage();
    const perClient = walk.perCompany;
    const params: Record<string, string | number | boolean> = { ...list.params, pageinate: true, page_size: HALO_PAGE_SIZE, page_no: token.page };
    if (walk.companyId !== undefined) params.client_id = walk.companyId;

    const body = await this.client.get(list.path, params);
    const wrapper = parseWrapper(body, list.key);
    if (!wrapper) throw new PsaError('bad-response', `Halo sent an unexpected ${list.path} list (no record_count/${list.key}).`);
    const rows = wrapper.rows;
    const typeNames = entity === 'configuration' ? await this.assetTypeNames(rows) : new Map<number, string>();

    const parsed = parseEach(rows, list.schema);
    const records = parsed.rows.map((row) => this.toCanonical(entity, row, typeNames) as CanonicalByEntity[E]);
    const rejected = parsed.rejected;

    const seen = token.seen + rows.length;
    const morePages = rows.length > 0 && seen < wrapper.recordCount;
    const count = token.page === 1 ? wrapper.recordCount : token.count;
    const unstable = count !== undefined && count !== wrapper.recordCount;
    let next: HaloToken | null = morePages
      ? { page: token.page + 1, seen, ...(perClient ? { client: clientIndex } : {}), ...(count !== undefined ? { count } : {}) }
      : null;
    if (!next && walk.nextIndex !== undefined) next = { page: 1, seen: 0, client: walk.nextIndex };
    return {
      records,
      rejected,
      nextPageToken: next ? JSON.stringify(next) : null,
      ...(!request.pageToken && !perClient ? { total: wrapper.recordCount } : {}),
      ...(unstable ? { unstable } : {}),
    };
  }

  /**
   * `GET /api/Client/{id}` for a few of the requested clients per page (a request each, paced like
   * the lists). A client gone since the list was read (404) is passed over: the next list pass
   * archives it.
   */
  private async clientRecords(request: PageRequest): Promise<PageResult<'company'>> {
    const ids = request.companyRemoteIds ?? [];
    const start = request.pageToken ? detailsTokenSchema.parse(JSON.parse(request.pageToken)).index : 0;
    const batch = ids.slice(start, start + CLIENT_RECORDS_PER_PAGE);
    const records: CanonicalByEntity['company'][] = [];
    const rejected: RejectedRecord[] = [];
    for (const remoteId of batch) {
      let body: unknown;
      try {
        body = await this.client.get(`Client/${encodeURIComponent(remoteId)}`);
      } catch (error) {
        if (error instanceof PsaError && error.code === 'not-found') continue;
        throw error;
      }
      const parsed = haloClientSchema.safeParse(body);
      if (parsed.success) records.push(toCompany(parsed.data));
      else rejected.push({ remoteId, reason: `HaloPSA sent an unreadable client record (${parsed.error.issues[0]?.message ?? 'invalid'}).` });
    }
    const next = start + batch.length;
    return {
      records,
      rejected,
      nextPageToken: next < ids.length ? JSON.stringify({ index: next }) : null,
      ...(request.pageToken ? {} : { total: ids.length }),
      requests: batch.length,
    };
  }

  private toCanonical(entity: EntityKind, row: unknown, typeNames: Map<number, string>) {
    switch (entity) {
      case 'company':
        return toCompany(row as z.infer<typeof haloClientSchema>);
      case 'site':
        return toSite(row as z.infer<typeof haloSiteSchema>);
      case 'contact':
        return toContact(row as z.infer<typeof haloUserSchema>);
      case 'configuration':
        return toConfiguration(row as z.infer<typeof haloAssetSchema>, typeNames);
      case 'agreement':
        return toAgreement(row as z.infer<typeof haloContractSchema>);
    }
  }

  /** Asset type names, fetched once and only if some row lacks assettype_name. */
  private async assetTypeNames(rows: unknown[]): Promise<Map<number, string>> {
    const needed = rows.some((row) => {
      const asset = row as { assettype_id?: unknown; assettype_name?: unknown };
      return typeof asset.assettype_id === 'number' && !asset.assettype_name;
    });
    if (!needed) return new Map();
    this.assetTypes ??= this.client.get('AssetType').then((body) => {
      const parsed = z.array(haloAssetTypeSchema).safeParse(body);
      return new Map(parsed.success ? parsed.data.map((type) => [type.id, type.name]) : []);
    });
    return this.assetTypes;
  }

  async listConfigurationTypes(): Promise<string[]> {
    const body = await this.client.get('AssetType');
    const parsed = z.array(haloAssetTypeSchema).safeParse(body);
    if (!parsed.success) throw new PsaError('bad-response', 'HaloPSA sent an unreadable list of asset types.');
    return [...new Set(parsed.data.map((type) => type.name.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  }

  /**
   * `GET /api/Tickets/{id}` (docs/psa/halo.md#tickets): the client, the end user (`user_id`), the contract
   * (`contract_id`) and the linked assets (`assets`, spec `Faults.assets`). Only when the ticket
   * leaves `assets` out entirely are they asked for with `GET /api/Asset?ticket_id=` (docs/psa/halo.md#assets).
   */
  async getTicket(ticketId: string): Promise<TicketInfo> {
    if (!/^\d+$/.test(ticketId)) throw new PsaError('not-found', `"${ticketId}" is not a Halo ticket number.`);
    let body: unknown;
    try {
      body = await this.client.get(`Tickets/${ticketId}`);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found') throw new PsaError('not-found', `Ticket #${ticketId} was not found in HaloPSA.`);
      throw error;
    }
    const parsed = haloTicketSchema.safeParse(body);
    if (!parsed.success) throw new PsaError('bad-response', `HaloPSA sent an unreadable ticket #${ticketId}.`);
    const ticket = parsed.data;
    const positive = (value: number | null | undefined): value is number => typeof value === 'number' && value > 0;
    let assetIds = [...(ticket.assets ?? []).map((asset) => asset.id), ticket.asset_id].filter(positive);
    if (!ticket.assets && !assetIds.length) assetIds = await this.ticketAssets(ticketId);
    const configurationRemoteIds = [...new Set(assetIds.map(String))];
    return {
      ticketId: String(ticket.id),
      ...(ticket.summary ? { summary: ticket.summary } : {}),
      companyRemoteId: String(Math.trunc(ticket.client_id)),
      ...(ticket.client_name ? { companyName: ticket.client_name } : {}),
      ...(positive(ticket.user_id) ? { contactRemoteId: String(ticket.user_id) } : {}),
      ...(configurationRemoteIds.length ? { configurationRemoteIds } : {}),
      ...(positive(ticket.contract_id) ? { agreementRemoteId: String(ticket.contract_id) } : {}),
    };
  }

  /**
   * Asset ids from `GET /api/Asset?ticket_id=` (active and inactive). Any failure but an auth one
   * (e.g. 403 without `read:assets`) or an unexpected body means "none": the ticket still resolves.
   */
  private async ticketAssets(ticketId: string): Promise<number[]> {
    let body: unknown;
    try {
      body = await this.client.get('Asset', { ticket_id: Number(ticketId), ...BOTH });
    } catch (error) {
      if (error instanceof PsaError && error.code === 'auth') throw error;
      return [];
    }
    const rows = parseWrapper(body, 'assets')?.rows ?? (Array.isArray(body) ? body : []);
    return rows.flatMap((row) => {
      const id = haloTicketAssetSchema.parse(row).id;
      return typeof id === 'number' && id > 0 ? [id] : [];
    });
  }

  recordUrl(entity: EntityKind | 'ticket', remoteId: string): string | undefined {
    const base = this.client.settings.resourceOrigin;
    const id = encodeURIComponent(remoteId);
    switch (entity) {
      case 'ticket':
        return `${base}/tickets?id=${id}`;
      case 'company':
        return `${base}/customers?clientid=${id}`;
      case 'contact':
        return `${base}/customers?mainview=user&userid=${id}`;
      case 'site':
        return `${base}/customers?mainview=site&siteid=${id}`;
      case 'configuration':
        return `${base}/assets?id=${id}`;
      case 'agreement':
        return undefined;
    }
  }
}
