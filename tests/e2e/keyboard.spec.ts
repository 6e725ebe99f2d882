import type { Frame, Page } from '@playwright/test';
import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { overlayFrame } from './a11y.ts';
import { connectwiseEntry } from './emulator-entries.ts';
import { expect, overlayOf, test } from './fixtures';
import { integrationCard, waitForNewRun } from './flows';

/**
 * Issue #18: the whole setup (add, test, sync, match, sync), the overlay (the shortcut into it,
 * search, copy, collapse, Escape) and the palette, from the keyboard alone: no mouse, focus always
 * drawn and never dropped to the page's body.
 */

interface Focused {
  tag: string;
  name: string;
  /** A focus ring is drawn: an outline at least 2 px wide. */
  ring: boolean;
  /** The document itself has focus (false once focus left the overlay's frame). */
  here: boolean;
}

/** What has keyboard focus in a page or frame, named as a person hears it. */
function focusedIn(target: Page | Frame): Promise<Focused> {
  return target.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const here = document.hasFocus();
    if (!element || element === document.body) return { tag: 'BODY', name: '(the page)', ring: false, here };
    const style = getComputedStyle(element);
    const labelled = (element as HTMLInputElement).labels?.[0]?.firstElementChild?.textContent;
    const name = (element.getAttribute('aria-label') ?? labelled ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { tag: element.tagName, name, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, here };
  });
}

/** Presses Tab (or Shift+Tab) until the focused control's name matches; every stop must show its focus and none may be the body. */
async function tabTo(target: Page | Frame, keys: Page['keyboard'], name: RegExp, options: { back?: boolean; max?: number } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let press = 0; press < (options.max ?? 80); press++) {
    await keys.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focusedIn(target);
    seen.push(now.name);
    expect(now.tag, `focus fell to the page after ${seen.join(' → ')}`).not.toBe('BODY');
    expect(now.ring, `no focus ring on “${now.name}”`).toBe(true);
    if (name.test(now.name)) return now;
  }
  throw new Error(`${name} was not reached by ${options.back ? 'Shift+' : ''}Tab: ${seen.join(' → ')}`);
}

/** Focus stays on `name` (an action keeps its button focused while it works, and after). */
async function expectFocusOn(target: Page | Frame, name: RegExp): Promise<void> {
  await expect.poll(async () => (await focusedIn(target)).name, { timeout: 10_000 }).toMatch(name);
}

test('setup, overlay and palette from the keyboard alone, focus always visible and never lost', async ({ context, openExtensionPage }) => {
  test.setTimeout(240_000);
  const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  try {
    const options = await openExtensionPage('options.html');
    const keys = options.keyboard;
    await expect(options.getByTestId('no-integrations')).toBeVisible();

    await test.step('the skip link leads to the form, which comes first while nothing is connected', async () => {
      await keys.press('Tab');
      const skip = await focusedIn(options);
      expect(skip).toMatchObject({ tag: 'A', name: 'Skip to adding a PSA', ring: true });
      await expect(options.getByRole('link', { name: 'Skip to adding a PSA' })).toBeInViewport();
      await keys.press('Enter');
      await expectFocusOn(options, /^Connect your PSA$/);
      await tabTo(options, keys, /^ConnectWise Manage$/);
    });

    await test.step('add: type each field, save and test; the new card takes focus', async () => {
      const entry = connectwiseEntry(cw);
      await tabTo(options, keys, /^Domain$/);
      for (const value of [entry.domain, entry.companyId, entry.publicKey, entry.privateKey, entry.clientId]) {
        await keys.type(value);
        await keys.press('Tab');
      }
      expect(await focusedIn(options)).toMatchObject({ name: 'Save and test connection', ring: true });
      await keys.press('Enter');
      await expectFocusOn(options, /^ConnectWise \(/);
      await expect(integrationCard(options).getByTestId('connection-status')).toHaveText(/^Connected to /);
      await expect(options.locator(':focus')).toBeInViewport();
    });

    const card = integrationCard(options);
    const status = card.getByTestId('run-status');
    /** The guided setup: the card's step list marks the next step, and only that step's button is primary. */
    const nextStepIs = async (step: string, button: string) => {
      await expect(card.getByTestId('setup-steps').locator('[aria-current="step"]')).toHaveText(new RegExp(`${step}$`));
      await expect(card.locator('button.primary')).toHaveText([button]);
    };
    await test.step('sync: Start sync keeps focus while it runs, and its end is announced', async () => {
      await nextStepIs('Start sync', 'Start sync');
      await tabTo(options, keys, /^Start sync$/);
      await keys.press('Enter');
      await waitForNewRun(status, null);
      await expectFocusOn(options, /^(Start sync|Sync now)$/);
      await expect(card.getByTestId('run-announcement')).toHaveText('Sync finished.');
    });

    await test.step('match: Bulk create/match all from the keyboard keeps focus', async () => {
      await nextStepIs('Match companies', 'Match companies');
      await tabTo(options, keys, /^Match companies$/);
      await keys.press('Enter');
      await expect(card.getByTestId('matching')).toBeVisible();
      await tabTo(options, keys, /^Bulk create\/match all/);
      await keys.press('Enter');
      await expect(card.getByTestId('matching-result')).toHaveText(/created/);
      await expectFocusOn(options, /^Bulk create\/match all/);
    });

    await test.step('sync again: back to Sync now with Shift+Tab', async () => {
      await nextStepIs('Sync again', 'Sync now');
      const previous = await status.getAttribute('data-run');
      await tabTo(options, keys, /^Sync now$/, { back: true });
      await keys.press('Enter');
      await waitForNewRun(status, previous);
      await expectFocusOn(options, /^Sync now$/);
      // Set up: no steps left, nothing stands out.
      await expect(card.getByTestId('setup-steps')).toHaveCount(0);
      await expect(card.locator('button.primary')).toHaveCount(0);
      // The add form's last "Connected to …" goes once the next integration's details are typed.
      const form = options.getByRole('form', { name: 'Add ConnectWise Manage integration' });
      await expect(form.getByTestId('connection-result')).toHaveText(/^Connected to /);
      await form.locator('input[name="domain"]').focus();
      await keys.type('n');
      await expect(form.getByTestId('connection-result')).toHaveCount(0);
    });

    const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
    const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)))!;
    const page = await context.newPage();
    await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
    const overlay = overlayOf(page);
    await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    const frame = overlayFrame(page);

    await test.step('overlay: the shortcut lands in its search; typing narrows it', async () => {
      await page.keyboard.press('Alt+Shift+KeyS');
      await expect.poll(() => overlay.getByTestId('sidecar-search').isFocused()).toBe(true);
      expect((await focusedIn(frame)).ring).toBe(true);
      const contacts = overlay.getByTestId('sidecar-contacts').getByRole('listitem');
      const before = await contacts.count();
      const first = (await overlay.getByTestId('sidecar-contacts').locator('.sc-title').allTextContents())[0]!;
      await page.keyboard.type(first.slice(0, 4));
      await expect.poll(() => overlay.getByTestId('sidecar-search').inputValue()).toBe(first.slice(0, 4));
      expect(await contacts.count()).toBeLessThanOrEqual(before);
      await expect(overlay.getByTestId('sidecar-contacts')).toContainText(first);
    });

    await test.step('overlay: a contact’s e-mail and phone are mailto: and tel: links', async () => {
      const contacts = overlay.getByTestId('sidecar-contacts');
      expect(await contacts.locator('a[href^="mailto:"]').count()).toBeGreaterThan(0);
      expect(await contacts.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    });

    await test.step('overlay: a copy button names its record, and the copy is announced', async () => {
      const copy = await tabTo(frame, page.keyboard, /^Copy (Email|Phone) of /);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => frame.evaluate(() => Array.from(document.querySelectorAll('[role="status"]'), (region) => region.textContent).join('|')))
        .toContain(`${copy.name.replace(/^Copy /, '')} copied`);
    });

    await test.step('overlay: Collapse and Show keep focus, Escape gives it back to the page', async () => {
      await tabTo(frame, page.keyboard, /^Collapse Sidecar$/, { back: true });
      await page.keyboard.press('Enter');
      await expectFocusOn(frame, /^Show Sidecar$/);
      await page.keyboard.press('Enter');
      await expect.poll(() => overlay.getByTestId('sidecar-search').isFocused()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await focusedIn(frame)).here).toBe(false);
      expect(await page.evaluate(() => document.hasFocus())).toBe(true);
    });

    await test.step('palette: arrows keep the highlighted result in sight, Enter opens it', async () => {
      const popup = await openExtensionPage('popup.html');
      const input = popup.getByRole('combobox', { name: 'Search all client spaces' });
      await expect(input).toBeFocused();
      await popup.keyboard.type('a');
      const results = popup.getByTestId('palette-result');
      await expect(results.first()).toBeVisible();
      const count = await results.count();
      for (let press = 1; press < count; press++) await popup.keyboard.press('ArrowDown');
      const active = popup.locator('[data-testid="palette-result"][aria-selected="true"]');
      await expect(active).toHaveCount(1);
      expect(await active.evaluate((row) => row === row.parentElement!.lastElementChild)).toBe(true);
      // Drawn inside the list's scrolled box, not below it.
      expect(
        await active.evaluate((row) => {
          const list = row.parentElement!.getBoundingClientRect();
          const box = row.getBoundingClientRect();
          return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
        }),
      ).toBe(true);
      await expect(input).toBeFocused();
      const opened = context.waitForEvent('page');
      await popup.keyboard.press('Enter');
      expect((await opened).url()).not.toBe('about:blank');
    });
  } finally {
    await cw.close();
  }
});
