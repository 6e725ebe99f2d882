import type { BrowserContext } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, overlayOf, serviceWorkerOf, test } from './fixtures';
import { connectwiseReady, fillConnectwiseForm, integrationCard, syncAndWait } from './flows';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';

/** Issue #6: credentials encrypted at rest, a passphrase that locks them, nothing a page can reach. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

/** Everything the extension stores: every IndexedDB store, storage.local and storage.session, as text. */
async function storageDump(context: BrowserContext): Promise<string> {
  const worker = await serviceWorkerOf(context);
  return worker.evaluate(async () => {
    type Chrome = { storage: { local: { get(k: null): Promise<unknown> }; session: { get(k: null): Promise<unknown> } } };
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sidecar');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const db = await open();
    const stores: Record<string, unknown> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      stores[name] = await new Promise((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    db.close();
    return JSON.stringify({ stores, local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) });
  });
}

test('credentials are never stored in plaintext; a passphrase locks syncing until it is entered', async ({ context, openExtensionPage }) => {
  const creds = cw.credentials.valid;
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...creds });
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);

  let dump = await storageDump(context);
  expect(dump).toContain('"secrets"');
  expect(dump).not.toContain(creds.privateKey);
  expect(dump).not.toContain(creds.publicKey);

  // A passphrase: checked at the fields, then set.
  const security = options.getByTestId('security');
  await expect(security.getByTestId('vault-status')).toContainText('without a passphrase');
  const setForm = security.getByRole('form', { name: 'Set a passphrase' });
  await setForm.getByLabel(/New passphrase/).fill('too short');
  await setForm.getByLabel('Repeat it').fill('too short');
  await setForm.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(setForm.getByText('Use at least 12 characters.')).toBeVisible();
  await setForm.getByLabel(/New passphrase/).fill('correct horse battery staple');
  await setForm.getByLabel('Repeat it').fill('correct horse battery stapel');
  await setForm.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(setForm.getByText('The two passphrases differ.')).toBeVisible();
  await setForm.getByLabel('Repeat it').fill('correct horse battery staple');
  await setForm.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(security.getByTestId('vault-status')).toContainText('Protected by your passphrase and unlocked');

  // Locked: syncing says why; unlocking (after a wrong try) lets it run.
  await security.getByRole('button', { name: 'Lock now' }).click();
  await expect(security.getByTestId('vault-status')).toContainText('Locked');
  dump = await storageDump(context);
  expect(dump).not.toContain(creds.privateKey);
  expect(dump).not.toContain('sidecar-vault-key'); // no unlocked key left in the session either
  const card = integrationCard(options);
  await card.getByRole('button', { name: 'Start sync' }).click();
  await expect(card.getByTestId('integration-message')).toHaveText(/Sidecar is locked: enter your passphrase/);
  const unlock = security.getByRole('form', { name: 'Unlock' });
  await unlock.getByLabel('Passphrase').fill('not the passphrase');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByText('That passphrase is not right.')).toBeVisible();
  await unlock.getByLabel('Passphrase').fill('correct horse battery staple');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(security.getByTestId('vault-status')).toContainText('unlocked');
  await card.getByRole('button', { name: 'Start sync' }).click();
  await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });

  // What a PSA page's own scripts can and cannot do to Sidecar is tests/e2e/attacker.spec.ts.
});

test('PSA data with HTML or script is shown as text, in the overlay and the palette', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  const company = cw.data.companies.rows.find(cwCompanyIsLive)!;
  const contact = cw.data.contacts.rows.find((row) => cwCompanyIdOf(row) === company.id)!;
  const configuration = cw.data.configurations.rows.find((row) => cwCompanyIdOf(row) === company.id)!;
  const hostileContact = '<img src=x onerror="window.__sidecarPwned=1">';
  const hostileConfiguration = '<script>window.__sidecarPwned=2</script>';
  cw.control.mutate.update('contact', contact.id, { firstName: hostileContact, lastName: '' });
  cw.control.mutate.rename('configuration', configuration.id, hostileConfiguration);
  await syncAndWait(integrationCard(options), /Sync now/);

  const page = await context.newPage();
  await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${company.id}`);
  const overlay = overlayOf(page);
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText(hostileContact);
  await expect(overlay.getByTestId('sidecar-overlay')).toContainText(hostileConfiguration);
  // As text: no element was made of it, and nothing ran, in the page or in the overlay's frame.
  await expect(overlay.locator('[data-testid="sidecar-overlay"] img, [data-testid="sidecar-overlay"] script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sidecarPwned?: number }).__sidecarPwned)).toBeUndefined();
  const frame = page.frames().find((candidate) => candidate.url().endsWith('/overlay-frame.html'))!;
  expect(await frame.evaluate(() => (window as unknown as { __sidecarPwned?: number }).__sidecarPwned)).toBeUndefined();

  // The palette shows the same names as text.
  const popup = await openExtensionPage('popup.html');
  await popup.getByRole('combobox', { name: 'Search all client spaces' }).fill('sidecarpwned');
  await expect(popup.getByTestId('palette-result').first()).toContainText('window.__sidecarPwned');
  expect(await popup.evaluate(() => document.querySelectorAll('[data-testid="palette"] img, [data-testid="palette"] script').length)).toBe(0);
});
