import { readFile } from 'node:fs/promises';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, serviceWorkerOf, test } from './fixtures';
import { fillConnectwiseForm } from './flows';

/** Export the setup, change it, import the file back: the exported state returns; bad files are refused. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

test('setup export and import, with clear errors for bad files', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const layouts = options.getByTestId('layouts');
  await layouts.getByLabel('New layout name').fill('Network Gear');
  await layouts.getByRole('button', { name: 'Create layout' }).click();
  await expect(layouts.locator('[data-layout="Network Gear"]')).toBeVisible();

  const setup = options.getByTestId('setup');
  const [download] = await Promise.all([options.waitForEvent('download'), setup.getByRole('button', { name: 'Export setup' }).click()]);
  const file = (await download.path())!;
  const text = await readFile(file, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'sidecar-setup', version: 1 });
  expect(text).not.toContain(cw.credentials.valid.privateKey);

  // Rename the layout here, then import the export: the exported name comes back.
  const row = layouts.locator('[data-layout="Network Gear"]');
  await row.getByLabel('Name of Network Gear').fill('Renamed Layout');
  await row.getByRole('button', { name: 'Rename' }).click();
  await expect(layouts.locator('[data-layout="Renamed Layout"]')).toBeVisible();
  await setup.getByLabel('Import setup file').setInputFiles(file);
  await expect(setup.getByTestId('setup-message')).toHaveText(
    /^Imported 4 layouts, 0 client spaces, 0 documents and the options, rules and matches of 1 integration/,
  );
  await expect(layouts.locator('[data-layout="Network Gear"]')).toBeVisible();

  await setup.getByLabel('Import setup file').setInputFiles({ name: 'hudu.json', mimeType: 'application/json', buffer: Buffer.from('{"companies": []}') });
  await expect(setup.getByTestId('setup-message')).toHaveText(/not a Sidecar setup file/);
});

test('the schedule interval and quiet window drive the alarm', async ({ context, openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const schedule = options.getByTestId('schedule');
  const worker = await serviceWorkerOf(context);
  const alarm = () =>
    worker.evaluate(() =>
      (globalThis as unknown as { chrome: { alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined> } } }).chrome.alarms.get(
        'sidecar-schedule',
      ),
    );
  await expect.poll(async () => (await alarm())?.periodInMinutes).toBe(180);
  await schedule.getByLabel('Sync interval').selectOption('6');
  await expect(schedule.getByTestId('schedule-message')).toHaveText('Automatic syncs every 6 h.');
  await expect.poll(async () => (await alarm())?.periodInMinutes).toBe(360);
  await schedule.getByLabel('Quiet window (no automatic syncs)').click();
  await expect(schedule.getByTestId('schedule-message')).toHaveText('Automatic syncs every 6 h, never between 22:00 and 06:00.');
  await schedule.getByLabel('Quiet to').selectOption('22');
  await expect(schedule.getByTestId('schedule-message')).toHaveText(/starts and ends at the same hour/);
});

test('a technician names themselves once; the name stays, and an empty one is refused at its field', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const author = options.getByTestId('author');
  const name = author.getByLabel('Your name');
  await expect(name).toHaveValue('');
  await name.fill('   ');
  await author.getByRole('button', { name: 'Save name' }).click();
  await expect(author.getByTestId('author-result')).toHaveText('Enter the name your team knows you by.');
  await expect(author.locator('#author-name-error')).toHaveText('A name is needed.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');

  await name.fill('  Dana   K. ');
  await author.getByRole('button', { name: 'Save name' }).click();
  await expect(author.getByTestId('author-result')).toHaveText('Your notes and edits will be signed “Dana K.”.');
  await expect(author.locator('#author-name-error')).toHaveCount(0);

  await options.reload();
  await expect(options.getByTestId('author').getByLabel('Your name')).toHaveValue('Dana K.');
});
