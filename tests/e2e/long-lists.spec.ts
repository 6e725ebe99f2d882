import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { expect, test } from './fixtures';
import { fillConnectwiseForm, integrationCard, openMatching, syncAndWait } from './flows';

/**
 * Issue #17: at 2,000 companies the options page shows its long lists a window at a time, each
 * with a field to find the rest by name (rendering every row took it seconds to become
 * interactive). The first sync of the large ConnectWise tenant brings its 2,000 companies.
 */
let cw: RunningEmulator;
test.beforeAll(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'large' });
});
test.afterAll(async () => {
  await cw.close();
});

test('the matching table and the client spaces show 100 at a time; the field finds any other by name', async ({ openExtensionPage }) => {
  test.setTimeout(120_000);
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await form
    .getByTestId('connection-result')
    .filter({ hasText: /^Connected to / })
    .waitFor();
  const card = integrationCard(options);
  await syncAndWait(card, /Start sync/);

  // Matching: a window of the companies (2,000 less the deleted and inactive ones), and one far down the list found by name.
  const live = cw.data.companies.rows.filter(cwCompanyIsLive);
  const companies = live.length;
  expect(companies).toBeGreaterThan(1000);
  const matching = await openMatching(card);
  await expect(matching.getByTestId('match-row')).toHaveCount(100);
  await expect(matching.getByTestId('narrow-count')).toHaveText(`Showing the first 100 of ${companies} companies: type part of a name to find the others.`);
  const farDown = live
    .map((company) => String(company.name))
    .sort((a, b) => a.localeCompare(b))
    .at(-1)!;
  await expect(matching.getByTestId('match-row').filter({ hasText: farDown })).toHaveCount(0);
  await matching.getByLabel('Find a PSA company').fill(farDown);
  await expect(matching.getByTestId('match-row').filter({ hasText: farDown }).first()).toBeVisible();
  await expect(matching.getByTestId('narrow-count')).toContainText(`match “${farDown}”`);
  // The bulk action still takes every pending company, not only those shown.
  const bulk = matching.getByRole('button', { name: `Bulk create/match all (${companies} pending)` });
  await expect(bulk).toBeVisible();
  await bulk.click();
  await expect(matching.getByTestId('matching-result')).toContainText(`${companies} created`, { timeout: 60_000 });

  // Client spaces: one per company now, the same window and field.
  const spaces = options.getByTestId('client-spaces');
  await expect(spaces.getByTestId('space-row')).toHaveCount(100);
  await expect(spaces.getByTestId('narrow-count')).toHaveText(`Showing the first 100 of ${companies} client spaces: type part of a name to find the others.`);
  await spaces.getByLabel('Find a client space').fill(farDown);
  await expect(spaces.getByTestId('space-row').filter({ hasText: farDown }).first()).toBeVisible();
  await spaces.getByLabel('Find a client space').fill('zzz no such client');
  await expect(spaces.getByTestId('space-row')).toHaveCount(0);
  await expect(spaces.getByTestId('narrow-count')).toHaveText('0 client spaces match “zzz no such client”.');
});
