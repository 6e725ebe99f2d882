import type { Page } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import type { CwRecord } from '../emulator/index.ts';
import { expect, overlayOf, serviceWorkerOf, test } from './fixtures';
import { fillConnectwiseForm, integrationCard, openMatching, syncAndWait, waitForNewRun, cardMenuButton } from './flows';
import { cwCompanyIsLive } from '../emulator/connectwise/facts.ts';

/**
 * Steps 1–6 of issue #2 in a real Chromium against the ConnectWise emulator: configure (with a
 * wrong key first), test, sync, match, resync, overlay on ticket pages (including single-page
 * navigation), popup status and Sync now after a rename in the PSA.
 */

let emulator: RunningEmulator;
test.beforeEach(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await emulator.close();
});

const ref = (record: CwRecord, key: string) => record[key] as { id: number; name: string } | undefined;

/** A ticket whose company has contacts and configurations, and a ticket of another company. */
function pickTickets() {
  const data = emulator.data;
  const rich = (companyId: number) => data.contacts.children(companyId).length > 0 && data.configurations.children(companyId).length > 0;
  const tickets = data.tickets.rows.filter((ticket) => rich(ref(ticket, 'company')!.id));
  const first = tickets[0]!;
  const second = tickets.find((ticket) => ref(ticket, 'company')!.id !== ref(first, 'company')!.id)!;
  return { first, second };
}

async function overlayHosts(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('sidecar-overlay').length);
}

test('a technician connects ConnectWise, syncs, matches and sees the client’s docs on a ticket', async ({ context, openExtensionPage }) => {
  const creds = emulator.credentials.valid;
  const host = new URL(emulator.baseUrl).host;
  const { first, second } = pickTickets();
  const firstCompany = emulator.data.companies.get(ref(first, 'company')!.id)!;
  const secondCompany = emulator.data.companies.get(ref(second, 'company')!.id)!;
  const ticketUrl = (id: number) => `${emulator.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${id}`;

  // 1–2. Add the integration with a wrong private key: a specific error at once.
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, {
    domain: `http://${host}/v4_6_release/ConnectWise.aspx`,
    companyId: creds.companyId,
    publicKey: ` ${creds.publicKey} `,
    privateKey: 'not-the-key',
    clientId: creds.clientId,
  });
  await expect(form.getByTestId('connection-result')).toHaveText(/ConnectWise rejected the API keys \(401\)/);
  await expect(form.getByTestId('domain-note')).toHaveText(`Saved as ${host}: Sidecar needs only the domain.`);
  await expect(integrationCard(options).getByTestId('connection-status')).toHaveText(/Connection failed: ConnectWise rejected the API keys/);

  // Correct the key and retry: the same integration is updated.
  await form.locator('input[name="privateKey"]').fill(creds.privateKey);
  await form.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to .+ \(version v\d{4}\.\d+/);
  await expect(options.getByTestId('integration')).toHaveCount(1);
  const card = integrationCard(options);
  await expect(card.getByTestId('connection-status')).toHaveText(/^Connected to /);

  // Before any sync the overlay says so.
  const psa = await context.newPage();
  await psa.goto(ticketUrl(first.id));
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'not-synced');

  // 3. First sync: companies arrive, with a progress bar while the (slowed) emulator answers.
  emulator.control.setLatency(400);
  await card.getByRole('button', { name: 'Start sync' }).click();
  await expect(card.getByRole('progressbar', { name: 'Sync progress' })).toBeVisible();
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  emulator.control.setLatency(0);

  // Matched nothing yet: the overlay names the company (found from the ticket id alone, through
  // the API via the background) but has no docs.
  emulator.control.resetRequestLog();
  await psa.reload();
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'not-matched');
  await expect(overlayOf(psa).getByTestId('sidecar-overlay')).toContainText(String(firstCompany.name));
  expect(emulator.control.requests().filter((request) => new RegExp(`/service/tickets/${first.id}$`, 'i').test(request.path))).toHaveLength(1);

  // Match: leave the second ticket's company unmatched, then bulk create/match all the rest.
  const matching = await openMatching(card);
  // Deleted and inactive companies are archived on arrival (the Museum), so not offered for matching.
  await expect(matching.getByTestId('match-row')).toHaveCount(emulator.data.companies.rows.filter(cwCompanyIsLive).length);
  await matching.getByLabel(`Client space for ${String(secondCompany.name)}`).selectOption('unmatched');
  await matching.getByRole('button', { name: 'Save 1 change' }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText(/0 matched, 0 created, 1 left unmatched/);
  await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText(/0 matched, \d+ created, 0 left unmatched/);

  // 4. Sync again: the matched companies' children arrive.
  await syncAndWait(card, /Sync now/);

  // 5. The ticket page shows the matched company's docs.
  await psa.reload();
  const overlay = overlayOf(psa).getByTestId('sidecar-overlay');
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(psa).getByTestId('sidecar-company')).toHaveText(String(firstCompany.name));
  await expect(overlayOf(psa).getByTestId('sidecar-synced')).toHaveText(new RegExp(`synced (just now|\\d+ min ago) · ticket #${first.id}`));
  const contactNames = emulator.data.contacts.children(firstCompany.id).map((contact) => `${String(contact.firstName)} ${String(contact.lastName)}`.trim());
  await expect(overlay.getByTestId('sidecar-contacts').getByTestId('sidecar-item')).toHaveCount(contactNames.length);
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText(contactNames[0]!);
  await expect(overlay.getByTestId('sidecar-configurations').getByTestId('sidecar-item')).toHaveCount(
    emulator.data.configurations.children(firstCompany.id).length,
  );
  await expect(overlay.getByTestId('sidecar-configurations').getByRole('heading')).toContainText('Configurations');
  await expect(overlay.getByTestId('sidecar-agreements').getByTestId('sidecar-item')).toHaveCount(emulator.data.agreements.children(firstCompany.id).length);
  await expect(overlay.getByTestId('sidecar-sites').getByTestId('sidecar-item')).toHaveCount(emulator.data.sites.children(firstCompany.id).length);

  // Single-page navigation: company page, then the board, then another company's ticket. One overlay throughout.
  await psa.getByTestId('ticket-company-link').click();
  await expect(psa).toHaveURL(/routeTo=CompanyFV/);
  await expect(overlayOf(psa).getByTestId('sidecar-page')).toHaveText(`company #${firstCompany.id}`);
  await expect(overlayOf(psa).getByTestId('sidecar-company')).toHaveText(String(firstCompany.name));
  await psa.getByTestId('nav-board').click();
  await expect(overlayOf(psa).getByTestId('sidecar-overlay')).toHaveCount(0);
  await psa.locator(`[data-ticket-id="${second.id}"] a`).click();
  await expect(overlayOf(psa).getByTestId('sidecar-page')).toHaveText(`ticket #${second.id}`);
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'not-matched');
  await expect(overlayOf(psa).getByTestId('sidecar-overlay')).toContainText(String(secondCompany.name));
  expect(await psa.evaluate(() => (window as unknown as { __cwNavigations: number }).__cwNavigations)).toBeGreaterThanOrEqual(3);
  expect(await overlayHosts(psa)).toBe(1);

  // 6. The popup: status, counts, and Sync now after a rename in the PSA.
  const configuration = emulator.data.configurations.children(firstCompany.id)[0]!;
  emulator.control.mutate.rename('configuration', configuration.id, 'Renamed Server 01');
  const popup = await openExtensionPage('popup.html');
  const status = popup.getByTestId('integration-status');
  await expect(status).toContainText(/synced (just now|\d+ min ago)/);
  await expect(status.getByTestId('record-counts')).toHaveText(/^\d+ companies · \d+ contacts · \d+ configurations · \d+ agreements · \d+ sites$/);
  await expect(status.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
  const previousRun = await status.getByTestId('run-status').getAttribute('data-run');
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await expect(popup.getByTestId('popup-message')).toHaveText('Sync started.');
  await waitForNewRun(status.getByTestId('run-status'), previousRun);

  await psa.goto(ticketUrl(first.id));
  await expect(overlayOf(psa).getByTestId('sidecar-configurations')).toContainText('Renamed Server 01');

  // Syncs also run on their own every 3 hours.
  const worker = await serviceWorkerOf(context);
  const alarms = await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { alarms: { getAll(): Promise<{ name: string; periodInMinutes?: number }[]> } } }).chrome.alarms.getAll(),
  );
  expect(alarms).toContainEqual(expect.objectContaining({ name: 'sidecar-schedule', periodInMinutes: 180 }));
});

test('missing security-role rights are named on test connection; removing the integration cleans up', async ({ context, openExtensionPage }) => {
  const creds = emulator.credentials.limited;
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, {
    domain: new URL(emulator.baseUrl).host,
    companyId: creds.companyId,
    publicKey: creds.publicKey,
    privateKey: creds.privateKey,
    clientId: creds.clientId,
  });
  await expect(form.getByTestId('connection-result')).toHaveText(/security role cannot read everything.*Company Maintenance.*Configurations/);

  // Removing the integration unregisters the overlay's content script for that origin.
  const worker = await serviceWorkerOf(context);
  const registered = () =>
    worker.evaluate(() =>
      (
        globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> } } }
      ).chrome.scripting.getRegisteredContentScripts(),
    );
  expect(await registered()).toEqual([expect.objectContaining({ id: 'sidecar-psa', matches: ['http://127.0.0.1/*'] })]);
  options.once('dialog', (dialog) => void dialog.accept());
  await (await cardMenuButton(integrationCard(options), 'Remove')).click();
  await expect(options.getByTestId('no-integrations')).toBeVisible();
  // The list empties when the records' transaction commits; the script goes a moment later.
  await expect.poll(registered).toEqual([]);
});
