import { mkdirSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DBCore, DBCoreMutateRequest } from 'dexie';
import { afterAll, describe, expect, it } from 'vitest';
import { SidecarDb, type IntegrationRow } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { memoryPacingStore, VENDOR_LIMITS, type RateLimit } from '@/lib/psa/pacing';
import { createAdapter } from '@/lib/psa/registry';
import type { PsaKind } from '@/lib/psa/types';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startEmulator } from '../emulator/index.ts';
import { startHaloEmulator } from '../emulator/halo/start.ts';
import { startKaseyaBmsEmulator } from '../emulator/kaseya-bms/start.ts';
import type { LoggedRequest } from '../emulator/framework/request-log.ts';

/**
 * `npm run bench` (issue #7): each PSA's sync against its emulator with a fixed latency per
 * request and the vendor's documented rate limit, paced at a share of it, next to the API floor
 * computed for the same dataset and settings. Windows of the rate limits are compressed by
 * `timescale` (reported) so a run that the vendor would stretch over an hour ends in minutes;
 * the pacer and the emulator use the same compressed window, so the ratio to the floor holds.
 */

const mode = process.env.SIDECAR_BENCH === 'full' ? 'full' : 'quick';
const latencyMs = Number(process.env.SIDECAR_BENCH_LATENCY ?? 100);
const share = Number(process.env.SIDECAR_BENCH_SHARE ?? 0.5);
const timescale = Number(process.env.SIDECAR_BENCH_TIMESCALE ?? 60);
const preset = mode === 'full' ? ('large' as const) : ('demo' as const);
const only = process.env.SIDECAR_BENCH_PSA?.split(',');

const PAGE_SIZE: Record<PsaKind, number> = { connectwise: 1000, halo: 1000, 'kaseya-bms': 100 };

interface Dataset {
  companies: number;
  live: number;
  contacts: number;
  configurations: number;
  agreements: number;
  sites: number;
}

interface Harness {
  psa: PsaKind;
  label: string;
  integration: IntegrationRow;
  credentials: Record<string, string>;
  requests(): LoggedRequest[];
  dataset(): Dataset;
  /** Renames `fraction` of the live companies' contacts and configurations in the PSA; returns how many. */
  change(fraction: number): number;
  close(): Promise<unknown>;
}

const scaled = (limit: RateLimit): RateLimit => ({ ...limit, windowMs: limit.windowMs / timescale });

const HARNESSES: Record<PsaKind, () => Promise<Harness>> = {
  async connectwise() {
    const cw = await startEmulator({ psa: 'connectwise', preset, latencyMs, rateLimit: { limit: VENDOR_LIMITS.connectwise.limit, windowMs: VENDOR_LIMITS.connectwise.windowMs / timescale } });
    const creds = cw.credentials.valid;
    const live = () => new Set(cw.data.companies.rows.filter((row) => !row.deletedFlag && !/inactive/i.test(String((row.status as { name?: string } | undefined)?.name ?? ''))).map((row) => row.id));
    const of = (rows: readonly Record<string, unknown>[]) => rows.filter((row) => live().has((row.company as { id: number }).id));
    return {
      psa: 'connectwise',
      label: 'ConnectWise',
      integration: { id: 'bench-cw', psa: 'connectwise', label: 'CW', settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId }, uiOrigin: cw.baseUrl, origins: [], createdAt: 0 },
      credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
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
        const rows = [...of(cw.data.contacts.rows).map((row) => ['contact', row] as const), ...of(cw.data.configurations.rows).map((row) => ['configuration', row] as const)];
        const picked = rows.filter((_row, index) => index % Math.round(1 / fraction) === 0);
        for (const [entity, row] of picked) cw.control.mutate.rename(entity, row.id as number, `Changed ${String(row.id)}`);
        return picked.length;
      },
      close: () => cw.close(),
    };
  },
  async halo() {
    const halo = await startHaloEmulator({ preset, latencyMs, rateLimit: { limit: VENDOR_LIMITS.halo.limit, windowMs: VENDOR_LIMITS.halo.windowMs / timescale } });
    const creds = halo.credentials.valid;
    const live = () => new Set(halo.data.clients.rows.filter((row) => !row.inactive).map((row) => row.id));
    const of = <T extends Record<string, unknown> & { id: number }>(rows: readonly T[]) => rows.filter((row) => live().has(row.client_id as number));
    return {
      psa: 'halo',
      label: 'HaloPSA',
      integration: { id: 'bench-halo', psa: 'halo', label: 'Halo', settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! }, uiOrigin: halo.baseUrl, origins: [], createdAt: 0 },
      credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
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
        const rows = [...of(halo.data.users.rows).map((row) => ['user', row] as const), ...of(halo.data.assets.rows).map((row) => ['asset', row] as const)];
        const picked = rows.filter((_row, index) => index % Math.round(1 / fraction) === 0);
        for (const [entity, row] of picked) halo.control.mutate.rename(entity, row.id, `Changed ${row.id}`);
        return picked.length;
      },
      close: () => halo.close(),
    };
  },
  async 'kaseya-bms'() {
    const bms = await startKaseyaBmsEmulator({ preset, latencyMs, rateLimit: { limit: VENDOR_LIMITS['kaseya-bms'].limit, windowMs: VENDOR_LIMITS['kaseya-bms'].windowMs / timescale } });
    const creds = bms.credentials.valid;
    const live = () => new Set(bms.data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id));
    const of = <T extends { accountId: number }>(rows: readonly T[]) => rows.filter((row) => live().has(row.accountId));
    return {
      psa: 'kaseya-bms',
      label: 'Kaseya BMS',
      integration: { id: 'bench-bms', psa: 'kaseya-bms', label: 'BMS', settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant }, uiOrigin: bms.baseUrl, origins: [], createdAt: 0 },
      credentials: { username: creds.userName, password: creds.password },
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
        const rows = [...of(bms.data.contacts.rows).map((row) => ['contact', row] as const), ...of(bms.data.assets.rows).map((row) => ['asset', row] as const)];
        const picked = rows.filter((_row, index) => index % Math.round(1 / fraction) === 0);
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
function floorOf(psa: PsaKind, data: Dataset): { pages: number; ms: number } {
  const size = PAGE_SIZE[psa];
  const perEntity = [data.companies, data.contacts, data.configurations, data.agreements, data.sites].map((count) => Math.max(1, Math.ceil(count / size)));
  // ConnectWise lists sites under each company only (/company/companies/{id}/sites): one request per live company.
  if (psa === 'connectwise') perEntity[4] = Math.max(1, data.live);
  const pages = perEntity.reduce((sum, count) => sum + count, 0);
  const limit = scaled(VENDOR_LIMITS[psa]);
  const allowed = Math.max(1, Math.floor(limit.limit * share));
  // Per-API limits bound all pages together; per-endpoint ones (BMS) the busiest list.
  const bound = limit.per === 'api' ? pages : Math.max(...perEntity);
  const rateMs = bound > allowed ? Math.ceil(bound / allowed - 1) * limit.windowMs : 0;
  return { pages, ms: Math.max(pages * latencyMs, rateMs) };
}

interface Measured {
  wallMs: number;
  requests: number;
  throttled: number;
  peakShare: number;
  recordsWritten: number;
  writeMs: number;
}

/** The highest share of the (scaled) vendor limit used in any window, from the emulator's log. */
function peakShare(psa: PsaKind, requests: LoggedRequest[]): number {
  const limit = scaled(VENDOR_LIMITS[psa]);
  const groups = new Map<string, number[]>();
  for (const request of requests) {
    const key = limit.per === 'api' ? 'api' : `${request.method} ${request.path.replace(/\/\d+(?=\/|$)/g, '/{id}').toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), Date.parse(request.at)]);
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

const results: Record<string, unknown>[] = [];
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);

afterAll(() => {
  clearInterval(sampler);
  const out = path.resolve('bench-output');
  mkdirSync(out, { recursive: true });
  const sizes = bundleSizes();
  const report = { mode, preset, latencyMs, share, timescale, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version }, at: new Date().toISOString(), results, sizes, peakHeapMb: Math.round(peakHeap / 2 ** 20) };
  writeFileSync(path.join(out, `sync-${mode}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.info(table(report));
});

function bundleSizes(): Record<string, number> | undefined {
  const dir = path.resolve('.output/chrome-mv3');
  if (!existsSync(dir)) return undefined;
  const size = (file: string) => (existsSync(path.join(dir, file)) ? statSync(path.join(dir, file)).size : 0);
  const zip = existsSync(path.resolve('.output')) ? readdirSync(path.resolve('.output')).find((file) => file.endsWith('-chrome.zip')) : undefined;
  return {
    contentScript: size('content-scripts/psa.js'),
    overlay: size('overlay.js'),
    background: size('background.js'),
    ...(zip ? { zip: statSync(path.resolve('.output', zip)).size } : {}),
  };
}

function table(report: { results: Record<string, unknown>[]; sizes?: Record<string, number>; peakHeapMb: number }): string {
  const lines = [`Sidecar sync benchmark (${mode}: ${preset} preset, ${latencyMs} ms per request, ${Math.round(share * 100)}% of each vendor's limit, rate windows ÷${timescale})`, ''];
  lines.push('| PSA | sync | wall | requests | floor | ratio | 429s | peak share of limit | IndexedDB writes/s |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const row of report.results as { label: string; sync: string; wallMs: number; requests: number; floorMs?: number; floorPages?: number; ratio?: number; ratioToFull?: number; throttled: number; peakShare: number; writesPerSecond: number }[]) {
    const floor = row.floorMs !== undefined ? `${(row.floorMs / 1000).toFixed(1)} s (${row.floorPages} pages)` : '';
    const ratio = row.ratio !== undefined ? `${row.ratio.toFixed(2)}× floor` : row.ratioToFull !== undefined ? `${(row.ratioToFull * 100).toFixed(1)}% of full` : '';
    lines.push(`| ${row.label} | ${row.sync} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.requests} | ${floor} | ${ratio} | ${row.throttled} | ${(row.peakShare * 100).toFixed(0)}% | ${row.writesPerSecond} |`);
  }
  if (report.sizes) lines.push('', `Sizes: content script ${kb(report.sizes.contentScript!)}, overlay ${kb(report.sizes.overlay!)}, background ${kb(report.sizes.background!)}${report.sizes.zip ? `, zip ${kb(report.sizes.zip)}` : ''}.`);
  lines.push(`Peak heap of the sync process (the worker's stand-in): ${report.peakHeapMb} MB.`);
  return lines.join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe(`sync benchmark (${mode})`, () => {
  for (const psa of (Object.keys(HARNESSES) as PsaKind[]).filter((kind) => !only || only.includes(kind))) {
    it(psa, async () => {
      const harness = await HARNESSES[psa]();
      const db = new SidecarDb(`bench-${psa}-${Math.random()}`);
      let written = 0;
      let writeMs = 0;
      db.use({
        stack: 'dbcore',
        name: 'bench-writes',
        create: (down: DBCore): DBCore => ({
          ...down,
          table: (name) => {
            const table = down.table(name);
            if (name !== 'records') return table;
            return {
              ...table,
              mutate: async (request: DBCoreMutateRequest) => {
                const started = performance.now();
                const result = await table.mutate(request);
                writeMs += performance.now() - started;
                written += 'values' in request ? request.values.length : 0;
                return result;
              },
            };
          },
        }),
      });
      try {
        await db.integrations.add(harness.integration);
        const adapter = createAdapter(harness.integration, harness.credentials, { pacing: { share, store: memoryPacingStore(), limit: scaled(VENDOR_LIMITS[psa]) } });
        let wakeAt = 0;
        const scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: (at) => (wakeAt = at) });
        const sync = async (trigger: 'manual' | 'schedule'): Promise<Measured> => {
          const before = harness.requests().length;
          const [writtenBefore, writeMsBefore] = [written, writeMs];
          const started = performance.now();
          const { runId } = await scheduler.requestSync(harness.integration.id, trigger);
          for (;;) {
            wakeAt = 0;
            await scheduler.kick();
            const run = await db.runs.get(runId);
            if (run?.status !== 'running') {
              expect(run?.status, run?.error?.message).toBe('succeeded');
              break;
            }
            // Paced or retrying: wait as the alarm would.
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, (run.retryAt ?? wakeAt) - Date.now())));
          }
          const requests = harness.requests().slice(before);
          return {
            wallMs: performance.now() - started,
            requests: requests.length,
            throttled: requests.filter((request) => request.status === 429).length,
            peakShare: peakShare(psa, requests),
            recordsWritten: written - writtenBefore,
            writeMs: writeMs - writeMsBefore,
          };
        };
        const row = (sync: string, measured: Measured, extra: Record<string, unknown>) => {
          const writesPerSecond = measured.writeMs > 0 ? Math.round(measured.recordsWritten / (measured.writeMs / 1000)) : 0;
          const entry = { psa, label: harness.label, sync, ...measured, writesPerSecond, ...extra };
          results.push(entry);
          return entry;
        };

        // Full first sync: every company, then (all live ones matched) every record of theirs.
        const companies = await sync('manual');
        const live = (await db.records.where('entity').equals('company').toArray()).filter((record) => record.archivedAt === undefined);
        await applyMatches(db, harness.integration.id, live.map((record) => ({ companyRemoteId: record.remoteId, action: 'create' as const })));
        const children = await sync('manual');
        const full: Measured = {
          wallMs: companies.wallMs + children.wallMs,
          requests: companies.requests + children.requests,
          throttled: companies.throttled + children.throttled,
          peakShare: Math.max(companies.peakShare, children.peakShare),
          recordsWritten: companies.recordsWritten + children.recordsWritten,
          writeMs: companies.writeMs + children.writeMs,
        };
        const floor = floorOf(psa, harness.dataset());
        row('full first sync', full, { floorMs: floor.ms, floorPages: floor.pages, ratio: full.wallMs / floor.ms, dataset: harness.dataset() });

        const changed = harness.change(0.01);
        const incremental = await sync('schedule');
        row(`incremental, 1% changed (${changed})`, incremental, { ratioToFull: incremental.wallMs / full.wallMs });
        const nothing = await sync('schedule');
        row('incremental, nothing changed', nothing, { ratioToFull: nothing.wallMs / full.wallMs });
        expect(full.throttled + incremental.throttled + nothing.throttled).toBe(0);
      } finally {
        await harness.close();
        await db.delete();
      }
    });
  }
});
