/**
 * The palette bench on the large dataset, with the sync done once: a kept Chromium profile.
 *
 *   SIDECAR_E2E=1 npx wxt build
 *   node --experimental-strip-types --no-warnings tests/bench/palette-large.ts sync      # ~15 min once
 *   node --experimental-strip-types --no-warnings tests/bench/palette-large.ts measure   # ~1 min, repeatable
 *
 * `sync` adds ConnectWise against the large emulator, syncs, bulk-matches every company and syncs
 * again, through the options page as in the e2e flows but with waits a large sync needs. The
 * integration remembers the emulator's address, so it always listens on the same port
 * (PALETTE_BENCH_PORT, default 44081); `measure` starts the emulator on another one, so a run
 * left unfinished cannot resume and write during the measurement. `measure` runs the palette
 * part of tests/bench/browser.bench.spec.ts: the first query after the popup opens, the index
 * build, then 200 queries timed by the palette (data-search-ms: keystroke to results committed).
 * PALETTE_BENCH_PROFILE: the profile directory (default /tmp/sidecar-palette-large).
 */
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { fillConnectwiseForm, integrationCard, openMatching, syncAndWait } from '../e2e/flows.ts';

const EXTENSION = path.resolve('.output/e2e-chrome-mv3');
const PROFILE = process.env.PALETTE_BENCH_PROFILE ?? '/tmp/sidecar-palette-large';
const PORT = Number(process.env.PALETTE_BENCH_PORT ?? 44081);
const step = process.argv[2];
if (step !== 'sync' && step !== 'measure') throw new Error('Usage: palette-large.ts sync|measure');

const cw = await startEmulator({ psa: 'connectwise', preset: 'large', port: step === 'sync' ? PORT : PORT + 1 });
mkdirSync(PROFILE, { recursive: true });
// The worker script of an unpacked extension of the same version is kept by the profile: drop it so the current build runs.
rmSync(path.join(PROFILE, 'Default', 'Service Worker'), { recursive: true, force: true });
const context = await chromium.launchPersistentContext(PROFILE, {
  headless: true,
  executablePath: ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((candidate) => existsSync(candidate)),
  args: [`--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

if (step === 'sync') {
  const options = await context.newPage();
  options.setDefaultTimeout(10 * 60_000);
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  const card = integrationCard(options);
  await form.getByTestId('connection-result').filter({ hasText: /^Connected to / }).waitFor();
  await syncAndWait(card, /Start sync/, 60 * 60_000);
  const matching = await openMatching(card);
  await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await matching.getByTestId('matching-result').filter({ hasText: /created/ }).waitFor();
  console.info(`companies synced and matched after ${seconds()}`);
  await syncAndWait(card, /Sync now/, 60 * 60_000);
  console.info(`second sync done after ${seconds()}`);
} else {
  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  };
  const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
  const names = cw.data.configurations.rows.filter((row) => live.has(cwCompanyIdOf(row))).map((row) => String(row.name));
  const queries: string[] = [];
  for (let index = 0; queries.length < 200; index += 1) {
    const name = names[(index * 7919) % names.length]!.toLowerCase();
    const variant = index % 4;
    queries.push(variant === 0 ? name : variant === 1 ? name.split('-').at(-1)! : variant === 2 ? name.replace(/-(\w)(\w)/, '-$2$1') : name.slice(0, 4));
  }
  const popup = await context.newPage();
  const openedAt = Date.now();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const search = popup.getByRole('combobox', { name: 'Search all client spaces' });
  const timed = async (text: string): Promise<number | undefined> => {
    await search.fill(text);
    await popup.locator(`[role="listbox"][data-query="${text}"], [data-testid="palette-empty"]`).first().waitFor({ timeout: 120_000 });
    const ms = await popup.locator(`[role="listbox"][data-query="${text}"]`).getAttribute('data-search-ms', { timeout: 1000 }).catch(() => null);
    return ms ? Number(ms) : undefined;
  };
  const firstSearchMs = await timed((queries.find((query) => /-/.test(query)) ?? queries[0]!).toUpperCase());
  for (;;) {
    const indexed = await popup.evaluate(async () => {
      type Runtime = { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean; data?: { indexed: boolean } }> } };
      const reply = await (globalThis as unknown as { chrome: Runtime }).chrome.runtime.sendMessage({ channel: 'records.search', payload: { query: '' } });
      return reply.ok && reply.data!.indexed;
    });
    if (indexed) break;
    await popup.waitForTimeout(250);
  }
  const indexReadyMs = Date.now() - openedAt;
  const searches: number[] = [];
  for (const [index, query] of queries.entries()) {
    const ms = await timed(`${query} `.repeat(1 + (index % 2)).trim());
    if (ms !== undefined) searches.push(ms);
  }
  const report = {
    dataset: 'large',
    searches: searches.length,
    searchMs: { p50: percentile(searches, 50), p95: percentile(searches, 95), max: Math.max(...searches) },
    firstSearchMs,
    indexReadyMs,
  };
  mkdirSync('bench-output', { recursive: true });
  writeFileSync(path.join('bench-output', 'palette-large.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.info(
    [
      `Palette (large dataset, ${cw.data.configurations.rows.length} configurations):`,
      `| measure | p50 | p95 | n |`,
      `|---|---|---|---|`,
      `| palette search | ${report.searchMs.p50.toFixed(1)} ms | ${report.searchMs.p95.toFixed(1)} ms | ${searches.length} |`,
      `| first query after the popup opens (no index yet) | ${firstSearchMs?.toFixed(0)} ms | | 1 |`,
      `| search index ready after the popup opens | ${indexReadyMs} ms | | 1 |`,
    ].join('\n'),
  );
}
await context.close();
await cw.close();
process.exit(0);
