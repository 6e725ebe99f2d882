import { HTTPError, type KyInstance } from 'ky';
import { PsaError } from '../errors';
import { createHttpClient, isRedirect, postForm, toPsaError } from '../http';
import type { Pacer } from '../pacing';
import { TokenSession, type SessionToken } from '../token-session';
import { authServerRefusal } from './auth-server';
import { haloAuthInfoSchema, haloTokenErrorSchema, haloTokenSchema } from './schemas';
import type { HaloCredentials, HaloSettings } from './settings';

export interface HaloClientOptions {
  settings: HaloSettings;
  credentials: HaloCredentials;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /** Keeps API requests within a share of the vendor's rate limit (lib/psa/pacing.ts). */
  pacer?: Pacer;
}

/** Renew this long before Halo says the token expires (docs/psa/halo.md#token-renewal). */
const RENEW_EARLY_MS = 90_000;

/**
 * Halo's client-credentials flow: the token is cached, renewed before it expires, and renewed
 * once more when a request answers 401 (tokens can be revoked early). One token request is in
 * flight at a time.
 */
export class HaloClient {
  readonly settings: HaloSettings;
  private readonly options: HaloClientOptions;
  private readonly host: string;
  private http?: KyInstance;
  private readonly session = new TokenSession<SessionToken>(() => this.requestToken());
  private authUrl?: string;
  private tenant?: string;
  /** The scope the last token response granted (`all`, or a list such as `read:tickets edit:tickets`); undefined when Halo named none. */
  grantedScope?: string;

  constructor(options: HaloClientOptions) {
    this.options = options;
    this.settings = options.settings;
    this.host = new URL(options.settings.resourceOrigin).host;
    this.tenant = options.settings.tenant;
  }

  private plain(): KyInstance {
    return createHttpClient({
      baseUrl: this.settings.resourceOrigin,
      timeoutMs: this.options.timeoutMs,
      retries: this.options.retries ?? 1,
      fetch: this.options.fetch,
      redirect: 'manual',
    });
  }

  /** GET /api/authinfo: anonymous; proves the address is a Halo and gives the auth server. */
  async authInfo(): Promise<{ authUrl: string; tenant?: string }> {
    let body: unknown;
    try {
      body = await this.plain().get('api/authinfo').json();
    } catch (error) {
      const mapped = await toPsaError(error, this.host);
      if (mapped.code === 'unreachable') {
        throw new PsaError('unreachable', `Could not reach ${this.host}. Check the resource server address.`, { field: 'resourceServer' });
      }
      if (error instanceof HTTPError && isRedirect(error.response)) throw new PsaError('config', mapped.message, { field: 'resourceServer' });
      throw new PsaError('config', `${this.host} did not answer like a HaloPSA server (no /api/authinfo). Check the resource server address.`, {
        field: 'resourceServer',
      });
    }
    const parsed = haloAuthInfoSchema.safeParse(body);
    if (!parsed.success)
      throw new PsaError('config', `${this.host} did not answer like a HaloPSA server. Check the resource server address.`, { field: 'resourceServer' });
    const tenant = parsed.data.tenant_id === null || parsed.data.tenant_id === undefined ? undefined : String(parsed.data.tenant_id);
    return { authUrl: parsed.data.auth_url.replace(/\/+$/, ''), ...(tenant ? { tenant } : {}) };
  }

  /** The authorisation server, checked before any request goes to it (auth-server.ts). */
  async resolveAuthUrl(): Promise<string> {
    if (!this.authUrl) {
      let authUrl = this.settings.authServer ?? this.settings.authUrl;
      if (!authUrl) {
        const info = await this.authInfo();
        authUrl = info.authUrl;
        this.tenant ??= info.tenant;
      }
      // Also a saved one: an earlier version saved whatever authinfo named.
      const refused = authServerRefusal(authUrl, this.settings);
      if (refused) throw refused;
      this.authUrl = authUrl;
    }
    return this.authUrl;
  }

  private async requestToken(): Promise<SessionToken> {
    const authUrl = await this.resolveAuthUrl();
    const url = new URL(`${authUrl}/token`);
    if (this.tenant) url.searchParams.set('tenant', this.tenant);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.credentials.clientId,
      client_secret: this.options.credentials.clientSecret,
      scope: 'all',
    });
    let json: unknown;
    try {
      // A redirect would carry the secret to a server nobody checked: refused (tokenError).
      json = await postForm(url, body, { redirect: 'manual', timeoutMs: this.options.timeoutMs, retries: this.options.retries, fetch: this.options.fetch });
    } catch (error) {
      throw await this.tokenError(error, url.host);
    }
    const parsed = haloTokenSchema.safeParse(json);
    if (!parsed.success) throw new PsaError('bad-response', `${url.host} sent an unreadable token response.`);
    this.grantedScope = parsed.data.scope ?? undefined;
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    return { value: parsed.data.access_token, expiresAt: Date.now() + lifetimeMs - Math.min(RENEW_EARLY_MS, lifetimeMs / 2) };
  }

  private async tokenError(error: unknown, host: string): Promise<PsaError> {
    if (error instanceof HTTPError && isRedirect(error.response)) {
      const location = error.response.headers.get('location');
      return new PsaError(
        'config',
        `${host} redirected the token request${location ? ` to ${location}` : ''}; Sidecar does not send the client secret on to a server you did not enter. If you trust that server, type it in "Authorisation server".`,
        { status: error.response.status, field: 'authServer' },
      );
    }
    if (error instanceof HTTPError) {
      const oauth = haloTokenErrorSchema.safeParse(error.data);
      const code = oauth.success ? oauth.data.error : undefined;
      const description = oauth.success ? oauth.data.error_description : typeof error.data === 'string' ? error.data : undefined;
      if (/tenant/i.test(`${code ?? ''} ${description ?? ''}`)) {
        return new PsaError(
          'auth',
          `Halo does not know the tenant "${this.tenant ?? ''}". Copy it from Configuration › Integrations › Halo API, or leave it blank for self-hosted Halo.`,
          {
            status: error.response.status,
            field: 'tenant',
          },
        );
      }
      if (code === 'invalid_client' || error.response.status === 401) {
        return new PsaError(
          'auth',
          'Halo rejected the client ID or secret (invalid_client). Check both; changing the login type in Halo regenerates the secret.',
          {
            status: error.response.status,
            field: 'clientSecret',
          },
        );
      }
      if (code)
        return new PsaError('auth', `Halo refused the token request: ${code}${description ? ` (${description})` : ''}.`, { status: error.response.status });
    }
    return toPsaError(error, host);
  }

  accessToken(renew = false): Promise<string> {
    return this.session.accessToken(renew);
  }

  private api(): KyInstance {
    this.http ??= createHttpClient({
      baseUrl: `${this.settings.resourceOrigin}/api/`,
      timeoutMs: this.options.timeoutMs,
      retries: this.options.retries,
      fetch: this.options.fetch,
      redirect: 'manual',
      ...(this.options.pacer ? { pacer: this.options.pacer } : {}),
    });
    return this.http;
  }

  /** GET /api/{path}; on 401 the token is renewed once and the request repeated. */
  get(path: string, searchParams?: Record<string, string | number | boolean>): Promise<unknown> {
    return this.session.send(
      async (token) => readJson(await this.api().get(path, { headers: { Authorization: `Bearer ${token}` }, ...(searchParams ? { searchParams } : {}) }), path),
      (error) => toPsaError(error, this.host, (status) => describeHaloStatus(status, path)),
    );
  }

  /**
   * POST /api/{path} with a JSON body. Never repeated on its own (ky retries no POST): a create
   * that timed out may have been done, which only the caller can check. A 401 is repeated once
   * with a new token (Halo did nothing then). `describe` maps the statuses this write means
   * something specific for (its body as ky read it).
   */
  post(path: string, body: unknown, describe?: (status: number, data: unknown) => PsaError | undefined): Promise<unknown> {
    return this.session.send(
      async (token) => readJson(await this.api().post(path, { headers: { Authorization: `Bearer ${token}` }, json: body }), path),
      (error) => toPsaError(error, this.host, (status, data) => describe?.(status, data) ?? describeHaloStatus(status, path)),
    );
  }
}

async function readJson(response: Response, path: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PsaError('bad-response', `Halo sent a response that is not JSON for ${path}.`);
  }
}

const SCOPE_FOR: Record<string, string> = {
  client: 'read:customers',
  site: 'read:customers',
  users: 'read:customers',
  asset: 'read:assets',
  assettype: 'read:assets',
  clientcontract: 'read:contracts',
  tickets: 'read:tickets',
  item: 'read:items',
  recurringinvoice: 'read:invoices',
};

export function describeHaloStatus(status: number, path: string): PsaError | undefined {
  const resource = path.split(/[/?]/)[0]!.toLowerCase();
  if (status === 401) {
    return new PsaError('auth', 'Halo refused the token for this request (401). Check the API application’s permissions and the agent it logs in as.', {
      status,
    });
  }
  if (status === 403) {
    const scope = SCOPE_FOR[resource];
    return new PsaError(
      'permission',
      `Halo refused access to ${path.split('?')[0]} (403). Give the API application ${scope ? `the ${scope} permission` : 'read access'} and check the agent it logs in as can see all clients (Client Access Level: All).`,
      { status },
    );
  }
  if (status === 404) return new PsaError('not-found', `Halo could not find ${path.split('?')[0]} (404).`, { status });
  return undefined;
}
