import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import type { PsaKind } from '../../lib/psa/types.ts';
import type { RunRow } from '../../lib/db/rows.ts';
import { expect, overlayOf, test } from '../e2e/fixtures';
import { fillIntegrationForm, integrationCard, openMatching } from '../e2e/flows';
import { latestStoredRun } from '../e2e/runs';
import { measureOverlayAndPalette } from './browser-measures';
import { aboutDuration, runTimeLeft, type RunTimeLeft } from '../../lib/sync/eta.ts';
import { mainThreadBusy, profileSync } from './cpu-profile';
import { BENCH_PSAS, benchMode, benchSettings, floorOf, PAGE_SIZE, peakShare, type BenchPsa } from './harness';
import { measureStorageFloor, RECORD_INDEXES } from './storage-floor';
import { watchWorkerMemory, type HeapNow } from './worker-memory';

/**
 * `npm run bench` (issue #7): each PSA's sync in Chromium, by the extension's own service worker
 * into real IndexedDB, driven as a technician would (options page: connect, sync, bulk
 * create/match all, sync; then the schedule alarm for incremental resyncs), against its emulator
 * with a fixed latency per request and the vendor's documented rate limit. Beside each figure:
 * the API floor computed for the same dataset and settings. The vendors' windows are compressed
 * by `timescale` in the emulator and in the bench build's pacer alike, so ratios hold while an
 * hour-long BMS window fits a run.
 */

const mode = benchMode();
const settings = benchSettings();
const only = process.env.SIDECAR_BENCH_PSA?.split(',');
const SYNC_TIMEOUT = mode === 'full' ? 45 * 60_000 : 60_000;
const benchStarted = Date.now();
/** Long runs say where they are. */
const say = (what: string) => mode === 'full' && console.info(`  [${Math.round((Date.now() - benchStarted) / 1000)} s] ${what}`);

interface Measured {
  wallMs: number;
  requests: number;
  throttled: number;
  /**
   * The PSA's own time over the run's requests, summed (the emulator's latency and the making of
   * each answer, e.g. 1,000 records' JSON): one request is in flight at a time, so a run cannot
   * be shorter than this; the floor above assumes the latency alone.
   */
  psaMs: number;
  peakShare: number;
  recordsWritten: number;
  writeMs: number;
  fetchMs: number;
  /** The slices' reads before asking for their page (the run, the integration, its credentials). */
  setupMs: number;
  /** The write transactions' whole time, IndexedDB's commit included (writeMs ends before it). */
  commitMs: number;
  /** The PSA idle between one answer and the next request's arrival, summed (sending the answer, reading it, and the client's own steps before the next request). */
  psaIdleMs: number;
  /** What the run's time left said (as the options page and popup show it) at a share of its wall time, against what was left. */
  timeLeft?: TimeLeftCheck[];
}

interface TimeLeftCheck {
  /** Share of the run's wall time when it was said. */
  share: number;
  saidMs: number;
  /** Lists not counted yet then: `saidMs` was a lower bound. */
  uncounted: number;
  actualMs: number;
}

/** What each awaited run's time left said as it went (lib/sync/eta.ts), read once a second with the run. */
const timeLeftSaid = new Map<string, { at: number; left: RunTimeLeft }[]>();

function timeLeftChecks(run: { id: string; startedAt: number; finishedAt?: number }): TimeLeftCheck[] | undefined {
  const said = timeLeftSaid.get(run.id);
  if (!said?.length || run.finishedAt === undefined) return undefined;
  const wall = run.finishedAt - run.startedAt;
  return [0.1, 0.25, 0.5, 0.75].flatMap((share) => {
    const sample = said.find((one) => one.at >= run.startedAt + share * wall);
    return sample ? [{ share, saidMs: sample.left.totalMs, uncounted: sample.left.uncounted, actualMs: run.finishedAt! - sample.at }] : [];
  });
}

/** Σ of the gaps between one request's answer and the next one's arrival (requests one at a time, by arrival). */
function idleBetween(requests: { at: string; ms?: number }[]): number {
  const spans = requests
    .map((request) => ({ end: Date.parse(request.at), start: Date.parse(request.at) - (request.ms ?? 0) }))
    .sort((a, b) => a.start - b.start);
  return spans.slice(1).reduce((idle, span, index) => idle + Math.max(0, span.start - spans[index]!.end), 0);
}

const results: Row[] = [];

/** What the PSA saw and Sidecar wrote during the newest run. */
async function measureLatest(page: Page, bench: BenchPsa, psa: PsaKind): Promise<Measured> {
  const run = (await latestStoredRun(page))!;
  expect(run.status).toBe('succeeded');
  const requests = bench.requests().filter((request) => {
    const at = Date.parse(request.at);
    return at >= run.startedAt && at <= run.finishedAt! + 5;
  });
  return {
    wallMs: run.finishedAt! - run.startedAt,
    requests: requests.length,
    throttled: requests.filter((request) => request.status === 429).length,
    psaMs: requests.reduce((total, request) => total + (request.ms ?? 0), 0),
    peakShare: peakShare(psa, requests, settings.timescale),
    recordsWritten: Object.values(run.counts).reduce((sum, counts) => sum + counts.written, 0),
    writeMs: run.timing?.writeMs ?? 0,
    fetchMs: run.timing?.fetchMs ?? 0,
    setupMs: run.timing?.setupMs ?? 0,
    commitMs: run.timing?.commitMs ?? 0,
    psaIdleMs: idleBetween(requests),
    timeLeft: timeLeftChecks(run),
  };
}

const sum = (parts: Measured[]): Measured => ({
  wallMs: parts.reduce((total, part) => total + part.wallMs, 0),
  requests: parts.reduce((total, part) => total + part.requests, 0),
  throttled: parts.reduce((total, part) => total + part.throttled, 0),
  psaMs: parts.reduce((total, part) => total + part.psaMs, 0),
  peakShare: Math.max(...parts.map((part) => part.peakShare)),
  recordsWritten: parts.reduce((total, part) => total + part.recordsWritten, 0),
  writeMs: parts.reduce((total, part) => total + part.writeMs, 0),
  fetchMs: parts.reduce((total, part) => total + part.fetchMs, 0),
  setupMs: parts.reduce((total, part) => total + part.setupMs, 0),
  commitMs: parts.reduce((total, part) => total + part.commitMs, 0),
  psaIdleMs: parts.reduce((total, part) => total + part.psaIdleMs, 0),
  // The longest part's (a full first sync: its children's run, the companies' being seconds).
  timeLeft: parts.reduce((longest, part) => (part.wallMs > longest.wallMs ? part : longest)).timeLeft,
});

/** Long runs say where the run is, beside the heaps. */
const progress = (page: Page) =>
  mode === 'full'
    ? async ({ workerMb, peakMb, pageMb }: HeapNow) => {
        const run = await latestStoredRun(page).catch(() => undefined);
        const where = run
          ? `run ${run.status}, step ${run.stepIndex + 1}/${run.steps.length}, ${run.progress ? `${run.progress.entity} ${run.progress.done}${run.progress.total ? `/${run.progress.total}` : ''}` : ''}`
          : 'no run yet';
        return `${where}; worker heap ${workerMb} MB (peak ${peakMb}), options page heap ${pageMb} MB`;
      }
    : undefined;

/**
 * Waits for a run newer than `previousRun` to end, reading the runs from IndexedDB once a second.
 * Not a DOM wait: Playwright's locators walk every element of the page (shadow roots included) on
 * each poll, and with the 2,000-row matching table open that took a core from the sync measured.
 */
async function waitForStoredRun(page: Page, previousRun: string | undefined): Promise<void> {
  const deadline = Date.now() + SYNC_TIMEOUT;
  while (Date.now() < deadline) {
    const run = await latestStoredRun(page);
    if (run && run.id !== previousRun && run.status === 'running') {
      const at = Date.now();
      // The whole row as stored (StoredRun names the fields the tests read).
      const left = runTimeLeft(run as unknown as RunRow, at);
      if (left) timeLeftSaid.set(run.id, [...(timeLeftSaid.get(run.id) ?? []), { at, left }]);
    }
    if (run && run.id !== previousRun && run.status === 'succeeded') return;
    if (run && run.id !== previousRun && run.status === 'failed') throw new Error(`Sync ${run.id} failed`);
    await page.waitForTimeout(1000);
  }
  throw new Error(`No sync finished within ${SYNC_TIMEOUT} ms`);
}

/** Clicks a sync button of the card, then waits for its run to end. */
async function syncAndWait(page: Page, card: Locator, buttonName: RegExp): Promise<void> {
  const previousRun = (await latestStoredRun(page))?.id;
  await card.getByRole('button', { name: buttonName }).click();
  await waitForStoredRun(page, previousRun);
}

/**
 * A technician opening the options page with a large tenant synced: from navigation to the
 * integration card's buttons enabled, then from "Match companies" to every company's row shown,
 * and the page's JS heap then (CDP). The page is closed after.
 */
async function optionsPageReady(openExtensionPage: (file: string) => Promise<Page>, cardLabel: RegExp) {
  const started = Date.now();
  const page = await openExtensionPage('options.html');
  const card = integrationCard(page, cardLabel);
  const match = card.getByRole('button', { name: 'Match companies' });
  await expect(match).toBeEnabled({ timeout: 60_000 });
  const interactiveMs = Date.now() - started;
  const clicked = Date.now();
  await match.click();
  await expect(card.getByTestId('match-row').first()).toBeVisible({ timeout: 60_000 });
  const matchingMs = Date.now() - clicked;
  const cdp = await page.context().newCDPSession(page);
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await page.close();
  return { interactiveMs, matchingMs, heapMb: Math.round(usedSize / 2 ** 20) };
}

/** A scheduled sync, as the schedule alarm starts it (incremental: no deletion pass). */
async function scheduledSync(context: BrowserContext, page: Page): Promise<void> {
  const previousRun = (await latestStoredRun(page))?.id;
  const worker = context.serviceWorkers().at(-1)!;
  await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { alarms: { create(name: string, info: { when: number }): Promise<void> } } }).chrome.alarms.create(
      'sidecar-schedule',
      { when: Date.now() },
    ),
  );
  await waitForStoredRun(page, previousRun);
}

test.afterAll(() => {
  const out = path.resolve('bench-output');
  mkdirSync(out, { recursive: true });
  const report = {
    mode,
    ...settings,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    at: new Date().toISOString(),
    results,
    sizes: bundleSizes(),
  };
  // A run of some PSAs only does not overwrite the figures of all of them.
  writeFileSync(path.join(out, `sync-${mode}${only ? `-${only.join('+')}` : ''}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.info(table(report));
});

function bundleSizes(): Record<string, number> | undefined {
  const dir = path.resolve('.output/chrome-mv3');
  if (!existsSync(dir)) return undefined;
  const size = (file: string) => (existsSync(path.join(dir, file)) ? statSync(path.join(dir, file)).size : 0);
  const zip = readdirSync(path.resolve('.output')).find((file) => file.endsWith('-chrome.zip'));
  return {
    contentScript: size('content-scripts/psa.js'),
    // The overlay frame's scripts: what it parses before it draws.
    overlayFrame: frameScripts(dir).reduce((sum, file) => sum + size(file), 0),
    background: size('background.js'),
    ...(zip ? { zip: statSync(path.resolve('.output', zip)).size } : {}),
  };
}

/** The overlay frame's page's scripts: its entry and the modules it preloads. */
function frameScripts(dir: string): string[] {
  return [...readFileSync(path.join(dir, 'overlay-frame.html'), 'utf8').matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map(([, file]) => file!);
}

type Row = Measured & {
  psa: PsaKind;
  label: string;
  sync: string;
  dataset?: unknown;
  samples?: number;
  floorMs?: number;
  realTimeFloorMs?: number;
  floorPages?: number;
  ratio?: number;
  ratioToFull?: number;
  writesPerSecond: number;
  peakHeapMb?: number;
  /** The storage floor (tests/bench/storage-floor.ts): the full sync's rows stored in a table with no secondary index, a transaction per page. */
  storageFloorMs?: number;
  storageRows?: number;
  /** The same with the records table's secondary indexes. */
  withIndexesMs?: number;
  /** A fresh options page with every company synced: interactive, the matching table shown, its JS heap then. */
  optionsPage?: { interactiveMs: number; matchingMs: number; heapMb: number };
  /** The options page's main thread busy (open beside the sync, matching table shown) during the full first sync. */
  optionsPageBusyMs?: number;
  /** A company opened while the full sync read its longest list: how long until its contacts showed, and where the sync was then. */
  openedDuringSync?: OpenedDuringSync;
};

interface OpenedDuringSync {
  name: string;
  contacts: number;
  configurations: number;
  /** Navigation → every one of its contacts and configurations in the overlay. */
  shownMs: number;
  /** Where the sync was when the company was opened, and when its records showed. */
  openedAt: string;
  shownAt: string;
  /** The sync still ran when they showed. */
  syncRunning: boolean;
}

/**
 * A technician opening a company early in the full sync of the matched companies' lists (BMS's:
 * hours of requests in real time): once its contacts step is 5% in, the company the whole lists
 * reach last is opened in the PSA, and the time until all its contacts and configurations show in
 * the overlay is taken (#17: its lists are read first). The page is closed after.
 */
async function openDuringSync(
  context: BrowserContext,
  options: Page,
  target: { url: string; name: string; contacts: number; configurations: number },
): Promise<OpenedDuringSync> {
  const where = (run: Awaited<ReturnType<typeof latestStoredRun>>) =>
    run?.status === 'running' && run.progress
      ? `${run.progress.entity} ${run.progress.done} of ${run.progress.total ?? '?'}, step ${run.stepIndex + 1} of ${run.steps.length}`
      : (run?.status ?? 'no run');
  const deadline = Date.now() + SYNC_TIMEOUT;
  let run = await latestStoredRun(options);
  while (Date.now() < deadline) {
    run = await latestStoredRun(options);
    const progress = run?.status === 'running' ? run.progress : undefined;
    if (progress?.entity === 'contact' && progress.total && progress.done >= progress.total * 0.05) break;
    await options.waitForTimeout(500);
  }
  const openedAt = where(run);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(target.url);
  const overlay = overlayOf(page);
  await expect(overlay.getByTestId('sidecar-contacts').getByTestId('sidecar-item')).toHaveCount(target.contacts, { timeout: SYNC_TIMEOUT });
  await expect(overlay.getByTestId('sidecar-configurations').getByTestId('sidecar-item')).toHaveCount(target.configurations, { timeout: SYNC_TIMEOUT });
  const shownMs = Date.now() - started;
  const now = await latestStoredRun(options);
  await page.close();
  return { ...target, shownMs, openedAt, shownAt: where(now), syncRunning: now?.status === 'running' };
}

function table(report: { results: Row[]; sizes?: Record<string, number> }): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `Sidecar sync benchmark in Chromium (${mode}: ${settings.preset} preset, ${settings.latencyMs} ms per request, ${Math.round(settings.share * 100)}% of each vendor's limit, rate windows ÷${settings.timescale})`,
    '',
    '| PSA | sync | wall | requests | floor | ratio | the PSA answering (Σ) | 429s | peak share of limit | fetching / writing | IndexedDB writes/s | worker heap peak |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of report.results) {
    const floor = row.floorMs !== undefined ? `${seconds(row.floorMs)} (${row.floorPages} pages)` : '';
    const ratio =
      row.ratio !== undefined ? `${row.ratio.toFixed(2)}× floor` : row.ratioToFull !== undefined ? `${(row.ratioToFull * 100).toFixed(1)}% of full` : '';
    lines.push(
      `| ${row.label} | ${row.sync} | ${seconds(row.wallMs)} | ${row.requests} | ${floor} | ${ratio} | ${seconds(row.psaMs)} (wall ${(row.wallMs / row.psaMs).toFixed(2)}×) | ${row.throttled} | ${(row.peakShare * 100).toFixed(0)}% | ${seconds(row.fetchMs)} / ${seconds(row.writeMs)} | ${row.writesPerSecond} | ${row.peakHeapMb !== undefined ? `${row.peakHeapMb} MB` : ''} |`,
    );
  }
  lines.push(
    '',
    `Where each run's time went (Σ over its slices): ${report.results
      .map(
        (row) =>
          `${row.label} ${row.sync}: reads before each page ${seconds(row.setupMs)}, waiting for pages ${seconds(row.fetchMs)}, write transactions ${seconds(row.commitMs)} (${seconds(row.writeMs)} of them before IndexedDB's commit); the PSA idle between an answer and the next request ${seconds(row.psaIdleMs)}`,
      )
      .join('; ')}.`,
  );
  const checked = report.results.filter((row) => row.timeLeft?.length);
  if (checked.length)
    lines.push(
      '',
      `Time left as the options page said it, at a share of each run's wall time (said / what was left; "≥": lists not counted yet): ${checked
        .map(
          (row) =>
            `${row.label} ${row.sync}: ${row
              .timeLeft!.map((check) => `${Math.round(check.share * 100)}% ${check.uncounted ? '≥' : ''}${seconds(check.saidMs)} / ${seconds(check.actualMs)}`)
              .join(', ')}`,
        )
        .join('; ')}.`,
    );
  for (const row of report.results.filter((row) => row.storageFloorMs !== undefined)) {
    const worst = Math.max(row.floorMs ?? 0, row.storageFloorMs!);
    lines.push(
      '',
      `${row.label} storage floor: ${row.storageRows} rows in ${seconds(row.storageFloorMs!)} (${Math.round(row.storageRows! / (row.storageFloorMs! / 1000))} rows/s, no secondary index${row.withIndexesMs !== undefined ? `; ${seconds(row.withIndexesMs)} with the records table's indexes` : ''}); full first sync ${(row.wallMs / worst).toFixed(2)}× max(API floor, storage floor).`,
    );
  }
  for (const row of report.results.filter((row) => row.optionsPage)) {
    const page = row.optionsPage!;
    lines.push(
      '',
      `${row.label} options page, opened after the full sync: interactive (its integration card's buttons) ${page.interactiveMs} ms, matching table of ${row.label}'s companies shown ${page.matchingMs} ms after the click, JS heap ${page.heapMb} MB.`,
    );
  }
  const realTime = report.results.filter((row) => row.realTimeFloorMs !== undefined && row.floorMs !== undefined);
  if (realTime.length && settings.timescale !== 1)
    lines.push(
      '',
      `In real time (the vendors' rate windows as documented, not ÷${settings.timescale}), full first sync: ${realTime
        .map(
          (row) =>
            `${row.label} API floor ${aboutDuration(row.realTimeFloorMs!)}, ${aboutDuration(row.realTimeFloorMs! + Math.max(0, row.wallMs - row.floorMs!))} with this run's time over its floor`,
        )
        .join('; ')}.`,
    );
  for (const row of report.results.filter((row) => row.openedDuringSync)) {
    const opened = row.openedDuringSync!;
    lines.push(
      '',
      `${row.label}, a company opened during the full first sync (${opened.name}, when the sync was at ${opened.openedAt}): its ${opened.contacts} contacts and ${opened.configurations} configurations shown ${seconds(opened.shownMs)} after navigation, the sync then at ${opened.shownAt}${opened.syncRunning ? ', still running' : ', finished'}.`,
    );
  }
  const busy = report.results.filter((row) => row.optionsPageBusyMs !== undefined);
  if (busy.length)
    lines.push(
      '',
      `Options page (open, matching table shown) main thread busy during the full first sync: ${busy.map((row) => `${row.label} ${seconds(row.optionsPageBusyMs!)} of ${seconds(row.wallMs)}`).join(', ')}.`,
    );
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  if (report.sizes)
    lines.push(
      '',
      `Sizes: content script ${kb(report.sizes.contentScript!)}, the overlay frame's scripts ${kb(report.sizes.overlayFrame!)}, background ${kb(report.sizes.background!)}${report.sizes.zip ? `, zip ${kb(report.sizes.zip)}` : ''}.`,
    );
  return lines.join('\n');
}

for (const psa of (Object.keys(BENCH_PSAS) as PsaKind[]).filter((kind) => !only || only.includes(kind))) {
  test(`sync: ${psa}`, async ({ context, openExtensionPage }) => {
    const bench = await BENCH_PSAS[psa](settings);
    try {
      const options = await openExtensionPage('options.html');
      const memory = await watchWorkerMemory(context, options, { progress: progress(options) });
      const form = await fillIntegrationForm(options, bench.form.title, bench.form.values);
      await form
        .getByTestId('connection-result')
        .filter({ hasText: /^Connected to / })
        .waitFor();
      const card = integrationCard(options, bench.form.card);
      if (settings.share !== 0.5) {
        await card.getByRole('button', { name: 'Sync options' }).click();
        const skip = card.getByTestId('skip-options');
        await skip.getByLabel("Share of the PSA's API rate limit Sidecar may use (%)").fill(String(Math.round(settings.share * 100)));
        await skip.getByRole('button', { name: 'Save options' }).click();
        await expect(skip.getByTestId('skip-options-message')).toHaveText(/^Options saved/);
      }

      // Full first sync: every company; bulk create/match all; then every record of theirs.
      say(`${psa}: connected`);
      const optionsBusy = await mainThreadBusy(context, options);
      await syncAndWait(options, card, /Start sync/);
      const companies = await measureLatest(options, bench, psa);
      say(`${psa}: companies synced`);
      const matching = await openMatching(card);
      say(`${psa}: matching open`);
      await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
      await matching
        .getByTestId('matching-result')
        .filter({ hasText: /created/ })
        .waitFor({ timeout: SYNC_TIMEOUT });
      say(`${psa}: all matched`);
      if (!process.env.SIDECAR_BENCH_PROFILE_PHASE || process.env.SIDECAR_BENCH_PROFILE_PHASE === 'full')
        await profileSync(context, options, `full-sync-${psa}`);
      const opened = bench.openedDuringSync && mode === 'full' ? openDuringSync(context, options, bench.openedDuringSync()) : undefined;
      await syncAndWait(options, card, /Sync now/);
      say(`${psa}: full sync done`);
      const openedDuringSync = await opened;
      const children = await measureLatest(options, bench, psa);
      const full = sum([companies, children]);
      const optionsPageBusyMs = Math.round((await optionsBusy()) * 1000);
      const storage = await measureStorageFloor(options, PAGE_SIZE[psa]);
      // What the records table's indexes cost beside the floor (SIDECAR_BENCH_FLOOR_INDEXES=1: one more pass).
      const indexed = process.env.SIDECAR_BENCH_FLOOR_INDEXES === '1' ? await measureStorageFloor(options, PAGE_SIZE[psa], RECORD_INDEXES) : undefined;
      const optionsPage = await optionsPageReady(openExtensionPage, bench.form.card);
      const dataset = bench.dataset();
      const floor = floorOf(psa, dataset, settings);
      const row = (sync: string, measured: Measured, extra: Record<string, unknown>) => {
        const writesPerSecond = measured.writeMs > 0 ? Math.round(measured.recordsWritten / (measured.writeMs / 1000)) : 0;
        results.push({ psa, label: bench.label, sync, ...measured, writesPerSecond, ...extra });
      };
      row('full first sync', full, {
        floorMs: floor.ms,
        floorPages: floor.pages,
        // The same floor with the vendor's window as documented (the bench compresses it ÷timescale).
        realTimeFloorMs: floorOf(psa, dataset, { ...settings, timescale: 1 }).ms,
        ratio: full.wallMs / floor.ms,
        dataset,
        optionsPageBusyMs,
        storageFloorMs: storage.ms,
        storageRows: storage.rows,
        withIndexesMs: indexed?.ms,
        optionsPage,
        ...(openedDuringSync ? { openedDuringSync } : {}),
        ...memory.peak(),
      });

      // Incremental resyncs, as the schedule alarm starts them.
      const changed = bench.change(0.01);
      if (process.env.SIDECAR_BENCH_PROFILE_PHASE === 'resync') await profileSync(context, options, `resync-${psa}`);
      await scheduledSync(context, options);
      const incremental = await measureLatest(options, bench, psa);
      row(`incremental, 1% changed (${changed})`, incremental, { ratioToFull: incremental.wallMs / full.wallMs });
      await scheduledSync(context, options);
      const nothing = await measureLatest(options, bench, psa);
      memory.stop();
      row('incremental, nothing changed', nothing, { ratioToFull: nothing.wallMs / full.wallMs, ...memory.peak() });
      expect(memory.peak().samples).toBeGreaterThan(0);
      expect(full.throttled + incremental.throttled + nothing.throttled).toBe(0);

      // SIDECAR_BENCH_WHOLE_RESYNC=1: then Sync now, which reads every list whole (Kaseya BMS's
      // assets too), each costing what its last whole read did: where the run's time left is
      // counted in full from its start, and, at a share the vendor's window holds back
      // (SIDECAR_BENCH_SHARE=0.2 for BMS), where it must see the pacer's waits coming.
      if (process.env.SIDECAR_BENCH_WHOLE_RESYNC === '1') {
        await syncAndWait(options, card, /Sync now/);
        const whole = await measureLatest(options, bench, psa);
        row('Sync now (every list whole)', whole, { floorMs: floor.ms, floorPages: floor.pages, ratio: whole.wallMs / floor.ms });
        expect(whole.throttled).toBe(0);
      }

      // With ConnectWise's dataset loaded: overlay paint and palette search, the PSA answering at
      // once so that the figures are Sidecar's own (a first ticket visit asks the PSA once).
      if (bench.connectwise) {
        bench.connectwise.control.setLatency(0);
        const overlayProfiled = process.env.SIDECAR_BENCH_PROFILE_PHASE === 'overlay' ? await profileSync(context, options, 'overlay') : undefined;
        await measureOverlayAndPalette(context, openExtensionPage, bench.connectwise, mode, overlayProfiled);
      }
    } finally {
      await bench.close();
    }
  });
}
