import { startHaloEmulator, type RunningHaloEmulator } from '../emulator/halo/start.ts';
import { expect, test } from './fixtures';
import { psaMatched } from './flows';
import { haloEntry } from './emulator-entries';

/**
 * Issue #17: a sync held to its share of the vendor's limit says how long it has left as the
 * pacer will let it go. HaloPSA allows 300 requests every 5 minutes; at a 5% share Sidecar makes
 * at most 15, so reading the matched clients' lists and full records waits for the window to
 * turn: minutes, where the requests themselves take seconds.
 */
let halo: RunningHaloEmulator;
test.beforeEach(async () => {
  halo = await startHaloEmulator({ preset: 'demo', rateLimit: null });
});
test.afterEach(async () => {
  await halo.close();
});

test('a sync waiting for its window says how long it has left, on the options page and in the popup', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const card = await psaMatched(options, 'HaloPSA', haloEntry(halo), /HaloPSA/);
  await card.getByRole('button', { name: 'Sync options' }).click();
  const skip = card.getByTestId('sync-options').getByTestId('skip-options');
  await skip.getByLabel("Share of the PSA's API rate limit Sidecar may use (%)").fill('5');
  await skip.getByRole('button', { name: 'Save options' }).click();
  await expect(skip.getByTestId('skip-options-message')).toHaveText(/^Options saved/);

  await card.getByRole('button', { name: /Sync now/ }).click();
  const status = card.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'running');
  // The pacer holds the run until the window turns (its message says when) ...
  await expect(status.getByTestId('run-waiting')).toContainText("Waiting: Sidecar keeps to 5% of this PSA's API limit", { timeout: 30_000 });
  // ... and the time left counts that wait: minutes, not the seconds the requests take. (Its
  // last step, the matched clients' full records, a request each, is where the window fills;
  // until one of them has come, what they cost is not known, and the wait is the least left.)
  const saysMinutes = /^ · (about [1-5] min left in this step|at least [1-5] min left \(1 list not counted yet\))$/;
  const left = status.getByTestId('time-left');
  await expect(left).toHaveText(saysMinutes);

  const popup = await openExtensionPage('popup.html');
  const inPopup = popup.getByTestId('integration-status').filter({ hasText: 'HaloPSA' }).getByTestId('run-status');
  await expect(inPopup.getByTestId('time-left')).toHaveText(saysMinutes);

  await card.getByRole('button', { name: 'Stop sync' }).click();
  await expect(status).toHaveAttribute('data-status', 'stopped');
});
