import type { Page } from 'puppeteer-core';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { overlayOf } from './driver';
import { scriptedPresses } from '../e2e/attacks';
import { expect, test } from './fixtures';
import { bulkMatchAll, CARD, clickButton, fillConnectwiseForm, FORM, read, syncAndWait, waitFor, waitForText } from './flows';

/**
 * The Firefox subset (Firefox ESR over WebDriver BiDi, the production build installed as a
 * temporary add-on): the technician's first path with ConnectWise, as tests/e2e/connectwise.spec.ts
 * walks it in Chromium, and what a script in the PSA page's own world can read of the overlay.
 */

let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

/**
 * A ticket and a contact of its company who is not the ticket's contact: the overlay lists every
 * contact of the company, the PSA's ticket page names only the ticket's own.
 */
function pickTicket() {
  const idOf = (ref: unknown) => (ref as { id: number } | undefined)?.id;
  for (const ticket of cw.data.tickets.rows) {
    const company = cw.data.companies.get(idOf(ticket.company)!)!;
    const other = cw.data.contacts.children(company.id).find((contact) => contact.id !== idOf(ticket.contact));
    if (other) return { ticket, company, contact: other };
  }
  throw new Error('The tiny preset has no ticket whose company has a second contact.');
}

const ticketUrl = (id: number) => `${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${id}`;

/** Asks the extension's own APIs, from one of its pages (what its toolbar button and the browser know). */
function extensionState<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(async () => { ${body} })()`) as Promise<T>;
}

test('Firefox: connect ConnectWise, sync, match all, see the ticket’s overlay, refresh it, search it, remove the integration', async ({ firefox }) => {
  const { ticket, company, contact } = pickTicket();
  // Text only the overlay holds on this page: a contact the ticket page does not name.
  const secret = `Overlayonly Contact${contact.id}`;
  cw.control.mutate.rename('contact', contact.id, secret);
  const hostGranted = () =>
    extensionState<boolean>(
      options,
      `return browser.permissions.contains({ origins: ['${new URL(cw.baseUrl).protocol}//${new URL(cw.baseUrl).hostname}/*'] });`,
    );

  // Options: add ConnectWise. Installed, Sidecar may open no site; Save asks for the emulator's
  // host (granted: see fixtures.ts), saves, and tests the connection.
  const options = await firefox.openExtensionPage('options.html');
  expect(await hostGranted()).toBe(false);
  await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  expect(await waitForText(options, `${FORM} [data-testid="connection-result"]`, /^(?!Saving…|Testing the connection…)./)).toMatch(
    /^Connected to .+ \(version v\d{4}\.\d+/,
  );
  expect(await waitForText(options, `${CARD} [data-testid="connection-status"]`, /\S/)).toMatch(/^Connected to /);
  expect(await hostGranted()).toBe(true);

  // Sync, bulk create/match all, sync again.
  await syncAndWait(options, 'Start sync');
  expect(await bulkMatchAll(options)).toMatch(/^0 matched, [1-9]\d* created, 0 left unmatched/);
  await syncAndWait(options, 'Sync now');
  // Syncs also run on their own every 3 hours.
  const alarms = await extensionState<{ name: string; periodInMinutes?: number }[]>(options, 'return browser.alarms.getAll();');
  expect(alarms).toContainEqual(expect.objectContaining({ name: 'sidecar-schedule', periodInMinutes: 180 }));

  // The PSA's ticket page: the overlay shows the ticket's company with its docs.
  const psa = await firefox.newPage();
  await psa.goto(ticketUrl(ticket.id));
  const overlay = overlayOf(psa);
  await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlay.getByTestId('sidecar-company')).toHaveText(String(company.name));
  await expect(overlay.getByTestId('sidecar-synced')).toHaveText(new RegExp(`synced (just now|\\d+ min ago) · ticket #${ticket.id}`));
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText(secret);
  // The toolbar button's badge on that tab: a matched company (Firefox's MV2 browserAction).
  const badge = await waitFor(
    'the ✓ badge on the ticket’s tab',
    () =>
      extensionState<string>(
        options,
        `const [tab] = (await browser.tabs.query({})).filter((tab) => tab.url === ${JSON.stringify(ticketUrl(ticket.id))}); return tab ? browser.browserAction.getBadgeText({ tabId: tab.id }) : 'no tab';`,
      ),
    (text) => text === '✓',
  );
  expect(badge).toBe('✓');

  // Refresh now, a person's click in the overlay (trusted input at the button's place on screen):
  // a contact renamed in the PSA since the sync shows at once.
  cw.control.mutate.rename('contact', contact.id, 'Renamed Just Now');
  await overlay.getByTestId('sidecar-refresh').click();
  await expect(overlay.getByTestId('sidecar-contacts')).toContainText('Renamed Just Now');
  await expect(overlay.getByTestId('sidecar-refresh')).toHaveText('Refresh now');

  await expect(overlay.getByTestId('sidecar-contacts')).toContainText('Renamed Just Now');
  // The page's own world (an XSS in the PSA, a plugin's script) reads nothing of it: the host is
  // there, its root is closed, and the overlay's text is nowhere the page can reach.
  // The overlay is Sidecar's own page framed inside a closed shadow root: another origin.
  // Checked to fail: with `mode: 'open'` in lib/content/overlay-mount.ts (then
  // `npx wxt build -b firefox`), `shadowRoot` is an object; with the overlay drawn in the shadow
  // root itself (this first design) the renamed contact is readable through it.
  const seen = await psa.evaluate(() => {
    const host = document.querySelector('sidecar-overlay');
    const root = host?.shadowRoot ?? null;
    return {
      hosts: document.querySelectorAll('sidecar-overlay').length,
      shadowRoot: root === null ? null : 'readable',
      readable: [document.documentElement.textContent ?? '', document.body.innerText, document.documentElement.outerHTML, root?.textContent ?? ''].join('\n'),
      found: (window as unknown as { find(text: string): boolean }).find('Renamed Just Now'),
    };
  });
  expect(seen.hosts).toBe(1);
  expect(seen.shadowRoot).toBeNull();
  expect(seen.readable).toContain(String(company.name)); // the PSA's own ticket page shows its company…
  expect(seen.readable).not.toContain('Renamed Just Now'); // …but never what only the overlay shows
  expect(seen.found).toBe(false); // not even as a yes/no answer to window.find

  // Nor press it: every scripted click, key and focus trick on Refresh's place, then a person's
  // Enter with the focus where the script put it, reach nothing (tests/e2e/attacks.ts; the
  // Chromium twin, tests/e2e/attacker.spec.ts, says how each guard was checked).
  const refreshBox = await overlay.getByTestId('sidecar-refresh').boundingBox();
  const sidecarApi = () => cw.control.requests().filter((request) => /\/apis\/3\.0\//i.test(request.path));
  cw.control.resetRequestLog();
  await scriptedPresses(psa, { x: refreshBox.x + refreshBox.width / 2, y: refreshBox.y + refreshBox.height / 2 }, 'sidecar-refresh', String(company.id));
  await psa.keyboard.press('Enter');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(sidecarApi()).toEqual([]);
  await expect(overlay.getByTestId('sidecar-refresh')).toHaveText('Refresh now');

  // The toolbar popup's palette (opened here as a tab; headless Firefox has no toolbar to click)
  // finds the renamed contact locally, by a word of its new name.
  const popup = await firefox.openExtensionPage('popup.html');
  await popup.locator('[role="combobox"][aria-label="Search all client spaces"]').setTimeout(15_000).fill('renamed just');
  const results = await waitFor(
    'a palette result for the renamed contact',
    () => read(popup, '[data-testid="palette-result"]'),
    (all) => all.some((result) => result.text.includes('Renamed Just Now')),
  );
  expect(results[0]!.text).toContain('Renamed Just Now');

  // Removing the integration gives the host back and unregisters the overlay's content script.
  const registered = () => extensionState<{ id: string; matches?: string[] }[]>(options, 'return browser.scripting.getRegisteredContentScripts();');
  expect(await registered()).toEqual([expect.objectContaining({ id: 'sidecar-psa', matches: ['http://127.0.0.1/*'] })]);
  options.once('dialog', (dialog) => void dialog.accept());
  await options.locator(`${CARD} details.more-actions > summary`).setTimeout(30_000).click();
  await clickButton(options, CARD, 'Remove');
  await waitForText(options, '[data-testid="no-integrations"]', /\S/);
  // The list empties when the records' transaction commits; the host and script go a moment later.
  await waitFor('the host permission given back', hostGranted, (granted) => !granted);
  await waitFor('the content script unregistered', registered, (scripts) => scripts.length === 0);
});
