import type { Locator, Page } from '@playwright/test';
import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { auditFrame, auditPage, overlayFrame, paintedBackground } from './a11y.ts';
import { bmsEntry, connectwiseEntry, haloEntry } from './emulator-entries.ts';
import { expect, overlayOf, test } from './fixtures';
import { cardMenuButton, openMatching, psaReady } from './flows';

/**
 * Issue #18: every Sidecar screen in light and dark, with the background each scheme really
 * paints: no serious or critical axe-core finding and no text under 13 px. The options page is
 * audited with every panel of an integration open; the popup with the palette's results; the
 * overlay on a ticket of each PSA; the client-space page.
 */
const SCHEMES = ['light', 'dark'] as const;
const DARK_BACKGROUND = 'rgb(29, 33, 39)';

async function inBothSchemes(page: Page, audit: () => Promise<string[]>, backgroundOf: () => Promise<string>): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of SCHEMES) {
    await test.step(scheme, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      // The scheme really applied: the page paints its own dark background (axe reads it from there).
      await expect.poll(backgroundOf, { timeout: 10_000 }).toBe(scheme === 'dark' ? DARK_BACKGROUND : 'rgb(255, 255, 255)');
      found.push(...(await audit()).map((line) => `[${scheme}] ${line}`));
    });
  }
  return found;
}

const auditExtensionPage = (page: Page, where: string) =>
  test.step(`audit ${where}`, () =>
    inBothSchemes(
      page,
      () => auditPage(page, where),
      () => paintedBackground(page, 'body'),
    ));

const auditOverlay = (page: Page, where: string) =>
  test.step(`audit ${where}`, () =>
    inBothSchemes(
      page,
      () => auditFrame(overlayFrame(page), where),
      () => paintedBackground(overlayFrame(page), '.sc-panel'),
    ));

/** Opens each of the card's panels that a button shows. */
async function openEveryPanel(card: Locator): Promise<void> {
  await openMatching(card);
  for (const name of ['Sync options', 'Tickets', 'Billing']) {
    const button = card.getByRole('button', { name, exact: true });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  }
  // The menu's own panels; the menu stays open, so it is audited too.
  for (const name of ['Museum', 'Log', 'Edit']) {
    const button = await cardMenuButton(card, name);
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  }
  await expect(card.getByRole('form', { name: /^Edit / })).toBeVisible();
}

test('options, popup, palette, the overlay and the client-space page: nothing serious for axe and no small text, light and dark (ConnectWise)', async ({
  context,
  openExtensionPage,
}) => {
  test.setTimeout(240_000);
  const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  try {
    const options = await openExtensionPage('options.html');
    await expect(options.getByTestId('no-integrations')).toBeVisible();
    const found = await auditExtensionPage(options, 'options (nothing connected)');

    const card = await psaReady(options, 'ConnectWise Manage', { ...connectwiseEntry(cw) }, /ConnectWise/);
    await openEveryPanel(card);
    found.push(...(await auditExtensionPage(options, 'options (every panel open)')));

    const popup = await openExtensionPage('popup.html');
    await expect(popup.getByRole('combobox', { name: 'Search all client spaces' })).toBeVisible();
    found.push(...(await auditExtensionPage(popup, 'popup')));
    await popup.getByRole('combobox', { name: 'Search all client spaces' }).fill(cw.data.companies.rows[0]!.name as string);
    await expect(popup.getByTestId('palette-result').first()).toBeVisible();
    found.push(...(await auditExtensionPage(popup, 'palette with results')));

    const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
    const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)))!;
    const page = await context.newPage();
    await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
    await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    await expect(overlayOf(page).getByTestId('sidecar-search')).toBeVisible();
    found.push(...(await auditOverlay(page, 'overlay on a ConnectWise ticket')));

    const space = await openExtensionPage('space.html');
    const firstSpace = space.locator('.space-index a').first();
    await expect(firstSpace).toBeVisible();
    found.push(...(await auditExtensionPage(space, 'client spaces')));
    await firstSpace.click();
    await expect(space.getByRole('heading', { level: 1 })).not.toHaveText(/client spaces/i);
    found.push(...(await auditExtensionPage(space, 'a client space')));

    expect(found).toEqual([]);
  } finally {
    await cw.close();
  }
});

for (const target of [
  { title: 'HaloPSA', label: /HaloPSA/, start: () => startEmulator({ psa: 'halo', preset: 'tiny', rateLimit: null }) },
  { title: 'Kaseya BMS / Pulseway PSA', label: /Kaseya BMS/, start: () => startEmulator({ psa: 'kaseya-bms', preset: 'tiny', rateLimit: null }) },
] as const) {
  test(`the overlay on a ${target.title} ticket: nothing serious for axe and no small text, light and dark`, async ({ context, openExtensionPage }) => {
    test.setTimeout(180_000);
    const emulator = await target.start();
    try {
      const options = await openExtensionPage('options.html');
      let ticketUrl: string;
      if (emulator.psa === 'halo') {
        await psaReady(options, target.title, haloEntry(emulator), target.label);
        const live = new Set(emulator.data.clients.rows.filter((row) => !row.inactive).map((row) => row.id));
        ticketUrl = `${emulator.baseUrl}/tickets?id=${emulator.data.tickets.rows.find((row) => live.has(row.client_id as number))!.id}`;
      } else {
        await psaReady(options, target.title, bmsEntry(emulator), target.label);
        const live = new Set(emulator.data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id));
        ticketUrl = `${emulator.baseUrl}/react/servicedesk/tickets/${emulator.data.tickets.rows.find((row) => live.has(row.accountId))!.id}`;
      }
      const page = await context.newPage();
      await page.goto(ticketUrl);
      await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
      expect(await auditOverlay(page, `overlay on a ${target.title} ticket`)).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
}
