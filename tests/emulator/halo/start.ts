/**
 * HaloPSA emulator: REST API (`/api`), authorisation server (`/auth`), agent web app and portal
 * pages (same origin) and the framework's `/__emulator/*` control endpoints on one HTTP server.
 *
 *   const halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
 *   const token = await haloToken(halo.baseUrl, halo.credentials.valid);
 *   await fetch(`${halo.baseUrl}/api/Client`, { headers: { Authorization: `Bearer ${token}` } });
 */
import type { FaultSpec } from '../framework/faults.ts';
import type { RateLimitConfig } from '../framework/rate-limit.ts';
import type { LoggedRequest } from '../framework/request-log.ts';
import { startServer } from '../framework/server.ts';
import type { HaloCredential, HaloCredentialSets } from './auth.ts';
import type { Preset } from './dataset.ts';
import { createHalo } from './index.ts';
import type { HaloMutator } from './mutations.ts';
import { HALO_RATE_LIMIT, HaloCore } from './rate-limit.ts';
import type { HaloEntity, HaloRecord, HaloStore } from './store.ts';

export type { FaultSpec, RateLimitConfig, LoggedRequest, Preset, HaloCredential, HaloCredentialSets, HaloEntity, HaloRecord, HaloStore };
export { HALO_RATE_LIMIT };

export interface HaloEmulatorOptions {
  preset?: Preset;
  seed?: number;
  host?: string;
  port?: number;
  /** Base URL clients see (reverse proxy, other host name); used in auth_url, web_url, links. */
  publicBaseUrl?: string;
  latencyMs?: number;
  /** Default: Halo's 300 requests per rolling 5 minutes on /api. null = unlimited. */
  rateLimit?: RateLimitConfig | null;
  /** `expires_in` of access tokens; default 3600. */
  tokenLifetimeSec?: number;
  /** Hosted Halo (tenant required, default true) or self-hosted (no tenant). */
  hosted?: boolean;
  /** Status for an unknown tenant: 400 (default) or 401. */
  wrongTenantStatus?: 400 | 401;
  /** A new token revokes the client's earlier tokens. Default false. */
  newTokenRevokesOld?: boolean;
  /** 429 body format; default 'text' (Halo's message as plain text). */
  rateLimitBody?: 'text' | 'json';
  /** Client list rows also carry `website` and `mainsite_address`, as newer Halo versions are said to; default false (the April 2025 spec's `Area_List`). */
  newerClientList?: boolean;
  /** Send Retry-After with 429; default true. */
  retryAfterHeader?: boolean;
  /** Instant generated data is "as of" (default fixed, for determinism). */
  dataAnchor?: string | Date;
}

export interface HaloEmulatorMutations {
  renameClient(id: number, name: string): HaloRecord;
  /** client / site / asset (key field) / contract (ref) / ticket (summary) / user ("First Last"). */
  rename(entity: HaloEntity, id: number, name: string): HaloRecord;
  /** Hard delete (list calls never report deletions). */
  remove(entity: HaloEntity, id: number): HaloRecord | null;
  add(entity: HaloEntity, partialRecord?: Record<string, unknown>): HaloRecord;
  update(entity: HaloEntity, id: number, patch: Record<string, unknown>): HaloRecord;
  setInactive(entity: HaloEntity, id: number, inactive?: boolean): HaloRecord;
  /** By type id or name (an unknown name creates the asset type). */
  changeAssetType(id: number, type: string | number): HaloRecord;
}

export interface HaloEmulatorControl {
  setLatency(ms: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests(): LoggedRequest[];
  resetRequestLog(): void;
  /** Pin the emulator clock (token expiry, mutation timestamps); null = real time. */
  setNow(date: Date | string | number | null): void;
  now(): Date;
  /** Every token issued so far answers 401 from now on. */
  expireTokens(): void;
  /** The application's secret is regenerated (default `valid`): its tokens answer 401 and new token requests invalid_client. */
  revokeCredentials(name?: keyof HaloCredentialSets): void;
  /** `/api/authinfo` and InstanceInfo name this authorisation server (e.g. another origin); null = the emulator's own `/auth`. Its `/auth/token` keeps working. */
  setAuthUrl(url: string | null): void;
  mutate: HaloEmulatorMutations;
}

export interface RunningHaloEmulator {
  psa: 'halo';
  /** e.g. http://127.0.0.1:PORT (the "web app" / resource server origin), or publicBaseUrl. No trailing slash. */
  baseUrl: string;
  /** `${baseUrl}/api` */
  apiUrl: string;
  /** `${baseUrl}/auth` (token endpoint: `${authUrl}/token`) */
  authUrl: string;
  /** The socket the server listens on (= baseUrl unless publicBaseUrl points elsewhere). */
  localUrl: string;
  /** 'sidecartest' when hosted, undefined when self-hosted. */
  tenant: string | undefined;
  credentials: HaloCredentialSets;
  /** The live dataset (read expected state from it; change it through control.mutate). */
  data: HaloStore;
  control: HaloEmulatorControl;
  close(): Promise<void>;
}

function mutations(m: HaloMutator): HaloEmulatorMutations {
  return {
    renameClient: (id, name) => m.rename('client', id, name),
    rename: (entity, id, name) => m.rename(entity, id, name),
    remove: (entity, id) => m.remove(entity, id),
    add: (entity, partial) => m.add(entity, partial),
    update: (entity, id, patch) => m.update(entity, id, patch),
    setInactive: (entity, id, inactive) => m.setInactive(entity, id, inactive),
    changeAssetType: (id, type) => m.changeAssetType(id, type),
  };
}

export async function startHaloEmulator(options: HaloEmulatorOptions = {}): Promise<RunningHaloEmulator> {
  const core = new HaloCore();
  core.latencyMs = options.latencyMs ?? 0;
  core.rateLimiter.set(options.rateLimit === undefined ? HALO_RATE_LIMIT : options.rateLimit);
  const halo = createHalo(
    {
      preset: options.preset,
      seed: options.seed,
      dataAnchor: options.dataAnchor,
      hosted: options.hosted,
      tokenLifetimeSec: options.tokenLifetimeSec,
      wrongTenantStatus: options.wrongTenantStatus,
      newTokenRevokesOld: options.newTokenRevokesOld,
      rateLimitBody: options.rateLimitBody,
      retryAfterHeader: options.retryAfterHeader,
      newerClientList: options.newerClientList,
      rateLimitConfig: () => core.rateLimiter.get(),
    },
    core.clock,
  );
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    publicBaseUrl: options.publicBaseUrl,
    core,
    module: halo.module,
  });
  return {
    psa: 'halo',
    baseUrl: server.baseUrl,
    apiUrl: `${server.baseUrl}/api`,
    authUrl: `${server.baseUrl}/auth`,
    localUrl: server.localUrl,
    tenant: halo.credentials.valid.tenant,
    credentials: halo.credentials,
    data: halo.data,
    control: {
      setLatency: (ms) => void (core.latencyMs = ms),
      setRateLimit: (c) => core.rateLimiter.set(c),
      injectFault: (f) => core.faults.add(f),
      clearFaults: () => core.faults.clear(),
      requests: () => core.log.list(),
      resetRequestLog: () => core.log.reset(),
      setNow: (d) => core.clock.setNow(d),
      now: () => core.clock.now(),
      expireTokens: () => halo.tokens.expireAll(),
      revokeCredentials: (name = 'valid') => halo.tokens.revoke(name),
      setAuthUrl: (url) => halo.setAuthUrl(url),
      mutate: mutations(halo.mutator),
    },
    close: () => server.close(),
  };
}

/** Client-credentials token for a credential set (for tests and tools). */
export async function haloToken(baseUrl: string, c: HaloCredential, scope = c.scope): Promise<string> {
  const url = new URL(`${baseUrl}/auth/token`);
  if (c.tenant) url.searchParams.set('tenant', c.tenant);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, scope }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
