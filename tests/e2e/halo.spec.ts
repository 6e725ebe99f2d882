import { startHaloEmulator, type RunningHaloEmulator } from '../emulator/halo/start.ts';
import { expect, overlayOf, test } from './fixtures';
import { fillIntegrationForm, integrationCard, openMatching, syncAndWait } from './flows';

/** Issue #3's walk for HaloPSA: configure (one failure, one success), sync, match, overlay on a ticket, popup resync. */
let halo: RunningHaloEmulator;
test.beforeEach(async () => {
  halo = await startHaloEmulator({ preset: 'demo', rateLimit: null });
});
test.afterEach(async () => {
  await halo.close();
});

test('a technician connects HaloPSA and sees the client’s docs on a Halo ticket', async ({ context, openExtensionPage }) => {
  const creds = halo.credentials.valid;
  const options = await openExtensionPage('options.html');
  const form = await fillIntegrationForm(options, 'HaloPSA', {
    resourceServer: `${halo.baseUrl}/api`,
    tenant: creds.tenant ?? '',
    clientId: creds.clientId,
    clientSecret: 'wrong-secret',
  });
  await expect(form.getByTestId('connection-result')).toHaveText(/Halo rejected the client ID or secret \(invalid_client\)/);
  await expect(form.getByTestId('domain-note')).toHaveText(/Sidecar adds \/api itself/);
  await form.locator('input[name="clientSecret"]').fill(creds.clientSecret);
  await form.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);

  const card = integrationCard(options, /HaloPSA/);
  await syncAndWait(card, /Start sync/);
  const matching = await openMatching(card);
  // Inactive clients arrive archived (the Museum), so are not offered for matching.
  await expect(matching.getByTestId('match-row')).toHaveCount(halo.data.clients.rows.filter((client) => !client.inactive).length);
  await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await expect(matching.getByTestId('matching-result')).toHaveText(/\d+ created/);
  await syncAndWait(card, /Sync now/);

  const ticket = halo.data.tickets.rows[0]!;
  const client = halo.data.clients.get(ticket.client_id as number)!;
  const page = await context.newPage();
  await page.goto(`${halo.baseUrl}/tickets?area=1&mainview=myviews&viewid=4&selid=15&sellevel=1&id=${ticket.id}`);
  await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(page).getByTestId('sidecar-company')).toHaveText(String(client.name));
  const assets = halo.data.assets.rows.filter((asset) => asset.client_id === client.id);
  await expect(overlayOf(page).getByTestId('sidecar-configurations').getByTestId('sidecar-item')).toHaveCount(assets.length);

  // A rename in Halo shows after Sync now in the popup.
  const user = halo.data.users.rows.find((row) => row.client_id === client.id && !row.inactive)!;
  halo.control.mutate.rename('user', user.id, 'Renamed Halo User');
  const popup = await openExtensionPage('popup.html');
  const status = popup.getByTestId('integration-status').filter({ hasText: 'HaloPSA' });
  const before = await status.getByTestId('run-status').getAttribute('data-run');
  await popup.getByRole('button', { name: 'Sync now' }).click();
  await expect(status.getByTestId('run-status')).not.toHaveAttribute('data-run', before ?? '');
  await expect(status.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await page.reload();
  await expect(overlayOf(page).getByTestId('sidecar-contacts')).toContainText('Renamed Halo User');
});
