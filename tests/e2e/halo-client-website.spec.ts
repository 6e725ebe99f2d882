import type { Locator } from '@playwright/test';
import { startEmulator, type RunningEmulator, type RunningHaloEmulator } from '../emulator/index.ts';
import { connectwiseEntry, haloEntry } from './emulator-entries';
import { expect, test } from './fixtures';
import { fillConnectwiseForm, fillIntegrationForm, integrationCard, openMatching, syncAndWait, waitForNewRun } from './flows';

/**
 * #16, what real Halo sends: the April 2025 client list has no website (docs/psa/halo.md#clients).
 * A Halo client's website arrives from its own record once it is matched and a Sync now has run,
 * and only then does it suggest another PSA's company (same website, a different name) to its
 * client space.
 */
let cw: RunningEmulator;
let halo: RunningHaloEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
  // The emulator's default client list: the April 2025 schema, no `website` in its rows.
  halo = await startEmulator({ psa: 'halo', preset: 'demo', rateLimit: null });
});
test.afterEach(async () => {
  await Promise.all([cw?.close(), halo?.close()]);
});

const row = (matching: Locator, company: string) => matching.locator(`[data-testid="match-row"][data-company="${company.replace(/"/g, '\\"')}"]`);

test('a matched Halo client’s website comes from its record on Sync now and suggests a ConnectWise company by website', async ({ openExtensionPage }) => {
  const tailspin = halo.data.clients.rows.find((client) => client.name === 'Tailspin Toys')!;
  halo.control.mutate.renameClient(tailspin.id, 'Tailspin Toys & Games');

  // HaloPSA first: its clients become the client spaces.
  const options = await openExtensionPage('options.html');
  const haloForm = await fillIntegrationForm(options, 'HaloPSA', haloEntry(halo));
  await expect(haloForm.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const haloCard = integrationCard(options, /HaloPSA/);
  await syncAndWait(haloCard, /Start sync/);
  const haloMatching = await openMatching(haloCard);
  await haloMatching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await expect(haloMatching.getByTestId('matching-result')).toHaveText(/^0 matched, \d+ created, 0 left unmatched\./);
  await haloCard.getByRole('button', { name: 'Match companies' }).click();
  // The list gave no website and no client record was read yet.
  expect(halo.control.requests().filter((request) => /\/api\/Client\/\d+$/i.test(request.path))).toEqual([]);

  // Then ConnectWise: its "Tailspin Toys" shares only the website with Halo's renamed client.
  const cwForm = await fillConnectwiseForm(options, connectwiseEntry(cw));
  await expect(cwForm.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const cwCard = integrationCard(options, /ConnectWise/);
  await syncAndWait(cwCard, /Start sync/);
  const cwMatching = await openMatching(cwCard);
  const cwTailspin = row(cwMatching, 'Tailspin Toys');
  await expect(cwTailspin.getByTestId('suggestion')).toHaveText('No match found');

  // Sync now on HaloPSA reads each matched client's record, last, with its own progress (slowed here to be seen):
  // the website arrives, and the suggestion with it.
  const matchedClients = halo.data.clients.rows.filter((client) => !client.inactive).length;
  const status = haloCard.getByTestId('run-status');
  const previousRun = await status.getAttribute('data-run');
  halo.control.injectFault({ path: /\/api\/Client\/\d+$/i, delayMs: 250, times: Infinity });
  await haloCard.getByRole('button', { name: /Sync now/ }).click();
  // The last step: its time left is its own (a request a client, 250 ms each here).
  await expect(status).toContainText(new RegExp(`Company records: \\d+ of ${matchedClients} · (less than a minute|about \\d+ min) left in this step$`));
  halo.control.clearFaults();
  await waitForNewRun(status, previousRun);
  // The client list was read again but had not changed: no company row was rewritten (#17).
  await expect(status).toContainText(`Companies ${halo.data.clients.rows.length} read, 0 written`);
  expect(halo.control.requests().filter((request) => /\/api\/Client\/\d+$/i.test(request.path))).toHaveLength(matchedClients);
  await expect(cwTailspin.getByTestId('suggestion')).toHaveText(
    /^Tailspin Toys & Games · confidence 75 · website: tailspintoys\.example\.com \(Tailspin Toys & Games in HaloPSA.*\)$/,
  );
  await expect(cwTailspin.getByLabel('Client space for Tailspin Toys').locator('option:checked')).toHaveText('Match to Tailspin Toys & Games');
});
