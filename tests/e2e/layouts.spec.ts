import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, overlayOf, test } from './fixtures';
import { connectwiseReady, syncAndWait, cardMenuButton } from './flows';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';

/** Issue #4: a layout made in the options page, a sort rule checked with the tester, the overlay re-sorted without a sync. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await cw.close();
});

test('a sort rule files firewalls in a new layout, re-sorting synced records; a skip option; the Museum', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const card = await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });

  // Layouts: create one with a custom field; a sync location cannot be deactivated.
  const layouts = options.getByTestId('layouts');
  await layouts.getByLabel('New layout name').fill('Network Gear');
  await layouts.getByRole('button', { name: 'Create layout' }).click();
  const row = layouts.locator('[data-testid="layout-row"][data-layout="Network Gear"]');
  await row.getByLabel('New field for Network Gear').fill('Firmware');
  await row.getByRole('button', { name: 'Add field' }).click();
  await expect(row).toContainText('Firmware');
  await layouts.getByLabel('People active').click();
  await expect(layouts.getByTestId('layouts-message')).toHaveText(/"People" is where ConnectWise .* files contacts/);
  await expect(layouts.getByLabel('People active')).toBeChecked();

  // A rule, checked with the tester before and after saving.
  await card.getByRole('button', { name: 'Sync options' }).click();
  const syncOptions = card.getByTestId('sync-options');
  await syncOptions.getByRole('button', { name: 'Add rule' }).click();
  await syncOptions.getByLabel('Rule 1 type').fill('Firewall');
  await syncOptions.getByLabel('Rule 1 layout').selectOption({ label: 'Network Gear' });
  await syncOptions.getByLabel('Configuration type to test').fill('firewall');
  await expect(syncOptions.getByTestId('rule-tester-result')).toHaveText('Lands in Network Gear — rule 1 (Firewall), unsaved.');
  await syncOptions.getByRole('button', { name: 'Save rules' }).click();
  // Firewalls of live companies: inactive companies arrive archived and their records are not read.
  const liveCompanies = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((c) => c.id));
  const firewalls = cw.data.configurations.rows.filter((row) => (row.type as { name: string }).name === 'Firewall' && liveCompanies.has(cwCompanyIdOf(row)));
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(new RegExp(`Rules saved; ${firewalls.length} synced records? re-sorted`));
  await syncOptions.getByLabel('Configuration type to test').fill('Printer');
  await expect(syncOptions.getByTestId('rule-tester-result')).toHaveText('Lands in Configurations: no rule matches, so the primary location.');

  // Sync locations save like the rules (#18): a choice is a draft until Save, then re-sorts.
  const primary = syncOptions.getByLabel('Primary location (configurations no rule places)');
  const saveLocations = syncOptions.getByRole('button', { name: 'Save sync locations' });
  await expect(saveLocations).toBeDisabled();
  await primary.selectOption({ label: 'Network Gear' });
  await expect(syncOptions.getByTestId('rule-tester-result')).toHaveText('Lands in Network Gear: no rule matches, so the primary location.');
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(/^Rules saved/);
  await saveLocations.click();
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(/^Sync locations saved; [1-9]\d* synced records? re-sorted\.$/);
  await expect(saveLocations).toBeDisabled();
  await primary.selectOption({ label: 'Configurations' });
  await saveLocations.click();
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(/^Sync locations saved; [1-9]\d* synced records? re-sorted\.$/);

  // The overlay shows the firewall under its new layout; no sync ran in between.
  const firewall = firewalls[0]!;
  const companyId = (firewall.company as { id: number }).id;
  const page = await context.newPage();
  await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${companyId}`);
  const group = overlayOf(page).getByRole('region', { name: 'Network Gear' });
  await expect(group).toContainText(String(firewall.name));
  await expect(overlayOf(page).getByRole('region', { name: 'Configurations' })).not.toContainText(String(firewall.name));

  // A skip option: contacts leave the overlay at once and stay out after a sync.
  const skip = syncOptions.getByTestId('skip-options');
  await skip.getByLabel('Skip contacts').check();
  // With the share of ConnectWise's rate limit: refused out of range, then lowered to 20%.
  const share = skip.getByLabel("Share of the PSA's API rate limit Sidecar may use (%)");
  await expect(share).toHaveValue('50');
  await expect(skip.getByTestId('api-share-hint')).toHaveText(
    "The PSA allows 1,000 requests a minute; Sidecar's syncs will make at most 500, leaving the rest to your other integrations.",
  );
  await share.fill('101');
  await skip.getByRole('button', { name: 'Save options' }).click();
  await expect(skip.getByTestId('skip-options-message')).toHaveText('Sidecar cannot use more than 100% of the rate limit.');
  await share.fill('20');
  await expect(skip.getByTestId('api-share-hint')).toContainText('at most 200,');
  await skip.getByRole('button', { name: 'Save options' }).click();
  const liveContacts = cw.data.contacts.rows.filter((contact) => liveCompanies.has(cwCompanyIdOf(contact))).length;
  await expect(skip.getByTestId('skip-options-message')).toHaveText(`Options saved; ${liveContacts} records archived. They apply from the next sync.`);
  await syncAndWait(card, /Sync now/);
  await options.reload();
  await card.getByRole('button', { name: 'Sync options' }).click();
  await expect(share).toHaveValue('20');
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Contacts' }).getByTestId('sidecar-item')).toHaveCount(0);
  await expect(overlayOf(page).getByRole('region', { name: 'Network Gear' })).toContainText(String(firewall.name));

  // Deleted in the PSA: archived to the Museum, then restored and shown flagged.
  cw.control.mutate.remove('configuration', firewall.id);
  await syncAndWait(card, /Sync now/);
  await page.reload();
  await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(page).getByTestId('sidecar-overlay')).not.toContainText(String(firewall.name));
  await (await cardMenuButton(card, 'Museum')).click();
  const museum = card.getByTestId('museum');
  await expect(museum.getByTestId('museum-row').filter({ hasText: String(firewall.name) })).toContainText('Configuration');
  await museum.getByRole('button', { name: `Restore ${String(firewall.name)}` }).click();
  await expect(museum.getByTestId('museum-message')).toHaveText(/restored/);
  await page.reload();
  await expect(
    overlayOf(page)
      .getByRole('region', { name: 'Network Gear' })
      .getByTestId('sidecar-item')
      .filter({ hasText: String(firewall.name) }),
  ).toContainText('deleted in the PSA');
});
