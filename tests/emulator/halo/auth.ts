import type { Clock } from '../framework/clock.ts';
import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import { header, jsonResponse } from '../framework/types.ts';

/**
 * Halo's authorisation server (OpenIddict, docs/psa/halo.md#authentication): `POST {auth}/token` with the OAuth 2.0
 * client-credentials grant, form-encoded; `?tenant=` for hosted instances. Access tokens are
 * opaque-to-clients JWT-shaped strings that expire (`expires_in`, default 3600 s) on the
 * emulator clock, so `control.setNow()` or `control.expireTokens()` turn them into 401s.
 */

/** Permission areas Sidecar touches; `read:X` / `edit:X` grant X (docs/psa/halo.md#token-request). Items and invoices: billing counts (#billing-counts). */
export type HaloArea = 'customers' | 'assets' | 'contracts' | 'tickets' | 'items' | 'invoices';
const AREAS: readonly HaloArea[] = ['customers', 'assets', 'contracts', 'tickets', 'items', 'invoices'];

/** Every scope the HaloAPI module accepts (docs/psa/halo.md#token-request); others → invalid_scope. */
export const KNOWN_SCOPES = new Set(
  (
    'all all:standard admin read:tickets edit:tickets read:calendar edit:calendar read:customers edit:customers read:crm edit:crm ' +
    'editMine:timesheets read:timesheets edit:timesheets read:contracts edit:contracts read:suppliers edit:suppliers read:items edit:items ' +
    'read:projects edit:projects read:sales edit:sales read:quotes edit:quotes read:sos edit:sos read:pos edit:pos read:invoices ' +
    'edit:invoices read:reporting edit:reporting read:software edit:software read:softwarelicensing edit:softwarelicensing read:kb ' +
    'edit:kb read:assets edit:assets access:chat access:adpasswordreset'
  ).split(' '),
);

export interface HaloCredential {
  clientId: string;
  clientSecret: string;
  /** `?tenant=` value (hosted); undefined for a self-hosted emulator. */
  tenant: string | undefined;
  /** What to request: `all` or a space-separated list. */
  scope: string;
}

export interface HaloCredentialSets {
  /** Application with every permission; its agent sees all clients. */
  valid: HaloCredential;
  /** Application without read:assets (nor items, invoices): Asset, AssetType, Item and RecurringInvoice answer 403. */
  limited: HaloCredential;
  /** Every permission, but the agent's Client Access Level covers only the "Managed Clients" top level: other clients and their records are filtered out (200, smaller record_count). */
  restricted: HaloCredential;
  /** Read permissions only (`read:customers read:assets read:contracts read:tickets read:items read:invoices`): reads work, creating a ticket or changing a recurring invoice answers 403. */
  readonly: HaloCredential;
}

export type CredentialName = keyof HaloCredentialSets;

export const TENANT = 'sidecartest';

interface AppSpec {
  name: string;
  areas: readonly HaloArea[];
  /** Areas the application may also write (`edit:X`); a subset of `areas`. */
  edits: readonly HaloArea[];
  /** null = the agent sees every client. */
  toplevels: readonly number[] | null;
}

const APPS: Record<CredentialName, AppSpec> = {
  valid: { name: 'Sidecar', areas: AREAS, edits: AREAS, toplevels: null },
  limited: { name: 'Sidecar (no assets)', areas: ['customers', 'contracts', 'tickets'], edits: ['customers', 'contracts', 'tickets'], toplevels: null },
  restricted: { name: 'Sidecar (managed clients only)', areas: AREAS, edits: AREAS, toplevels: [1] },
  readonly: { name: 'Sidecar (read only)', areas: AREAS, edits: [], toplevels: null },
};

const SECRETS: Record<CredentialName, { clientId: string; clientSecret: string }> = {
  valid: { clientId: '6b1f0c2e-4d7a-4e59-9a1c-3f2b8d5e7a10', clientSecret: 'Qm7vX2pL9sR4tK8wZ1nB6cH3jD5fG0aE-yU2iO7pA4sS9dF1gH6jK3lZ8xC5vB0n' },
  limited: { clientId: '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a', clientSecret: 'Lt4rE8wQ1yU6iO3pA9sD2fG7hJ5kL0zX-cV4bN8mQ2wE6rT1yU9iO3pA7sD5fG0h' },
  restricted: { clientId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', clientSecret: 'Rs2dF5gH8jK1lZ4xC7vB0nM3qW6eR9tY-uI2oP5aS8dF1gH4jK7lZ0xC3vB6nM9q' },
  readonly: { clientId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', clientSecret: 'Ro7pA3sD9fG2hJ6kL1zX5cV8bN4mQ0wE-rT7yU3iO9pA2sD6fG1hJ5kL8zX4cV0b' },
};

export function credentialSets(hosted: boolean): HaloCredentialSets {
  const make = (n: CredentialName): HaloCredential => ({ ...SECRETS[n], tenant: hosted ? TENANT : undefined, scope: 'all' });
  return { valid: make('valid'), limited: make('limited'), restricted: make('restricted'), readonly: make('readonly') };
}

export interface TokenGrant {
  credential: CredentialName;
  areas: ReadonlySet<HaloArea>;
  /** Areas the token may write (`edit:X`, or `all` on an application that has the edit permission). */
  edits: ReadonlySet<HaloArea>;
  /** Top-level ids the agent may see; null = all. */
  toplevels: readonly number[] | null;
  expiresAt: number;
  scope: string;
}

export type BearerResult = { ok: true; grant: TokenGrant } | { ok: false; response: EmuResponse };

export interface TokenServiceOptions {
  hosted: boolean;
  tokenLifetimeSec: number;
  /** Status for an unknown tenant (docs/psa/halo.md#token-errors: 400 or 401). */
  wrongTenantStatus: 400 | 401;
  /** djpsa suspects a new token invalidates the client's earlier ones [UNVERIFIED]; off by default. */
  newTokenRevokesOld: boolean;
}

function b64url(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

function oauthError(status: number, error: string, description: string): EmuResponse {
  return jsonResponse(
    status,
    { error, error_description: description, error_uri: `https://documentation.openiddict.com/errors/${error === 'invalid_client' ? 'ID2055' : 'ID2000'}` },
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
}

export class TokenService {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly revoked = new Set<CredentialName>();
  private seq = 0;
  readonly options: TokenServiceOptions;
  private readonly clock: Clock;
  readonly credentials: HaloCredentialSets;

  constructor(options: TokenServiceOptions, clock: Clock) {
    this.options = options;
    this.clock = clock;
    this.credentials = credentialSets(options.hosted);
  }

  /** Expire every token issued so far (the next API call answers 401). */
  expireAll(): void {
    for (const g of this.tokens.values()) g.expiresAt = Math.min(g.expiresAt, this.clock.now().getTime() - 1000);
  }

  /**
   * The application's secret was regenerated (or the application deleted): its tokens answer 401
   * and the token endpoint refuses its old secret (invalid_client).
   */
  revoke(name: CredentialName): void {
    this.revoked.add(name);
    for (const [token, grant] of this.tokens) if (grant.credential === name) this.tokens.delete(token);
  }

  issuedCount(): number {
    return this.tokens.size;
  }

  /** `POST {auth}/token`. */
  token(req: EmuRequest, ctx: EmuContext): EmuResponse {
    if (req.method !== 'POST') return oauthError(400, 'invalid_request', 'The specified HTTP method is not valid.');
    const ctype = (header(req, 'content-type') ?? '').toLowerCase();
    if (!ctype.startsWith('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', "The specified 'Content-Type' header is invalid.");
    const form = new URLSearchParams(req.body);
    const q = (name: string) => form.get(name) ?? undefined;

    // Tenant: query string (the established clients), or form body (asachs01/node-halopsa).
    let tenant: string | undefined;
    for (const [k, v] of req.url.searchParams) if (k.toLowerCase() === 'tenant') tenant = v;
    tenant ??= q('tenant');
    if (this.options.hosted) {
      if (!tenant?.trim()) return oauthError(400, 'invalid_request', "The mandatory 'tenant' parameter is missing.");
      if (tenant.trim().toLowerCase() !== TENANT) {
        const st = this.options.wrongTenantStatus;
        return oauthError(st, st === 401 ? 'invalid_client' : 'invalid_request', `The specified tenant '${tenant}' does not exist.`);
      }
    }

    const grant = q('grant_type');
    if (!grant) return oauthError(400, 'invalid_request', "The mandatory 'grant_type' parameter is missing.");
    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', "The specified 'grant_type' parameter is not supported.");

    // client_secret_post, or client_secret_basic (both are standard; OpenIddict accepts either).
    let clientId = q('client_id');
    let secret = q('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
    if (basic && !clientId) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (!clientId) return oauthError(400, 'invalid_request', "The mandatory 'client_id' parameter is missing.");
    const name = (Object.keys(SECRETS) as CredentialName[]).find((n) => SECRETS[n].clientId.toLowerCase() === clientId.toLowerCase());
    if (!name || secret !== SECRETS[name].clientSecret || this.revoked.has(name))
      return oauthError(401, 'invalid_client', 'The specified client credentials are invalid.');

    const scope = (q('scope') ?? 'all').trim() || 'all';
    const requested = scope.split(/\s+/);
    const unknown = requested.find((s) => !KNOWN_SCOPES.has(s));
    if (unknown) return oauthError(400, 'invalid_scope', `The specified 'scope' parameter is not valid: '${unknown}'.`);
    const app = APPS[name];
    const { areas, edits, granted } = grantOf(app, requested);

    if (this.options.newTokenRevokesOld) for (const [t, g] of this.tokens) if (g.credential === name) this.tokens.delete(t);
    const now = this.clock.now().getTime();
    const lifetime = this.options.tokenLifetimeSec;
    const issuer = `${ctx.baseUrl}/auth`;
    const claims = {
      iss: `${issuer}/`,
      sub: crypto.randomUUID(),
      client_id: clientId,
      scope: granted,
      tenant: this.options.hosted ? TENANT : undefined,
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + lifetime,
      jti: `${++this.seq}`,
    };
    const accessToken = `${b64url({ alg: 'RS256', kid: 'halo-emulator', typ: 'at+jwt' })}.${b64url(claims)}.${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
    this.tokens.set(accessToken, { credential: name, areas, edits, toplevels: app.toplevels, expiresAt: now + lifetime * 1000, scope: granted });
    return jsonResponse(
      200,
      {
        scope: granted,
        token_type: 'Bearer',
        access_token: accessToken,
        expires_in: lifetime,
        refresh_token: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
        id_token: `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss: `${issuer}/`, sub: claims.sub, aud: clientId, iat: claims.iat, exp: claims.exp })}.${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')}`,
      },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }

  /**
   * `Authorization: Bearer …` on /api. Missing/unknown/expired → 401 with an empty body and an
   * RFC 6750 `WWW-Authenticate` header, as ASP.NET Core's JwtBearer answers [INFER: body not documented].
   */
  bearer(req: EmuRequest): BearerResult {
    const m = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
    if (!m) return { ok: false, response: { status: 401, headers: { 'WWW-Authenticate': 'Bearer', 'Content-Length': '0' }, body: '' } };
    const grant = this.tokens.get(m[1] as string);
    if (!grant)
      return {
        ok: false,
        response: {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token is not valid."' },
          body: '',
        },
      };
    if (this.clock.now().getTime() >= grant.expiresAt) {
      const at = new Date(grant.expiresAt).toISOString().slice(0, 19).replace('T', ' ');
      return {
        ok: false,
        response: {
          status: 401,
          headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="The token expired at '${at} UTC'"` },
          body: '',
        },
      };
    }
    return { ok: true, grant };
  }
}

/**
 * What a token may do, and the scope the token response names. Scopes the application lacks are
 * dropped silently [INFER]; when that narrows the request the answer lists what was granted, as
 * RFC 6749 §5.1 asks ("REQUIRED if the scope differs from the one requested"), else it echoes the
 * request (`all` stays `all`).
 */
function grantOf(app: AppSpec, requested: readonly string[]): { areas: Set<HaloArea>; edits: Set<HaloArea>; granted: string } {
  const areas = new Set<HaloArea>();
  const edits = new Set<HaloArea>();
  let narrowed = false;
  const grant = (area: HaloArea, edit: boolean) => {
    if (!app.areas.includes(area)) return void (narrowed = true);
    areas.add(area); // edit:X implies reading X
    if (edit && app.edits.includes(area)) edits.add(area);
    else if (edit) narrowed = true;
  };
  for (const s of requested) {
    const m = /^(read|edit):(\w+)$/.exec(s);
    if (s === 'all' || s === 'all:standard' || s === 'admin') AREAS.forEach((a) => grant(a, true));
    else if (m && (AREAS as readonly string[]).includes(m[2] as string)) grant(m[2] as HaloArea, m[1] === 'edit');
    // Other modules (calendar, crm, …) are not emulated: granted as asked.
  }
  const listed = AREAS.flatMap((a) => [...(areas.has(a) ? [`read:${a}`] : []), ...(edits.has(a) ? [`edit:${a}`] : [])]);
  return { areas, edits, granted: narrowed ? listed.join(' ') : requested.join(' ') };
}

/** `GET {auth}/.well-known/openid-configuration` (docs/psa/halo.md#discovery, item 2). */
export function openIdConfiguration(authUrl: string): Record<string, unknown> {
  return {
    issuer: `${authUrl}/`,
    authorization_endpoint: `${authUrl}/authorize`,
    token_endpoint: `${authUrl}/token`,
    jwks_uri: `${authUrl}/.well-known/jwks`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', ...KNOWN_SCOPES],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}
