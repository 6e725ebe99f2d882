import type { Clock } from '../framework/clock.ts';
import { Router } from '../framework/router.ts';
import type { RouteParams } from '../framework/router.ts';
import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import { jsonResponse } from '../framework/types.ts';
import { openIdConfiguration, TENANT } from './auth.ts';
import { addBillingRoutes } from './billing-api.ts';
import type { HaloArea, TokenGrant, TokenService } from './auth.ts';
import { haloDateTime } from './dates.ts';
import { AGENTS, ASSET_STATUSES } from './lookups.ts';
import { addReferenceRoutes } from './reference-routes.ts';
import { bool, cacheKey, ciParams, comparatorOf, DEFAULT_PAGE_SIZE, int, ResultCache, selection, TICKETS_MAX_PAGE_SIZE } from './list.ts';
import type { ListContext } from './list.ts';
import { HaloMutator } from './mutations.ts';
import { Serializer } from './serialize.ts';
import type { WireKind } from './serialize.ts';
import type { HaloRecord, HaloStore, HaloTable } from './store.ts';
import { createTickets } from './ticket-create.ts';

/**
 * The HaloPSA resource server (`/api/...`, case-insensitive) and authorisation server
 * (`/auth/...`): docs/psa/halo.md (Authentication to Errors).
 */

export const APP_VERSION = '2.196.15';

export interface ApiOptions {
  store: HaloStore;
  tokens: TokenService;
  /** Stamps the last-update column of tickets the API creates. */
  clock: Clock;
  /** Client list rows as newer Halo versions are said to send them (with `website`, `mainsite_address`). */
  newerClientList?: boolean;
  hosted: boolean;
  /** What authinfo and InstanceInfo name as the authorisation server; undefined = this server's own `/auth`. */
  authUrl(): string | undefined;
}

export interface Ctx extends EmuContext {
  grant: TokenGrant;
  params: Map<string, string>;
}

export function isApiPath(pathname: string): boolean {
  return /^\/api(\/|$)/i.test(pathname);
}

export function isAuthPath(pathname: string): boolean {
  return /^\/auth(\/|$)/i.test(pathname);
}

/**
 * Error body for 400/403/404/405 [INFER]: Halo's error bodies are not documented; HaloAPI's error
 * parser handles `{ClassName, Message}` (a serialised .NET exception) and `{Message}`, which
 * this shape satisfies both of.
 */
export function haloError(status: number, message: string): EmuResponse {
  return jsonResponse(status, { ClassName: 'System.Exception', Message: message });
}

interface ListResource {
  path: string;
  kind: WireKind;
  /** Array key in the list wrapper (docs/psa/halo.md#paging). */
  key: string;
  area: HaloArea;
  table: HaloTable;
  /** Name in 404 messages. */
  label: string;
  idonly: boolean;
  maxPageSize?: number;
}

export function createApi(opts: ApiOptions): { handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null; cache: ResultCache; serializer: Serializer } {
  const { store, tokens } = opts;
  const serializer = new Serializer(store, { newerClientList: opts.newerClientList });
  const cache = new ResultCache();
  const router = new Router<Ctx>();
  const mutator = new HaloMutator(store, opts.clock, () => cache.invalidate());
  const authUrlOf = (ctx: EmuContext) => opts.authUrl() ?? `${ctx.baseUrl}/auth`;

  const listContext = (grant: TokenGrant): ListContext => ({
    store,
    visible: (clientId) => {
      if (!grant.toplevels) return true;
      const c = store.clients.get(clientId);
      return !!c && grant.toplevels.includes(Number(c.toplevel_id));
    },
    derived: (kind, row, field) => serializer.toWire(kind, row, { full: false, params: new Map(), baseUrl: '' })[field],
  });

  const forbidden = (area: HaloArea, label: string) =>
    haloError(
      403,
      `The API application does not have permission to access ${label}. Grant it the read:${area} permission (Configuration > Integrations > Halo API > Applications > Permissions) and check the agent it logs in as.`,
    );

  const resources: ListResource[] = [
    { path: '/Client', kind: 'client', key: 'clients', area: 'customers', table: store.clients, label: 'Client', idonly: true },
    { path: '/Site', kind: 'site', key: 'sites', area: 'customers', table: store.sites, label: 'Site', idonly: true },
    { path: '/Users', kind: 'user', key: 'users', area: 'customers', table: store.users, label: 'User', idonly: true },
    { path: '/Asset', kind: 'asset', key: 'assets', area: 'assets', table: store.assets, label: 'Asset', idonly: true },
    { path: '/ClientContract', kind: 'contract', key: 'contracts', area: 'contracts', table: store.contracts, label: 'Contract', idonly: false },
    {
      path: '/Tickets',
      kind: 'ticket',
      key: 'tickets',
      area: 'tickets',
      table: store.tickets,
      label: 'Ticket',
      idonly: false,
      maxPageSize: TICKETS_MAX_PAGE_SIZE,
    },
  ];

  for (const res of resources) {
    router.add('GET', res.path, (_req, _params, ctx) => {
      if (!ctx.grant.areas.has(res.area)) return forbidden(res.area, res.label);
      const p = ctx.params;
      const lc = listContext(ctx.grant);
      const rows = cache.get(cacheKey(res.kind, ctx.grant.credential, p), () => {
        const sel = selection(res.kind, res.table, p, lc);
        const out = sel.rows.filter((r) => sel.preds.every((f) => f(r)));
        const cmp = comparatorOf(res.kind, p, lc);
        return cmp ? out.sort(cmp) : out;
      });
      const wire = (r: HaloRecord) => serializer.toWire(res.kind, r, { full: false, params: p, baseUrl: ctx.baseUrl });
      if (res.idonly && bool(p, 'idonly')) {
        // "Not compatible with Pagination" (spec): every matching id, paging ignored [INFER].
        return jsonResponse(200, { record_count: rows.length, [res.key]: rows.map((r) => ({ id: r.id })) });
      }
      if (res.kind === 'ticket' && bool(p, 'ticketidonly')) {
        return jsonResponse(200, { record_count: rows.length, tickets: rows.map((r) => serializer.ticketIdOnly(r)) });
      }
      if (bool(p, 'pageinate')) {
        let size = int(p, 'page_size') ?? DEFAULT_PAGE_SIZE;
        if (size < 1) size = DEFAULT_PAGE_SIZE;
        if (res.maxPageSize) size = Math.min(size, res.maxPageSize);
        let page = int(p, 'page_no') ?? 1;
        if (page < 1) page = 1; // CIPP starts at page_no=0 (docs/psa/halo.md#paging)
        const slice = rows.slice((page - 1) * size, page * size);
        return jsonResponse(200, { page_no: page, page_size: size, record_count: rows.length, [res.key]: slice.map(wire) });
      }
      const count = int(p, 'count');
      const slice = count !== undefined && count > 0 ? rows.slice(0, count) : rows;
      return jsonResponse(200, { record_count: rows.length, [res.key]: slice.map(wire) });
    });
    router.add('GET', `${res.path}/:id`, (_req, params, ctx) => {
      if (!ctx.grant.areas.has(res.area)) return forbidden(res.area, res.label);
      const row = res.table.get(Number(params.id));
      const clientId = row ? (res.kind === 'client' ? row.id : Number(row.client_id)) : 0;
      // Records the agent may not see answer like missing ones [INFER].
      if (!row || !listContext(ctx.grant).visible(clientId)) return haloError(404, `${res.label} ${params.id} not found.`);
      return jsonResponse(200, serializer.toWire(res.kind, row, { full: true, params: ctx.params, baseUrl: ctx.baseUrl }));
    });
  }

  // Creating tickets needs the application's edit:tickets permission [INFER: 403 like the reads].
  router.add('POST', '/Tickets', (req, _params, ctx) => {
    if (!ctx.grant.edits.has('tickets'))
      return haloError(
        403,
        'The API application does not have permission to create tickets. Grant it the edit:tickets permission (Configuration > Integrations > Halo API > Applications > Permissions) and check the agent it logs in as.',
      );
    return createTickets(req, ctx, { store, mutator, serializer, visible: listContext(ctx.grant).visible });
  });

  // Asset types: a bare array (docs/psa/halo.md#asset-types).
  router.add('GET', '/AssetType', (_req, _params, ctx) => {
    if (!ctx.grant.areas.has('assets')) return forbidden('assets', 'AssetType');
    const group = int(ctx.params, 'assetgroup_id');
    const search = ctx.params.get('search')?.trim().toLowerCase();
    const rows = store.assetTypes.filter(
      (t) => (group === undefined || t.assetgroup_id === group) && (!search || String(t.name).toLowerCase().includes(search)),
    );
    return jsonResponse(
      200,
      rows.map(({ fields: _fields, ...rest }) => rest),
    );
  });
  router.add('GET', '/AssetType/:id', (_req, params, ctx) => {
    if (!ctx.grant.areas.has('assets')) return forbidden('assets', 'AssetType');
    const t = store.assetType(Number(params.id));
    if (!t) return haloError(404, `Asset Type ${params.id} not found.`);
    return jsonResponse(200, {
      ...t,
      allowed_status: ASSET_STATUSES.map((s) => ({ id: s.id, xtype_id: t.id, xtype_name: t.name, status_id: s.id, status_name: s.name })),
    });
  });

  addReferenceRoutes(router, haloError);
  addBillingRoutes(router, {
    store,
    visible: (clientId, ctx) => listContext(ctx.grant).visible(clientId),
    forbidden: haloError,
    notFound: (message) => haloError(404, message),
  });
  router.add('GET', '/InstanceInfo', (_req, _params, ctx) =>
    jsonResponse(200, {
      dbid: opts.hosted ? `${TENANT}-db` : 'onprem-db',
      app_version: APP_VERSION,
      database_version: APP_VERSION,
      agent_count: AGENTS.length,
      licensed_agent_count: 10,
      online_agent_count: 2,
      last_login: haloDateTime(ctx.now),
      app_name: 'HaloPSA',
      name: 'Sidecar Test MSP',
      agent_url: ctx.baseUrl,
      portal_url: `${ctx.baseUrl}/portal`,
      auth_url: authUrlOf(ctx),
      mobileapp_enabled: false,
      teamsbot_enabled: false,
      nhserver_version: '',
      teams_chat_profile: 0,
      using_event_service: true,
      using_scheduling_service: true,
      using_outgoing_service: true,
      using_incoming_service: true,
    }),
  );

  function authInfo(ctx: EmuContext): EmuResponse {
    // Other fields are [UNVERIFIED]; auth_url and tenant_id are what clients read (docs/psa/halo.md#discovery).
    return jsonResponse(200, { auth_url: authUrlOf(ctx), ...(opts.hosted ? { tenant_id: TENANT } : {}), resource_url: `${ctx.baseUrl}/api` });
  }

  function handleAuth(req: EmuRequest, ctx: EmuContext): EmuResponse | null {
    const rest = req.pathname
      .replace(/^\/auth/i, '')
      .replace(/\/+$/, '')
      .toLowerCase();
    if (rest === '/token') return tokens.token(req, ctx);
    if (rest === '/.well-known/openid-configuration' && req.method === 'GET') return jsonResponse(200, openIdConfiguration(`${ctx.baseUrl}/auth`));
    if (rest === '/.well-known/jwks' && req.method === 'GET') return jsonResponse(200, { keys: [] });
    return null;
  }

  function handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null {
    if (isAuthPath(req.pathname)) return handleAuth(req, ctx);
    if (!isApiPath(req.pathname)) return null;
    const rest = req.pathname.replace(/^\/api/i, '').replace(/\/{2,}/g, '/') || '/';
    if (/^\/authinfo\/?$/i.test(rest))
      return req.method === 'GET' ? authInfo(ctx) : haloError(405, `The requested resource does not support http method '${req.method}'.`);
    const auth = tokens.bearer(req);
    if (!auth.ok) return auth.response;
    const match = router.match(req.method, rest);
    if (match === null) return haloError(404, `No HTTP resource was found that matches the request URI '${ctx.baseUrl}${req.pathname}'.`);
    if (match === 'method') return haloError(405, `The requested resource does not support http method '${req.method}'.`);
    return match.handler(req, match.params as RouteParams, { ...ctx, grant: auth.grant, params: ciParams(req.url) });
  }

  return { handle, cache, serializer };
}
