import { test as base } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * The Firefox e2e subset's fixture: Debian's Firefox ESR, driven over WebDriver BiDi by
 * puppeteer-core (Playwright cannot drive a stock Firefox), with Sidecar's Firefox build installed
 * as a temporary add-on. The specs run under Playwright's runner (project "firefox" in
 * playwright.config.ts), so their counts land in the same report as the Chromium suite's.
 *
 * It loads the production build (`npx wxt build -b firefox`), not an e2e build with loopback
 * pre-granted: Firefox can stand in for the person's "Allow" on the optional-permission prompt
 * (the pref below), so the permission path runs as shipped: the manifest's optional_permissions,
 * permissions.request in the Save click, the grant, then the content script on that host.
 */

const FIREFOX = process.env.SIDECAR_FIREFOX ?? '/usr/bin/firefox-esr';
const EXTENSION_PATH = path.resolve(process.env.SIDECAR_FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv2');
const GECKO_ID = 'sidecar@sidecar.invalid'; // wxt.config.ts: browser_specific_settings.gecko.id

/** Why the Firefox subset cannot run here, or undefined when it can. */
function missingFirefox(): string | undefined {
  if (existsSync(FIREFOX)) return undefined;
  // scripts/toolchain.sh (sidecar_firefox) says why it could not install it.
  const why = process.env.SIDECAR_FIREFOX_MISSING ?? `${FIREFOX} is not installed (run: source scripts/toolchain.sh && sidecar_firefox)`;
  return `Firefox e2e skipped: ${why}.`;
}

export interface Firefox {
  browser: Browser;
  /** moz-extension://<uuid> of the installed build (no trailing slash). */
  extensionOrigin: string;
  /** A new tab showing one of Sidecar's own pages, e.g. options.html. */
  openExtensionPage(file: string): Promise<Page>;
  /** A new tab, for PSA pages. */
  newPage(): Promise<Page>;
}

export async function launchFirefox(): Promise<{ firefox: Firefox; close: () => Promise<void> }> {
  if (!existsSync(path.join(EXTENSION_PATH, 'manifest.json'))) {
    throw new Error(`No Firefox extension build in ${EXTENSION_PATH}: run npx wxt build -b firefox first.`);
  }
  // A known moz-extension:// origin for this run (Firefox otherwise picks a random UUID at install).
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // A desktop window (puppeteer's default is 800×600): under 1,100 px the overlay starts collapsed (#18).
    defaultViewport: { width: 1280, height: 800 },
    // WebDriver BiDi refuses to navigate a tab to a moz-extension:// URL unless the remote agent
    // is allowed system access (remote/shared/BrowsingContextUtils.sys.mjs). A launch flag of the
    // test's own browser, not code in the extension: the shipped build has no test hook.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      // permissions.request() grants what it asks for instead of showing the doorhanger a person
      // would answer with "Allow" (headless Firefox has no one to click it). Everything before the
      // prompt still applies: the origin must be declared in the manifest's optional permissions
      // and the call must come from a user's input (parent/ext-permissions.js), or it throws.
      'extensions.webextOptionalPermissionPrompts': false,
      // Keep the run offline and quiet: no update checks, no first-run pages.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  try {
    const id = await browser.installExtension(EXTENSION_PATH);
    if (id !== GECKO_ID) throw new Error(`Installed add-on ${id}, expected ${GECKO_ID}.`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  const extensionOrigin = `moz-extension://${uuid}`;
  const firefox: Firefox = {
    browser,
    extensionOrigin,
    newPage: () => browser.newPage(),
    async openExtensionPage(file: string) {
      const page = await browser.newPage();
      await gotoExtensionPage(page, `${extensionOrigin}/${file}`);
      return page;
    },
  };
  return { firefox, close: () => browser.close() };
}

/**
 * Opens one of the extension's pages in a tab. puppeteer's `page.goto` would wait forever: the
 * moz-extension:// document loads in the extension process, and BiDi reports no navigation event
 * for it. So the navigation is sent as is (puppeteer's BiDi browsing context, an internal of the
 * pinned puppeteer-core) and the page polled until its document is ready.
 */
export async function gotoExtensionPage(page: Page, url: string, timeout = 15_000): Promise<void> {
  const context = (page.mainFrame() as unknown as { browsingContext?: { navigate(url: string, wait?: string): Promise<void> } }).browsingContext;
  if (!context?.navigate) throw new Error('puppeteer-core changed: its BiDi frame has no browsingContext.navigate (see tests/e2e-firefox/fixtures.ts).');
  await context.navigate(url, 'none');
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await page.evaluate(() => [location.href, document.readyState]).catch(() => null);
    if (state?.[0] === url && state[1] === 'complete') return;
    if (Date.now() > deadline) throw new Error(`${url} did not load within ${timeout} ms (last seen: ${state?.join(', ') ?? 'nothing'}).`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const test = base.extend<{ firefox: Firefox }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from its destructuring: none here
  firefox: async ({}, use, testInfo) => {
    const missing = missingFirefox();
    if (missing) console.warn(missing);
    testInfo.skip(!!missing, missing);
    const launched = await launchFirefox();
    try {
      await use(launched.firefox);
    } finally {
      await launched.close();
    }
  },
});

export { expect } from '../e2e/overlay/expect';
