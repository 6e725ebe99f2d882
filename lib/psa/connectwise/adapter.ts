import { z } from 'zod';
import { PsaError } from '../errors';
import type { CanonicalByEntity, ConnectionInfo, EntityCapabilities, EntityKind, PageRequest, PageResult, PsaAdapter, TicketInfo } from '../types';
import { ConnectwiseBillingWriter } from './billing';
import { ConnectwiseClient, uiOrigin, type ConnectwiseClientOptions } from './client';
import { testConnectwiseConnection } from './connect';
import { toAgreement, toCompany, toConfiguration, toContact, toSite } from './normalize';
import { andAll, CW_MAX_IN_LIST, CW_PAGE_SIZE, cwDateTime, parseRows, readToken, writeToken } from './paging';
import {
  cwAgreementSchema,
  cwCompanySchema,
  cwConfigurationSchema,
  cwConfigurationTypeSchema,
  cwContactSchema,
  cwCountSchema,
  cwIdOnlySchema,
  cwSiteSchema,
  cwTicketConfigurationsSchema,
  cwTicketSchema,
} from './schemas';
import { ConnectwiseTicketWriter } from './tickets';

interface ListedEntity<E extends EntityKind> {
  path: string;
  fields: string;
  schema: z.ZodType<unknown>;
  toCanonical: (row: never) => CanonicalByEntity[E] | undefined;
  /** Children carry company/id; companies do not. */
  byCompany: boolean;
}

// `fields=` keeps pages small: a full ConnectWise record has over a hundred properties.
const LISTED: { [E in Exclude<EntityKind, 'site'>]: ListedEntity<E> } = {
  company: {
    path: 'company/companies',
    fields: 'id,identifier,name,status,addressLine1,addressLine2,city,state,zip,phoneNumber,website,deletedFlag,types,customFields,_info/lastUpdated',
    schema: cwCompanySchema,
    toCanonical: toCompany,
    byCompany: false,
  },
  contact: {
    path: 'company/contacts',
    fields: 'id,firstName,lastName,company,title,inactiveFlag,defaultPhoneNbr,communicationItems,customFields,_info/lastUpdated',
    schema: cwContactSchema,
    toCanonical: (row: z.infer<typeof cwContactSchema>) => toContact(row),
    byCompany: true,
  },
  configuration: {
    path: 'company/configurations',
    fields: [
      'id,name,type,status,company,contact,site,serialNumber,modelNumber,ipAddress,macAddress,osType,osInfo,activeFlag',
      // What a user may connect to a layout's custom fields (normalize.ts configurationPairs).
      'tagNumber,purchaseDate,installationDate,warrantyExpirationDate,vendorNotes,notes,lastLoginName,defaultGateway,cpuSpeed,ram',
      'localHardDrives,deviceIdentifier,managementLink,remoteLink,manufacturer/name,vendor/name,questions,customFields,_info/lastUpdated',
    ].join(','),
    schema: cwConfigurationSchema,
    toCanonical: toConfiguration,
    byCompany: true,
  },
  agreement: {
    path: 'finance/agreements',
    fields: 'id,name,type,company,startDate,endDate,cancelledFlag,agreementStatus,_info/lastUpdated',
    schema: cwAgreementSchema,
    toCanonical: toAgreement,
    byCompany: true,
  },
};

const RECORD_ROUTES: Partial<Record<EntityKind | 'ticket', string>> = {
  ticket: 'ServiceFV',
  company: 'CompanyFV',
  contact: 'ContactFV',
  configuration: 'ConfigFV',
  agreement: 'AgreementFV',
};

export class ConnectwiseAdapter implements PsaAdapter {
  readonly kind = 'connectwise' as const;
  readonly listPageSize = CW_PAGE_SIZE;
  readonly capabilities: Record<EntityKind, EntityCapabilities> = {
    company: { incremental: true, idsOnly: true },
    contact: { incremental: true, idsOnly: true },
    configuration: { incremental: true, idsOnly: true },
    agreement: { incremental: true, idsOnly: true },
    // Sites live under each company (one request per company): read whole when a reconcile is
    // due (manual syncs, daily) and for newly matched companies, not on every scheduled sync.
    site: { incremental: false, idsOnly: false, wholeOnReconcile: true },
  };
  private readonly client: ConnectwiseClient;
  /** Creating tickets (#16) over the same client: auth, pacing and error mapping are shared. */
  readonly tickets: ConnectwiseTicketWriter;
  /** Counts onto agreement additions (#16), over the same client. */
  readonly billing: ConnectwiseBillingWriter;
  /** Some servers reject datetime literals; then we fall back to whole days (docs/psa/connectwise.md#incremental-sync). */
  private dateOnlyConditions = false;

  constructor(options: ConnectwiseClientOptions) {
    this.client = new ConnectwiseClient(options);
    this.tickets = new ConnectwiseTicketWriter(this.client);
    this.billing = new ConnectwiseBillingWriter(this.client);
  }

  testConnection(): Promise<ConnectionInfo> {
    return testConnectwiseConnection(this.client);
  }

  async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    if (entity === 'site') return (await this.listSites(request)) as PageResult<E>;
    return this.listFlat(entity as Exclude<E, 'site'>, request) as Promise<PageResult<E>>;
  }

  private async listFlat<E extends Exclude<EntityKind, 'site'>>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    const spec = LISTED[entity] as ListedEntity<E>;
    const token = readToken(request.pageToken);
    const scope = spec.byCompany ? request.companyRemoteIds : null;
    if (scope && scope.length === 0) return { records: [], rejected: [], nextPageToken: null, total: 0 };
    const companyFilter = scope && scope.length <= CW_MAX_IN_LIST ? `company/id in (${scope.map((id) => Number(id)).join(',')})` : undefined;

    // Each paced like the list (the engine counts them for the run's time left).
    let requests = 0;
    const fetchPage = async (dateOnly: boolean) => {
      const since = request.since && !request.idsOnly ? `lastUpdated >= ${cwDateTime(request.since, dateOnly)}` : undefined;
      const passConditions = andAll(since, companyFilter);
      // A count for the progress bar of a whole pass; an incremental pass is short and skips it.
      const counted = !request.pageToken && !since;
      requests += counted ? 2 : 1;
      const total = counted ? await this.count(spec.path, passConditions) : undefined;
      const body = await this.client.get(spec.path, {
        conditions: andAll(passConditions, `id > ${token.after}`),
        orderBy: 'id asc',
        pageSize: CW_PAGE_SIZE,
        fields: request.idsOnly ? 'id' : spec.fields,
      });
      return { body, total };
    };

    let page: { body: unknown; total: number | undefined };
    try {
      page = await fetchPage(this.dateOnlyConditions);
    } catch (error) {
      const rejectedDatetime = error instanceof PsaError && error.status === 400 && request.since && !this.dateOnlyConditions;
      if (!rejectedDatetime) throw error;
      this.dateOnlyConditions = true;
      page = await fetchPage(true);
    }

    const parsed = this.parse(page.body, request.idsOnly ? cwIdOnlySchema : spec.schema, spec.path);
    const records = request.idsOnly
      ? (parsed.rows as { id: number }[]).map((row) => ({ remoteId: String(row.id) }) as CanonicalByEntity[E])
      : parsed.rows.map((row) => spec.toCanonical(row as never)).filter((record): record is CanonicalByEntity[E] => !!record);
    const nextPageToken = parsed.count >= CW_PAGE_SIZE && parsed.lastId !== undefined ? writeToken({ after: parsed.lastId }) : null;
    return {
      records,
      rejected: parsed.rejected,
      nextPageToken,
      ...(page.total !== undefined ? { total: page.total } : {}),
      ...(requests !== 1 ? { requests } : {}),
    };
  }

  /** Sites: /company/companies/{id}/sites for each company in scope, one company per token step. */
  private async listSites(request: PageRequest): Promise<PageResult<'site'>> {
    const companies = request.companyRemoteIds ?? [];
    const token = readToken(request.pageToken);
    const index = token.company ?? 0;
    const companyId = companies[index];
    if (companyId === undefined) return { records: [], rejected: [], nextPageToken: null, total: 0 };
    let body: unknown;
    try {
      body = await this.client.get(`company/companies/${Number(companyId)}/sites`, {
        conditions: `id > ${token.after}`,
        orderBy: 'id asc',
        pageSize: CW_PAGE_SIZE,
      });
    } catch (error) {
      // A company deleted since the plan was made has no sites to read.
      if (!(error instanceof PsaError && error.code === 'not-found')) throw error;
      body = [];
    }
    const parsed = this.parse(body, cwSiteSchema, 'sites');
    const records = parsed.rows.map((row) => toSite(row as z.infer<typeof cwSiteSchema>, companyId));
    const morePages = parsed.count >= CW_PAGE_SIZE && parsed.lastId !== undefined;
    const next = morePages
      ? writeToken({ after: parsed.lastId!, company: index })
      : index + 1 < companies.length
        ? writeToken({ after: 0, company: index + 1 })
        : null;
    return { records, rejected: parsed.rejected, nextPageToken: next };
  }

  private parse<T>(body: unknown, schema: z.ZodType<T>, what: string) {
    try {
      return parseRows(body, schema);
    } catch {
      throw new PsaError('bad-response', `ConnectWise sent something other than a list for ${what}.`);
    }
  }

  private async count(path: string, conditions: string): Promise<number | undefined> {
    const body = await this.client.get(`${path}/count`, conditions ? { conditions } : undefined);
    const parsed = cwCountSchema.safeParse(body);
    return parsed.success ? parsed.data.count : undefined;
  }

  /** Active configuration types, in pages of 1000 (there are rarely more than a few dozen). */
  async listConfigurationTypes(): Promise<string[]> {
    const names = new Set<string>();
    for (let page = 1; page <= 20; page += 1) {
      const body = await this.client.get('company/configurations/types', {
        conditions: 'inactiveFlag=false',
        fields: 'id,name',
        orderBy: 'id asc',
        pageSize: 1000,
        page,
      });
      const parsed = z.array(cwConfigurationTypeSchema).safeParse(body);
      if (!parsed.success) throw new PsaError('bad-response', 'ConnectWise sent an unreadable list of configuration types.');
      for (const type of parsed.data) if (type.name.trim()) names.add(type.name.trim());
      if (parsed.data.length < 1000) break;
    }
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /**
   * The ticket (service, else project: docs/psa/connectwise.md#tickets) with its company, contact and agreement, plus the
   * configurations attached to a service ticket (a second call, read in parallel; see
   * ticketConfigurations). Project tickets have no documented configurations list.
   */
  async getTicket(ticketId: string): Promise<TicketInfo> {
    if (!/^\d+$/.test(ticketId)) throw new PsaError('not-found', `"${ticketId}" is not a ConnectWise ticket number.`);
    const fields = { fields: 'id,summary,company,contact,agreement' };
    await this.client.resolveCodebase(); // once, before the two calls below run side by side
    const configurations = this.ticketConfigurations(ticketId);
    let body: unknown;
    let service = true;
    try {
      body = await this.client.get(`service/tickets/${ticketId}`, fields);
    } catch (error) {
      if (!(error instanceof PsaError && error.code === 'not-found')) throw error;
      // Project tickets share the ticket number space but 404 on /service (docs/psa/connectwise.md#tickets).
      service = false;
      try {
        body = await this.client.get(`project/tickets/${ticketId}`, fields);
      } catch (projectError) {
        if (projectError instanceof PsaError && projectError.code === 'not-found') {
          throw new PsaError('not-found', `Ticket #${ticketId} was not found in ConnectWise.`);
        }
        throw projectError;
      }
    }
    const parsed = cwTicketSchema.safeParse(body);
    if (!parsed.success) throw new PsaError('bad-response', `ConnectWise sent an unreadable ticket #${ticketId}.`);
    const ticket = parsed.data;
    const linked = service ? await configurations : { ids: [] };
    if ('error' in linked) throw linked.error;
    return {
      ticketId: String(ticket.id),
      summary: ticket.summary,
      companyRemoteId: String(ticket.company.id),
      companyName: ticket.company.name,
      ...(ticket.contact ? { contactRemoteId: String(ticket.contact.id) } : {}),
      ...(linked.ids.length ? { configurationRemoteIds: linked.ids } : {}),
      ...(ticket.agreement ? { agreementRemoteId: String(ticket.agreement.id) } : {}),
    };
  }

  /**
   * Ids of the configurations attached to a service ticket (`GET /service/tickets/{id}/configurations`,
   * docs/psa/connectwise.md#configurations). Never rejects: a refusal (403, e.g. no Configurations right), a 404 (a project ticket),
   * any other failure or an unreadable body mean "none", so the ticket still resolves. Only an
   * auth failure is handed back, to be thrown as the ticket call would.
   */
  private async ticketConfigurations(ticketId: string): Promise<{ ids: string[] } | { error: PsaError }> {
    let body: unknown;
    try {
      body = await this.client.get(`service/tickets/${ticketId}/configurations`, { pageSize: 1000 });
    } catch (error) {
      if (error instanceof PsaError && error.code === 'auth') return { error };
      return { ids: [] };
    }
    const rows = cwTicketConfigurationsSchema.parse(body);
    return { ids: [...new Set(rows.map((row) => String(row.id)))] };
  }

  recordUrl(entity: EntityKind | 'ticket', remoteId: string): string | undefined {
    const route = RECORD_ROUTES[entity];
    const codebase = this.client.settings.codebase;
    if (!route || !codebase) return undefined;
    return `${uiOrigin(this.client.settings)}/${codebase}ConnectWise.aspx?locale=en_US&routeTo=${route}&recid=${encodeURIComponent(remoteId)}`;
  }
}
