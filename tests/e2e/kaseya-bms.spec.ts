import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../emulator/kaseya-bms/start.ts';
import { expect, overlayOf, test } from './fixtures';
import { pageWorldReadout } from './attacks';
import { fillConnectwiseForm, fillIntegrationForm, integrationCard, openMatching, syncAndWait, waitForNewRun } from './flows';

/**
 * Issue #3's walk for Kaseya BMS (custom domain: the emulator), with ConnectWise configured in
 * the same browser: each PSA's pages show that PSA's client, and Sync now syncs both.
 */
let bms: RunningKaseyaBms;
let cw: RunningEmulator;
test.beforeEach(async () => {
  [bms, cw] = await Promise.all([startKaseyaBmsEmulator({ preset: 'demo', rateLimit: null }), startEmulator({ psa: 'connectwise', preset: 'tiny' })]);
});
test.afterEach(async () => {
  await Promise.all([bms.close(), cw.close()]);
});

test('Kaseya BMS and ConnectWise side by side: configure, sync, match, overlays on both PSAs, one Sync now', async ({ context, openExtensionPage }) => {
  const creds = bms.credentials.valid;
  const options = await openExtensionPage('options.html');
  const bmsValues = { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: 'not-the-password' };
  const form = await fillIntegrationForm(options, 'Kaseya BMS / Pulseway PSA', bmsValues);
  await expect(form.getByTestId('connection-result')).toHaveText(/BMS rejected the user name or password/);
  await form.locator('input[name="password"]').fill(creds.password);
  await form.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);

  // BMS's asset list has no change filter: the schedule says it is read whole until its length is known (#17).
  const wholeReads = options.getByTestId('schedule').getByTestId('whole-read-note');
  await expect(wholeReads).toHaveText(
    /^Kaseya BMS \(127\.0\.0\.1:\d+\) cannot list only the assets that changed, so Sidecar reads the whole list: on every sync until it has read it once/,
  );

  const cwCreds = cw.credentials.valid;
  const cwForm = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cwCreds });
  await expect(cwForm.getByTestId('connection-result')).toHaveText(/^Connected to /);
  await expect(options.getByTestId('integration')).toHaveCount(2);

  for (const label of [/Kaseya BMS/, /ConnectWise/]) {
    const card = integrationCard(options, label);
    await syncAndWait(card, /Start sync/);
    const matching = await openMatching(card);
    await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
    await expect(matching.getByTestId('matching-result')).toHaveText(/\d+ created/);
    await syncAndWait(card, /Sync now/);
  }

  // Then what its whole read cost, and how often scheduled syncs read it whole (the demo's list is short: every sync).
  await expect(wholeReads).toHaveText(
    /reads the whole list on every sync\. The last whole read: [\d,]+ assets in \d+ requests, .* at 50% of its limit of 1,500 requests an hour for this list\.$/,
  );

  // A BMS ticket in the React UI, then another ticket without a reload, then the legacy page.
  const [first, second] = bms.data.tickets.rows.filter((ticket, index, rows) => rows.findIndex((other) => other.accountId === ticket.accountId) === index);
  const account = (id: number) => bms.data.accounts.get(id)!;
  const page = await context.newPage();
  await page.goto(`${bms.baseUrl}/react/servicedesk/tickets/${first!.id}`);
  await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(account(first!.accountId).accountName);
  // ConnectWise has a company of the same name, matched to the same client space by the bulk
  // match: the overlay shows both PSAs' contacts, each with its source.
  const contacts = overlayOf(page).getByTestId('sidecar-contacts').getByTestId('sidecar-item');
  const bmsContacts = bms.data.contacts.rows.filter((row) => row.accountId === first!.accountId).length;
  await expect(contacts.filter({ hasNot: overlayOf(page).getByTestId('sidecar-source').filter({ hasText: 'CW' }) })).toHaveCount(bmsContacts);
  const cwCompany = cw.data.companies.rows.find((row) => row.name === account(first!.accountId).accountName);
  expect(cwCompany, 'both demo datasets have this company').toBeDefined();
  await expect(contacts.filter({ has: overlayOf(page).getByTestId('sidecar-source').filter({ hasText: 'CW' }) })).toHaveCount(
    cw.data.contacts.children(cwCompany!.id).length,
  );
  // Issue #12: shown (a technician mid-migration needs both), but only inside the overlay's frame:
  // a script in the BMS page's own world reads none of ConnectWise's records, not even by window.find.
  const cwNames = cw.data.contacts.children(cwCompany!.id).map((row) => `${String(row.firstName)} ${String(row.lastName)}`.trim());
  await expect(contacts.filter({ hasText: cwNames[0]! })).toHaveCount(1);
  const readout = await pageWorldReadout(page, cwNames);
  expect(readout.found).toEqual([]);
  for (const name of cwNames) expect(readout.text).not.toContain(name);
  // In-app navigation, as a technician clicks: the ticket's account, then another of its tickets
  // would stay on one account, so go through the ticket list to another account's ticket.
  await page.getByTestId('ticket-account-link').click();
  await expect(page).toHaveURL(new RegExp(`/react/crm/accounts/${first!.accountId}$`));
  await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(account(first!.accountId).accountName);
  await page.evaluate(() => history.back());
  await expect(page).toHaveURL(new RegExp(`/react/servicedesk/tickets/${first!.id}$`));
  await page.evaluate((url) => {
    // The React UI's own router: the list's links push the ticket URL the same way.
    history.pushState({}, '', url);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/react/servicedesk/tickets/${second!.id}`);
  await expect(overlayOf(page).getByTestId('sidecar-page')).toHaveText(`ticket #${second!.id}`);
  expect(await page.evaluate(() => (window as unknown as { __bmsNavigations: number }).__bmsNavigations)).toBeGreaterThanOrEqual(2);
  await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(account(second!.accountId).accountName);
  expect(await page.evaluate(() => document.querySelectorAll('sidecar-overlay').length)).toBe(1);
  await page.goto(`${bms.baseUrl}/MSP/TicketEdit.aspx?ID=${first!.id}`);
  await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(account(first!.accountId).accountName);

  // The ConnectWise emulator on another port of the same host gets ConnectWise's data.
  const cwTicket = cw.data.tickets.rows[0]!;
  const cwPage = await context.newPage();
  await cwPage.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${cwTicket.id}`);
  await expect(overlayOf(cwPage).getByTestId('sidecar-company')).toHaveText(String((cwTicket.company as { name: string }).name));

  // One Sync now (the popup) runs both integrations.
  const popup = await openExtensionPage('popup.html');
  const statuses = popup.getByTestId('integration-status');
  await expect(statuses).toHaveCount(2);
  const previous = await Promise.all([0, 1].map((index) => statuses.nth(index).getByTestId('run-status').getAttribute('data-run')));
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await Promise.all([0, 1].map((index) => waitForNewRun(statuses.nth(index).getByTestId('run-status'), previous[index] ?? null)));
});
