import { EmulatorCore } from '../framework/core.ts';
import type { FaultSpec } from '../framework/faults.ts';
import type { RateLimitConfig } from '../framework/rate-limit.ts';
import type { LoggedRequest } from '../framework/request-log.ts';
import { startServer } from '../framework/server.ts';
import { authenticateForm } from './auth.ts';
import type { BmsCredential, BmsCredentialSets } from './auth.ts';
import type { Preset } from './dataset.ts';
import { createKaseyaBms } from './index.ts';
import type { KaseyaBmsOptions } from './index.ts';
import type { BmsRecord } from './mutations.ts';
import { DEFAULT_RATE_LIMIT, EndpointRateLimiter } from './rate-limit.ts';
import type { BmsAccount, BmsAsset, BmsEntity, BmsStore } from './store.ts';

export type { BmsCredential, BmsCredentialSets, BmsEntity, BmsRecord, BmsStore, FaultSpec, LoggedRequest, Preset, RateLimitConfig };
export { authenticateForm };

export interface KaseyaBmsEmulatorOptions extends Omit<KaseyaBmsOptions, 'rateLimiter'> {
  preset?: Preset;
  seed?: number;
  host?: string;
  port?: number;
  /** Base URL clients see (reverse proxy, other host name). */
  publicBaseUrl?: string;
  latencyMs?: number;
  /** Per endpoint (METHOD + route template). Default 1,500 calls per hour; null = unlimited. */
  rateLimit?: RateLimitConfig | null;
  /** Access-token lifetime in seconds (default 1200). */
  tokenLifetimeSec?: number;
}

export interface KaseyaBmsMutations {
  renameAccount(id: number, name: string): BmsAccount;
  /** account / location / contact ("First Last") / contract / asset / ticket (title). */
  rename(entity: BmsEntity, id: number, name: string): BmsRecord;
  /** Hard delete (BMS has no tombstones); an account takes everything under it along. */
  remove(entity: BmsEntity, id: number): null;
  add(entity: BmsEntity, partialRecord?: Record<string, unknown>): BmsRecord;
  update(entity: BmsEntity, id: number, patch: Record<string, unknown>): BmsRecord;
  /** Hardware asset category by name (created when new). */
  changeAssetType(id: number, categoryName: string): BmsAsset;
}

export interface KaseyaBmsControl {
  setLatency(ms: number): void;
  /** Per-endpoint limit; null = unlimited. Resets the counters. */
  setRateLimit(config: RateLimitConfig | null): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests(): LoggedRequest[];
  resetRequestLog(): void;
  /** Pin the emulator clock (token expiry, rate-limit windows, mutation stamps); null = real time. */
  setNow(date: Date | string | number | null): void;
  now(): Date;
  /** Every issued access token answers 401 (+ `Token-Expired: true`) from now on; refresh still works unless `refresh: true`. */
  expireTokens(opts?: { refresh?: boolean }): void;
  /** The API user's password is changed (default: the valid user): its tokens answer 401, refresh and sign-in with the old password fail. */
  revokeCredentials(userName?: string): void;
  mutate: KaseyaBmsMutations;
}

export interface RunningKaseyaBms {
  psa: 'kaseya-bms';
  /** Web UI origin, e.g. http://127.0.0.1:PORT (or publicBaseUrl). No trailing slash. */
  baseUrl: string;
  /**
   * What the adapter must use as its API base (real product: `https://api.<web host>`). The
   * emulator serves API and UI on one origin, so this equals baseUrl; paths start with `/v2/`.
   */
  apiBaseUrl: string;
  localUrl: string;
  credentials: BmsCredentialSets;
  data: BmsStore;
  control: KaseyaBmsControl;
  close(): Promise<void>;
}

export async function startKaseyaBmsEmulator(options: KaseyaBmsEmulatorOptions = {}): Promise<RunningKaseyaBms> {
  const limiter = new EndpointRateLimiter(options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit);
  const core = new EmulatorCore();
  // The framework's limiter is global; BMS limits per endpoint. Installing the per-endpoint
  // limiter as the core's limiter makes `control.setRateLimit` and `POST /__emulator/rate-limit`
  // configure it, while its global `take()` stays a no-op (see rate-limit.ts).
  Object.defineProperty(core, 'rateLimiter', { value: limiter, enumerable: true });
  core.latencyMs = options.latencyMs ?? 0;
  const { host, port, publicBaseUrl, latencyMs: _latency, rateLimit: _rateLimit, ...moduleOptions } = options;
  const bms = createKaseyaBms({ ...moduleOptions, rateLimiter: limiter }, core.clock);
  const server = await startServer({ host: host ?? '127.0.0.1', port: port ?? 0, publicBaseUrl, core, module: bms.module });
  const m = bms.mutator;
  return {
    psa: 'kaseya-bms',
    baseUrl: server.baseUrl,
    apiBaseUrl: server.baseUrl,
    localUrl: server.localUrl,
    credentials: bms.credentials,
    data: bms.data,
    control: {
      setLatency: (ms) => void (core.latencyMs = ms),
      setRateLimit: (c) => limiter.set(c),
      injectFault: (f) => core.faults.add(f),
      clearFaults: () => core.faults.clear(),
      requests: () => core.log.list(),
      resetRequestLog: () => core.log.reset(),
      setNow: (d) => core.clock.setNow(d),
      now: () => core.clock.now(),
      expireTokens: (o) => bms.tokens.expireAll(o),
      revokeCredentials: (userName = bms.credentials.valid.userName) => bms.tokens.revokeUser(userName),
      mutate: {
        renameAccount: (id, name) => m.renameAccount(id, name),
        rename: (entity, id, name) => m.rename(entity, id, name),
        remove: (entity, id) => m.remove(entity, id),
        add: (entity, partial) => m.add(entity, partial),
        update: (entity, id, patch) => m.update(entity, id, patch),
        changeAssetType: (id, name) => m.changeAssetType(id, name),
      },
    },
    close: () => server.close(),
  };
}
