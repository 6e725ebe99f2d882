import { vendorLimit } from '../../lib/psa/rate-limits.ts';
import type { PsaKind } from '../../lib/psa/types.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import type { LoggedRequest } from '../emulator/framework/request-log.ts';
import type { PsaCase } from '../support/psa-case.ts';
import { BMS, CONNECTWISE, HALO } from '../support/psa-cases/index.ts';

/**
 * The bench's PSAs: each one's shared case (tests/support/psa-cases) started with a fixed latency
 * per request and the vendor's documented rate limit (its window compressed by `timescale`, as the
 * bench build's pacer is), the form a technician fills for it, and what the API floor of its
 * dataset is.
 */

export interface BenchSettings {
  preset: 'demo' | 'large';
  latencyMs: number;
  /** Of the vendor's limit, as the sync is paced (Sidecar's default: 0.5). */
  share: number;
  timescale: number;
}

/** The vendors' max page sizes as the adapters use them (docs/psa/*.md#paging). */
/** `npm run bench` (full: the large dataset) or `-- --quick` (the demo one), as scripts/bench.sh says. */
export const benchMode = (): 'full' | 'quick' => (process.env.SIDECAR_BENCH === 'full' ? 'full' : 'quick');

/** The bench's settings from scripts/bench.sh's knobs. */
export function benchSettings(): BenchSettings {
  return {
    preset: benchMode() === 'full' ? 'large' : 'demo',
    latencyMs: Number(process.env.SIDECAR_BENCH_LATENCY ?? 100),
    share: Number(process.env.SIDECAR_BENCH_SHARE ?? 0.5),
    timescale: Number(process.env.SIDECAR_BENCH_TIMESCALE ?? 60),
  };
}

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
  /** A live company the sync's whole lists reach last (Kaseya BMS): its page, and how many contacts and configurations it has. */
  openedDuringSync?(): { url: string; name: string; contacts: number; configurations: number };
}

/** Every `1/fraction`-th id. */
function pick<T>(ids: readonly T[], fraction: number): T[] {
  return ids.filter((_id, index) => index % Math.round(1 / fraction) === 0);
}

/** A PSA case started for the bench: its latency, and the vendor's rate limit with the window scaled. */
function bench<Raw>(psa: PsaCase<Raw>, form: (raw: Raw) => BenchPsa['form'], extra: (raw: Raw) => Partial<BenchPsa> = () => ({})) {
  return async ({ preset, latencyMs, timescale }: BenchSettings): Promise<BenchPsa> => {
    const emu = await psa.start({ preset, latencyMs, rateLimit: vendorLimit(psa.kind, timescale) });
    return {
      psa: psa.kind,
      label: psa.name,
      form: form(emu.raw),
      requests: () => emu.requests(),
      dataset: () => {
        const truth = emu.truth();
        return {
          companies: emu.companies().length,
          live: truth.company.length,
          contacts: truth.contact.length,
          configurations: truth.configuration.length,
          agreements: truth.agreement.length,
          sites: truth.site.length,
        };
      },
      change(fraction) {
        const truth = emu.truth();
        const contacts = pick(truth.contact, fraction);
        const configurations = pick(truth.configuration, fraction);
        for (const id of contacts) emu.renameContact(id, `Changed ${id}`);
        for (const id of configurations) emu.renameConfiguration(id, `Changed ${id}`);
        return contacts.length + configurations.length;
      },
      close: () => emu.close(),
      ...extra(emu.raw),
    };
  };
}

export const BENCH_PSAS: Record<PsaKind, (settings: BenchSettings) => Promise<BenchPsa>> = {
  connectwise: bench(
    CONNECTWISE,
    (cw) => ({ title: 'ConnectWise Manage', values: { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid }, card: /ConnectWise/ }),
    (cw) => ({ connectwise: cw }),
  ),
  halo: bench(HALO, (halo) => {
    const creds = halo.credentials.valid;
    return {
      title: 'HaloPSA',
      values: { resourceServer: `${halo.baseUrl}/api`, tenant: creds.tenant ?? '', clientId: creds.clientId, clientSecret: creds.clientSecret },
      card: /HaloPSA/,
    };
  }),
  'kaseya-bms': bench(
    BMS,
    (bms) => {
      const creds = bms.credentials.valid;
      return {
        title: 'Kaseya BMS / Pulseway PSA',
        values: { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: creds.password },
        card: /Kaseya BMS/,
      };
    },
    (bms) => ({
      openedDuringSync() {
        const account = bms.data.accounts.rows
          .filter((row) => row.isActive !== false && bms.data.contacts.children(row.id).length > 0 && bms.data.assets.children(row.id).length > 0)
          .at(-1)!;
        return {
          url: `${bms.baseUrl}/react/crm/accounts/${account.id}`,
          name: account.accountName,
          contacts: bms.data.contacts.children(account.id).length,
          configurations: bms.data.assets.children(account.id).length,
        };
      },
    }),
  ),
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
