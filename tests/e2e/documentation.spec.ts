import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { expect, overlayOf, test } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import { connectwiseReady, integrationCard, psaReady, syncAndWait } from './flows';

/**
 * Issue #14 as a technician meets it: a client space made by hand and merged into one made from a
 * PSA company; a pinned note and an article with a checklist and a table written on the
 * client-space page; the notes first in the overlay on a ticket page of that client; the article's
 * earlier version restored; the company renamed in the PSA and the space following it.
 */

test.describe('documentation technicians write', () => {
  let emulator: { close(): Promise<void> } | undefined;
  test.afterEach(async () => {
    await emulator?.close();
  });

  test('ConnectWise: a pinned note and an article on the client-space page, the note first on a ticket page', async ({ context, openExtensionPage }) => {
    const cw = (emulator = await startEmulator({ psa: 'connectwise', preset: 'demo' }));
    const options = await openExtensionPage('options.html');
    await options.getByTestId('author').getByLabel('Your name').fill('Dana K.');
    await options.getByTestId('author').getByRole('button', { name: 'Save name' }).click();
    await expect(options.getByTestId('author-result')).toContainText('Dana K.');
    await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });

    const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
    const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)) && row.contact && (cw.data.ticketConfigurations.get(row.id) ?? []).length)!;
    const deviceId = cw.data.ticketConfigurations.get(ticket.id)![0]!;

    // A "one from a list" custom field on the Configurations layout, filled by hand later.
    const layoutRow = options.getByTestId('layout-row').filter({ has: options.getByLabel('Name of Configurations') });
    await layoutRow.getByLabel('New field for Configurations').fill('Backup tier');
    await layoutRow.getByLabel('Type of the added field (Configurations)').selectOption('One from a list');
    await layoutRow.getByLabel('Choices of the added field (Configurations)').fill('Gold, Silver');
    await layoutRow.getByRole('button', { name: 'Add field' }).click();
    await expect(layoutRow).toContainText('Backup tier (one from a list)');
    const companyName = String(cw.data.companies.get(cwCompanyIdOf(ticket))!.name);

    // A client space made by hand, with a note, then merged into the one made from the PSA company.
    const spacesPanel = options.getByTestId('client-spaces');
    await spacesPanel.getByLabel('New client space').fill('Front desk (hand-made)');
    await spacesPanel.getByRole('button', { name: 'Create client space' }).click();
    await expect(options.getByTestId('space-create-result')).toHaveText('Client space “Front desk (hand-made)” created.');
    const [handMade] = await Promise.all([context.waitForEvent('page'), spacesPanel.getByRole('link', { name: 'Front desk (hand-made)' }).click()]);
    await handMade.getByTestId('space-notes').getByLabel('New note').fill('Alarm code is with reception');
    await handMade.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(handMade.getByTestId('space-note')).toContainText('Alarm code is with reception');
    const handMadeRow = spacesPanel.getByTestId('space-row').filter({ hasText: 'Front desk (hand-made)' });
    await handMadeRow.getByRole('button', { name: 'Merge…' }).click();
    await handMadeRow.getByLabel('Merge “Front desk (hand-made)” into').selectOption({ label: companyName });
    await handMadeRow.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect(options.getByTestId('space-merge-result')).toHaveText(
      `“Front desk (hand-made)” merged into “${companyName}”: 0 PSA companies and 1 document moved.`,
    );
    // The hand-made space's page now leads to the one it became part of.
    await handMade.reload();
    await expect(handMade.getByTestId('space-name')).toHaveText(companyName);
    await handMade.close();

    // Each client space opens its page in a new tab.
    const [space] = await Promise.all([context.waitForEvent('page'), spacesPanel.getByRole('link', { name: companyName, exact: true }).click()]);
    await expect(space.getByTestId('space-name')).toHaveText(companyName);
    await expect(space.getByTestId('space-sources')).toContainText(`${companyName} in ConnectWise`);
    await expect(space.getByTestId('space-note')).toContainText('Alarm code is with reception');

    // A note: refused when too long, at its field; then pinned.
    const notes = space.getByTestId('space-notes');
    await notes.getByLabel('New note').fill('line\n'.repeat(150));
    await notes.getByRole('button', { name: 'Pin note' }).click();
    await expect(notes.getByText(/A note holds at most 100 lines/).first()).toBeVisible();
    await notes.getByLabel('New note').fill('Call Dana before rebooting the file server');
    await notes.getByRole('button', { name: 'Pin note' }).click();
    await expect(notes.getByTestId('space-note')).toHaveCount(2);
    await expect(notes.getByTestId('space-note').first()).toContainText('Call Dana before rebooting the file server');
    await expect(notes.getByTestId('space-note').first()).toContainText('Edited by Dana K.');

    // An article with a checklist and a table, shown as such.
    const articles = space.getByTestId('space-articles');
    await articles.getByRole('button', { name: 'New article' }).click();
    const form = articles.getByTestId('article-form');
    await form.getByLabel('Title').fill('Backups');
    const firstBody = '# Weekly check\n\n- [x] NAS snapshot\n- [ ] Offsite copy\n\n| Job | When |\n|---|---|\n| NAS | Mondays |\n';
    await form.getByLabel(/^Text/).fill(firstBody);
    await form.getByRole('button', { name: 'Save article' }).click();
    const article = articles.getByTestId('article');
    await expect(article.getByRole('heading', { name: 'Weekly check' })).toBeVisible();
    await expect(article.getByRole('checkbox')).toHaveCount(2);
    await expect(article.getByRole('checkbox').first()).toBeChecked();
    await expect(article.getByRole('table').getByRole('cell', { name: 'Mondays' })).toBeVisible();
    expect(space.url()).toMatch(/#\/space\/[^/]+\/article\/article(:|%3A)/);

    // Edit it, then restore the first version from its history.
    await article.getByRole('button', { name: 'Edit' }).click();
    await articles.getByTestId('article-form').getByLabel(/^Text/).fill('Nothing to check any more.');
    await articles.getByTestId('article-form').getByRole('button', { name: 'Save article' }).click();
    const body = article.locator('.markdown');
    await expect(body).toHaveText('Nothing to check any more.');
    await article.getByRole('button', { name: 'History' }).click();
    await expect(article.getByTestId('history-entry')).toHaveCount(1);
    await article.getByTestId('history-entry').getByRole('button', { name: 'Restore this version' }).click();
    await expect(body.getByRole('table')).toBeVisible();
    await expect(body).not.toContainText('Nothing to check any more.');
    await expect(article.getByTestId('history-entry')).toHaveCount(2);

    // A hand-filled value on one of the ticket's configurations.
    const record = space.getByTestId('space-record').and(space.locator(`[data-remote-id="${deviceId}"]`));
    await record.locator('summary').click();
    await record.getByLabel('Backup tier', { exact: true }).selectOption('Gold');
    await record.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(record.getByText('Saved.')).toBeVisible();
    await record.getByLabel(/^Note on /).fill('Reboot only after 18:00');
    await record.getByRole('button', { name: 'Pin note' }).click();
    await expect(record.getByTestId('record-note')).toContainText('Reboot only after 18:00');
    // A credential on that configuration: listed on the record, its secret sealed.
    await record.getByRole('button', { name: /^New credential on / }).click();
    await record.getByTestId('credential-form').getByLabel('Name', { exact: true }).fill('Laptop BIOS');
    await record.getByTestId('credential-form').getByLabel('Secret', { exact: true }).fill('bios-pw-4242');
    await record.getByTestId('credential-form').getByRole('button', { name: 'Save credential' }).click();
    await expect(record.getByTestId('record-credentials')).toContainText('Laptop BIOS');
    await expect(record.getByTestId('record-credentials')).not.toContainText('bios-pw-4242');

    // On a ticket page of that client: the notes first, signed; the hand-filled value on its configuration.
    const page = await context.newPage();
    await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
    await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    await expect(overlayOf(page).getByTestId('sidecar-note')).toHaveCount(3);
    // The note on the ticket's own configuration leads.
    await expect(overlayOf(page).getByTestId('sidecar-note').first()).toContainText('Reboot only after 18:00');
    await expect(overlayOf(page).getByTestId('sidecar-note').nth(1)).toContainText('Call Dana before rebooting the file server');
    await expect(overlayOf(page).getByTestId('sidecar-note').nth(1)).toContainText('Dana K.');
    await expect(overlayOf(page).getByTestId('sidecar-note').nth(2)).toContainText('Alarm code is with reception');
    await expect(overlayOf(page).getByTestId('sidecar-credentials')).toContainText('Laptop BIOS');
    await expect(overlayOf(page).getByTestId('sidecar-ticket')).toContainText('Backup tier');
    await expect(overlayOf(page).getByTestId('sidecar-ticket').locator(`[data-remote-id="${deviceId}"] .sc-fields`)).toContainText('Gold');
    await expect(overlayOf(page).getByTestId('sidecar-ticket').locator(`[data-remote-id="${deviceId}"] .sc-fields`)).not.toContainText('Silver');
    const sections = await overlayOf(page).locator('[data-state="ready"] section').attributeAll('data-testid');
    expect(sections[0]).toBe('sidecar-notes');

    // A note written in the overlay itself reaches the client-space page.
    await overlayOf(page).getByTestId('sidecar-note-add').click();
    await overlayOf(page).getByTestId('sidecar-note-text').fill('UPS battery swapped in May');
    await overlayOf(page).getByTestId('sidecar-note-save').click();
    await expect(overlayOf(page).getByTestId('sidecar-note')).toHaveCount(4);
    await expect(space.getByTestId('space-note').first()).toContainText('UPS battery swapped in May');

    // The hand-filled value changed from the overlay, on the ticket's configuration.
    const ticketDevice = overlayOf(page).getByTestId('sidecar-ticket').locator(`[data-testid="sidecar-item"][data-remote-id="${deviceId}"]`);
    await ticketDevice.getByTestId('sidecar-edit-fields').click();
    // A select in the overlay's frame, chosen from the keyboard: "S" picks Silver.
    await ticketDevice.getByLabel('Backup tier', { exact: true }).focus();
    await ticketDevice.getByLabel('Backup tier', { exact: true }).press('S');
    await ticketDevice.getByRole('button', { name: 'Save' }).click();
    await expect(ticketDevice.getByText('Saved.')).toBeVisible();
    await ticketDevice.getByTestId('sidecar-edit-fields').click(); // "Done": the form closes, the value shows
    await expect(ticketDevice.locator('.sc-fields')).toContainText('Silver');
    await expect(record.getByLabel('Backup tier', { exact: true })).toHaveValue('Silver');
    // Its history keeps Gold, and restores it.
    const fields = record.locator('.record-fields');
    await fields.getByRole('button', { name: 'History' }).click();
    await expect(fields.getByTestId('history-entry')).toHaveCount(1);
    await expect(fields.getByTestId('history-entry')).toContainText('Gold');
    await fields.getByTestId('history-entry').getByRole('button', { name: 'Restore this version' }).click();
    await expect(record.getByLabel('Backup tier', { exact: true })).toHaveValue('Gold');

    // Its articles by title; one opens in the client-space page.
    await expect(overlayOf(page).getByTestId('sidecar-article')).toHaveCount(1);
    await expect(overlayOf(page).getByTestId('sidecar-article')).toContainText('Backups');
    const [read] = await Promise.all([
      context.waitForEvent('page'),
      overlayOf(page).getByTestId('sidecar-article').getByRole('button', { name: 'Backups' }).click(),
    ]);
    await expect(read.getByTestId('article').getByRole('heading', { name: 'Weekly check' })).toBeVisible();
    await read.close();

    // "Open in Sidecar" opens this client's page.
    const [opened] = await Promise.all([context.waitForEvent('page'), overlayOf(page).getByTestId('sidecar-open-space').click()]);
    await expect(opened.getByTestId('space-name')).toHaveText(companyName);

    // The company is renamed in the PSA: after a resync the client space has its new name; what technicians wrote is untouched.
    cw.control.mutate.renameCompany(cwCompanyIdOf(ticket), `${companyName} Group`);
    await syncAndWait(integrationCard(options), /Sync now/);
    await expect(opened.getByTestId('space-name')).toHaveText(`${companyName} Group`);
    await expect(opened.getByTestId('space-note')).toHaveCount(3);
    await expect(opened.getByTestId('article-link')).toHaveText(/^Backups/);
    await page.reload();
    await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(`${companyName} Group`);
    await expect(overlayOf(page).getByTestId('sidecar-note')).toHaveCount(4);
    await expect(overlayOf(page).getByTestId('sidecar-ticket').locator(`[data-remote-id="${deviceId}"] .sc-fields`)).toContainText('Gold');
    await expect(overlayOf(page).getByTestId('sidecar-ticket').locator(`[data-remote-id="${deviceId}"] .sc-fields`)).not.toContainText('Silver');
  });

  /** On another PSA: a note written on the client-space page shows first on its ticket page, and one written in the overlay reaches the page. */
  async function noteOnTicketPage(context: BrowserContext, options: Page, companyName: string, ticketUrl: string) {
    const [space] = await Promise.all([
      context.waitForEvent('page'),
      options.getByTestId('client-spaces').getByRole('link', { name: companyName, exact: true }).click(),
    ]);
    await space.getByTestId('space-notes').getByLabel('New note').fill(`Before you start at ${companyName}: ring the bell twice`);
    await space.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(space.getByTestId('space-note')).toHaveCount(1);
    const page = await context.newPage();
    await page.goto(ticketUrl);
    await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    const sections = await overlayOf(page).locator('[data-state="ready"] section').attributeAll('data-testid');
    expect(sections[0]).toBe('sidecar-notes');
    await expect(overlayOf(page).getByTestId('sidecar-note')).toContainText(`Before you start at ${companyName}: ring the bell twice`);
    await overlayOf(page).getByTestId('sidecar-note-add').click();
    await overlayOf(page).getByTestId('sidecar-note-text').fill('Written on the ticket page');
    await overlayOf(page).getByTestId('sidecar-note-save').click();
    await expect(space.getByTestId('space-note')).toHaveCount(2);
    await expect(space.getByTestId('space-note').first()).toContainText('Written on the ticket page');
  }

  test('HaloPSA: a client’s note first on its ticket page', async ({ context, openExtensionPage }) => {
    const halo = (emulator = await startEmulator({ psa: 'halo', preset: 'demo' }));
    const creds = halo.credentials.valid;
    const options = await openExtensionPage('options.html');
    await psaReady(
      options,
      'HaloPSA',
      { resourceServer: `${halo.baseUrl}/api`, tenant: creds.tenant ?? '', clientId: creds.clientId, clientSecret: creds.clientSecret },
      /HaloPSA/,
    );
    const live = new Set(halo.data.clients.rows.filter((row) => !row.inactive).map((row) => row.id));
    const ticket = halo.data.tickets.rows.find((row) => live.has(row.client_id as number))!;
    await noteOnTicketPage(context, options, String(halo.data.clients.get(ticket.client_id as number)!.name), `${halo.baseUrl}/tickets?id=${ticket.id}`);
  });

  test('Kaseya BMS: a client’s note first on its ticket page', async ({ context, openExtensionPage }) => {
    const bms = (emulator = await startEmulator({ psa: 'kaseya-bms', preset: 'demo' }));
    const creds = bms.credentials.valid;
    const options = await openExtensionPage('options.html');
    await psaReady(
      options,
      'Kaseya BMS / Pulseway PSA',
      { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: creds.password },
      /Kaseya BMS/,
    );
    const live = new Set(bms.data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id));
    const ticket = bms.data.tickets.rows.find((row) => live.has(row.accountId))!;
    await noteOnTicketPage(context, options, bms.data.accounts.get(ticket.accountId)!.accountName, `${bms.baseUrl}/react/servicedesk/tickets/${ticket.id}`);
  });
});
