import { test, type Page } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoTicketAndClients, writeSampleDocumentation } from '../../scripts/demo-docs.ts';
import { overlayFrame, paintedBackground } from '../e2e/a11y.ts';
import { EXTENSION_PATH, expect, launchWithExtension, overlayOf, serviceWorkerOf } from '../e2e/fixtures';
import { fillConnectwiseForm, integrationCard, openMatching, syncMatchSync } from '../e2e/flows';
import { startEmulator } from '../emulator/index.ts';

/**
 * `npm run screenshots` (issue #18): the README's screenshots (docs/screenshots/) and the Chrome
 * Web Store's (store/screenshots/, exactly 1280 × 800), taken from the demo: the ConnectWise
 * emulator's demo MSP set up the way `npm run demo` does it (connect, sync, bulk create/match all,
 * sync again, sample documentation for three clients), in the e2e build. Each run rewrites every
 * image, so a changed screen needs nothing but another run.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = path.join(ROOT, 'docs/screenshots');
const STORE = path.join(ROOT, 'store/screenshots');
const SIZE = { width: 1280, height: 800 };
const POPUP = { width: 420, height: 560 };
const DARK_BACKGROUND = 'rgb(29, 33, 39)';

/** The viewport as a PNG, written to each of `files` (relative to the repository). */
async function shoot(page: Page, ...files: string[]): Promise<void> {
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  for (const file of files) {
    writeFileSync(path.join(ROOT, file), png);
    console.log(`  ${file} (${Math.round(png.length / 1024)} kB)`);
  }
}

test('README and store screenshots: options, the overlay on a ticket, the palette', async () => {
  mkdirSync(DOCS, { recursive: true });
  mkdirSync(STORE, { recursive: true });
  // A copy of the e2e build: another `npm run build:e2e` (an engineer's e2e run) cannot rewrite it mid-run.
  const extensionPath = mkdtempSync(path.join(tmpdir(), 'sidecar-screenshots-'));
  cpSync(EXTENSION_PATH, extensionPath, { recursive: true });
  const cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
  const { context, close } = await launchWithExtension({ extensionPath });
  try {
    const extensionId = new URL((await serviceWorkerOf(context)).url()).host;
    const options = await context.newPage();
    await options.setViewportSize(SIZE);
    await options.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await options.goto(`chrome-extension://${extensionId}/options.html`);

    await test.step('set up: name, ConnectWise connected, synced, matched, synced again', async () => {
      await options.getByTestId('author').getByLabel('Your name').fill('Alex (demo technician)');
      await options.getByTestId('author').getByRole('button', { name: 'Save name' }).click();
      await options.getByTestId('author-result').waitFor();
      // The guided path's first step, as a new technician sees it after Save: the card with its steps, Start sync the one primary button.
      const form = await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
      await form
        .getByTestId('connection-result')
        .filter({ hasText: /^Connected to / })
        .waitFor();
      await integrationCard(options).getByTestId('setup-steps').waitFor();
      await integrationCard(options).scrollIntoViewIfNeeded();
      await shoot(options, 'docs/screenshots/setup-next-step.png');
      await syncMatchSync(form, integrationCard(options));
    });

    // The demo's ticket and its three documented clients (scripts/demo-docs.ts), its company first.
    const { ticket, clients } = demoTicketAndClients(cw);
    await test.step('sample documentation for three clients', () => writeSampleDocumentation(context, options, clients));

    await test.step('options.png: the ConnectWise card connected, synced and matched, its matching panel open', async () => {
      await options.bringToFront();
      const card = integrationCard(options);
      await openMatching(card);
      await expect(card.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
      // The page's top: its title and sections, then the card.
      await options.evaluate(() => window.scrollTo(0, 0));
      await shoot(options, 'docs/screenshots/options.png', 'store/screenshots/options.png');
    });

    await test.step('overlay-ticket.png: a ticket of a matched company, its pinned notes first', async () => {
      const psa = await context.newPage();
      await psa.setViewportSize(SIZE);
      await psa.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await psa.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
      await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
      await expect(overlayOf(psa).getByTestId('sidecar-note').first()).toBeVisible();
      await expect.poll(() => paintedBackground(overlayFrame(psa), '.sc-panel')).toBe('rgb(255, 255, 255)');
      await shoot(psa, 'docs/screenshots/overlay-ticket.png', 'store/screenshots/overlay-ticket.png');

      await psa.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => paintedBackground(overlayFrame(psa), '.sc-panel')).toBe(DARK_BACKGROUND);
      await shoot(psa, 'docs/screenshots/overlay-ticket-dark.png');
      await psa.close();
    });

    await test.step('palette.png: the popup with a misspelt client name typed, and what it finds', async () => {
      const popup = await context.newPage();
      await popup.setViewportSize(POPUP);
      await popup.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await popup.goto(`chrome-extension://${extensionId}/popup.html`);
      const search = popup.getByRole('combobox', { name: 'Search all client spaces' });
      await expect(search).toBeFocused();
      // The documented client's first word, a letter dropped ("Northwind" -> "nortwind"): the palette forgives typos.
      const word = clients[0]!.companyName.split(' ')[0]!.toLowerCase();
      const results = popup.getByTestId('palette-result');
      const resultsFor = async (query: string): Promise<number> => {
        await search.fill(query);
        await expect
          .poll(() => results.count(), { timeout: 5_000 })
          .toBeGreaterThanOrEqual(3)
          .catch(() => undefined);
        return results.count();
      };
      // Several results; if the misspelling finds fewer, the name as it is spelt.
      if ((await resultsFor(word.length > 5 ? word.slice(0, 4) + word.slice(5) : word)) < 3) await resultsFor(word);
      await expect.poll(() => results.count()).toBeGreaterThanOrEqual(3);
      await expect(results.first()).toHaveAttribute('aria-selected', 'true');
      await shoot(popup, 'docs/screenshots/palette.png');
    });
  } finally {
    await close();
    await cw.close();
    rmSync(extensionPath, { recursive: true, force: true });
  }
});
