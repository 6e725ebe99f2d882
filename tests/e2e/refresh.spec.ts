import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, overlayOf, test } from './fixtures';
import { connectwiseReady, openMatching } from './flows';

/** "Refresh now" in the overlay resyncs the page's company at once. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

test('refresh one company from the overlay and from the options page', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const card = await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });

  const company = cw.data.companies.rows[0]!;
  const contact = cw.data.contacts.children(company.id)[0]!;
  const page = await context.newPage();
  await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${company.id}`);
  const overlay = overlayOf(page);
  await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  cw.control.mutate.rename('contact', contact.id, 'Renamed Just Now');
  await overlay.getByTestId('sidecar-refresh').click();
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText('Renamed Just Now');
  await expect(overlay.getByTestId('sidecar-refresh')).toHaveText('Refresh now');

  // The same from the options page's matching table.
  const matching = await openMatching(card);
  cw.control.mutate.rename('contact', contact.id, 'Renamed From Options');
  await matching.getByRole('button', { name: `Sync ${String(company.name)} now` }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText(`Sync of ${String(company.name)} started.`);
  await expect(async () => {
    await page.reload();
    await expect(overlay.getByTestId('sidecar-contacts')).toContainText('Renamed From Options', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
});
