import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { EXTENSION_PATH, expect, launchWithExtension, serviceWorkerOf } from './fixtures';
import { fillConnectwiseForm, firstSyncThenMatchAll, integrationCard } from './flows';
import { latestStoredRun, type StoredRun } from './runs';

/**
 * Issue #18: the extension is updated while a sync runs. Chrome unloads the old version (its
 * worker dies with a request in flight, its alarms cleared), installs the new files over it and
 * starts the new worker with `runtime.onInstalled` reason "update"; the same run goes on from
 * its last commit, as soon as the new worker starts.
 *
 * The update goes through Chrome's install path: the next build (the same files, a higher
 * version) is written into the folder the extension was loaded from, and the DevTools protocol's
 * Extensions.loadUnpacked installs that folder again: same id, the new manifest, reason "update"
 * with the previous version. Not `chrome.runtime.reload()`: for an extension loaded with
 * --load-extension, Chromium 156 restarts it with the manifest it had (version and all), so
 * that is a restart, not an update.
 */

/** The installed build and the next one: one copy of the e2e build taken as the test starts, so a build made meanwhile cannot mix into them. */
interface Builds {
  installed: string;
  next: string;
}

// A probe in both builds: what each onInstalled said, kept in storage.local (it outlives the update).
const INSTALL_PROBE =
  "chrome.runtime.onInstalled.addListener((details) => void chrome.storage.local.get('e2e-installed').then((stored) => chrome.storage.local.set({ 'e2e-installed': [...(stored['e2e-installed'] ?? []), details] })));\n";

const test = base.extend<{ builds: Builds; context: BrowserContext }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from its destructuring: none here
  builds: async ({}, use) => {
    const root = mkdtempSync(path.join(tmpdir(), 'sidecar-update-'));
    const builds = { installed: path.join(root, 'installed'), next: path.join(root, 'next') };
    cpSync(EXTENSION_PATH, builds.installed, { recursive: true });
    const background = path.join(builds.installed, 'background.js');
    writeFileSync(background, INSTALL_PROBE + readFileSync(background, 'utf8'));
    cpSync(builds.installed, builds.next, { recursive: true });
    await use(builds);
    rmSync(root, { recursive: true, force: true });
  },
  context: async ({ builds }, use) => {
    // Extensions.loadUnpacked answers only with this switch.
    const launched = await launchWithExtension({ extensionPath: builds.installed, args: ['--enable-unsafe-extension-debugging'] });
    await use(launched.context);
    await launched.close();
  },
});

interface Chrome {
  runtime: { getManifest(): { version: string } };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}
const versionOf = (worker: Worker) => worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.getManifest().version);
const installEvents = (worker: Worker) =>
  worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('e2e-installed').then((stored) => stored['e2e-installed']));

/** Live records in IndexedDB, as `entity:remoteId` keys. */
const storedRecordKeys = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('sidecar');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys: string[] = [];
          const request = open.result.transaction('records').objectStore('records').openCursor();
          request.onsuccess = () => {
            const cursor = request.result;
            if (!cursor) {
              open.result.close();
              return resolve(keys);
            }
            const row = cursor.value as { entity: string; remoteId: string; archivedAt?: number };
            if (row.archivedAt === undefined) keys.push(`${row.entity}:${row.remoteId}`);
            cursor.continue();
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );

const countByEntity = (keys: string[]) =>
  keys.reduce<Record<string, number>>((counts, key) => {
    const entity = key.slice(0, key.indexOf(':'));
    return { ...counts, [entity]: (counts[entity] ?? 0) + 1 };
  }, {});

type ResumableRun = StoredRun & { pageToken: string | null; counts: Record<string, { fetched: number; written: number }> };

/** A run's resume point as a comparable pair: its step, and the company its sites step has reached (ConnectWise's page token). */
const resumePoint = (run: ResumableRun): [number, number] => [
  run.stepIndex,
  run.pageToken ? ((JSON.parse(run.pageToken) as { company?: number }).company ?? 0) : 0,
];
const notBehind = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);

const SITES = /\/company\/companies\/\d+\/sites$/i;

let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await cw.close();
});

test('an update while a sync runs: the new version resumes the same run from its last commit, nothing lost', async ({ context, builds }) => {
  test.setTimeout(120_000);
  const worker = await serviceWorkerOf(context);
  const extensionId = new URL(worker.url()).host;
  const openOptions = async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    return page;
  };
  const installedVersion = await versionOf(worker);

  const options = await openOptions();
  await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  const card = integrationCard(options);
  await expect(card.getByTestId('connection-status')).toHaveText(/^Connected to /);
  await firstSyncThenMatchAll(card);

  // A slow PSA: the matched companies' lists take many seconds, the sites a request per company.
  cw.control.setLatency(900);
  cw.control.resetRequestLog();
  await card.getByRole('button', { name: 'Sync now' }).click();
  // Part-way through the sites step: the lists before it committed, and the sites of a few companies.
  const inSites = async () => {
    const run = (await latestStoredRun(options)) as ResumableRun | undefined;
    return run?.status === 'running' && (run.steps[run.stepIndex] as { entity: string } | undefined)?.entity === 'site' ? resumePoint(run)[1] : -1;
  };
  await expect.poll(inSites, { timeout: 60_000, intervals: [200] }).toBeGreaterThanOrEqual(2);

  // The PSA stops answering, so the run's last commit stands still for the update: the old worker
  // is left with a request in flight, as an update may find it.
  cw.control.injectFault({ path: '/sites', hang: true, times: Infinity });
  let last = '';
  await expect
    .poll(
      async () => {
        const run = JSON.stringify(await latestStoredRun(options));
        const same = run === last;
        last = run;
        return same;
      },
      { timeout: 15_000, intervals: [2000] },
    )
    .toBe(true);
  const before = (await latestStoredRun(options))! as ResumableRun;
  const keysBefore = await storedRecordKeys(options);
  expect(before.status).toBe('running');
  expect(cw.control.requests().some((request) => SITES.test(request.path) && request.status === 0)).toBe(true);
  const sitesStep = before.steps[before.stepIndex] as { entity: string; scope: string[] };
  expect(sitesStep.entity).toBe('site');
  const scope = sitesStep.scope.map(Number);
  const [, resumeAt] = resumePoint(before);
  const siteCompanies = (keys: string[]) =>
    [...new Set(keys.filter((key) => key.startsWith('site:')).map((key) => (cw.data.sites.get(Number(key.slice(5)))!.company as { id: number }).id))].sort(
      (a, b) => scope.indexOf(a) - scope.indexOf(b),
    );
  // The resume point is what was committed: the sites of the companies before it, none after.
  expect(siteCompanies(keysBefore)).toEqual(scope.slice(0, resumeAt));

  // The next build: the same files with a higher version, written where the extension was loaded from.
  const manifestPath = path.join(builds.next, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
  manifest.version = installedVersion.replace(/\d+$/, (patch: string) => String(Number(patch) + 1));
  writeFileSync(manifestPath, JSON.stringify(manifest));
  cpSync(builds.next, builds.installed, { recursive: true });
  cw.control.clearFaults();
  cw.control.setLatency(300);
  const requestsBefore = cw.control.requests().length;
  const newWorker = context.waitForEvent('serviceworker', { predicate: (candidate: Worker) => candidate !== worker });
  const cdp = await context.browser()!.newBrowserCDPSession();
  const loaded = (await cdp.send('Extensions.loadUnpacked' as never, { path: builds.installed } as never)) as { id: string };
  const updatedAt = Date.now();
  await cdp.detach();
  expect(loaded.id).toBe(extensionId);
  const updated = await newWorker;
  // The new worker runs the new version, started as an update of the old one.
  expect(await versionOf(updated)).toBe(manifest.version);
  await expect.poll(() => installEvents(updated)).toEqual([{ reason: 'install' }, { reason: 'update', previousVersion: installedVersion }]);

  // The same run goes on, its progress never behind its last commit. (The options page open
  // before closed with the old version: a technician opens it again.)
  const check = await openOptions();
  const seen: [number, number][] = [resumePoint(before)];
  await expect
    .poll(
      async () => {
        const run = (await latestStoredRun(check)) as ResumableRun;
        expect(run.id).toBe(before.id);
        seen.push(resumePoint(run));
        return run.status;
      },
      { timeout: 60_000, intervals: [200] },
    )
    .toBe('succeeded');
  for (let index = 1; index < seen.length; index++) expect(notBehind(seen[index]!, seen[index - 1]!), `resume points seen: ${JSON.stringify(seen)}`).toBe(true);

  // From the resume point, at once (not on a later alarm): the next company's sites first, then the
  // rest, each once; nothing committed before was asked again.
  const resumed = cw.control.requests().slice(requestsBefore);
  expect(resumed.map((request) => `${request.status} ${request.path}`)).toEqual(
    scope.slice(resumeAt).map((company) => `200 /v4_6_release/apis/3.0/company/companies/${company}/sites`),
  );
  expect(Date.parse(resumed[0]!.at) - updatedAt).toBeLessThan(10_000);

  // Nothing lost: every record there before is there still, and the run finished with them all.
  const keysAfter = await storedRecordKeys(check);
  const kept = new Set(keysAfter);
  expect(keysBefore.filter((key) => !kept.has(key))).toEqual([]);
  const counts = countByEntity(keysAfter);
  const countsBefore = countByEntity(keysBefore);
  const sites = scope.reduce((sum, company) => sum + cw.data.sites.children(company).length, 0);
  const contacts = scope.reduce((sum, company) => sum + cw.data.contacts.children(company).length, 0);
  expect(counts).toEqual({ ...countsBefore, site: sites });
  expect(counts.contact).toBe(contacts);
  const after = (await latestStoredRun(check))! as ResumableRun;
  expect(after.stepIndex).toBe(after.steps.length);
  // Each site page counted once: none read twice.
  expect(after.counts.site).toMatchObject({ fetched: sites, written: sites });

  // What the technician sees: that run, finished, with its counts.
  const status = integrationCard(check).getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'succeeded');
  await expect(status).toHaveAttribute('data-run', before.id);
  await expect(status).toContainText(`Contacts ${contacts} read, ${contacts} written`);
  await expect(status).toContainText(`Sites ${sites} read, ${sites} written`);
});
