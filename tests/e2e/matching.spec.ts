import type { Locator } from '@playwright/test';
import { startEmulator, type RunningEmulator, type RunningHaloEmulator } from '../emulator/index.ts';
import { connectwiseEntry, haloEntry } from './emulator-entries';
import { expect, test } from './fixtures';
import { fillConnectwiseForm, fillIntegrationForm, integrationCard, openMatching, syncAndWait } from './flows';
import { cwCompanyIsLive } from '../emulator/connectwise/facts.ts';

/**
 * Issue #4, matching made better: ConnectWise and HaloPSA in one browser. ConnectWise's companies
 * become client spaces; Halo's (the demo datasets share most names) are suggested to them with a
 * confidence and a reason, and the suggestions at or above a threshold are accepted in one go.
 */
let cw: RunningEmulator;
let halo: RunningHaloEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
  // A tenant on the newer client list that carries `website` (docs/psa/halo.md#clients): the website match below needs it.
  halo = await startEmulator({ psa: 'halo', preset: 'demo', rateLimit: null, newerClientList: true });
});
test.afterEach(async () => {
  await Promise.all([cw?.close(), halo?.close()]);
});

const row = (matching: Locator, company: string) => matching.locator(`[data-testid="match-row"][data-company="${company.replace(/"/g, '\\"')}"]`);

test('a second PSA’s companies are suggested to the first one’s client spaces and accepted above a threshold', async ({ openExtensionPage }) => {
  // Deleted and inactive companies arrive archived: only live ones get client spaces or suggestions.
  const cwNames = cw.data.companies.rows.filter(cwCompanyIsLive).map((company) => String(company.name));
  // Halo spells some companies differently: only the normalised name or the website still match.
  const clientId = (name: string) => halo.data.clients.rows.find((client) => client.name === name)!.id as number;
  halo.control.mutate.renameClient(clientId('Contoso Ltd.'), 'The Contoso Co.');
  halo.control.mutate.renameClient(clientId('Tailspin Toys'), 'Tailspin Toys & Games');
  const haloNames = halo.data.clients.rows.filter((client) => !client.inactive).map((client) => String(client.name));
  const exact = haloNames.filter((name) => cwNames.includes(name));
  const unknown = haloNames.filter((name) => !cwNames.includes(name) && name !== 'The Contoso Co.' && name !== 'Tailspin Toys & Games');
  expect(exact).toContain('Northwind Dental Group');
  // Also new to Sidecar: Halo clients named like an inactive ConnectWise company (archived there, so no client space).
  expect(unknown).toEqual(expect.arrayContaining(['Acorn Construction', "Mario and Luigi's Pizza Place"]));

  // ConnectWise first: sync, bulk create/match all makes one client space per company.
  const options = await openExtensionPage('options.html');
  const cwForm = await fillConnectwiseForm(options, connectwiseEntry(cw));
  await expect(cwForm.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const cwCard = integrationCard(options, /ConnectWise/);
  await syncAndWait(cwCard, /Start sync/);
  const cwMatching = await openMatching(cwCard);
  await expect(cwMatching.getByTestId('match-row').first().getByTestId('suggestion')).toHaveText('No match found');
  await cwMatching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await expect(cwMatching.getByTestId('matching-result')).toHaveText(
    `0 matched, ${cwNames.length} created, 0 left unmatched. Sync now to bring in their records.`,
  );
  await cwCard.getByRole('button', { name: 'Match companies' }).click();

  // Then HaloPSA: sync and open its matching table.
  const haloForm = await fillIntegrationForm(options, 'HaloPSA', haloEntry(halo));
  await expect(haloForm.getByTestId('connection-result')).toHaveText(/^Connected to /);
  const haloCard = integrationCard(options, /HaloPSA/);
  await syncAndWait(haloCard, /Start sync/);
  const matching = await openMatching(haloCard);
  await expect(matching.getByTestId('match-row')).toHaveCount(haloNames.length);

  // Each row: its best suggestion with confidence and reason, the select preset to it.
  const northwind = row(matching, 'Northwind Dental Group');
  await expect(northwind.getByTestId('suggestion')).toHaveText('Northwind Dental Group · confidence 95 · exact name: Northwind Dental Group');
  await expect(northwind.getByTestId('match-status')).toHaveText('Suggested');
  await expect(northwind.getByLabel('Client space for Northwind Dental Group').locator('option:checked')).toHaveText('Match to Northwind Dental Group');

  const contoso = row(matching, 'The Contoso Co.');
  await expect(contoso.getByTestId('suggestion')).toHaveText('Contoso Ltd. · confidence 85 · normalised name: contoso');
  await expect(contoso.getByLabel('Client space for The Contoso Co.').locator('option:checked')).toHaveText('Match to Contoso Ltd.');

  const tailspin = row(matching, 'Tailspin Toys & Games');
  await expect(tailspin.getByTestId('suggestion')).toHaveText(/^Tailspin Toys · confidence 75 · website: tailspintoys\.example\.com \(Tailspin Toys in .+\)$/);
  await expect(tailspin.getByTestId('match-status')).toHaveText('Suggested, below threshold');
  await expect(tailspin.getByLabel('Client space for Tailspin Toys & Games').locator('option:checked')).toHaveText('Match to Tailspin Toys');

  for (const name of unknown) {
    await expect(row(matching, name).getByTestId('suggestion')).toHaveText('No match found');
    await expect(row(matching, name).getByTestId('match-status')).toHaveText('New');
    await expect(row(matching, name).getByLabel(`Client space for ${name}`).locator('option:checked')).toHaveText('Create new client space');
  }
  for (const name of exact) await expect(row(matching, name)).toHaveAttribute('data-confidence', '95');

  // Default threshold 85: exact and normalised names.
  const threshold = matching.getByLabel('Confidence threshold');
  await expect(threshold).toHaveValue('85');
  await expect(matching.getByRole('button', { name: /^Accept \d+ suggestions? ≥ 85$/ })).toHaveText(`Accept ${exact.length + 1} suggestions ≥ 85`);

  // Threshold 90 (typed, keyboard only): only the exact names are accepted; the rest stay pending.
  await threshold.fill('90');
  await expect(contoso.getByTestId('match-status')).toHaveText('Suggested, below threshold');
  const accept = matching.getByRole('button', { name: /^Accept \d+ suggestions? ≥ 90$/ });
  await expect(accept).toHaveText(`Accept ${exact.length} suggestions ≥ 90`);
  await accept.focus();
  await accept.press('Enter');
  await expect(matching.getByTestId('matching-result')).toHaveText(`${exact.length} matched, 0 created, 0 left unmatched. Sync now to bring in their records.`);
  for (const name of exact) await expect(row(matching, name)).toHaveAttribute('data-state', 'matched');
  await expect(northwind.getByTestId('match-status')).toHaveText(/^Matched\b/);
  await expect(northwind.getByLabel('Client space for Northwind Dental Group').locator('option:checked')).toHaveText('Match to Northwind Dental Group');
  for (const name of ['The Contoso Co.', 'Tailspin Toys & Games', ...unknown]) await expect(row(matching, name)).toHaveAttribute('data-state', 'pending');
  await expect(matching.getByRole('button', { name: /Bulk create\/match all/ })).toHaveText(`Bulk create/match all (${unknown.length + 2} pending)`);

  // Threshold 75: the normalised name and the website are accepted too.
  await threshold.fill('75');
  await matching.getByRole('button', { name: 'Accept 2 suggestions ≥ 75' }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText('2 matched, 0 created, 0 left unmatched. Sync now to bring in their records.');
  await expect(contoso).toHaveAttribute('data-state', 'matched');
  await expect(contoso.getByLabel('Client space for The Contoso Co.').locator('option:checked')).toHaveText('Match to Contoso Ltd.');
  await expect(tailspin).toHaveAttribute('data-state', 'matched');
  await expect(tailspin.getByLabel('Client space for Tailspin Toys & Games').locator('option:checked')).toHaveText('Match to Tailspin Toys');
  await expect(matching.getByRole('button', { name: /^Accept 0 suggestions/ })).toBeDisabled();

  // The rest: bulk create/match all creates their client spaces.
  await matching.getByRole('button', { name: `Bulk create/match all (${unknown.length} pending)` }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText(
    `0 matched, ${unknown.length} created, 0 left unmatched. Sync now to bring in their records.`,
  );
  for (const name of haloNames) await expect(row(matching, name)).toHaveAttribute('data-state', 'matched');
  for (const name of unknown) await expect(row(matching, name).getByLabel(`Client space for ${name}`).locator('option:checked')).toHaveText(`Match to ${name}`);
  // Opened, a row lists one client space per company name: ConnectWise's plus Halo's new ones, and the two choices
  // "create" and "leave unmatched"; closed, only its own (thousands of rows must not each hold every client space).
  const acorn = row(matching, 'Acorn Construction').getByLabel('Client space for Acorn Construction');
  await expect(acorn.locator('option')).toHaveCount(3);
  await acorn.focus();
  await expect(acorn.locator('option')).toHaveCount(cwNames.length + unknown.length + 2);
});
