import { Router } from '../framework/router.ts';
import type { RouteParams } from '../framework/router.ts';
import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import { authenticate, authorize } from './auth.ts';
import type { CwCredentialSets, CwModuleName } from './auth.ts';
import { CW_API_VERSION, cwError, cwJson } from './errors.ts';
import { ciParams, handleCount, handleList, handleOne, ResultCache } from './list.ts';
import type { ListRequest, ListSource } from './list.ts';
import { Serializer } from './serialize.ts';
import type { WireEntity } from './serialize.ts';
import type { CwRecord, CwStore, Table } from './store.ts';
import { addBillingWrites } from './billing-writes.ts';
import { addTicketWrites } from './ticket-create.ts';

/** The ConnectWise Manage REST API: `/{codebase}apis/3.0/...` plus `/login/companyinfo/{company}`. */

export const CODEBASES = ['v4_6_release', 'v2025_1'] as const;
const API_RE = new RegExp(`^/(${CODEBASES.join('|')})/apis/3\\.0(/.*)?$`, 'i');

export interface ApiOptions {
  store: CwStore;
  credentials: CwCredentialSets;
  /** The emulated login company name (companyinfo). */
  companyName: string;
  /** Field reports disagree on whether /system/info needs auth (docs/psa/connectwise.md#connection-test); default true. */
  systemInfoRequiresAuth?: boolean;
  /** API members whose keys were revoked (deleted in ConnectWise): their requests answer 401. */
  revoked?: ReadonlySet<keyof CwCredentialSets>;
  /** `_info` instants of records the API creates (the emulator clock); default: real time. */
  stamp?: () => string;
}

interface Ctx extends EmuContext {
  /** `{public base}/{codebase}/apis/3.0` as requested, for hrefs and Link headers. */
  api: string;
  member: keyof CwCredentialSets;
}

interface Resource {
  path: string;
  schema: string;
  wire: WireEntity;
  label: string;
  module: CwModuleName | null;
  /** null → the parent record does not exist. */
  table(params: RouteParams): Table | readonly CwRecord[] | null;
  parentLabel?: string;
}

export function isApiPath(pathname: string): boolean {
  return API_RE.test(pathname) || /^\/login\/companyinfo\//i.test(pathname);
}

export function createApi(opts: ApiOptions): { handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null; cache: ResultCache } {
  const { store } = opts;
  const serializer = new Serializer(store);
  const cache = new ResultCache();
  const router = new Router<Ctx>();

  const t = (table: Table) => () => table;
  const resources: Resource[] = [
    {
      path: '/company/companies/types',
      schema: 'CompanyType',
      wire: 'companyType',
      label: 'CompanyType',
      module: 'Company Maintenance',
      table: t(store.companyTypes),
    },
    {
      path: '/company/companies/statuses',
      schema: 'CompanyStatus',
      wire: 'companyStatus',
      label: 'CompanyStatus',
      module: 'Company Maintenance',
      table: t(store.companyStatuses),
    },
    {
      path: '/company/companies/:parentId/sites',
      schema: 'CompanySite',
      wire: 'site',
      label: 'Site',
      module: 'Company Maintenance',
      parentLabel: 'Company',
      table: (p) => (store.companies.get(Number(p.parentId)) ? store.sites.children(Number(p.parentId)) : null),
    },
    { path: '/company/companies', schema: 'Company', wire: 'company', label: 'Company', module: 'Company Maintenance', table: t(store.companies) },
    { path: '/company/contacts/types', schema: 'ContactType', wire: 'contactType', label: 'ContactType', module: 'Contacts', table: t(store.contactTypes) },
    { path: '/company/contacts', schema: 'Contact', wire: 'contact', label: 'Contact', module: 'Contacts', table: t(store.contacts) },
    {
      path: '/company/configurations/types',
      schema: 'ConfigurationType',
      wire: 'configurationType',
      label: 'ConfigurationType',
      module: 'Configurations',
      table: t(store.configurationTypes),
    },
    {
      path: '/company/configurations/statuses',
      schema: 'ConfigurationStatus',
      wire: 'configurationStatus',
      label: 'ConfigurationStatus',
      module: 'Configurations',
      table: t(store.configurationStatuses),
    },
    {
      path: '/company/configurations',
      schema: 'Company.Configuration',
      wire: 'configuration',
      label: 'Configuration',
      module: 'Configurations',
      table: t(store.configurations),
    },
    {
      path: '/finance/agreements/types',
      schema: 'AgreementType',
      wire: 'agreementType',
      label: 'AgreementType',
      module: 'Agreements',
      table: t(store.agreementTypes),
    },
    { path: '/finance/agreements', schema: 'Agreement', wire: 'agreement', label: 'Agreement', module: 'Agreements', table: t(store.agreements) },
    // Billing counts (docs/psa/connectwise.md#billing-counts): an agreement's additions, the product catalog.
    {
      path: '/finance/agreements/:parentId/additions',
      schema: 'Addition',
      wire: 'addition',
      label: 'Addition',
      module: 'Agreements',
      parentLabel: 'Agreement',
      table: (p) => (store.agreements.get(Number(p.parentId)) ? store.additions.children(Number(p.parentId)) : null),
    },
    {
      path: '/procurement/catalog',
      schema: 'CatalogItem',
      wire: 'catalogItem',
      label: 'CatalogItem',
      module: 'Product Catalog',
      table: t(store.catalogItems),
    },
    { path: '/service/tickets', schema: 'Ticket', wire: 'ticket', label: 'Ticket', module: 'Service Tickets', table: t(store.tickets) },
    // Service setup the new-ticket form reads (docs/psa/connectwise.md#creating-tickets).
    {
      path: '/service/boards/:parentId/statuses',
      schema: 'BoardStatus',
      wire: 'boardStatus',
      label: 'BoardStatus',
      module: null,
      parentLabel: 'Board',
      table: (p) => (store.boards.get(Number(p.parentId)) ? store.boardStatuses.children(Number(p.parentId)) : null),
    },
    {
      path: '/service/boards/:parentId/types',
      schema: 'BoardType',
      wire: 'boardType',
      label: 'BoardType',
      module: null,
      parentLabel: 'Board',
      table: (p) => (store.boards.get(Number(p.parentId)) ? store.boardTypes.children(Number(p.parentId)) : null),
    },
    { path: '/service/boards', schema: 'Board', wire: 'board', label: 'Board', module: null, table: t(store.boards) },
    { path: '/service/priorities', schema: 'Priority', wire: 'priority', label: 'Priority', module: null, table: t(store.priorities) },
    { path: '/service/sources', schema: 'Source', wire: 'source', label: 'Source', module: null, table: t(store.sources) },
    { path: '/system/members', schema: 'Member', wire: 'member', label: 'Member', module: null, table: t(store.members) },
    { path: '/project/tickets', schema: 'ProjectTicket', wire: 'projectTicket', label: 'Ticket', module: 'Project Tickets', table: t(store.projectTickets) },
  ];

  for (const res of resources) {
    const source = (params: RouteParams, ctx: Ctx): ListSource | null => {
      const tb = res.table(params);
      if (!tb) return null;
      return {
        schema: res.schema,
        rows: Array.isArray(tb) ? tb : (tb as Table).rows,
        cacheKey: `${res.path}|${params.parentId ?? ''}`,
        toWire: (row) => serializer.toWire(res.wire, row, ctx.api),
      };
    };
    const guarded =
      (fn: (src: ListSource, lr: ListRequest, params: RouteParams, ctx: Ctx) => EmuResponse) =>
      (req: EmuRequest, params: RouteParams, ctx: Ctx): EmuResponse => {
        const denied = authorize(ctx.member, res.module);
        if (denied) return denied;
        const src = source(params, ctx);
        if (!src) return cwError(404, 'NotFound', `${res.parentLabel ?? 'Record'} ${params.parentId} not found`);
        let extra: Record<string, unknown> | undefined;
        if (req.method === 'POST') {
          try {
            extra = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
          } catch {
            return cwError(400, 'InvalidObject', 'The request body is not valid JSON.');
          }
        }
        const selfPath = res.path.replace(':parentId', params.parentId ?? '');
        const lr: ListRequest = { req, params: ciParams(req.url, extra), selfUrl: `${ctx.api}${selfPath}` };
        return fn(src, lr, params, ctx);
      };
    router.add(
      'GET',
      res.path,
      guarded((src, lr) => handleList(src, lr, cache)),
    );
    router.add(
      'POST',
      `${res.path}/search`,
      guarded((src, lr) => handleList(src, lr, cache)),
    );
    router.add(
      'GET',
      `${res.path}/count`,
      guarded((src, lr) => handleCount(src, lr, cache)),
    );
    router.add(
      'GET',
      `${res.path}/:id`,
      guarded((src, lr, params) => {
        const id = Number(params.id);
        const tb = res.table(params);
        const row = Array.isArray(tb) ? (tb as CwRecord[]).find((r) => r.id === id) : (tb as Table).get(id);
        if (!row) return cwError(404, 'NotFound', `${res.label} ${id} not found`);
        return handleOne(src, row, lr);
      }),
    );
  }

  // Creating a ticket and attaching configurations to it (docs/psa/connectwise.md#creating-tickets).
  addTicketWrites(router, {
    store,
    serializer,
    stamp: opts.stamp ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
    changed: () => cache.invalidate(),
  });

  // Adding agreement additions and changing their quantity (docs/psa/connectwise.md#billing-counts).
  addBillingWrites(router, {
    store,
    serializer,
    stamp: opts.stamp ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
    changed: () => cache.invalidate(),
  });

  // Configurations attached to a ticket (docs/psa/connectwise.md#configurations): reference-sized objects.
  router.add('GET', '/service/tickets/:id/configurations', (req, params, ctx) => {
    const denied = authorize(ctx.member, 'Service Tickets');
    if (denied) return denied;
    const id = Number(params.id);
    if (!store.tickets.get(id)) return cwError(404, 'NotFound', `Ticket ${id} not found`);
    const out = (store.ticketConfigurations.get(id) ?? []).flatMap((cid) => {
      const c = store.configurations.get(cid);
      if (!c) return [];
      const w = serializer.toWire('configuration', c, ctx.api);
      return [
        {
          id: c.id,
          deviceIdentifier: w.deviceIdentifier,
          name: w.name,
          type: w.type,
          status: w.status,
          serialNumber: w.serialNumber,
          modelNumber: w.modelNumber,
          tagNumber: w.tagNumber,
          activeFlag: w.activeFlag,
          _info: { configuration_href: `${ctx.api}/company/configurations/${c.id}` },
        },
      ];
    });
    return cwJson(200, out);
  });

  router.add('GET', '/system/info', () =>
    cwJson(200, {
      version: `v${CW_API_VERSION}.10333`,
      isCloud: false,
      serverTimeZone: 'Eastern Standard Time',
      licenseBits: ['PocketPC', 'EmailConnector', 'AuditTrail', 'Agreement', 'AgileBoard', 'ManagedServices', 'KnowledgeBase', 'Inventory'].map((name, i) => ({
        name,
        activeFlag: i !== 2,
      })),
      cloudRegion: 'NA',
      maxWorkFlowRecordsAllowed: 1000,
    }),
  );

  function companyInfo(name: string, ctx: EmuContext): EmuResponse {
    if (name.toLowerCase() !== opts.credentials.valid.companyId.toLowerCase()) {
      // [INFER] docs/psa/connectwise.md does not show the answer for an unknown login company; a
      // ConnectWise-style 404 NotFound is the plausible choice.
      return cwError(404, 'NotFound', `Company ${name} not found`);
    }
    return cwJson(200, {
      CompanyName: opts.companyName,
      Codebase: 'v4_6_release/', // on-premises style: UI and API on the same host
      VersionCode: `v${CW_API_VERSION}`,
      VersionNumber: 'v4.6.10333',
      CompanyID: opts.credentials.valid.companyId,
      IsCloud: 'False',
      SiteUrl: new URL(ctx.baseUrl).host,
    });
  }

  function handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null {
    const path = req.pathname.replace(/\/{2,}/g, '/'); // hrefs sometimes carry `3.0//company`
    const ci = /^\/login\/companyinfo\/([^/]+)\/?$/i.exec(path);
    if (ci)
      return req.method === 'GET'
        ? companyInfo(decodeURIComponent(ci[1] as string), ctx)
        : cwError(405, 'MethodNotAllowed', 'The requested resource does not support this HTTP method.');
    const m = API_RE.exec(path);
    if (!m) return null;
    const rest = m[2] ?? '/';
    const match = router.match(req.method, rest);
    const isInfo = /^\/system\/info\/?$/i.test(rest);
    if (!(isInfo && opts.systemInfoRequiresAuth === false)) {
      const auth = authenticate(req, opts.credentials);
      if (!auth.ok) return auth.response;
      // Revoked keys answer exactly like wrong ones.
      if (opts.revoked?.has(auth.member)) return cwError(401, 'Unauthorized', 'Authentication failed. Check your company id, public key and private key.');
      if (match === null) return cwError(404, 'NotFound', 'The requested resource was not found.');
      if (match === 'method') return cwError(405, 'MethodNotAllowed', 'The requested resource does not support this HTTP method.');
      const api = `${ctx.baseUrl}/${m[1]}/apis/3.0`;
      return match.handler(req, match.params, { ...ctx, api, member: auth.member });
    }
    if (match === null || match === 'method') return cwError(404, 'NotFound', 'The requested resource was not found.');
    return match.handler(req, match.params, { ...ctx, api: `${ctx.baseUrl}/${m[1]}/apis/3.0`, member: 'valid' });
  }

  return { handle, cache };
}
