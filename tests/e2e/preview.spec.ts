import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, overlayOf, test } from './fixtures';
import { connectwiseReady, fillConnectwiseForm, integrationCard, syncAndWait, waitForNewRun } from './flows';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';

/** Issue #4: connected fields in the overlay and its search; previews of a rule change, an option change and a sync, then apply or cancel. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await cw.close();
});

const companyOf = cwCompanyIdOf;
const backupPlan = (row: Record<string, unknown>) =>
  ((row.customFields as { caption: string; value?: unknown }[] | undefined) ?? []).find((field) => field.caption === 'Backup Plan')?.value as
    string | undefined;

test('connected fields show in the overlay and its search; previews of rules, options and a sync, applied or cancelled', async ({
  context,
  openExtensionPage,
}) => {
  const options = await openExtensionPage('options.html');
  const card = await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });

  // A configuration whose company is live (active) and which has a "Backup Plan" custom field in ConnectWise.
  const activeCompanies = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((c) => c.id));
  const configuration = cw.data.configurations.rows.find((row) => activeCompanies.has(companyOf(row)) && backupPlan(row) && row.activeFlag !== false)!;
  const plan = backupPlan(configuration)!;
  const companyId = companyOf(configuration);

  // Connected fields: a custom field on the primary layout, filled from ConnectWise's "Backup Plan".
  const layouts = options.getByTestId('layouts');
  const row = layouts.locator('[data-testid="layout-row"][data-layout="Configurations"]');
  await row.getByLabel('New field for Configurations').fill('Backup');
  await row.getByRole('button', { name: 'Add field' }).click();
  await expect(row).toContainText('Backup');
  await card.getByRole('button', { name: 'Sync options' }).click();
  const connected = card.getByTestId('connected-fields');
  await connected.getByLabel('PSA field for Configurations Backup').selectOption('Backup Plan');
  await connected.getByRole('button', { name: 'Save connected fields' }).click();
  await expect(connected.getByTestId('connected-fields-message')).toHaveText(/^1 field connected/);

  // The overlay lists the value beside the configuration, and the company search finds it by that value.
  const page = await context.newPage();
  await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${companyId}`);
  const primary = overlayOf(page).getByRole('region', { name: 'Configurations' });
  const item = primary.getByTestId('sidecar-item').filter({ hasText: String(configuration.name) });
  await expect(item).toContainText(`Backup${plan}`);
  const others = cw.data.configurations.rows.filter((other) => companyOf(other) === companyId && backupPlan(other) !== plan);
  await overlayOf(page).getByLabel('Search this company').fill(plan.toLowerCase());
  await expect(item).toBeVisible();
  for (const other of others) await expect(primary.getByTestId('sidecar-item').filter({ hasText: String(other.name) })).toHaveCount(0);
  await overlayOf(page).getByLabel('Search this company').fill('');

  // Rule preview: what saving would move, nothing moved until Apply.
  const syncOptions = card.getByTestId('sync-options');
  const type = (configuration.type as { name: string }).name;
  const ofType = cw.data.configurations.rows.filter((other) => activeCompanies.has(companyOf(other)) && (other.type as { name: string }).name === type);
  await syncOptions.getByLabel('Name of a layout to create').fill('Special');
  await syncOptions.getByRole('button', { name: 'Create layout and add a rule' }).click();
  await syncOptions.getByLabel('Rule 1 type').fill(type);
  await syncOptions.getByRole('button', { name: 'Preview rule changes' }).click();
  const rulePreview = syncOptions.getByRole('region', { name: 'If these rules were saved' });
  await expect(rulePreview.getByTestId('preview-summary')).toHaveText(`Would be ${ofType.length} moved.`);
  await expect(rulePreview.getByTestId('preview-sample').filter({ hasText: String(configuration.name) })).toContainText('Configurations → Special');
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Configurations' })).toContainText(String(configuration.name));
  await rulePreview.getByRole('button', { name: 'Apply' }).click();
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(new RegExp(`Rules saved; ${ofType.length} synced records? re-sorted`));
  await expect(rulePreview).toHaveCount(0);
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Special' })).toContainText(String(configuration.name));

  // Option preview, then Cancel: nothing saved, contacts stay.
  const skip = syncOptions.getByTestId('skip-options');
  await skip.getByLabel('Skip contacts').check();
  await skip.getByRole('button', { name: 'Preview option changes' }).click();
  const optionPreview = skip.getByRole('region', { name: 'If these options were saved' });
  const liveContacts = cw.data.contacts.rows.filter((contact) => activeCompanies.has(companyOf(contact))).length;
  await expect(optionPreview.getByTestId('preview-summary')).toHaveText(`Would be ${liveContacts} archived.`);
  await expect(optionPreview).toContainText('The next sync reads contacts again in full.');
  await optionPreview.getByRole('button', { name: 'Cancel' }).click();
  await expect(optionPreview).toHaveCount(0);
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Contacts' }).getByTestId('sidecar-item').first()).toBeVisible();

  // Sync preview: changes in ConnectWise are listed, nothing is written, then Apply syncs them.
  const contact = cw.data.contacts.rows.find((other) => companyOf(other) === companyId)!;
  const contactName = `${String(contact.firstName)} ${String(contact.lastName)}`.trim();
  cw.control.mutate.rename('contact', contact.id, 'Renamed Person');
  const gone = cw.data.configurations.rows.find((other) => companyOf(other) === companyId && other.id !== configuration.id)!;
  cw.control.mutate.remove('configuration', gone.id);
  await card.getByRole('button', { name: 'Preview sync' }).click();
  const syncPreview = card.getByRole('region', { name: 'If you synced now' });
  await expect(syncPreview.getByTestId('preview-summary')).toHaveText(/Would be \d+ updated, 1 archived\./, { timeout: 60_000 });
  await expect(syncPreview.getByTestId('preview-sample').filter({ hasText: 'Renamed Person' })).toContainText('updated contact Renamed Person');
  await expect(syncPreview.getByTestId('preview-sample').filter({ hasText: String(gone.name) })).toContainText('archived configuration');
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Contacts' })).toContainText(contactName);
  await expect(overlayOf(page).getByTestId('sidecar-overlay')).toContainText(String(gone.name));

  const status = card.getByTestId('run-status');
  const previousRun = await status.getAttribute('data-run');
  await syncPreview.getByRole('button', { name: 'Apply' }).click();
  await waitForNewRun(status, previousRun);
  await expect(syncPreview).toHaveCount(0);
  await page.reload();
  await expect(overlayOf(page).getByRole('region', { name: 'Contacts' })).toContainText('Renamed Person');
  await expect(overlayOf(page).getByTestId('sidecar-overlay')).not.toContainText(String(gone.name));
});

test('configuration types are offered from the PSA after a first import with no company matched', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const card = integrationCard(options);
  await syncAndWait(card, /Start sync/);
  expect(cw.data.configurations.rows.length).toBeGreaterThan(0);
  await card.getByRole('button', { name: 'Sync options' }).click();
  const typeSkips = card.getByRole('group', { name: 'Configuration types to skip' });
  for (const type of cw.data.configurationTypes.rows.filter((row) => row.inactiveFlag !== true).slice(0, 3)) {
    await expect(typeSkips.getByLabel(String(type.name), { exact: true })).toBeVisible();
  }
  await expect(card.getByTestId('types-note')).toHaveCount(0);
});
