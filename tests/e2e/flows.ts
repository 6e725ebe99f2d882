import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The technician's steps on Sidecar's own pages, shared by the e2e suite and `npm run demo`.
 * Each waits for what the person would see before going on.
 */

export interface ConnectwiseEntry {
  domain: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export async function fillConnectwiseForm(options: Page, entry: ConnectwiseEntry): Promise<Locator> {
  return fillIntegrationForm(options, 'ConnectWise Manage', { ...entry });
}

/** Chooses the PSA to add, fills its form (inputs and selects by name) and clicks Save. */
export async function fillIntegrationForm(options: Page, psaTitle: string, values: Record<string, string>): Promise<Locator> {
  await options.getByRole('group', { name: 'PSA to add' }).getByRole('button', { name: psaTitle }).click();
  const form = options.getByRole('form', { name: `Add ${psaTitle} integration` });
  for (const [name, value] of Object.entries(values)) {
    const select = form.locator(`select[name="${name}"]`);
    if (await select.count()) await select.selectOption(value);
    else await form.locator(`input[name="${name}"]`).fill(value);
  }
  await form.getByRole('button', { name: 'Save and test connection' }).click();
  return form;
}

export function integrationCard(options: Page, label?: RegExp): Locator {
  const cards = options.getByTestId('integration');
  // The card's own heading, by CSS: a role query would compute the role of every element in the
  // card (a 2,000-row matching table) each time a wait polls, and take a core from the sync it waits for.
  return label ? cards.filter({ has: options.locator(':scope > h3').filter({ hasText: label }) }) : cards.first();
}

/** A card's action kept in its "More" menu (Museum, Log, Edit, Turn on/off, Remove): the menu is opened first, as a person would. */
export async function cardMenuButton(card: Locator, name: string): Promise<Locator> {
  const menu = card.locator('details.more-actions');
  if (!(await menu.evaluate((details) => (details as HTMLDetailsElement).open))) await menu.locator('summary').click();
  return menu.getByRole('button', { name, exact: true });
}

/** Clicks a sync button and waits until a new run has finished; throws with the message if it failed. */
export async function syncAndWait(scope: Locator, buttonName: RegExp, timeout = 60_000): Promise<void> {
  const status = scope.getByTestId('run-status');
  const previousRun = await status.getAttribute('data-run').catch(() => null);
  await scope.getByRole('button', { name: buttonName }).click();
  await waitForNewRun(status, previousRun, timeout);
}

export async function waitForNewRun(status: Locator, previousRun: string | null, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const [run, state] = [await status.getAttribute('data-run'), await status.getAttribute('data-status')];
    if (run && run !== previousRun && state === 'succeeded') return;
    if (run && run !== previousRun && state === 'failed') throw new Error(`Sync failed: ${await status.textContent()}`);
    await status.page().waitForTimeout(200);
  }
  throw new Error(`No sync finished within ${timeout} ms (last status: ${await status.textContent()})`);
}

export async function openMatching(card: Locator): Promise<Locator> {
  const matching = card.getByTestId('matching');
  if (!(await matching.isVisible())) await card.getByRole('button', { name: 'Match companies' }).click();
  await matching.getByTestId('match-row').first().waitFor();
  return matching;
}

/** A connected card's first sync (its companies), then Bulk create/match all. Returns the card (the companies' lists not synced yet). */
export async function firstSyncThenMatchAll(card: Locator): Promise<Locator> {
  await syncAndWait(card, /Start sync/);
  const matching = await openMatching(card);
  await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await matching
    .getByTestId('matching-result')
    .filter({ hasText: /created/ })
    .waitFor();
  return card;
}

/** Once the form says connected: sync the companies, bulk create/match all. Returns the card (the companies' lists not synced yet). */
async function syncMatch(form: Locator, card: Locator): Promise<Locator> {
  await form
    .getByTestId('connection-result')
    .filter({ hasText: /^Connected to / })
    .waitFor();
  return firstSyncThenMatchAll(card);
}

/** Once the form says connected: sync, bulk create/match all, sync again. Returns the card. */
export async function syncMatchSync(form: Locator, card: Locator): Promise<Locator> {
  await syncAndWait(await syncMatch(form, card), /Sync now/);
  return card;
}

/** Any PSA: fill its form, test the connection, sync its companies, bulk create/match all; its companies' lists are for the next sync. Returns its card. */
export async function psaMatched(options: Page, psaTitle: string, values: Record<string, string>, label: RegExp): Promise<Locator> {
  return syncMatch(await fillIntegrationForm(options, psaTitle, values), integrationCard(options, label));
}

/** The usual start: add ConnectWise, sync, bulk create/match all, sync again. Returns the integration's card. */
export async function connectwiseReady(options: Page, entry: ConnectwiseEntry): Promise<Locator> {
  return syncMatchSync(await fillConnectwiseForm(options, entry), integrationCard(options));
}

/** Any PSA: fill its form, test the connection, sync, bulk create/match all, sync again. Returns its card. */
export async function psaReady(options: Page, psaTitle: string, values: Record<string, string>, label: RegExp): Promise<Locator> {
  return syncMatchSync(await fillIntegrationForm(options, psaTitle, values), integrationCard(options, label));
}

export interface TeamEntry {
  serverUrl: string;
  database: string;
  username: string;
  password: string;
  passphrase: string;
}

/** Options → Team: fills the team's server, database, login and passphrase, and clicks Join team. Returns the panel. */
export async function joinTeam(options: Page, entry: TeamEntry): Promise<Locator> {
  const panel = options.getByTestId('team');
  await panel.getByLabel('Team server').fill(entry.serverUrl);
  await panel.getByLabel('Database').fill(entry.database);
  await panel.getByLabel('Your CouchDB user').fill(entry.username);
  await panel.getByLabel('Your CouchDB password').fill(entry.password);
  await panel.getByLabel('Team passphrase').fill(entry.passphrase);
  await panel.getByRole('button', { name: 'Join team' }).click();
  return panel;
}

/** Options › Tickets on the card: the given field defaults (field key → choice label), saved. Returns the panel. */
export async function setTicketDefaults(card: Locator, defaults: Record<string, string>): Promise<Locator> {
  const settings = card.getByTestId('ticket-settings');
  if (!(await settings.isVisible())) await card.getByTestId('ticket-settings-toggle').click();
  await expect(settings.getByTestId('ticket-rights')).toContainText('create tickets');
  for (const [key, label] of Object.entries(defaults)) await settings.getByTestId(`ticket-default-${key}`).selectOption({ label });
  await settings.getByTestId('ticket-settings-save').click();
  await expect(settings.getByTestId('ticket-settings-message')).toHaveText('Ticket settings saved.');
  return settings;
}
