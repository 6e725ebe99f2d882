import { HTTPError, type KyInstance } from 'ky';
import { PsaError } from '../errors';
import { createHttpClient, isRedirect, postForm, toPsaError } from '../http';
import type { Pacer } from '../pacing';
import { TokenSession, type SessionToken } from '../token-session';
import { bmsTokenSchema } from './schemas';
import type { BmsCredentials, BmsSettings } from './settings';
import { bmsDate, camelKeys, envelopeSchema, errorMessage, type Envelope } from './wire';

export interface BmsClientOptions {
  settings: BmsSettings;
  credentials: BmsCredentials;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /** Keeps API requests within a share of the vendor's rate limit (lib/psa/pacing.ts). */
  pacer?: Pacer;
}

/** Lifetimes are unpublished (docs/psa/kaseya-bms.md#token-lifetime-and-expiry): when the response gives none, assume 15 minutes. */
const DEFAULT_LIFETIME_MS = 15 * 60_000;
const RENEW_EARLY_MS = 60_000;

interface BmsToken extends SessionToken {
  refresh?: string;
}

/**
 * BMS v2 token auth: POST /v2/security/authenticate (form body), refresh before expiry with
 * /v2/security/refreshtoken, and re-authenticate once when a call answers 401.
 */
export class BmsClient {
  readonly settings: BmsSettings;
  private readonly options: BmsClientOptions;
  private readonly apiHost: string;
  private http?: KyInstance;
  // The first token comes from signing in; later ones from the refresh token when there is one.
  private readonly session = new TokenSession<BmsToken>((current) => (current ? this.renew(current) : this.authenticate()));

  constructor(options: BmsClientOptions) {
    this.options = options;
    this.settings = options.settings;
    this.apiHost = new URL(options.settings.apiOrigin).host;
  }

  private async postForm(path: string, form: Record<string, string>): Promise<Envelope> {
    let body: unknown;
    try {
      // A redirect would re-post the user name and password to an address nobody entered: refused.
      body = await postForm(`${this.settings.apiOrigin}/${path}`, new URLSearchParams(form), {
        redirect: 'manual',
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        fetch: this.options.fetch,
      });
    } catch (error) {
      if (error instanceof HTTPError && isRedirect(error.response)) {
        const location = error.response.headers.get('location');
        throw new PsaError(
          'config',
          `${this.apiHost} redirected the sign-in${location ? ` to ${location}` : ''}; Sidecar does not send the password on to an address you did not enter. If that is the BMS API, type it in "API address".`,
          { status: error.response.status, field: 'apiUrl' },
        );
      }
      if (error instanceof HTTPError && error.response.status < 500 && error.response.status !== 429) {
        throw this.loginError(errorMessage(error.data), error.response.status);
      }
      const mapped = await toPsaError(error, this.apiHost);
      if (mapped.code === 'unreachable') {
        throw new PsaError('unreachable', `Could not reach the BMS API at ${this.apiHost}. Check the server (and the API address if you set one).`, {
          field: 'region',
        });
      }
      throw mapped;
    }
    const envelope = envelopeSchema.safeParse(camelKeys(body));
    if (!envelope.success) throw new PsaError('bad-response', `${this.apiHost} did not answer like the BMS API.`);
    if (envelope.data.success === false) throw this.loginError(envelope.data.error?.message ?? undefined);
    return envelope.data;
  }

  /** Turns BMS's login refusals into the field the user should fix. */
  private loginError(message: string | undefined, status?: number): PsaError {
    const text = message ?? '';
    const extra = status ? { status } : {};
    if (/api access|api employee|not allowed to use the api|api user/i.test(text)) {
      return new PsaError(
        'permission',
        `BMS refused API access for this user${text ? ` (“${text}”)` : ''}: the user must be an API Employee with Has API Access (Admin › Special Features).`,
        {
          ...extra,
          field: 'username',
        },
      );
    }
    if (/tenant|company/i.test(text)) {
      return new PsaError('company-not-found', `BMS does not know the tenant "${this.settings.tenant}". Use the company name shown under My Settings.`, {
        ...extra,
        field: 'tenant',
      });
    }
    return new PsaError('auth', `BMS rejected the user name or password${text ? ` (“${text}”)` : ''}.`, { ...extra, field: 'password' });
  }

  private readToken(result: unknown): BmsToken {
    const parsed = bmsTokenSchema.safeParse(result);
    if (!parsed.success) throw new PsaError('bad-response', `${this.apiHost} sent an unreadable token.`);
    const expires = bmsDate(parsed.data.accessTokenExpireOn);
    const expiresAt = expires ? Date.parse(expires) : Date.now() + DEFAULT_LIFETIME_MS;
    return {
      value: parsed.data.accessToken,
      ...(parsed.data.refreshToken ? { refresh: parsed.data.refreshToken } : {}),
      expiresAt: Math.max(Date.now() + 5_000, expiresAt - RENEW_EARLY_MS),
    };
  }

  private async authenticate(): Promise<BmsToken> {
    const { result } = await this.postForm('v2/security/authenticate', {
      GrantType: 'password',
      UserName: this.options.credentials.username,
      Password: this.options.credentials.password,
      Tenant: this.settings.tenant,
    });
    return this.readToken(result);
  }

  private async renew(previous: BmsToken): Promise<BmsToken> {
    if (previous.refresh) {
      try {
        const { result } = await this.postForm('v2/security/refreshtoken', { AccessToken: previous.value, RefreshToken: previous.refresh });
        return this.readToken(result);
      } catch {
        // An expired refresh token: sign in again below.
      }
    }
    return this.authenticate();
  }

  accessToken(force = false): Promise<string> {
    return this.session.accessToken(force);
  }

  private api(): KyInstance {
    this.http ??= createHttpClient({
      baseUrl: `${this.settings.apiOrigin}/`,
      timeoutMs: this.options.timeoutMs,
      retries: this.options.retries,
      fetch: this.options.fetch,
      ...(this.options.pacer ? { pacer: this.options.pacer } : {}),
    });
    return this.http;
  }

  /** GET a v2 path; returns the envelope. On 401 the token is renewed once. */
  get(path: string, searchParams?: Record<string, string | number | boolean>): Promise<Envelope> {
    return this.call('get', path, searchParams ? { searchParams } : {});
  }

  /**
   * POST a JSON body to a v2 path; returns the envelope. Never retried on its own (a create that
   * timed out may have been done: the caller decides). `refusal` names the caller's own error for
   * a refused write (an HTTP 4xx, or 200 with `success:false`); undefined keeps the default mapping.
   */
  post(path: string, json: unknown, refusal?: BmsRefusal): Promise<Envelope> {
    return this.call('post', path, { json }, refusal);
  }

  /**
   * PATCH a JSON Patch document (`[{op, path, value}]`, how BMS updates records,
   * docs/psa/kaseya-bms.md#billing-counts); never retried on its own, like `post`.
   */
  patch(path: string, operations: unknown[], refusal?: BmsRefusal): Promise<Envelope> {
    return this.call('patch', path, { body: JSON.stringify(operations), headers: { 'Content-Type': 'application/json-patch+json' } }, refusal);
  }

  private async call(
    method: 'get' | 'post' | 'patch',
    path: string,
    request: { searchParams?: Record<string, string | number | boolean>; json?: unknown; body?: string; headers?: Record<string, string> },
    refusal?: BmsRefusal,
  ): Promise<Envelope> {
    const write = method !== 'get';
    const body = await this.session.send(
      async (token) => {
        const { headers, ...rest } = request;
        const response = await this.api()(path, {
          method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...headers },
          // A write is sent once: a lost answer may hide a change that was made.
          ...(write ? { retry: 0 } : {}),
          ...rest,
        });
        const text = await response.text();
        // A write may be answered without a body (204, or 200 with none): nothing to read, not a failure.
        if (write && !text.trim()) return null;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new PsaError('bad-response', `BMS sent a response that is not JSON for ${path}.`);
        }
      },
      (error) => toPsaError(error, this.apiHost, (status, data) => refusal?.(status, data) ?? describeBmsStatus(status, data, path)),
    );
    if (body === null) return { result: null };
    const envelope = envelopeSchema.safeParse(camelKeys(body));
    // A few single-record endpoints answer without the envelope (docs/psa/kaseya-bms.md#envelope): treat the body as the result.
    if (!envelope.success || (!('result' in (body as object)) && !('Result' in (body as object)))) return { result: camelKeys(body) };
    if (envelope.data.success === false) {
      const own = refusal?.(200, body);
      if (own) throw own;
      const message = envelope.data.error?.message ?? 'no details';
      if (/not found|does not exist/i.test(message)) throw new PsaError('not-found', `BMS: ${message}`);
      if (/access|permission|denied|authori/i.test(message)) throw new PsaError('permission', `BMS refused ${path.split('?')[0]}: ${message}`);
      throw new PsaError('bad-response', `BMS could not answer ${path.split('?')[0]}: ${message}`);
    }
    return envelope.data;
  }
}

/** A caller's reading of a refused request: the HTTP status (200 for `success:false`) and the body. */
export type BmsRefusal = (status: number, body: unknown) => PsaError | undefined;

export function describeBmsStatus(status: number, body: unknown, path: string): PsaError | undefined {
  const message = errorMessage(body);
  if (status === 401)
    return new PsaError('auth', `BMS refused the session (401)${message ? `: ${message}` : ''}. Check the user name and password.`, { status });
  if (status === 403) {
    return new PsaError(
      'permission',
      `BMS refused access to ${path.split('?')[0]} (403)${message ? `: ${message}` : ''}. The API Employee's security role needs view access to it.`,
      { status },
    );
  }
  if (status === 404) return new PsaError('not-found', message ?? `BMS could not find ${path.split('?')[0]} (404).`, { status });
  return undefined;
}
