import { readFile } from 'node:fs/promises';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { expect, test } from './fixtures';
import { fillConnectwiseForm, integrationCard, syncAndWait, cardMenuButton } from './flows';

/** A record that breaks the schema is set aside, the rest lands, and the log says which and why. */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

test('a bad record is set aside and named in the log, which downloads', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const [first, ...rest] = cw.data.companies.rows;
  // One company without a name (ConnectWise requires one): the page is otherwise intact.
  cw.control.injectFault({
    path: /company\/companies$/i,
    status: 200,
    body: JSON.stringify([
      { id: first!.id, identifier: 'NONAME' },
      ...rest.map((row) => ({ id: row.id, name: row.name, _info: { lastUpdated: '2026-10-01T00:00:00Z' } })),
    ]),
  });
  const card = integrationCard(options);
  await syncAndWait(card, /Start sync/);
  await expect(card.getByTestId('run-status')).toContainText(`Companies ${rest.length} read, ${rest.length} written`);
  await expect(card.getByTestId('run-status')).toContainText('1 record set aside (see the log)');

  await (await cardMenuButton(card, 'Log')).click();
  const log = card.getByTestId('sync-log');
  await expect(log.getByTestId('log-row').filter({ hasText: `company #${first!.id}` })).toContainText(`Skipped company ${first!.id}: name:`);
  const [download] = await Promise.all([options.waitForEvent('download'), log.getByRole('button', { name: 'Download log' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  expect(text).toContain(`WARN\tcompany\t${first!.id}\tSkipped company ${first!.id}: name:`);
  expect(text).toContain('Sync finished.');
  expect(text).not.toContain(cw.credentials.valid.privateKey);
});
