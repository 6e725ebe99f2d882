/**
 * `npm run demo`: the ConnectWise emulator with a demo MSP, and Chromium with the extension,
 * walked through the technician's setup. Headless (screenshots in demo-output/) unless a display
 * is available, in which case the browser stays open until Ctrl+C.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../tests/emulator/index.ts';
import { launchWithExtension, overlayOf, serviceWorkerOf } from '../tests/e2e/fixtures.ts';
import { fillConnectwiseForm, fillIntegrationForm, integrationCard, joinTeam, openMatching, syncAndWait } from '../tests/e2e/flows.ts';
import { startTeamServer } from '../tests/team-server/index.ts';
import { demoTicketAndClients, writeSampleDocumentation } from './demo-docs.ts';

const headed = !!process.env.DISPLAY && process.env.SIDECAR_DEMO_HEADLESS !== '1';
const outDir = path.resolve('demo-output');
mkdirSync(outDir, { recursive: true });

const emulator = await startEmulator({ psa: 'connectwise', preset: 'demo', port: Number(process.env.SIDECAR_DEMO_PORT ?? 0), latencyMs: 60 });
const halo = await startEmulator({ psa: 'halo', preset: 'demo', latencyMs: 60 });
const bms = await startEmulator({ psa: 'kaseya-bms', preset: 'demo', latencyMs: 60 });
const creds = emulator.credentials.valid;
console.log(`ConnectWise emulator: ${emulator.baseUrl}`);
console.log(`  company ID ${creds.companyId}, public key ${creds.publicKey}, private key ${creds.privateKey}, client ID ${creds.clientId}`);
console.log(`HaloPSA emulator: ${halo.baseUrl}`);
console.log(`Kaseya BMS emulator: ${bms.baseUrl}`);
// The team's CouchDB: pouchdb-server on loopback, for trying and testing (production is Apache CouchDB 3.x).
const teamServer = await startTeamServer();
const TEAM = { database: 'sidecar-team', passphrase: 'demo team passphrase 2026' };
await teamServer.addUser('alex', 'alex-sidecar-demo');
await teamServer.addUser('dana', 'dana-sidecar-demo');
await teamServer.createDatabase(TEAM.database, ['alex', 'dana']);
console.log(`Team server (pouchdb-server): ${teamServer.url}, database ${TEAM.database}, users alex / alex-sidecar-demo and dana / dana-sidecar-demo,`);
console.log(`  team passphrase "${TEAM.passphrase}", admin ${teamServer.admin.name} / ${teamServer.admin.password}`);

const { context, close } = await launchWithExtension({ headless: !headed });
const shot = async (page: import('@playwright/test').Page, name: string) => {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`  screenshot ${path.relative(process.cwd(), file)}`);
};

try {
  const extensionId = new URL((await serviceWorkerOf(context)).url()).host;
  const options = await context.newPage();
  await options.setViewportSize({ width: 1100, height: 900 });
  await options.goto(`chrome-extension://${extensionId}/options.html`);

  // The name stamped on what the demo's technician writes (Options, "You").
  await options.getByTestId('author').getByLabel('Your name').fill('Alex (demo technician)');
  await options.getByTestId('author').getByRole('button', { name: 'Save name' }).click();
  await options.getByTestId('author-result').waitFor();

  console.log('1. Add ConnectWise and test the connection');
  const form = await fillConnectwiseForm(options, { domain: emulator.baseUrl, ...creds });
  await form
    .getByTestId('connection-result')
    .filter({ hasText: /Connected to|failed|rejected|refused/ })
    .waitFor();
  console.log(`   ${await form.getByTestId('connection-result').textContent()}`);
  await shot(options, '01-connected');

  console.log('2. First sync: companies');
  const card = integrationCard(options);
  await syncAndWait(card, /Start sync/);
  await shot(options, '02-first-sync');

  console.log('3. Match companies: bulk create/match all');
  const matching = await openMatching(card);
  await matching.getByRole('button', { name: /Bulk create\/match all/ }).click();
  await matching.getByTestId('matching-result').waitFor();
  console.log(`   ${await matching.getByTestId('matching-result').textContent()}`);
  await shot(options, '03-matched');

  console.log('4. Sync again: contacts, configurations, agreements and sites');
  await syncAndWait(card, /Sync now/);

  const { ticket, clients } = demoTicketAndClients(emulator);
  const companyOf = (row: Record<string, unknown>) => (row.company as { id: number }).id;

  console.log('5. Sample documentation for three clients: pinned notes, an article, a credential');
  await writeSampleDocumentation(context, options, clients);

  console.log('6. Open a ticket in ConnectWise: the client’s pinned notes come first');
  const psa = await context.newPage();
  await psa.setViewportSize({ width: 1400, height: 900 });
  await psa.goto(`${emulator.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
  await overlayOf(psa).locator('[data-testid="sidecar-state"][data-state="ready"]').waitFor();
  await overlayOf(psa).getByTestId('sidecar-note').first().waitFor();
  await shot(psa, '04-ticket-overlay');

  console.log('7. Add HaloPSA and Kaseya BMS too, and sync them');
  const haloCreds = halo.credentials.valid;
  await fillIntegrationForm(options, 'HaloPSA', {
    resourceServer: halo.baseUrl,
    tenant: haloCreds.tenant ?? '',
    clientId: haloCreds.clientId,
    clientSecret: haloCreds.clientSecret,
  });
  const bmsCreds = bms.credentials.valid;
  await options.getByTestId('integration').filter({ hasText: 'HaloPSA' }).getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
  await fillIntegrationForm(options, 'Kaseya BMS / Pulseway PSA', {
    region: 'custom',
    customDomain: bms.baseUrl,
    tenant: bmsCreds.tenant,
    username: bmsCreds.userName,
    password: bmsCreds.password,
  });
  await options.getByTestId('integration').filter({ hasText: 'Kaseya BMS' }).getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
  for (const label of [/HaloPSA/, /Kaseya BMS/]) {
    const other = integrationCard(options, label);
    await syncAndWait(other, /Start sync/);
    const otherMatching = await openMatching(other);
    await otherMatching.getByRole('button', { name: /Bulk create\/match all/ }).click();
    await otherMatching.getByTestId('matching-result').waitFor();
    await syncAndWait(other, /Sync now/);
  }
  const haloLive = new Set(halo.data.clients.rows.filter((client) => !client.inactive).map((client) => client.id));
  await psa.goto(`${halo.baseUrl}/tickets?id=${halo.data.tickets.rows.find((row) => haloLive.has(row.client_id as number))!.id}`);
  await overlayOf(psa).locator('[data-testid="sidecar-state"][data-state="ready"]').waitFor();
  await shot(psa, '05-halo-ticket-overlay');
  const bmsLive = new Set(bms.data.accounts.rows.filter((account) => account.isActive !== false).map((account) => account.id));
  await psa.goto(`${bms.baseUrl}/react/servicedesk/tickets/${bms.data.tickets.rows.find((row) => bmsLive.has(row.accountId as number))!.id}`);
  await overlayOf(psa).locator('[data-testid="sidecar-state"][data-state="ready"]').waitFor();
  await shot(psa, '06-bms-ticket-overlay');

  console.log('8. The popup');
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 640 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByTestId('record-counts').nth(2).waitFor();
  await shot(popup, '07-popup');

  console.log('9. A change in ConnectWise, previewed before it is synced');
  const contact = emulator.data.contacts.rows.find((row) => companyOf(row) === companyOf(ticket))!;
  emulator.control.mutate.rename('contact', contact.id, 'Renamed In ConnectWise');
  await options.bringToFront();
  await card.getByRole('button', { name: 'Preview sync' }).click();
  const preview = card.getByRole('region', { name: 'If you synced now' });
  await preview.waitFor({ timeout: 60_000 });
  console.log(`   ${await preview.getByTestId('preview-summary').textContent()}`);
  await preview.scrollIntoViewIfNeeded();
  await shot(options, '08-sync-preview');

  console.log('10. Share with the team: Alex sets the team up on the team’s CouchDB');
  await joinTeam(options, { serverUrl: teamServer.url, database: TEAM.database, username: 'alex', password: 'alex-sidecar-demo', passphrase: TEAM.passphrase });
  await options.getByTestId('team-state').filter({ hasText: 'Up to date with the team.' }).waitFor({ timeout: 120_000 });
  await options.getByTestId('team').scrollIntoViewIfNeeded();
  await shot(options, '09-team-set-up');

  console.log('11. Dana’s browser joins the team, with no PSA keys of her own');
  const danaBrowser = await launchWithExtension({ headless: !headed });
  try {
    const danaId = new URL((await serviceWorkerOf(danaBrowser.context)).url()).host;
    const danaOptions = await danaBrowser.context.newPage();
    await danaOptions.setViewportSize({ width: 1100, height: 900 });
    await danaOptions.goto(`chrome-extension://${danaId}/options.html`);
    await danaOptions.getByTestId('author').getByLabel('Your name').fill('Dana (demo technician)');
    await danaOptions.getByTestId('author').getByRole('button', { name: 'Save name' }).click();
    await joinTeam(danaOptions, {
      serverUrl: teamServer.url,
      database: TEAM.database,
      username: 'dana',
      password: 'dana-sidecar-demo',
      passphrase: TEAM.passphrase,
    });
    await danaOptions.getByTestId('team-state').filter({ hasText: 'Up to date with the team.' }).waitFor({ timeout: 120_000 });
    const space = await danaBrowser.context.newPage();
    await space.setViewportSize({ width: 1100, height: 900 });
    await space.goto(`chrome-extension://${danaId}/space.html`);
    // The client Alex documented first (step 5): his notes, article and records, on Dana's screen.
    const documented = clients[0]!.companyName;
    await space.getByTestId('space-index').getByRole('link', { name: documented, exact: true }).click();
    await space.getByTestId('space-record').first().waitFor({ timeout: 60_000 });
    await space.getByTestId('space-note').first().waitFor({ timeout: 60_000 });
    console.log(
      `   Dana sees ${await space.getByTestId('space-note').count()} pinned notes and ${await space.getByTestId('space-record').count()} records of “${documented}”, from Alex`,
    );
    await shot(space, '10-team-member-space');
  } finally {
    if (!headed) await danaBrowser.close();
  }

  if (headed) {
    console.log('The browser stays open: try the ticket, company and configuration links. Ctrl+C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } else {
    console.log(`Done. Screenshots are in ${path.relative(process.cwd(), outDir)}/.`);
  }
} finally {
  await close();
  await Promise.all([emulator.close(), halo.close(), bms.close(), teamServer.close()]);
}
