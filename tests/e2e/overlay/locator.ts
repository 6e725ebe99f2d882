import type { Frame, Page } from '@playwright/test';
import { overlayProbe, type ProbeAnswer, type ProbeRequest, type ProbeStep, type ProbeText } from './probe.ts';

/**
 * The e2e suite's view into Sidecar's overlay. The overlay is an extension page framed inside a
 * closed shadow root: the PSA page's scripts can reach neither (that is the point), and the frame
 * is re-created per page, so these locators ask whichever overlay frame the page has at the
 * moment (./probe.ts), and act like a person: clicks and keys are trusted input events at the
 * element's place on screen, never `element.click()`.
 */

/** How a browser's driver reaches the extension's isolated world of one tab, and gives real input. */
export interface OverlayDriver {
  probe(request: ProbeRequest): Promise<ProbeAnswer>;
  click(x: number, y: number): Promise<void>;
  insertText(text: string): Promise<void>;
  press(key: string): Promise<void>;
}

const ACTION_TIMEOUT = 15_000;
const POLL_MS = 100;

export const probeText = (text: string | RegExp): ProbeText =>
  typeof text === 'string' ? { kind: 'string', value: text } : { kind: 'regexp', source: text.source, flags: text.flags };

export class OverlayLocator {
  readonly driver: OverlayDriver;
  readonly steps: ProbeStep[];
  readonly description: string;

  constructor(driver: OverlayDriver, steps: ProbeStep[], description: string) {
    this.driver = driver;
    this.steps = steps;
    this.description = description;
  }

  private then(step: ProbeStep, label: string): OverlayLocator {
    return new OverlayLocator(this.driver, [...this.steps, step], `${this.description}.${label}`);
  }

  getByTestId(testId: string) {
    return this.then({ kind: 'css', selector: `[data-testid="${testId}"]` }, `getByTestId('${testId}')`);
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean } = {}) {
    return this.then(
      { kind: 'role', role, ...(options.name !== undefined ? { name: probeText(options.name) } : {}), ...(options.exact ? { exact: true } : {}) },
      `getByRole('${role}'${options.name !== undefined ? `, ${String(options.name)}` : ''})`,
    );
  }
  getByText(text: string | RegExp, options: { exact?: boolean } = {}) {
    return this.then({ kind: 'text', text: probeText(text), ...(options.exact ? { exact: true } : {}) }, `getByText(${String(text)})`);
  }
  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}) {
    return this.then({ kind: 'label', text: probeText(text), ...(options.exact ? { exact: true } : {}) }, `getByLabel(${String(text)})`);
  }
  locator(selector: string) {
    return this.then({ kind: 'css', selector }, `locator('${selector}')`);
  }
  filter(options: { hasText?: string | RegExp; hasNotText?: string | RegExp; has?: OverlayLocator; hasNot?: OverlayLocator }) {
    return this.then(
      {
        kind: 'filter',
        ...(options.hasText !== undefined ? { hasText: probeText(options.hasText) } : {}),
        ...(options.hasNotText !== undefined ? { hasNotText: probeText(options.hasNotText) } : {}),
        ...(options.has ? { has: options.has.steps } : {}),
        ...(options.hasNot ? { hasNot: options.hasNot.steps } : {}),
      },
      'filter(…)',
    );
  }
  nth(index: number) {
    return this.then({ kind: 'nth', index }, `nth(${index})`);
  }
  first() {
    return this.nth(0);
  }
  last() {
    return this.nth(-1);
  }

  /** One look, no waiting. */
  read(): Promise<ProbeAnswer> {
    return this.driver.probe({ steps: this.steps, action: 'read' });
  }
  async count(): Promise<number> {
    return (await this.read()).matches.length;
  }
  async isVisible(): Promise<boolean> {
    const { matches } = await this.read();
    return matches.length === 1 && matches[0]!.visible;
  }
  async allTextContents(): Promise<string[]> {
    return (await this.read()).matches.map((match) => match.text);
  }
  /** Each match's attribute (null where it has none). */
  async attributeAll(name: string): Promise<(string | null)[]> {
    return (await this.read()).matches.map((match) => match.attributes[name] ?? null);
  }
  /** A field's value. */
  async inputValue(): Promise<string> {
    return (await this.single()).value ?? '';
  }
  /** Whether the one match has keyboard focus. */
  async isFocused(): Promise<boolean> {
    return (await this.single()).focused;
  }
  async textContent(): Promise<string> {
    return (await this.single()).text;
  }
  async getAttribute(name: string): Promise<string | null> {
    return (await this.single()).attributes[name] ?? null;
  }
  async boundingBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    return (await this.single()).rect;
  }
  async waitFor(options: { state?: 'attached' | 'visible' | 'detached' | 'hidden'; timeout?: number } = {}): Promise<void> {
    const state = options.state ?? 'visible';
    await this.until(
      (answer) => {
        const visible = answer.matches.length === 1 && answer.matches[0]!.visible;
        if (state === 'attached') return answer.matches.length > 0;
        if (state === 'detached') return answer.matches.length === 0;
        return state === 'visible' ? visible : !visible;
      },
      `to be ${state}`,
      options.timeout,
    );
  }

  /** A trusted click at the element's centre, once exactly one match is visible and nothing covers it. */
  async click(options: { timeout?: number } = {}): Promise<void> {
    // Like Playwright's "stable" check: scrolling lays out rows that skipped layout (content-visibility),
    // which can move the element after its point was read; click once two reads agree.
    const deadline = Date.now() + (options.timeout ?? ACTION_TIMEOUT);
    let point = await this.pointFor('point', options.timeout);
    for (;;) {
      await sleep(POLL_MS);
      const again = await this.pointFor('point', Math.max(deadline - Date.now(), POLL_MS));
      if (again.x === point.x && again.y === point.y) break;
      point = again;
    }
    await this.driver.click(point.x, point.y);
  }
  async scrollIntoViewIfNeeded(): Promise<void> {
    await this.pointFor('point');
  }
  async focus(): Promise<void> {
    await this.pointFor('focus');
  }
  /** Focuses the field, selects what it holds and types over it (trusted key events). */
  async fill(value: string): Promise<void> {
    await this.pointFor('focus');
    if (value) await this.driver.insertText(value);
    else await this.driver.press('Delete');
  }
  async press(key: string): Promise<void> {
    await this.pointFor('focus');
    await this.driver.press(key);
  }

  private async single(timeout = ACTION_TIMEOUT) {
    const answer = await this.until((read) => read.matches.length === 1, 'to match exactly one element', timeout);
    return answer.matches[0]!;
  }

  private async pointFor(action: 'point' | 'focus', timeout = ACTION_TIMEOUT): Promise<{ x: number; y: number }> {
    const deadline = Date.now() + timeout;
    let last = 'no answer';
    while (Date.now() < deadline) {
      const answer = await this.driver.probe({ steps: this.steps, action });
      if (answer.point && 'x' in answer.point) return answer.point;
      last = answer.point && 'error' in answer.point ? answer.point.error : answer.host ? 'no match' : 'no overlay on the page';
      await sleep(POLL_MS);
    }
    throw new Error(`${this.description}: could not ${action === 'point' ? 'click' : 'focus'} it within ${timeout} ms (${last}).`);
  }

  /** Polls until `check` holds; the last answer is returned, or the failure says what was seen. */
  async until(check: (answer: ProbeAnswer) => boolean, what: string, timeout = ACTION_TIMEOUT): Promise<ProbeAnswer> {
    const deadline = Date.now() + timeout;
    let answer = await this.read();
    while (!check(answer)) {
      if (Date.now() > deadline) throw new Error(`${this.description}: expected ${what} within ${timeout} ms; saw ${describeAnswer(answer)}.`);
      await sleep(POLL_MS);
      answer = await this.read();
    }
    return answer;
  }
}

export function describeAnswer(answer: ProbeAnswer): string {
  if (!answer.host) return 'no overlay on the page';
  if (!answer.matches.length) return 'no matching element';
  return answer.matches
    .slice(0, 3)
    .map((match) => JSON.stringify(match.text.slice(0, 200)))
    .join(', ')
    .concat(answer.matches.length > 3 ? ` and ${answer.matches.length - 3} more` : '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Chromium: the overlay is an extension page framed inside the PSA tab; Playwright reaches every
 * frame of a page, that one included, without going through the page's own world.
 */
class ChromiumDriver implements OverlayDriver {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  private frame(): Frame | undefined {
    return this.page.frames().find((frame) => frame.url().startsWith('chrome-extension://') && new URL(frame.url()).pathname === '/overlay-frame.html');
  }

  async probe(request: ProbeRequest): Promise<ProbeAnswer> {
    const frame = this.frame();
    if (!frame) return { host: false, matches: [] };
    try {
      const answer = (await frame.evaluate(`(${overlayProbe.toString()})(${JSON.stringify(request)})`)) as ProbeAnswer;
      if (!answer.host) return answer;
      // From the frame's coordinates to the page's.
      const box = await (await frame.frameElement()).boundingBox();
      const dx = box?.x ?? 0;
      const dy = box?.y ?? 0;
      for (const match of answer.matches) match.rect = { ...match.rect, x: match.rect.x + dx, y: match.rect.y + dy };
      if (answer.point && 'x' in answer.point) answer.point = { x: answer.point.x + dx, y: answer.point.y + dy };
      return answer;
    } catch (error) {
      // The frame went away mid-question (navigation): as if not there yet.
      if (/detached|destroyed|navigat|Target closed/i.test(String(error))) return { host: false, matches: [] };
      throw error;
    }
  }

  click(x: number, y: number) {
    return this.page.mouse.click(x, y);
  }
  insertText(text: string) {
    return this.page.keyboard.insertText(text);
  }
  press(key: string) {
    return this.page.keyboard.press(key);
  }
}

const drivers = new WeakMap<Page, OverlayDriver>();

/** Sidecar's overlay on this Playwright (Chromium) page, as a person sees and uses it. */
export function overlayOf(page: Page): OverlayLocator {
  let driver = drivers.get(page);
  if (!driver) drivers.set(page, (driver = new ChromiumDriver(page)));
  return new OverlayLocator(driver, [], 'overlay');
}
