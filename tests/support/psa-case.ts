import type { EntityKind, PsaAdapter, PsaKind } from '../../lib/psa/types.ts';
import type { FaultSpec } from '../emulator/framework/faults.ts';
import type { RateLimitConfig } from '../emulator/framework/rate-limit.ts';
import type { LoggedRequest } from '../emulator/framework/request-log.ts';

/**
 * A PSA as the tests see it: how to start its emulator, build the real adapter against it, read
 * what Sidecar should hold (`truth`) and change the PSA's data. One case per PSA lives in
 * psa-cases/; the sync tests (through sync-harness.ts), psa/bad-input.test.ts and the bench
 * harness share them. No vitest here: the bench (Playwright) imports this too.
 */

/** Remote ids Sidecar should hold live, per entity, sorted. */
export type Truth = Record<EntityKind, string[]>;
export type Row = Record<string, unknown>;

const byNumber = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);
export const sortIds = (ids: Iterable<unknown>): string[] => [...ids].map(String).sort(byNumber);
/** Nothing matched: only companies are imported. */
export const companiesOnly = (truth: Truth): Truth => ({ company: truth.company, contact: [], configuration: [], agreement: [], site: [] });
export const without = (truth: Truth, entity: EntityKind, ...ids: string[]): Truth => ({ ...truth, [entity]: truth[entity].filter((id) => !ids.includes(id)) });

/** The Truth of a PSA whose companies are `live` and whose children name their company through `companyOf`. */
export function truthOf<T extends { id: unknown }>(
  live: Iterable<number>,
  children: Record<Exclude<EntityKind, 'company'>, readonly T[]>,
  companyOf: (row: T) => number,
  matched?: Iterable<number | string>,
): Truth {
  const liveIds = new Set(live);
  const wanted = matched === undefined ? liveIds : new Set([...matched].map(Number).filter((id) => liveIds.has(id)));
  const of = (rows: readonly T[]) => sortIds(rows.filter((row) => wanted.has(companyOf(row))).map((row) => row.id));
  return {
    company: sortIds(liveIds),
    contact: of(children.contact),
    configuration: of(children.configuration),
    agreement: of(children.agreement),
    site: of(children.site),
  };
}

/** What every emulator's control offers alike (ConnectWise, HaloPSA and BMS name their entities differently). */
interface RawEmulator<E extends string> {
  baseUrl: string;
  control: {
    injectFault(fault: FaultSpec): void;
    clearFaults(): void;
    requests(): LoggedRequest[];
    setNow(at: number | null): void;
    mutate: {
      add(entity: E, partialRecord?: Record<string, unknown>): unknown;
      remove(entity: E, id: number): unknown;
      rename(entity: E, id: number, name: string): unknown;
    };
  };
  close(): Promise<void>;
}

/**
 * The parts of an Emulator that only pass calls on to the emulator's control: `names` says what
 * the PSA calls a company, a contact and a configuration, `newCompany` what an added company holds.
 */
export function passThrough<E extends string>(
  raw: RawEmulator<E>,
  names: { company: E; contact: E; configuration: E },
  newCompany: (index: number) => Record<string, unknown>,
): Pick<
  Emulator,
  | 'baseUrl'
  | 'injectFault'
  | 'clearFaults'
  | 'requests'
  | 'addCompanies'
  | 'removeCompany'
  | 'renameContact'
  | 'renameCompany'
  | 'renameConfiguration'
  | 'removeConfiguration'
  | 'setNow'
  | 'close'
> {
  const { control } = raw;
  return {
    baseUrl: raw.baseUrl,
    injectFault: (fault) => control.injectFault(fault),
    clearFaults: () => control.clearFaults(),
    requests: () => control.requests(),
    addCompanies: (count) => {
      for (let index = 0; index < count; index++) control.mutate.add(names.company, newCompany(index));
    },
    removeCompany: (id) => void control.mutate.remove(names.company, Number(id)),
    renameContact: (id, name) => void control.mutate.rename(names.contact, Number(id), name),
    renameCompany: (id, name) => void control.mutate.rename(names.company, Number(id), name),
    renameConfiguration: (id, name) => void control.mutate.rename(names.configuration, Number(id), name),
    removeConfiguration: (id) => void control.mutate.remove(names.configuration, Number(id)),
    setNow: (at) => control.setNow(at),
    close: () => raw.close(),
  };
}

/** How an emulator is started; by default the tiny dataset, no latency and no rate limit. */
export interface StartOptions {
  preset?: 'tiny' | 'demo' | 'large';
  latencyMs?: number;
  rateLimit?: RateLimitConfig | null;
}

/** Options of the real adapter (its defaults when left out). */
export interface AdapterOptions {
  retries?: number;
  timeoutMs?: number;
}

/** A running emulator seen through what the shared tests need; `raw` is the PSA's own handle. */
export interface Emulator<Raw = unknown> {
  /** The emulator as its start function returned it (its data and control), for PSA-specific tests. */
  raw: Raw;
  baseUrl: string;
  /** The real adapter against this emulator. */
  adapter(options: AdapterOptions): PsaAdapter;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests(): LoggedRequest[];
  /** The API credentials stop working from now on (keys deleted, secret regenerated, password changed). */
  revokeCredentials(): void;
  /** Token auth (HaloPSA, BMS): every access token issued so far answers 401 from now on (and the refresh tokens, when asked). */
  expireTokens?(options?: { refresh?: boolean }): void;
  /**
   * Live records Sidecar should hold: every live company, and the records of the `matched` live
   * companies (default: every live company matched).
   */
  truth(matched?: Iterable<number | string>): Truth;
  /** Every company of the PSA; `inactive`: archived on arrival (inactive, or deleted where the PSA keeps deleted rows). */
  companies(): { id: number; inactive: boolean }[];
  /** Adds companies (to make the company list span two pages). */
  addCompanies(count: number): void;
  /** Deletes a company in the PSA. */
  removeCompany(remoteId: string): void;
  /** Renames a contact in the PSA (bumps its last-changed time). */
  renameContact(remoteId: string, name: string): void;
  /** Renames a company in the PSA (bumps its last-changed time). */
  renameCompany(remoteId: string, name: string): void;
  /** Renames a configuration in the PSA (bumps its last-changed time). */
  renameConfiguration(remoteId: string | number, name: string): void;
  /** Deletes a configuration in the PSA. */
  removeConfiguration(remoteId: string | number): void;
  /** Pins the PSA's clock (its change timestamps); null = real time. */
  setNow(at: number | null): void;
  close(): Promise<void>;
}

type Query = Record<string, string | RegExp | null>;

export interface PsaCase<Raw = unknown> {
  name: string;
  kind: PsaKind;
  start(options?: StartOptions): Promise<Emulator<Raw>>;
  /** The list requests of each entity (path regexps; never the count or by-id routes). */
  lists: { company: RegExp; contact: RegExp; configuration: RegExp };
  /** Rows one company list page holds at most (the adapter's page size). */
  pageSize: number;
  /** Query of the company list's first and second page of a full pass. */
  companyPage: { first: Query; second: Query };
  /** The records of a list body (mutable, so transforms can change them). */
  rows(body: unknown): Row[];
  /** Replaces the records of a list body. */
  withRows(body: unknown, rows: unknown[]): unknown;
  /** When a row last changed, as the PSA says (undefined: its lists carry no timestamp). */
  updatedOf(row: Row): string | undefined;
  /** The field of a contact row naming its company. */
  contactCompanyField: string;
  /** Gives a configuration row a type the PSA never documented. */
  setUnknownType(row: Row, name: string): void;
  messages: {
    /** The body was not JSON (truncated, plain text, an HTML page with 200). */
    notJson: RegExp;
    /** JSON, but not the list the API returns. */
    wrongShape: RegExp;
    /** The credentials were revoked mid-sync. */
    revoked: RegExp;
    /** 403 on the contact list. */
    denied: RegExp;
  };
}
