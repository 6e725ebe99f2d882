import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../emulator/kaseya-bms/start.ts';
import { expect, overlayOf, test } from './fixtures';
import { psaMatched } from './flows';
import { bmsEntry } from './emulator-entries';

/**
 * Issue #17: a company a technician opens during a long first sync is read first. Kaseya BMS's
 * lists of a large tenant are hours of paced requests; here the emulator answers each request in
 * 3 s, so the first sync of the matched accounts' lists takes about half a minute, and the
 * account opened at its start has its contacts, assets and locations in the overlay long before
 * the sync ends (contracts, which BMS cannot list for one account, come with the sync).
 */
let bms: RunningKaseyaBms;
test.beforeEach(async () => {
  bms = await startKaseyaBmsEmulator({ preset: 'demo', rateLimit: null });
});
test.afterEach(async () => {
  await bms.close();
});

const SLOW_MS = 3_000;

test('an account opened during the first sync of its lists is read first, and the overlay shows it arriving', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const card = await psaMatched(options, 'Kaseya BMS / Pulseway PSA', bmsEntry(bms), /Kaseya BMS/);

  // The last account with contacts, assets and a contract: the sync's whole lists reach it last.
  const accounts = bms.data.accounts.rows.filter(
    (account) =>
      account.isActive !== false &&
      bms.data.contacts.rows.some((row) => row.accountId === account.id) &&
      bms.data.assets.rows.some((row) => row.accountId === account.id),
  );
  const account = accounts.at(-1)!;
  const contacts = bms.data.contacts.rows.filter((row) => row.accountId === account.id);

  bms.control.setLatency(SLOW_MS);
  bms.control.resetRequestLog();
  await card.getByRole('button', { name: /Sync now/ }).click();
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'running');

  const page = await context.newPage();
  await page.goto(`${bms.baseUrl}/react/crm/accounts/${account.id}`);
  const overlay = overlayOf(page);
  await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlay.getByTestId('sidecar-company')).toHaveText(account.accountName);
  await expect(overlay.getByTestId('sidecar-importing')).toHaveText(
    'Sidecar is reading this company’s contacts, configurations and sites now, ahead of the rest of the sync: they appear here in a moment. ' +
      'Its agreements are not imported yet: they arrive as the sync reaches them.',
  );
  await expect(card.getByTestId('run-status')).toContainText('of a company opened in the PSA, read first');

  // Its lists arrive while the sync still runs (the overlay asks again until they are in).
  await expect(overlay.getByTestId('sidecar-contacts').getByTestId('sidecar-item')).toHaveCount(contacts.length, { timeout: 25_000 });
  await expect(overlay.getByTestId('sidecar-importing')).toHaveText('This company’s agreements are not imported yet: they arrive as the sync reaches them.');
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  // Read for that account alone, before the sync's own pages of the whole lists were done.
  const log = bms.control.requests().filter((request) => request.status === 200);
  const ownContacts = log.findIndex((request) => request.path.endsWith('/crm/contacts/summary') && request.query['Filter.AccountId'] === String(account.id));
  const ownAssets = log.findIndex(
    (request) => request.path.endsWith('/hardwareasset/searchselect') && request.query['Filter.AccountId'] === String(account.id),
  );
  expect(ownContacts).toBeGreaterThanOrEqual(0);
  expect(ownAssets).toBeGreaterThanOrEqual(0);
  const wholeContracts = log.findIndex((request) => request.path.endsWith('/finance/contracts/summary'));
  expect(wholeContracts === -1 || wholeContracts > ownAssets, 'the account was read before the sync reached contracts').toBe(true);

  // Refresh now during the sync: that account's lists are read again first, and the button is
  // back once they are in, not once the whole sync is done.
  const renamed = contacts[0]!;
  bms.control.mutate.rename('contact', renamed.id, 'Renamed During The Sync');
  await overlay.getByTestId('sidecar-refresh').click();
  await expect(overlay.getByTestId('sidecar-refresh')).toHaveText('Refreshing…');
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText('Renamed During The Sync', { timeout: 30_000 });
  await expect(overlay.getByTestId('sidecar-refresh')).toHaveText('Refresh now');
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'running');

  // The rest comes with the sync, and the note goes.
  bms.control.setLatency(0);
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  // Only waiting for the sync, the overlay asks every 10 s.
  await expect(overlay.getByTestId('sidecar-importing')).toHaveCount(0, { timeout: 15_000 });
  await expect(overlay.getByTestId('sidecar-agreements').getByTestId('sidecar-item').first()).toBeVisible();
  await expect(overlay.getByTestId('sidecar-contacts').getByTestId('sidecar-item')).toHaveCount(contacts.length);
});
