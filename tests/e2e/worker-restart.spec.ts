import type { Page } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, overlayOf, test } from './fixtures';
import { fillConnectwiseForm, firstSyncThenMatchAll, integrationCard } from './flows';
import { latestStoredRun } from './runs';

/**
 * Issue #6: the browser stops the service worker in the middle of a sync (here through the
 * DevTools protocol, as Chrome does when a worker idles); the sync resumes on its own, from its
 * last committed step, when the watchdog alarm wakes the worker.
 */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await cw.close();
});

/** The latest run's resume point. */
const latestRun = async (page: Page) => {
  const run = await latestStoredRun(page);
  return run ? { id: run.id, status: run.status, stepIndex: run.stepIndex, steps: run.steps.length } : undefined;
};

test('a sync interrupted by the worker being stopped resumes on its own from its checkpoint', async ({ context, openExtensionPage }) => {
  test.setTimeout(150_000);
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const card = integrationCard(options);
  await firstSyncThenMatchAll(card);

  // A slow PSA, so the sync of the matched companies' records takes many seconds.
  cw.control.setLatency(900);
  cw.control.resetRequestLog();
  await card.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(async () => (await latestRun(options))?.stepIndex ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const before = (await latestRun(options))!;
  expect(before.status).toBe('running');
  const doneBeforeStop = cw.control.requests().length;

  // Stop the extension's service worker mid-run.
  const cdp = await context.newCDPSession(options);
  // The worker's life as the browser reports it: stopped, then running again when something wakes it.
  const lifecycle: { status: string; at: number }[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: { runningStatus: string }[] }) => {
    for (const version of versions) lifecycle.push({ status: version.runningStatus, at: Date.now() });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  const stoppedAt = Date.now();

  // It is really stopped: the run stands still (at most the request in flight lands).
  cw.control.setLatency(50);
  await options.waitForTimeout(8000);
  expect((await latestRun(options))?.status).toBe('running');
  expect(cw.control.requests().length).toBeLessThanOrEqual(doneBeforeStop + 1);

  // Nothing wakes it but its own watchdog alarm (30 s): the same run then finishes.
  await expect.poll(async () => (await latestRun(options))?.status, { timeout: 90_000, intervals: [1000] }).toBe('succeeded');
  const after = (await latestRun(options))!;
  expect(after.id).toBe(before.id);
  expect(after.stepIndex).toBe(after.steps);
  // Really stopped, and woken only later (by its watchdog alarm: the quiet 8 s above had no other wake-up).
  const stoppedSeen = lifecycle.find((entry) => entry.status === 'stopped' && entry.at >= stoppedAt - 1000);
  expect(stoppedSeen, `worker lifecycle: ${JSON.stringify(lifecycle)}`).toBeDefined();
  const restartedAt = lifecycle.find((entry) => entry.status === 'running' && entry.at > stoppedSeen!.at)?.at;
  expect(restartedAt, `worker lifecycle: ${JSON.stringify(lifecycle)}`).toBeDefined();
  expect(restartedAt! - stoppedAt).toBeGreaterThan(8000);

  // Resumed, not restarted: the steps committed before the stop were not read again.
  const requests = cw.control.requests();
  const resumed = requests.slice(doneBeforeStop);
  expect(resumed.length).toBeGreaterThan(0);
  // Beyond the one request in flight at the stop, every resumed request came from the restarted worker.
  expect(resumed.slice(1).every((request) => Date.parse(request.at) >= restartedAt! - 1000)).toBe(true);
  expect(resumed.length).toBeLessThan(requests.length);
  const contactsBefore = requests
    .slice(0, doneBeforeStop)
    .filter((request) => /\/company\/contacts$/i.test(request.path))
    .map((request) => JSON.stringify(request.query));
  for (const query of contactsBefore)
    expect(resumed.filter((request) => JSON.stringify(request.query) === query && /\/company\/contacts$/i.test(request.path))).toHaveLength(0);

  // And the data is all there.
  const psa = await context.newPage();
  const company = cw.data.companies.rows.find(
    (row) => cw.data.contacts.children(row.id).length > 0 && !/inactive/i.test(String((row.status as { name?: string }).name)),
  )!;
  await psa.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${company.id}`);
  await expect(overlayOf(psa).getByTestId('sidecar-contacts').getByTestId('sidecar-item')).toHaveCount(cw.data.contacts.children(company.id).length);
});

test('the documentation store survives the worker being stopped: what was written stays, and the next write works', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const spaces = options.getByTestId('client-spaces');
  await spaces.getByLabel('New client space').fill('Restart test client');
  await spaces.getByRole('button', { name: 'Create client space' }).click();
  const [space] = await Promise.all([context.waitForEvent('page'), spaces.getByRole('link', { name: 'Restart test client' }).click()]);
  const notes = space.getByTestId('space-notes');
  await notes.getByLabel('New note').fill('Written before the worker stopped');
  await notes.getByRole('button', { name: 'Pin note' }).click();
  await expect(notes.getByTestId('space-note')).toHaveCount(1);

  const cdp = await context.newCDPSession(options);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await space.reload();
  await expect(space.getByTestId('space-note')).toContainText('Written before the worker stopped');
  // The first message wakes the worker; it opens the store again and writes (and projects) before answering.
  await notes.getByLabel('New note').fill('Written after it came back');
  await notes.getByRole('button', { name: 'Pin note' }).click();
  await expect(notes.getByTestId('space-note')).toHaveCount(2);
  await space.getByTestId('space-note').filter({ hasText: 'Written after it came back' }).getByRole('button', { name: 'History' }).click();
  await expect(space.getByTestId('history')).toContainText('No earlier version.');
});
