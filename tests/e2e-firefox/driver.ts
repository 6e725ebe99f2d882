import type { KeyInput, Page } from 'puppeteer-core';
import { OverlayLocator, type OverlayDriver } from '../e2e/overlay/locator';
import { overlayProbe, type ProbeAnswer, type ProbeRequest } from '../e2e/overlay/probe';

/**
 * Firefox's way into the overlay's closed shadow root (tests/e2e/overlay/locator.ts has
 * Chromium's). WebDriver BiDi only sees the page's own world, so the probe is run by the
 * extension itself: an extension page (any of Sidecar's own pages open in the browser, e.g. the
 * options page) asks `scripting.executeScript` to run it in the PSA tab's top frame. Firefox runs
 * it in Sidecar's content-script world there, the one that holds the genuine overlay host
 * (lib/content/overlay-mount.ts), where `element.openOrClosedShadowRoot()` opens the closed root.
 * The page's own world never holds a reference to the root.
 *
 * Input is trusted: puppeteer's mouse and keyboard go through BiDi's input.performActions, so the
 * overlay sees the same events a person's clicks and keys make.
 */
export class FirefoxDriver implements OverlayDriver {
  constructor(
    private readonly psa: Page,
    private readonly extensionPage: Page,
  ) {}

  async probe(request: ProbeRequest): Promise<ProbeAnswer> {
    // The PSA tab is found by the address it shows right now (BiDi's context ids are not tab ids).
    const url = await this.psa.evaluate(() => location.href).catch(() => null);
    if (!url) return { host: false, matches: [] }; // between two documents
    // One expression, evaluated by BiDi (extension pages' CSP forbids building a function from
    // text there; the probe's source is inlined instead, as the Chromium driver does).
    const expression = `(async () => {
      const probe = ${overlayProbe.toString()};
      const url = ${JSON.stringify(url)};
      const tabs = (await browser.tabs.query({})).filter((tab) => tab.url === url);
      if (tabs.length > 1) return { error: 'the overlay driver needs one tab at ' + url + ', found ' + tabs.length };
      if (!tabs.length) return { lost: 'the tab is changing address' };
      try {
        const [frame] = await browser.scripting.executeScript({ target: { tabId: tabs[0].id, frameIds: [0] }, func: probe, args: [${JSON.stringify(request)}] });
        if (frame && frame.error) return { error: 'Overlay probe failed: ' + String(frame.error && frame.error.message || frame.error) };
        return { answer: frame ? frame.result : undefined };
      } catch (error) {
        return { lost: String(error && error.message || error) };
      }
    })()`;
    const outcome = (await this.extensionPage.evaluate(expression)) as { answer?: ProbeAnswer; error?: string; lost?: string };
    if (outcome.error) throw new Error(outcome.error);
    // The tab is navigating (no document to run in yet), or the probe's world went with its page.
    if (outcome.lost || !outcome.answer) return { host: false, matches: [] };
    return outcome.answer;
  }

  async click(x: number, y: number) {
    await this.psa.bringToFront();
    await this.psa.mouse.click(x, y);
  }
  async insertText(text: string) {
    await this.psa.bringToFront();
    await this.psa.keyboard.type(text);
  }
  /** Playwright's key names, chords included ("Control+K"). */
  async press(key: string) {
    await this.psa.bringToFront();
    const keys = (key.length > 1 ? key.split('+') : [key]) as KeyInput[];
    const last = keys.pop()!;
    for (const modifier of keys) await this.psa.keyboard.down(modifier);
    await this.psa.keyboard.press(last);
    for (const modifier of keys.reverse()) await this.psa.keyboard.up(modifier);
  }
}

/** Sidecar's overlay on a Firefox (puppeteer) PSA page, reached through one of Sidecar's own pages. */
export function overlayOf(psa: Page, extensionPage: Page): OverlayLocator {
  return new OverlayLocator(new FirefoxDriver(psa, extensionPage), [], 'overlay');
}
