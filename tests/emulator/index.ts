/**
 * PSA emulators for tests, demos and e2e runs. One HTTP server per emulator serves the PSA's
 * REST API, its web UI pages (same origin, like an on-premises install) and `/__emulator/*`
 * control endpoints. ConnectWise Manage, HaloPSA (`halo/`) and Kaseya BMS (`kaseya-bms/`) plug in
 * as sibling modules through framework/module.ts.
 */
import { EmulatorCore } from './framework/core.ts';
import type { FaultSpec } from './framework/faults.ts';
import type { RateLimitConfig } from './framework/rate-limit.ts';
import type { LoggedRequest } from './framework/request-log.ts';
import { startServer } from './framework/server.ts';
import { authHeaders } from './connectwise/auth.ts';
import type { CwCredential, CwCredentialSets } from './connectwise/auth.ts';
import { createConnectwise } from './connectwise/index.ts';
import { startHaloEmulator, type HaloEmulatorOptions, type RunningHaloEmulator } from './halo/start.ts';
import { startKaseyaBmsEmulator, type KaseyaBmsEmulatorOptions, type RunningKaseyaBms } from './kaseya-bms/start.ts';
import type { Preset } from './connectwise/dataset.ts';
import type { CwMutator } from './connectwise/mutations.ts';
import type { CwEntity, CwRecord, CwStore } from './connectwise/store.ts';

export type { FaultSpec, RateLimitConfig, LoggedRequest, Preset, CwCredential, CwCredentialSets, CwEntity, CwRecord, CwStore };
export type { HaloEmulatorOptions, RunningHaloEmulator, KaseyaBmsEmulatorOptions, RunningKaseyaBms };
export { authHeaders as connectwiseAuthHeaders };

export type PsaName = 'connectwise';

export interface EmulatorOptions {
  psa: PsaName;
  preset?: Preset;
  seed?: number;
  host?: string;
  port?: number;
  /** Base URL clients see (reverse proxy, other host name); used in hrefs and Link headers. */
  publicBaseUrl?: string;
  latencyMs?: number;
  rateLimit?: RateLimitConfig | null;
  /** ConnectWise: require auth on /system/info (default true; field reports differ). */
  systemInfoRequiresAuth?: boolean;
  /** Instant generated data is "as of" (default: a fixed date, for determinism). */
  dataAnchor?: string | Date;
}

export interface EmulatorMutations {
  renameCompany(id: number, name: string): CwRecord;
  /** company / contact ("First Last") / configuration / agreement / site / ticket (summary). */
  rename(entity: CwEntity, id: number, name: string): CwRecord;
  /** Companies: soft delete (deletedFlag); others: hard delete. */
  remove(entity: CwEntity, id: number): CwRecord | null;
  add(entity: CwEntity, partialRecord?: Record<string, unknown>): CwRecord;
  update(entity: CwEntity, id: number, patch: Record<string, unknown>): CwRecord;
  changeConfigurationType(id: number, typeName: string): CwRecord;
}

export interface EmulatorControl {
  setLatency(ms: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests(): LoggedRequest[];
  resetRequestLog(): void;
  /** Pin the emulator clock (mutation timestamps); null = real time. */
  setNow(date: Date | string | number | null): void;
  now(): Date;
  /** Revoke an API member's keys (default `valid`): every request with them answers 401 from now on. */
  revokeCredentials(name?: keyof CwCredentialSets): void;
  mutate: EmulatorMutations;
}

export interface RunningEmulator {
  psa: PsaName;
  /** e.g. http://127.0.0.1:PORT, or publicBaseUrl when given. No trailing slash. */
  baseUrl: string;
  /** `${baseUrl}/v4_6_release/apis/3.0` */
  apiUrl: string;
  /** The socket the server listens on (= baseUrl unless publicBaseUrl points elsewhere). */
  localUrl: string;
  credentials: CwCredentialSets;
  /** The live dataset (read expected state from it; change it through control.mutate). */
  data: CwStore;
  control: EmulatorControl;
  close(): Promise<void>;
}

function mutations(m: CwMutator): EmulatorMutations {
  return {
    renameCompany: (id, name) => m.renameCompany(id, name),
    rename: (entity, id, name) => m.rename(entity, id, name),
    remove: (entity, id) => m.remove(entity, id),
    add: (entity, partial) => m.add(entity, partial),
    update: (entity, id, patch) => m.update(entity, id, patch),
    changeConfigurationType: (id, typeName) => m.changeConfigurationType(id, typeName),
  };
}

/** Any PSA's emulator by name; each PSA's own start function takes its extra options. */
export function startEmulator(options: EmulatorOptions): Promise<RunningEmulator>;
export function startEmulator(options: { psa: 'halo' } & HaloEmulatorOptions): Promise<RunningHaloEmulator>;
export function startEmulator(options: { psa: 'kaseya-bms' } & KaseyaBmsEmulatorOptions): Promise<RunningKaseyaBms>;
export function startEmulator(
  options: EmulatorOptions | ({ psa: 'halo' } & HaloEmulatorOptions) | ({ psa: 'kaseya-bms' } & KaseyaBmsEmulatorOptions),
): Promise<RunningEmulator | RunningHaloEmulator | RunningKaseyaBms> {
  if (options.psa === 'halo') return startHaloEmulator(options);
  if (options.psa === 'kaseya-bms') return startKaseyaBmsEmulator(options);
  return startConnectwiseEmulator(options);
}

async function startConnectwiseEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const core = new EmulatorCore();
  core.latencyMs = options.latencyMs ?? 0;
  core.rateLimiter.set(options.rateLimit ?? null);
  const cw = createConnectwise(
    { preset: options.preset, seed: options.seed, dataAnchor: options.dataAnchor, systemInfoRequiresAuth: options.systemInfoRequiresAuth },
    core.clock,
  );
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    publicBaseUrl: options.publicBaseUrl,
    core,
    module: cw.module,
  });
  return {
    psa: 'connectwise',
    baseUrl: server.baseUrl,
    apiUrl: `${server.baseUrl}/v4_6_release/apis/3.0`,
    localUrl: server.localUrl,
    credentials: cw.credentials,
    data: cw.data,
    control: {
      setLatency: (ms) => void (core.latencyMs = ms),
      setRateLimit: (c) => core.rateLimiter.set(c),
      injectFault: (f) => core.faults.add(f),
      clearFaults: () => core.faults.clear(),
      requests: () => core.log.list(),
      resetRequestLog: () => core.log.reset(),
      setNow: (d) => core.clock.setNow(d),
      now: () => core.clock.now(),
      revokeCredentials: (name) => cw.revokeCredentials(name),
      mutate: mutations(cw.mutator),
    },
    close: () => server.close(),
  };
}
