import type { BrowserContext } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, serviceWorkerOf, test } from './fixtures';
import { fillConnectwiseForm, integrationCard } from './flows';

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

test('credentials are never stored in plaintext; a passphrase locks syncing until it is entered; a page cannot reach Sidecar', async ({ context, openExtensionPage, extensionId }) => {
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

  // The PSA page's own scripts cannot message the extension (no externally_connectable).
  const page = await context.newPage();
  await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${cw.data.tickets.rows[0]!.id}`);
  await expect(page.getByTestId('sidecar-overlay')).toBeVisible();
  const fromPage = await page.evaluate(async (id) => {
    const runtime = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (...args: unknown[]) => Promise<unknown> } } }).chrome?.runtime;
    if (!runtime?.sendMessage) return 'no runtime';
    try {
      return JSON.stringify(await runtime.sendMessage(id, { channel: 'vault.status', payload: {} }));
    } catch (error) {
      return `refused: ${String(error)}`;
    }
  }, extensionId);
  expect(fromPage).toMatch(/^(no runtime|refused)/);
});
