import { startEmulator } from '../emulator/index.ts';
import { expect, test } from './fixtures';
import { fillConnectwiseForm, integrationCard, waitForNewRun, cardMenuButton } from './flows';

/**
 * Issue #16, from Hudu's BMS and Halo guides: a running sync can be stopped (what it imported
 * stays; the next start goes on from there), and an integration turned off without removing it
 * (no sync, by hand or from the popup, until it is turned on).
 */
test('a technician stops a slow first sync, resumes it, then turns the integration off and on', async ({ openExtensionPage }) => {
  test.setTimeout(180_000);
  // Slow enough to stop mid-way: every API answer takes 400 ms.
  const cw = await startEmulator({ psa: 'connectwise', preset: 'demo', latencyMs: 400 });
  try {
    const options = await openExtensionPage('options.html');
    await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
    const card = integrationCard(options);
    const status = card.getByTestId('run-status');
    await card.getByRole('button', { name: 'Start sync' }).click();
    await expect(status).toHaveAttribute('data-status', 'running');
    const runId = await status.getAttribute('data-run');
    await card.getByTestId('sync-stop').click();
    await expect(card.getByTestId('integration-message')).toHaveText('Sync stopped. What it imported stays; the next sync goes on from there.');
    await expect(status).toHaveAttribute('data-status', 'stopped');
    await expect(status).toContainText('The next sync goes on from there.');
    // Nothing more is asked of the PSA while it is stopped, once what was in flight (the page and
    // the one read ahead) has landed.
    await options.waitForTimeout(1_500);
    const asked = cw.control.requests().length;
    await options.waitForTimeout(3_000);
    expect(cw.control.requests().length).toBe(asked);

    // The next start is the same run, going on from its last commit, to the end.
    await card.getByRole('button', { name: 'Start sync' }).click();
    await expect(status).toHaveAttribute('data-run', runId!);
    await waitForNewRun(status, null, 120_000);
    await expect(status).toHaveAttribute('data-run', runId!);
    await (await cardMenuButton(card, 'Log')).click();
    await expect(card.getByTestId('sync-log')).toContainText('Sync resumed where it was stopped (manual).');

    // Turned off: no sync from the card or the popup; turned on: syncs again.
    await (await cardMenuButton(card, 'Turn off')).click();
    await expect(card.getByTestId('integration-disabled')).toBeVisible();
    await expect(card.getByRole('button', { name: 'Sync now' })).toBeDisabled();
    const popup = await openExtensionPage('popup.html');
    await expect(popup.getByRole('button', { name: 'Sync now' })).toBeDisabled();
    await popup.close();
    await expect(status).toHaveAttribute('data-run', runId!);
    await (await cardMenuButton(card, 'Turn on')).click();
    await expect(card.getByTestId('integration-disabled')).toHaveCount(0);
    await expect(card.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  } finally {
    await cw.close();
  }
});
