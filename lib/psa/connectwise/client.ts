import type { KyInstance } from 'ky';
import { z } from 'zod';
import { PsaError } from '../errors';
import { createHttpClient, toPsaError } from '../http';
import type { Pacer } from '../pacing';
import { connectwiseApiHost, type ConnectwiseCredentials, type ConnectwiseSettings } from './settings';
import { cwCompanyInfoSchema, cwErrorSchema } from './schemas';

/** Pins the model version we parse against (docs/psa/connectwise.md#request-headers). */
export const CW_ACCEPT = 'application/vnd.connectwise.com+json; version=2025.1, application/json';

/** Maps the statuses a caller understands (a 400's validation errors, a refused write) before the shared mapping. */
export type Describe = (status: number, body: unknown) => PsaError | undefined;

export interface ConnectwiseClientOptions {
  settings: ConnectwiseSettings;
  credentials: ConnectwiseCredentials;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /** Keeps API requests within a share of the vendor's rate limit (lib/psa/pacing.ts). */
  pacer?: Pacer;
}

export function uiOrigin(settings: Pick<ConnectwiseSettings, 'scheme' | 'host'>): string {
  return `${settings.scheme}://${settings.host}`;
}

export function apiOrigin(settings: Pick<ConnectwiseSettings, 'scheme' | 'host'>): string {
  return `${settings.scheme}://${connectwiseApiHost(settings.host)}`;
}

function basicAuth(settings: ConnectwiseSettings, credentials: ConnectwiseCredentials): string {
  const raw = `${settings.companyId}+${credentials.publicKey}:${credentials.privateKey}`;
  const bytes = new TextEncoder().encode(raw);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** ConnectWise error bodies are {code, message, errors[]}; the 429 body uses `error` instead. */
export function describeCwStatus(status: number, body: unknown): PsaError | undefined {
  const parsed = cwErrorSchema.safeParse(body);
  const message = parsed.success ? parsed.data.message : typeof body === 'string' ? body.slice(0, 200) : undefined;
  if (status === 401) {
    // No field is marked: a 401 does not say which of the three is wrong (#18: it outlined the public key for a wrong private key).
    return new PsaError('auth', 'ConnectWise rejected the API keys (401). Check the company ID, public key and private key of the API member.', { status });
  }
  if (status === 403) {
    return new PsaError('permission', `ConnectWise refused access (403)${message ? `: ${message}` : ''}.`, { status });
  }
  if (status === 404) return new PsaError('not-found', message ?? 'ConnectWise could not find the record (404).', { status });
  return undefined;
}

export class ConnectwiseClient {
  readonly settings: ConnectwiseSettings;
  private readonly options: ConnectwiseClientOptions;
  private http?: KyInstance;
  private codebase?: string;

  constructor(options: ConnectwiseClientOptions) {
    this.options = options;
    this.settings = options.settings;
    this.codebase = options.settings.codebase;
  }

  /** GET /login/companyinfo/{company}: unauthenticated, on the UI host (docs/psa/connectwise.md#codebase-lookup). */
  async companyInfo(): Promise<z.infer<typeof cwCompanyInfoSchema>> {
    const { settings } = this.options;
    const http = createHttpClient({
      baseUrl: uiOrigin(settings),
      timeoutMs: this.options.timeoutMs,
      retries: this.options.retries ?? 1,
      fetch: this.options.fetch,
    });
    let body: unknown;
    try {
      body = await http.get(`login/companyinfo/${encodeURIComponent(settings.companyId)}`).json();
    } catch (error) {
      const mapped = await toPsaError(error, settings.host, (status) => (status === 404 ? companyNotFound(settings) : undefined));
      if (mapped.code === 'unreachable') {
        throw new PsaError('unreachable', `Could not reach ${settings.host}. Check the domain and that this computer can open it.`, { field: 'domain' });
      }
      throw mapped.code === 'bad-response' ? companyNotFound(settings) : mapped;
    }
    const parsed = cwCompanyInfoSchema.safeParse(body);
    if (!parsed.success) throw companyNotFound(settings);
    return parsed.data;
  }

  async resolveCodebase(): Promise<string> {
    if (!this.codebase) {
      const info = await this.companyInfo();
      this.codebase = info.Codebase.endsWith('/') ? info.Codebase : `${info.Codebase}/`;
    }
    return this.codebase;
  }

  private async client(): Promise<KyInstance> {
    if (!this.http) {
      const codebase = await this.resolveCodebase();
      const { settings, credentials } = this.options;
      this.http = createHttpClient({
        baseUrl: `${apiOrigin(settings)}/${codebase}apis/3.0/`,
        headers: { Authorization: basicAuth(settings, credentials), clientId: credentials.clientId, Accept: CW_ACCEPT },
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        fetch: this.options.fetch,
        ...(this.options.pacer ? { pacer: this.options.pacer } : {}),
      });
    }
    return this.http;
  }

  /**
   * POST a JSON body to a path under /apis/3.0 and return the parsed answer. Never retried here:
   * a create whose answer was lost may have happened, and only the caller can tell
   * (docs/psa/connectwise.md#creating-tickets). `describe` maps statuses the caller knows (a 400's
   * validation errors) before the shared mapping.
   */
  post(path: string, body: unknown, describe?: Describe): Promise<unknown> {
    return this.send('post', path, body, describe);
  }

  /** PATCH with ConnectWise's operation list (docs/psa/connectwise.md#billing-counts); never retried, as POST. */
  patch(path: string, operations: unknown[], describe?: Describe): Promise<unknown> {
    return this.send('patch', path, operations, describe);
  }

  private async send(method: 'post' | 'patch', path: string, body: unknown, describe?: Describe): Promise<unknown> {
    const http = await this.client();
    try {
      const response = await http(path, { method, json: body, retry: 0 });
      const text = await response.text();
      try {
        return text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        throw new PsaError('bad-response', `ConnectWise sent a response that is not JSON for ${path}.`);
      }
    } catch (error) {
      throw await toPsaError(error, this.settings.host, (status, data) => describe?.(status, data) ?? describeCwStatus(status, data));
    }
  }

  /** GET a path under /apis/3.0 and return the parsed JSON body. */
  async get(path: string, searchParams?: Record<string, string | number>): Promise<unknown> {
    const http = await this.client();
    try {
      const response = await http.get(path, searchParams ? { searchParams } : {});
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new PsaError('bad-response', `ConnectWise sent a response that is not JSON for ${path}.`);
      }
    } catch (error) {
      throw await toPsaError(error, this.settings.host, describeCwStatus);
    }
  }
}

function companyNotFound(settings: ConnectwiseSettings): PsaError {
  return new PsaError(
    'company-not-found',
    `${settings.host} does not know the company ID "${settings.companyId}". Use the company you type on the ConnectWise login screen.`,
    { field: 'companyId' },
  );
}
