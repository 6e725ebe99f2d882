import type { Page } from 'puppeteer-core';

/**
 * The technician's steps on Sidecar's options page, in Firefox (puppeteer): the same path as
 * tests/e2e/flows.ts takes in Chromium. Clicks and typing are puppeteer's trusted input; each step
 * waits for what the person would see before going on.
 */

const TIMEOUT = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `ok` holds; fails naming what was last seen. */
export async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeout = TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeout} ms; last saw ${JSON.stringify(value)}.`);
    await sleep(100);
    value = await read();
  }
  return value;
}

/** The normalised text and data-* attributes of every element matching `selector`. */
export function read(page: Page, selector: string): Promise<{ text: string; data: Record<string, string> }[]> {
  return page.evaluate(
    (selector) =>
      Array.from(document.querySelectorAll<HTMLElement>(selector)).map((node) => ({
        text: (node.textContent ?? '').replace(/\s+/g, ' ').trim(),
        data: { ...node.dataset } as Record<string, string>,
      })),
    selector,
  );
}

/** Waits until exactly one element matches `selector` and its text matches `text`; returns that text. */
export async function waitForText(page: Page, selector: string, text: RegExp, timeout = TIMEOUT): Promise<string> {
  const found = await waitFor(
    `one ${selector} with text ${String(text)}`,
    () => read(page, selector),
    (all) => all.length === 1 && text.test(all[0]!.text),
    timeout,
  );
  return found[0]!.text;
}

/** A trusted click on the button inside `scope` whose text is `name`. */
export async function clickButton(page: Page, scope: string, name: string): Promise<void> {
  await page.bringToFront();
  await page
    .locator(`${scope} button::-p-text(${JSON.stringify(name)})`)
    .setTimeout(TIMEOUT)
    .click();
}

export interface ConnectwiseEntry {
  domain: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export const FORM = 'form[aria-label="Add ConnectWise Manage integration"]';
export const CARD = '[data-testid="integration"]';

/** Chooses ConnectWise Manage, fills its form and clicks Save and test connection. */
export async function fillConnectwiseForm(options: Page, entry: ConnectwiseEntry): Promise<void> {
  await clickButton(options, '[role="group"][aria-label="PSA to add"]', 'ConnectWise Manage');
  for (const [name, value] of Object.entries(entry)) {
    await options.locator(`${FORM} input[name="${name}"]`).setTimeout(TIMEOUT).fill(value);
  }
  await clickButton(options, FORM, 'Save and test connection');
}

/** Clicks a sync button of the integration's card and waits for a new run to succeed. */
export async function syncAndWait(options: Page, button: 'Start sync' | 'Sync now', timeout = 60_000): Promise<void> {
  const status = `${CARD} [data-testid="run-status"]`;
  const before = (await read(options, status))[0]?.data.run;
  await clickButton(options, CARD, button);
  const [after] = await waitFor(
    `a new sync run to finish after ${button}`,
    () => read(options, status),
    (all) => !!all[0]?.data.run && all[0].data.run !== before && all[0].data.status !== 'running',
    timeout,
  );
  if (after!.data.status !== 'succeeded') throw new Error(`Sync ${after!.data.status}: ${after!.text}`);
}

/** Match companies → Bulk create/match all; returns the matching result line. */
export async function bulkMatchAll(options: Page): Promise<string> {
  await clickButton(options, CARD, 'Match companies');
  await waitFor(
    'the matching table',
    () => read(options, `${CARD} [data-testid="match-row"]`),
    (rows) => rows.length > 0,
  );
  await clickButton(options, `${CARD} [data-testid="matching"]`, 'Bulk create/match all');
  return waitForText(options, `${CARD} [data-testid="matching-result"]`, /created/);
}
