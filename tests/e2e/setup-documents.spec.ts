import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';

/**
 * Issue #14 slice 12 as a technician meets it: a note and a credential written in a client space
 * travel in the setup file (the credential only when asked, its secret sealed under the passphrase
 * typed for the file); importing the file back brings the exported note's text back, and a wrong
 * passphrase is refused at its field.
 */

const SECRET = 'Fw-Admin-Pa55word!';
const PASSPHRASE = 'a passphrase for the file';

test('setup export with documentation and credentials, imported back', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const spaces = options.getByTestId('client-spaces');
  await spaces.getByLabel('New client space').fill('Northwind');
  await spaces.getByRole('button', { name: 'Create client space' }).click();
  await expect(options.getByTestId('space-create-result')).toHaveText('Client space “Northwind” created.');
  const [space] = await Promise.all([context.waitForEvent('page'), spaces.getByRole('link', { name: 'Northwind' }).click()]);
  const notes = space.getByTestId('space-notes');
  await notes.getByLabel('New note').fill('Call Dana before rebooting the file server');
  await notes.getByRole('button', { name: 'Pin note' }).click();
  await expect(space.getByTestId('space-note')).toContainText('Call Dana before rebooting the file server');
  const credentials = space.getByTestId('space-credentials');
  await credentials.getByRole('button', { name: 'New credential' }).click();
  const form = credentials.getByTestId('credential-form');
  await form.getByLabel('Name', { exact: true }).fill('Firewall admin');
  await form.getByLabel('Secret', { exact: true }).fill(SECRET);
  await form.getByRole('button', { name: 'Save credential' }).click();
  await expect(credentials.getByTestId('space-credential')).toHaveCount(1);

  const setup = options.getByTestId('setup');
  await setup.getByLabel('Include credentials').check();
  await setup.getByLabel('Passphrase for the file').fill('short');
  await setup.getByRole('button', { name: 'Export setup' }).click();
  await expect(setup.locator('#setup-export-passphrase-error')).toHaveText('Use at least 12 characters for the file’s passphrase.');
  await setup.getByLabel('Passphrase for the file').fill(PASSPHRASE);
  const [download] = await Promise.all([options.waitForEvent('download'), setup.getByRole('button', { name: 'Export setup' }).click()]);
  await expect(setup.getByTestId('setup-export-message')).toHaveText('Exported the setup with 2 documents, 1 credential sealed under the file’s passphrase.');
  const file = (await download.path())!;
  const text = await readFile(file, 'utf8');
  const parsed = JSON.parse(text) as { documents: { kind: string; text?: string; name?: string }[]; credentialsKey?: unknown };
  expect(parsed.documents.find((doc) => doc.kind === 'note')?.text).toBe('Call Dana before rebooting the file server');
  expect(parsed.documents.find((doc) => doc.kind === 'credential')?.name).toBe('Firewall admin');
  expect(parsed.credentialsKey).toBeTruthy();
  expect(text).not.toContain(SECRET);

  // Edited here after the export; importing the file brings the exported text back (the edit stays in its history).
  const note = space.getByTestId('space-note');
  await note.getByRole('button', { name: 'Edit' }).click();
  await note.getByRole('textbox', { name: 'Note' }).fill('Edited after the export');
  await note.getByRole('button', { name: 'Save' }).click();
  await expect(note).toContainText('Edited after the export');

  await setup.getByLabel('Passphrase of the file’s credentials (if it has any)').fill('not the right passphrase');
  await setup.getByLabel('Import setup file').setInputFiles(file);
  await expect(setup.locator('#setup-import-passphrase-error')).toHaveText('That passphrase does not open this file’s credentials.');
  await setup.getByLabel('Passphrase of the file’s credentials (if it has any)').fill(PASSPHRASE);
  await setup.getByLabel('Import setup file').setInputFiles(file);
  await expect(setup.getByTestId('setup-message')).toHaveText(/^Imported \d+ layouts, 1 client spaces, 1 document \(1 more already as in the file\)/);
  await space.reload();
  await expect(space.getByTestId('space-note')).toContainText('Call Dana before rebooting the file server');
  await space.getByTestId('space-credential').getByRole('button', { name: 'Reveal' }).click();
  await expect(space.getByTestId('credential-secret')).toHaveText(SECRET);
});
