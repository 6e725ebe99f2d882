// Over 300 lines on purpose: the emulated API's whole route table (every path, its filters and paging) in one place, as the vendor's spec lists it.
import type { Clock } from '../framework/clock.ts';
import { Router } from '../framework/router.ts';
import type { RouteParams } from '../framework/router.ts';
import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import { bearerOf, checkLogin, parseForm } from './auth.ts';
import type { BmsUser, TokenService } from './auth.ts';
import { ACCOUNT_TYPES, ISSUE_TYPES, PRIORITIES, QUEUES, SLAS, STATUSES, TENANT, WORK_TYPES, EMPLOYEES } from './lookups.ts';
import { applyExclude, compileFilters, FilterError, paginate, Params, sortRows } from './query.ts';
import type { FilterDef } from './query.ts';
import { BmsMutator } from './mutations.ts';
import type { EndpointRateLimiter } from './rate-limit.ts';
import { Serializer } from './serialize.ts';
import { contactName } from './store.ts';
import { createTicket, systemLookup } from './ticket-create.ts';
import { registerBillingRoutes } from './billing-api.ts';
import type { BmsAccount, BmsAsset, BmsContact, BmsContract, BmsStore, BmsTicket } from './store.ts';
import { bmsDate, empty, fail, ok, paged, problem } from './wire.ts';

/**
 * The BMS REST API v2. In the real product it lives on `api.<web host>` at `/v2/...`; the
 * emulator serves it on the same origin as the web UI and routes by path. `/api2/v2/...` is the
 * web app's own same-origin copy (bearer header or the `PSAAuthToken` cookie, docs/psa/kaseya-bms.md#hosts).
 */

const API_RE = /^(\/api2)?\/v2(\/.*)?$/i;

export function isApiPath(pathname: string): boolean {
  return API_RE.test(pathname);
}

export interface ApiOptions {
  store: BmsStore;
  tokens: TokenService;
  limiter: EndpointRateLimiter;
  clock: Clock;
  maxPageSize: number;
  /** Answer business failures (bad login, not found, no API access) as HTTP 200 + success:false. */
  businessErrorsAsHttp200: boolean;
  /** Where "Has API Access" is enforced: at authenticate (default) or on every data call. */
  apiAccessCheck: 'authenticate' | 'request';
  /** Rate-limit counter key: the route template (default) or the concrete path. */
  rateLimitKey: 'template' | 'path';
  /** Serve the guessed PATCH/PUT of a contract's service (billing-api.ts); false: those routes do not exist. */
  contractServiceUpdates: boolean;
}

export interface Ctx extends EmuContext {
  user: BmsUser;
  params: Params;
  body: Record<string, unknown> | null;
}

export type Handler = (req: EmuRequest, p: RouteParams, ctx: Ctx) => EmuResponse;
type Dto = Record<string, unknown>;
/** `route` and `list` of createApi, for route tables kept in files of their own (billing-api.ts). */
export type RouteFn = (method: string, pattern: string, handler: Handler) => void;
export type ListFn = <T>(
  rows: readonly T[],
  defs: readonly FilterDef<T>[],
  p: Params,
  wire: (r: T) => Dto,
  kind: 'paged' | 'list' | 'all',
  prefixed?: boolean,
) => EmuResponse;

/** AspNetCoreRateLimit's default answer [G: the 1500/h/endpoint wording matches that library]. */
export function tooManyRequests(retryAfterSec: number, limit: number, windowMs: number): EmuResponse {
  const period =
    windowMs % 3_600_000 === 0 ? `${windowMs / 3_600_000}h` : windowMs % 60_000 === 0 ? `${windowMs / 60_000}m` : `${Math.round(windowMs / 1000)}s`;
  return {
    status: 429,
    headers: { 'Content-Type': 'text/plain', 'Retry-After': String(retryAfterSec), Server: 'Microsoft-IIS/10.0' },
    body: `API calls quota exceeded! maximum admitted ${limit} per ${period}.`,
  };
}

export function createApi(opts: ApiOptions): { handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null } {
  const { store: s, tokens, clock } = opts;
  const ser = new Serializer(s);
  const mutator = new BmsMutator(s, clock);
  const router = new Router<{ ctx: EmuContext; api2: boolean }>();
  const failOpts = { asHttp200: opts.businessErrorsAsHttp200 };
  const notFound = (what: string) => fail(404, `${what} not found.`, failOpts);

  /** Register a route: rate limit → (auth) → JSON body → handler. */
  function route(method: string, pattern: string, handler: Handler, auth = true): void {
    const template = `${method} /v2${pattern.replace(/:(\w+)\*?/g, '{$1}')}`;
    router.add(method, pattern, (req, routeParams, { ctx, api2 }) => {
      const limited = opts.limiter.takeFor(
        opts.rateLimitKey === 'path' ? `${method} ${req.pathname.toLowerCase().replace(/^\/api2/, '')}` : template,
        clock.now().getTime(),
      );
      if (limited !== null) {
        const cfg = opts.limiter.get();
        return tooManyRequests(limited, cfg?.limit ?? 0, cfg?.windowMs ?? 3_600_000);
      }
      let user: BmsUser = { userId: 0, userName: '', password: '', fullName: '', email: '', hasApiAccess: false, isApiEmployee: false };
      if (auth) {
        const check = tokens.check(bearerOf(req, api2), clock.now().getTime());
        if (!check.ok) {
          // ASP.NET Core JwtBearer challenge: empty body; `Token-Expired: true` on expiry (docs/psa/kaseya-bms.md#token-lifetime-and-expiry, #errors).
          if (check.reason === 'expired') {
            const at = new Date(check.expiredAt ?? 0);
            const when = Number.isFinite(at.getTime()) ? at.toISOString().slice(0, 19).replace('T', ' ') : 'an earlier time';
            return empty(401, {
              'WWW-Authenticate': `Bearer error="invalid_token", error_description="The token expired at '${when}'"`,
              'Token-Expired': 'true',
            });
          }
          return empty(401, { 'WWW-Authenticate': check.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"' });
        }
        user = check.user;
        if (!api2 && opts.apiAccessCheck === 'request' && !user.hasApiAccess) {
          return fail(403, 'User does not have API access.', {
            ...failOpts,
            details: 'Enable Admin > Special Features > Has API Access on the security role of this user.',
          });
        }
      }
      let body: Record<string, unknown> | null = null;
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (method !== 'GET' && /json/.test(type)) {
        try {
          const parsed: unknown = req.body ? JSON.parse(req.body) : {};
          body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
        } catch {
          return problem(400, 'One or more validation errors occurred.', { $: ['The JSON value could not be converted.'] });
        }
      } else if (method === 'POST' && pattern.endsWith('/search') && req.body) {
        return problem(415, 'Unsupported Media Type');
      }
      const params = body ? Params.fromBody(body) : Params.fromUrl(req.url);
      try {
        return handler(req, routeParams, { ...ctx, user, params, body });
      } catch (err) {
        if (err instanceof FilterError) return problem(400, 'One or more validation errors occurred.', { [err.param]: [err.message] });
        throw err;
      }
    });
  }

  function list<T>(
    rows: readonly T[],
    defs: readonly FilterDef<T>[],
    p: Params,
    wire: (r: T) => Dto,
    kind: 'paged' | 'list' | 'all',
    prefixed = true,
  ): EmuResponse {
    const pred = compileFilters(defs, p, prefixed);
    const filtered = sortRows(pred ? rows.filter(pred) : (rows as T[]), p, wire);
    if (kind === 'all') return ok(applyExclude(filtered.map(wire), p));
    const page = paginate(filtered, p, opts.maxPageSize);
    const items = applyExclude(page.rows.map(wire), p);
    return kind === 'paged' ? paged(items, page.total) : ok(items);
  }

  const audited = <T extends { createdOn: string | null; modifiedOn: string | null }>(): FilterDef<T>[] => [
    { name: 'CreatedOnFrom', kind: 'from', get: (r) => r.createdOn },
    { name: 'CreatedOnTo', kind: 'to', get: (r) => r.createdOn },
    { name: 'ModifiedOnFrom', kind: 'from', get: (r) => r.modifiedOn },
    { name: 'ModifiedOnTo', kind: 'to', get: (r) => r.modifiedOn },
  ];
  const accountTypeName = (id: number) => ACCOUNT_TYPES.find((t) => t.id === id)?.name ?? '';

  // ---- security (docs/psa/kaseya-bms.md#authentication) ----
  route(
    'POST',
    '/security/authenticate',
    (req) => {
      const form = parseForm(req);
      if (form === 'unsupported') return problem(415, 'Unsupported Media Type');
      const login = checkLogin(form, opts.apiAccessCheck === 'authenticate');
      // A revoked user's old password no longer signs in.
      const r = login.ok && tokens.isRevoked(login.user) ? ({ ok: false, reason: 'password' } as const) : login;
      if (r.ok) return ok(tokens.issue(r.user, clock.now().getTime()));
      switch (r.reason) {
        case 'grant-missing':
          return problem(400, 'One or more validation errors occurred.', { GrantType: ['The GrantType field is required.'] });
        case 'grant-unsupported':
          return fail(400, 'Unsupported grant type.', failOpts);
        case 'fields-missing':
          return fail(400, 'UserName, Password and Tenant are required.', failOpts);
        case 'tenant':
          return fail(401, `Tenant '${form.get('tenant') ?? ''}' was not found.`, failOpts);
        case 'password':
          return fail(401, 'Invalid username or password.', failOpts);
        case 'no-api-access':
          return fail(403, 'User does not have API access.', {
            ...failOpts,
            details: 'Enable Admin > Special Features > Has API Access on the security role of this user.',
          });
      }
    },
    false,
  );

  route(
    'POST',
    '/security/refreshtoken',
    (req) => {
      const form = parseForm(req);
      if (form === 'unsupported') return problem(415, 'Unsupported Media Type');
      const access = form.get('accesstoken');
      if (!access) return problem(400, 'One or more validation errors occurred.', { AccessToken: ['The AccessToken field is required.'] });
      const pair = tokens.refresh(access, form.get('refreshtoken'), clock.now().getTime());
      return pair ? ok(pair) : fail(401, 'Invalid or expired refresh token.', failOpts);
    },
    false,
  );

  route('GET', '/security/ssostatus', () => ok({ enabled: false, loginEndpointUrl: null }), false);

  route('GET', '/security/userinfo', (_req, _p, ctx) =>
    ok({
      userId: ctx.user.userId,
      fullName: ctx.user.fullName,
      emailAddress: ctx.user.email,
      timeStamp: bmsDate(clock.now()),
      timeZoneValue: 0,
      timeZoneName: 'UTC',
      olsonTimeZoneName: 'Etc/UTC',
      dateFormat: 'MM/dd/yyyy',
      timeFormat: 'hh:mm tt',
      timeFormatWithSeconds: 'hh:mm:ss tt',
      tenantId: TENANT.id,
      accountId: null,
      locationId: null,
      contactId: null,
      businessName: TENANT.name,
      userAccessRights: [],
      specialFeatures: ctx.user.hasApiAccess ? [{ id: 31 }] : [],
      viewsMenus: [],
      queuesMenus: [],
      currencyCode: 'USD',
      cultureCode: 'en-US',
      filesVersionNumber: '2026.11.0',
      newTicketingUI: true,
      isUserSystemAdmin: false,
      productName: 'BMS',
      pictureUrl: null,
      openIdRealmId: null,
    }),
  );

  // ---- accounts and locations (docs/psa/kaseya-bms.md#accounts, #locations) ----
  const accountFilters: FilterDef<BmsAccount>[] = [
    { name: 'AccountName', kind: 'text', get: (r) => r.accountName },
    { name: 'AccountCode', kind: 'text', get: (r) => r.accountCode },
    { name: 'AccountTypeId', kind: 'int', get: (r) => r.accountTypeId },
    { name: 'AccountTypeName', kind: 'text', get: (r) => accountTypeName(r.accountTypeId) },
    ...audited<BmsAccount>(),
    { name: 'IsActive', kind: 'bool', get: (r) => r.isActive },
  ];
  route('GET', '/crm/accounts/summary', (_r, _p, { params }) => list(s.accounts.rows, accountFilters, params, (a) => ser.accountSummary(a), 'paged'));
  route('GET', '/crm/accounts/summary/:id', (_r, p) => {
    const a = s.accounts.get(Number(p.id));
    return a ? ok(ser.accountSummary(a)) : notFound('Account');
  });
  route('GET', '/crm/accounts/lookup', (_r, _p, { params }) => {
    const withInactive = (params.filter('WithInactiveAccounts', true) ?? '').toLowerCase() === 'true';
    const defs: FilterDef<BmsAccount>[] = [
      { name: 'Ids', kind: 'ids', get: (r) => r.id },
      { name: 'Name', kind: 'text', get: (r) => r.accountName },
    ];
    const rows = withInactive ? s.accounts.rows : s.accounts.rows.filter((a) => a.isActive); // [G] inactive hidden by default
    return list(rows, defs, params, (a) => ser.accountLookup(a), 'list');
  });
  route('GET', '/crm/accounts/:accountId/locations/lookup', (_r, p) => ok(s.locations.children(Number(p.accountId)).map((l) => ser.locationLookup(l))));
  route('GET', '/crm/accounts/:accountId/locations/:locationId', (_r, p) => {
    const l = s.locations.get(Number(p.locationId));
    return l && l.accountId === Number(p.accountId) ? ok(ser.location(l)) : notFound('Location');
  });

  // ---- contacts (docs/psa/kaseya-bms.md#contacts) ----
  const phoneOf = (c: BmsContact) => c.phones.map((x) => x.phone).join(' ');
  const emailOf = (c: BmsContact) => c.emails.map((x) => x.emailAddress).join(' ');
  const contactFilters: FilterDef<BmsContact>[] = [
    { name: 'AccountId', kind: 'int', get: (r) => r.accountId },
    { name: 'AccountName', kind: 'text', get: (r) => ser.accountName(r.accountId) },
    { name: 'FirstName', kind: 'text', get: (r) => r.firstName },
    { name: 'LastName', kind: 'text', get: (r) => r.lastName },
    { name: 'Phone', kind: 'text', get: phoneOf },
    { name: 'Email', kind: 'text', get: emailOf },
    ...audited<BmsContact>(),
    { name: 'IsActive', kind: 'bool', get: (r) => r.isActive },
  ];
  route('GET', '/crm/contacts/summary', (_r, _p, { params }) => {
    // An AccountId filter reads the account's own index instead of scanning every contact.
    const accountId = Number(params.filter('AccountId', true));
    const rows = Number.isInteger(accountId) && accountId > 0 ? s.contacts.children(accountId) : s.contacts.rows;
    return list(rows, contactFilters, params, (c) => ser.contactSummary(c), 'paged');
  });
  route('GET', '/crm/contacts/summary/:id', (_r, p) => {
    const c = s.contacts.get(Number(p.id));
    return c ? ok(ser.contactSummary(c)) : notFound('Contact');
  });
  const contactSearchFilters: FilterDef<BmsContact>[] = [
    { name: 'Ids', kind: 'ids', get: (r) => r.id },
    { name: 'AccountIds', kind: 'ids', get: (r) => r.accountId },
    { name: 'AccountName', kind: 'text', get: (r) => ser.accountName(r.accountId) },
    { name: 'LocationId', kind: 'int', get: (r) => r.locationId },
    { name: 'LocationName', kind: 'text', get: (r) => ser.locationName(r.locationId) },
    { name: 'FirstName', kind: 'text', get: (r) => r.firstName },
    { name: 'LastName', kind: 'text', get: (r) => r.lastName },
    { name: 'EmailAddress', kind: 'text', get: emailOf },
    { name: 'JobTitle', kind: 'text', get: (r) => r.jobTitle },
    { name: 'IsPoc', kind: 'bool', get: (r) => r.isPoc },
    { name: 'HasClientPortalAccess', kind: 'bool', get: (r) => r.hasClientPortalAccess },
    { name: 'IsActive', kind: 'bool', get: (r) => r.isActive },
  ];
  route('GET', '/crm/contacts/search', (_r, _p, { params }) => list(s.contacts.rows, contactSearchFilters, params, (c) => ser.contactSearch(c), 'list'));
  route('GET', '/crm/accounts/:accountId/contacts/lookup', (_r, p, { params }) => {
    const defs: FilterDef<BmsContact>[] = [
      { name: 'Name', kind: 'text', get: (r) => contactName(r) },
      { name: 'LocationId', kind: 'int', get: (r) => r.locationId },
    ];
    return list(s.contacts.children(Number(p.accountId)), defs, params, (c) => ser.contactLookup(c), 'list');
  });
  route('GET', '/crm/accounts/:accountId/contacts/:contactId/summaryinfo', (_r, p) => {
    const c = s.contacts.get(Number(p.contactId));
    return c && c.accountId === Number(p.accountId) ? ok(ser.contactSummaryInfo(c)) : notFound('Contact');
  });

  // ---- contracts (docs/psa/kaseya-bms.md#contracts) ----
  const contractFilters: FilterDef<BmsContract>[] = [
    { name: 'ContractType', kind: 'names', get: (r) => r.contractType },
    { name: 'ContractName', kind: 'text', get: (r) => r.contractName },
    { name: 'BillingCycle', kind: 'names', get: (r) => r.billingCycle },
    { name: 'AccountName', kind: 'text', get: (r) => ser.accountName(r.accountId) },
    { name: 'Status', kind: 'names', get: (r) => r.status },
  ];
  route('GET', '/finance/contracts/summary', (_r, _p, { params }) => list(s.contracts.rows, contractFilters, params, (k) => ser.contractSummary(k), 'paged'));
  route('GET', '/finance/contracts/lookup', (_r, _p, { params }) => {
    const defs: FilterDef<BmsContract>[] = [
      { name: 'AccountId', kind: 'int', get: (r) => r.accountId },
      { name: 'Name', kind: 'text', get: (r) => r.contractName },
      { name: 'Ids', kind: 'ids', get: (r) => r.id },
    ];
    const accountId = Number(params.filter('AccountId', false));
    let rows: readonly BmsContract[] = Number.isInteger(accountId) && accountId > 0 ? s.contracts.children(accountId) : s.contracts.rows;
    if ((params.filter('ExcludeExpiredContracts', false) ?? '').toLowerCase() === 'true') {
      const today = bmsDate(clock.now()) as string;
      rows = rows.filter((k) => k.status !== 'Expired' && k.endDate >= today.slice(0, 10));
    }
    return list(rows, defs, params, (k) => ser.contractLookup(k), 'all', false);
  });

  // ---- hardware assets (docs/psa/kaseya-bms.md#hardware-assets) ----
  const assetFilters: FilterDef<BmsAsset>[] = [
    { name: 'CategoryIds', kind: 'ids', get: (r) => r.categoryId },
    { name: 'AssetName', kind: 'text', get: (r) => r.name },
    { name: 'MachineGroupId', kind: 'text', get: (r) => r.machineGroupId },
    { name: 'LocationName', kind: 'text', get: (r) => ser.locationName(r.accountLocationId) },
    { name: 'SerialNumber', kind: 'text', get: (r) => r.serialNumber },
    { name: 'Description', kind: 'text', get: (r) => r.description },
    { name: 'IPAddress', kind: 'text', get: (r) => r.ipAddress },
    { name: 'AccountId', kind: 'int', get: (r) => r.accountId },
    { name: 'ContactId', kind: 'int', get: (r) => r.contactId },
    {
      name: 'ContactName',
      kind: 'text',
      get: (r) => (r.contactId === null ? '' : contactName(s.contacts.get(r.contactId) ?? { firstName: null, lastName: null })),
    },
    { name: 'IsActive', kind: 'bool', get: (r) => r.isActive },
  ];
  route('GET', '/servicedesk/hardwareasset/searchselect', (_r, _p, { params }) => {
    const accountId = Number(params.filter('AccountId', true));
    let rows: readonly BmsAsset[] = Number.isInteger(accountId) && accountId > 0 ? s.assets.children(accountId) : s.assets.rows;
    const excluded = Number(params.filter('ExcludedId', true));
    if (Number.isInteger(excluded) && excluded > 0) rows = rows.filter((a) => a.id !== excluded);
    return list(rows, assetFilters, params, (a) => ser.assetSearchSelect(a), 'list');
  });
  route('GET', '/servicedesk/hardwareasset/:assetId', (_r, p) => {
    const a = s.assets.get(Number(p.assetId));
    return a ? ok(ser.asset(a)) : notFound('Hardware asset');
  });
  route('GET', '/servicedesk/hardwareasset/:assetId/tickets', (_r, p, { params }) => {
    const id = Number(p.assetId);
    const a = s.assets.get(id);
    if (!a) return notFound('Hardware asset');
    return list(
      s.tickets.children(a.accountId).filter((t) => t.hardwareAssetId === id),
      [],
      params,
      (t) => ser.ticketListRow(t),
      'list',
    );
  });

  // ---- tickets (docs/psa/kaseya-bms.md#tickets) ----
  const statusName = (id: number) => STATUSES.find((x) => x.id === id)?.name;
  const isCompleted = (t: BmsTicket) => STATUSES.find((x) => x.id === t.statusId)?.completed ?? false;
  const ticketFilters: FilterDef<BmsTicket>[] = [
    { name: 'Title', kind: 'text', get: (r) => r.title },
    { name: 'Account', kind: 'text', get: (r) => ser.accountName(r.accountId) },
    { name: 'LocationName', kind: 'text', get: (r) => ser.locationName(r.locationId) },
    { name: 'AccountCode', kind: 'text', get: (r) => s.accounts.get(r.accountId)?.accountCode },
    { name: 'AssigneeName', kind: 'text', get: (r) => EMPLOYEES.find((e) => e.id === r.assigneeId)?.name },
    { name: 'TicketNumber', kind: 'text', get: (r) => r.ticketNumber },
    { name: 'Details', kind: 'text', get: (r) => r.details },
    {
      name: 'ContactName',
      kind: 'text',
      get: (r) => (r.contactId === null ? '' : contactName(s.contacts.get(r.contactId) ?? { firstName: null, lastName: null })),
    },
    { name: 'StatusNames', kind: 'names', get: (r) => statusName(r.statusId) },
    { name: 'QueueNames', kind: 'names', get: (r) => QUEUES.find((q) => q.id === r.queueId)?.name },
    { name: 'PriorityNames', kind: 'names', get: (r) => PRIORITIES.find((q) => q.id === r.priorityId)?.name },
    { name: 'SourceIds', kind: 'ids', get: (r) => r.sourceId },
    { name: 'ExcludeCompleted', kind: 'excludeCompleted', get: isCompleted },
    { name: 'OpenDateFrom', kind: 'from', get: (r) => r.openDate },
    { name: 'OpenDateTo', kind: 'to', get: (r) => r.openDate },
    { name: 'CompletedDateFrom', kind: 'from', get: (r) => r.completedDate },
    { name: 'CompletedDateTo', kind: 'to', get: (r) => r.completedDate },
    { name: 'LastActivityUpdateFrom', kind: 'from', get: (r) => r.lastActivityUpdate },
    { name: 'LastActivityUpdateTo', kind: 'to', get: (r) => r.lastActivityUpdate },
    { name: 'CreatedOnFrom', kind: 'from', get: (r) => r.createdOn },
    { name: 'CreatedOnTo', kind: 'to', get: (r) => r.createdOn },
    { name: 'LastStatusUpdateFrom', kind: 'from', get: (r) => r.lastStatusUpdate },
    { name: 'LastStatusUpdateTo', kind: 'to', get: (r) => r.lastStatusUpdate },
    { name: 'DueDateFrom', kind: 'from', get: (r) => r.dueDate },
    { name: 'DueDateTo', kind: 'to', get: (r) => r.dueDate },
    { name: 'ContactId', kind: 'int', get: (r) => r.contactId },
    { name: 'HardwareAssetId', kind: 'int', get: (r) => r.hardwareAssetId },
    { name: 'AccountLocationId', kind: 'int', get: (r) => r.locationId },
    { name: 'AccountIds', kind: 'ids', get: (r) => r.accountId },
    { name: 'HardwareAssetName', kind: 'text', get: (r) => (r.hardwareAssetId === null ? '' : s.assets.get(r.hardwareAssetId)?.name) },
  ];
  const ticketList = (_r: EmuRequest, _p: RouteParams, { params }: Ctx) => list(s.tickets.rows, ticketFilters, params, (t) => ser.ticketListRow(t), 'paged');
  route('GET', '/servicedesk/tickets', ticketList);
  route('POST', '/servicedesk/tickets/search', ticketList);
  route('GET', '/servicedesk/tickets/count', (_r, _p, { params }) => {
    const pred = compileFilters(ticketFilters, params, false); // no `Filter.` prefix here (docs/psa/kaseya-bms.md#paging)
    return ok({ count: pred ? s.tickets.rows.filter(pred).length : s.tickets.rows.length });
  });
  route('GET', '/servicedesk/tickets/summary', (_r, _p, { params }) => {
    const defs: FilterDef<BmsTicket>[] = [
      { name: 'AccountId', kind: 'int', get: (r) => r.accountId },
      { name: 'ContactId', kind: 'int', get: (r) => r.contactId },
    ];
    const excluded = new Set(params.filterAll('ExcludedIds', true).map(Number));
    const rows = excluded.size ? s.tickets.rows.filter((t) => !excluded.has(t.id)) : s.tickets.rows;
    return list(rows, defs, params, (t) => ser.ticketSummary(t), 'list');
  });
  route('POST', '/servicedesk/tickets', (_r, _p, { body, user }) =>
    createTicket(body, { store: s, mutator, ser, user, asHttp200: opts.businessErrorsAsHttp200 }),
  );
  route('GET', '/servicedesk/tickets/:ticketId', (_r, p) => {
    const t = s.tickets.get(Number(p.ticketId));
    return t ? ok(ser.ticket(t)) : notFound('Ticket');
  });

  // ---- service catalog and contract services (docs/psa/kaseya-bms.md#billing-counts) ----
  registerBillingRoutes({ route, list, store: s, clock, asHttp200: opts.businessErrorsAsHttp200, updates: opts.contractServiceUpdates });

  // ---- lookups (docs/psa/kaseya-bms.md#lookups) ----
  route('GET', '/system/statuses/lookup', () =>
    ok(
      STATUSES.map((x) => ({
        id: x.id,
        name: x.name,
        fontColor: x.fontColor,
        color: x.color,
        statusOrder: x.statusOrder,
        typeId: 1,
        isSystemStatus: x.completed || x.name === 'New' ? 1 : 0,
        slaEventId: x.slaEventId,
        isActive: true,
      })),
    ),
  );
  route('GET', '/system/priorities/lookup', () => ok(PRIORITIES.map((x) => ({ id: x.id, name: x.name, color: x.color, isDefault: x.isDefault }))));
  route('GET', '/system/queues/lookup', () => ok(QUEUES.map((x) => ({ id: x.id, name: x.name, isActive: true }))));
  route('GET', '/system/issuetypes/lookup', (_r, _p, { params }) =>
    list(ISSUE_TYPES, [{ name: 'Name', kind: 'text', get: (r) => r.name }], params, (x) => ({ id: x.id, name: x.name, isActive: true }), 'all'),
  );
  route('GET', '/system/worktypes/lookup', () => ok(WORK_TYPES.map((x) => ({ id: x.id, name: x.name, isDefault: x.isDefault, isActive: true }))));
  route('GET', '/system/slas/lookup', () => ok(SLAS.map((x) => ({ id: x.id, name: x.name, isDefault: x.isDefault, isActive: true }))));
  route('GET', '/system/lookup/:tableName*', (_r, p) => systemLookup(p.tableName ?? '', opts.businessErrorsAsHttp200));
  route('GET', '/system/accounttypes/lookup', () =>
    ok(ACCOUNT_TYPES.map((x) => ({ id: x.id, name: x.name, isActive: true, isClient: x.isClient, isVendor: x.isVendor }))),
  );
  route('GET', '/hr/employees/lookup', () => ok(EMPLOYEES.map((e) => ({ id: e.id, name: e.name }))));
  route('GET', '/hr/assignees/lookup', (_r, _p, { params }) =>
    list(
      EMPLOYEES,
      [
        { name: 'Ids', kind: 'ids', get: (r) => r.id },
        { name: 'Name', kind: 'text', get: (r) => r.name },
      ],
      params,
      (e) => ({ id: e.id, name: e.name, url: null, emailAddress: e.email, jobTitle: e.jobTitle, pictureName: null, pictureURL: null }),
      'list',
    ),
  );

  function handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null {
    const m = API_RE.exec(req.pathname.replace(/\/{2,}/g, '/'));
    if (!m) return null;
    const match = router.match(req.method, m[2] ?? '/');
    if (match === null) return empty(404); // ASP.NET: unknown route, no body
    if (match === 'method') return empty(405);
    return match.handler(req, match.params, { ctx, api2: Boolean(m[1]) });
  }

  return { handle };
}
