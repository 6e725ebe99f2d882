import { vendorLimit } from '../../lib/psa/pacing.ts';
import type { PsaKind } from '../../lib/psa/types.ts';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startHaloEmulator } from '../emulator/halo/start.ts';
import { startKaseyaBmsEmulator } from '../emulator/kaseya-bms/start.ts';
import type { LoggedRequest } from '../emulator/framework/request-log.ts';

/**
 * The bench's PSAs: each emulator with a fixed latency per request and the vendor's documented
 * rate limit (its window compressed by `timescale`, as the bench build's pacer is), the form a
 * technician fills for it, and what the API floor of its dataset is.
 */

export interface BenchSettings {
  preset: 'demo' | 'large';
  latencyMs: number;
  /** Of the vendor's limit, as the sync is paced (Sidecar's default: 0.5). */
  share: number;
  timescale: number;
}

/** The vendors' max page sizes as the adapters use them (reference: *-api.md, paging). */
export const PAGE_SIZE: Record<PsaKind, number> = { connectwise: 1000, halo: 1000, 'kaseya-bms': 100 };

export interface Dataset {
  companies: number;
  live: number;
  contacts: number;
  configurations: number;
  agreements: number;
  sites: number;
}

export interface BenchPsa {
  psa: PsaKind;
  label: string;
  /** The options page's form: the PSA's button, its fields, the card's heading. */
  form: { title: string; values: Record<string, string>; card: RegExp };
  requests(): LoggedRequest[];
  dataset(): Dataset;
  /** Renames `fraction` of the live companies' contacts and configurations in the PSA; returns how many. */
  change(fraction: number): number;
  close(): Promise<unknown>;
  /** ConnectWise's emulator, for the overlay and palette measures that follow its sync. */
  connectwise?: RunningEmulator;
}


/** Every `1/fraction`-th row, renamed. */
function pick<T>(rows: readonly T[], fraction: number): T[] {
  return rows.filter((_row, index) => index % Math.round(1 / fraction) === 0);
}

export const BENCH_PSAS: Record<PsaKind, (settings: BenchSettings) => Promise<BenchPsa>> = {
  async connectwise({ preset, latencyMs, timescale }) {
    const cw = await startEmulator({ psa: 'connectwise', preset, latencyMs, rateLimit: vendorLimit('connectwise', timescale) });
    const live = () => new Set(cw.data.companies.rows.filter((row) => !row.deletedFlag && !/inactive/i.test(String((row.status as { name?: string } | undefined)?.name ?? ''))).map((row) => row.id));
    const of = (rows: readonly Record<string, unknown>[]) => {
      const ids = live();
      return rows.filter((row) => ids.has((row.company as { id: number }).id));
    };
    return {
      psa: 'connectwise',
      label: 'ConnectWise',
      form: { title: 'ConnectWise Manage', values: { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid }, card: /ConnectWise/ },
      requests: () => cw.control.requests(),
      dataset: () => ({
        companies: cw.data.companies.rows.length,
        live: live().size,
        contacts: of(cw.data.contacts.rows).length,
        configurations: of(cw.data.configurations.rows).length,
        agreements: of(cw.data.agreements.rows).length,
        sites: of(cw.data.sites.rows).length,
      }),
      change(fraction) {
        const picked = [...pick(of(cw.data.contacts.rows), fraction).map((row) => ['contact', row] as const), ...pick(of(cw.data.configurations.rows), fraction).map((row) => ['configuration', row] as const)];
        for (const [entity, row] of picked) cw.control.mutate.rename(entity, row.id as number, `Changed ${String(row.id)}`);
        return picked.length;
      },
      close: () => cw.close(),
      connectwise: cw,
    };
  },
  async halo({ preset, latencyMs, timescale }) {
    const halo = await startHaloEmulator({ preset, latencyMs, rateLimit: vendorLimit('halo', timescale) });
    const creds = halo.credentials.valid;
    const live = () => new Set(halo.data.clients.rows.filter((row) => !row.inactive).map((row) => row.id));
    const of = <T extends Record<string, unknown> & { id: number }>(rows: readonly T[]) => {
      const ids = live();
      return rows.filter((row) => ids.has(row.client_id as number));
    };
    return {
      psa: 'halo',
      label: 'HaloPSA',
      form: { title: 'HaloPSA', values: { resourceServer: `${halo.baseUrl}/api`, tenant: creds.tenant ?? '', clientId: creds.clientId, clientSecret: creds.clientSecret }, card: /HaloPSA/ },
      requests: () => halo.control.requests(),
      dataset: () => ({
        companies: halo.data.clients.rows.length,
        live: live().size,
        contacts: of(halo.data.users.rows).length,
        configurations: of(halo.data.assets.rows).length,
        agreements: of(halo.data.contracts.rows).length,
        sites: of(halo.data.sites.rows).length,
      }),
      change(fraction) {
        const picked = [...pick(of(halo.data.users.rows), fraction).map((row) => ['user', row] as const), ...pick(of(halo.data.assets.rows), fraction).map((row) => ['asset', row] as const)];
        for (const [entity, row] of picked) halo.control.mutate.rename(entity, row.id, `Changed ${row.id}`);
        return picked.length;
      },
      close: () => halo.close(),
    };
  },
  async 'kaseya-bms'({ preset, latencyMs, timescale }) {
    const bms = await startKaseyaBmsEmulator({ preset, latencyMs, rateLimit: vendorLimit('kaseya-bms', timescale) });
    const creds = bms.credentials.valid;
    const live = () => new Set(bms.data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id));
    const of = <T extends { accountId: number }>(rows: readonly T[]) => {
      const ids = live();
      return rows.filter((row) => ids.has(row.accountId));
    };
    return {
      psa: 'kaseya-bms',
      label: 'Kaseya BMS',
      form: { title: 'Kaseya BMS / Pulseway PSA', values: { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: creds.password }, card: /Kaseya BMS/ },
      requests: () => bms.control.requests(),
      dataset: () => ({
        companies: bms.data.accounts.rows.length,
        live: live().size,
        contacts: of(bms.data.contacts.rows).length,
        configurations: of(bms.data.assets.rows).length,
        agreements: of(bms.data.contracts.rows).length,
        sites: of(bms.data.locations.rows).length,
      }),
      change(fraction) {
        const picked = [...pick(of(bms.data.contacts.rows), fraction).map((row) => ['contact', row] as const), ...pick(of(bms.data.assets.rows), fraction).map((row) => ['asset', row] as const)];
        for (const [entity, row] of picked) bms.control.mutate.rename(entity, row.id, `Changed ${row.id}`);
        return picked.length;
      },
      close: () => bms.close(),
    };
  },
};

/**
 * The least a sync of this dataset must ask: one list page per `pageSize` records per entity
 * (companies whole, children of live companies), one after another (one sync at a time, as the
 * vendors ask), each costing the latency, and no faster than the paced share of the rate limit.
 */
export function floorOf(psa: PsaKind, data: Dataset, settings: BenchSettings): { pages: number; ms: number } {
  const size = PAGE_SIZE[psa];
  const perEntity = [data.companies, data.contacts, data.configurations, data.agreements, data.sites].map((count) => Math.max(1, Math.ceil(count / size)));
  // ConnectWise lists sites under each company only (/company/companies/{id}/sites): one request per live company.
  if (psa === 'connectwise') perEntity[4] = Math.max(1, data.live);
  const pages = perEntity.reduce((sum, count) => sum + count, 0);
  const limit = vendorLimit(psa, settings.timescale);
  const allowed = Math.max(1, Math.floor(limit.limit * settings.share));
  // Per-API limits bound all pages together; per-endpoint ones (BMS) the busiest list.
  const bound = limit.per === 'api' ? pages : Math.max(...perEntity);
  const rateMs = bound > allowed ? Math.ceil(bound / allowed - 1) * limit.windowMs : 0;
  return { pages, ms: Math.max(pages * settings.latencyMs, rateMs) };
}

/** The highest share of the (scaled) vendor limit used in any window, from the emulator's log. */
export function peakShare(psa: PsaKind, requests: LoggedRequest[], timescale: number): number {
  const limit = vendorLimit(psa, timescale);
  const groups = new Map<string, number[]>();
  for (const request of requests) {
    const key = limit.per === 'api' ? 'api' : `${request.method} ${request.path.replace(/\/\d+(?=\/|$)/g, '/{id}').toLowerCase()}`;
    const times = groups.get(key) ?? [];
    times.push(Date.parse(request.at));
    groups.set(key, times);
  }
  let peak = 0;
  for (const times of groups.values()) {
    times.sort((a, b) => a - b);
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= limit.windowMs) start += 1;
      peak = Math.max(peak, (end - start + 1) / limit.limit);
    }
  }
  return peak;
}

/** Nearest-rank percentile; NaN for no values. */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
};
