import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import type { BrowserContext } from '@playwright/test';
import { expect, overlayOf, serviceWorkerOf, test } from './fixtures';
import { connectwiseReady } from './flows';

/**
 * Issue #5: the palette finds a configuration by a misspelt name and opens it; with the PSA's API
 * down, the overlay and search work from what Sidecar has. Issue #14: it finds an article by a
 * misspelt word and opens it on its client-space page.
 */
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
});
test.afterEach(async () => {
  await cw.close();
});

/** The toolbar badge text of the tab showing `url`, read in the service worker. */
async function badgeOf(context: BrowserContext, url: string): Promise<string> {
  const worker = await serviceWorkerOf(context);
  return worker.evaluate(async (wanted) => {
    type Chrome = { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> }; action: { getBadgeText(d: { tabId: number }): Promise<string> } };
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    const tab = (await chrome.tabs.query({})).find((candidate) => candidate.url === wanted);
    return tab?.id === undefined ? '(no tab)' : chrome.action.getBadgeText({ tabId: tab.id });
  }, url);
}

/** "NDG-SRV01" -> "NDG-SVR01": two letters swapped after the dash. */
const misspell = (name: string) => name.replace(/-(\w)(\w)/, (_all, a: string, b: string) => `-${b}${a}`);

test('Ctrl+K palette: a misspelt configuration name finds it, Enter opens it in the PSA; all from cache with the API down', async ({
  context,
  openExtensionPage,
  extensionId,
}) => {
  const options = await openExtensionPage('options.html');
  await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });

  const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
  const configuration = cw.data.configurations.rows.find((row) => live.has(cwCompanyIdOf(row)) && /^\w+-\w{3,}\d+$/.test(String(row.name)))!;
  const name = String(configuration.name);
  const typo = misspell(name);
  expect(typo).not.toBe(name);

  // A ticket page seen while the PSA answers.
  const ticket = cw.data.tickets.rows.find((row) => cwCompanyIdOf(row) === cwCompanyIdOf(configuration))!;
  const psa = await context.newPage();
  await psa.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  // The toolbar badge says this tab is a PSA page with a matched company.
  await expect.poll(() => badgeOf(context, psa.url())).toBe('✓');

  // The PSA's API goes down (its pages still load): nothing below asks it anything.
  cw.control.injectFault({ path: /\/apis\/3\.0\//, status: 503, times: Infinity });
  cw.control.resetRequestLog();

  // The palette: the popup's first control, which Ctrl+K opens (manifest command).
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const search = popup.getByRole('combobox', { name: 'Search all client spaces' });
  await expect(search).toBeFocused();
  await search.fill(typo.toLowerCase());
  const first = popup.getByTestId('palette-result').first();
  await expect(first).toContainText(name);
  await expect(first).toContainText('Configuration');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  // Arrow keys move through results; a query with no match says so.
  if ((await popup.getByTestId('palette-result').count()) > 1) {
    await search.press('ArrowDown');
    await expect(popup.getByTestId('palette-result').nth(1)).toHaveAttribute('aria-selected', 'true');
    await search.press('ArrowUp');
  }
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await search.fill('zzqqxx');
  await expect(popup.getByTestId('palette-empty')).toHaveText('Nothing found for “zzqqxx”.');
  await search.fill(typo.toLowerCase());
  await expect(first).toContainText(name);
  // Enter opens the record in a new tab and closes the popup, as a popup does.
  const opened = context.waitForEvent('page');
  const closed = popup.waitForEvent('close');
  await search.press('Enter').catch((error: unknown) => {
    if (!/closed/i.test(String(error))) throw error;
  });
  const page = await opened;
  await closed;
  await page.waitForLoadState();
  expect(page.url()).toContain(`routeTo=ConfigFV&recid=${configuration.id}`);
  await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(page).getByTestId('sidecar-focus').getByTestId('sidecar-item')).toContainText(name);
  await expect(overlayOf(page).locator('[data-testid="sidecar-configurations"] [data-testid="sidecar-item"].sc-focused')).toContainText(name);
  await expect(overlayOf(page).getByTestId('sidecar-synced')).toHaveText(/^synced (just now|\d+ min ago)/);

  // The ticket page again: still shown, from what Sidecar has.
  await psa.reload();
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlayOf(psa).getByTestId('sidecar-synced')).toHaveText(/^synced (just now|\d+ min ago) · ticket #/);
  expect(cw.control.requests().filter((request) => /\/apis\/3\.0\//.test(request.path))).toEqual([]);

  // A ticket never seen before: the PSA cannot say, so the company name the page shows picks it.
  const unseen = cw.data.tickets.rows.find((row) => row.id !== ticket.id && live.has(cwCompanyIdOf(row)) && cwCompanyIdOf(row) !== cwCompanyIdOf(ticket))!;
  await psa.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${unseen.id}`);
  await expect(overlayOf(psa).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(overlayOf(psa).getByTestId('sidecar-company')).toHaveText(String(cw.data.companies.get(cwCompanyIdOf(unseen))!.name));
  await expect(overlayOf(psa).getByTestId('sidecar-ticket-offline')).toContainText('read from the page');
});

test('Ctrl+K palette: a misspelt word of an article finds it, Enter opens it on its client-space page', async ({ context, openExtensionPage, extensionId }) => {
  const options = await openExtensionPage('options.html');
  await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  const company = cw.data.companies.rows.find(cwCompanyIsLive)!;
  const companyName = String(company.name);

  // An article written on the client's page (as tests/e2e/documentation.spec.ts writes one).
  const [space] = await Promise.all([
    context.waitForEvent('page'),
    options.getByTestId('client-spaces').getByRole('link', { name: companyName, exact: true }).click(),
  ]);
  const articles = space.getByTestId('space-articles');
  await articles.getByRole('button', { name: 'New article' }).click();
  await articles.getByTestId('article-form').getByLabel('Title').fill('Printer procedure');
  await articles.getByTestId('article-form').getByLabel(/^Text/).fill('Clear the spooler, then print the queue again.');
  await articles.getByTestId('article-form').getByRole('button', { name: 'Save article' }).click();
  await expect(articles.getByTestId('article')).toContainText('Clear the spooler');
  await space.close();

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const search = popup.getByRole('combobox', { name: 'Search all client spaces' });
  await search.fill('spoolre');
  const first = popup.getByTestId('palette-result').first();
  await expect(first).toContainText('Printer procedure');
  await expect(first).toContainText(`Article · ${companyName}`);
  await expect(first).toContainText('Clear the spooler');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  const opened = context.waitForEvent('page');
  await search.press('Enter').catch((error: unknown) => {
    if (!/closed/i.test(String(error))) throw error;
  });
  const page = await opened;
  await expect(page.getByTestId('space-name')).toHaveText(companyName);
  await expect(page.getByTestId('article')).toContainText('Clear the spooler, then print the queue again.');
  expect(page.url()).toMatch(new RegExp(`^chrome-extension://${extensionId}/space\\.html#/space/[^/]+/article/article`));
});
