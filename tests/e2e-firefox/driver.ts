import type { Frame, KeyInput, Page } from 'puppeteer-core';
import { OverlayLocator, type OverlayDriver } from '../e2e/overlay/locator';
import { overlayProbe, type ProbeAnswer, type ProbeRequest } from '../e2e/overlay/probe';

/**
 * Firefox's way into the overlay (tests/e2e/overlay/locator.ts has Chromium's). The overlay is
 * Sidecar's own page framed inside the PSA tab's closed shadow root (lib/content/overlay-mount.ts);
 * WebDriver BiDi lists that frame among the tab's frames, so the probe runs in it directly, never
 * in the page's own world, and its rects are moved onto the page by the iframe's place.
 *
 * Input is trusted: puppeteer's mouse and keyboard go through BiDi's input.performActions, so the
 * overlay sees the same events a person's clicks and keys make.
 */
export class FirefoxDriver implements OverlayDriver {
  private readonly psa: Page;

  constructor(psa: Page) {
    this.psa = psa;
  }

  /**
   * The overlay's frame: the child frame whose document is Sidecar's overlay page. Found by asking
   * each child frame, since BiDi may still report an extension frame's first address (about:blank).
   */
  private async frame(): Promise<Frame | undefined> {
    for (const frame of this.psa.frames()) {
      if (frame === this.psa.mainFrame()) continue;
      const isOverlay = await frame
        .evaluate(() => location.protocol === 'moz-extension:' && document.documentElement.hasAttribute('data-sidecar-frame'))
        .catch(() => false);
      if (isOverlay) return frame;
    }
    return undefined;
  }

  async probe(request: ProbeRequest): Promise<ProbeAnswer> {
    const frame = await this.frame();
    if (!frame) return { host: false, matches: [] };
    try {
      const answer = (await frame.evaluate(`(${overlayProbe.toString()})(${JSON.stringify(request)})`)) as ProbeAnswer;
      if (!answer.host) return answer;
      // The frame's own coordinates, onto the page: where the iframe sits, as Firefox reports both on screen.
      const [frameScreen, pageScreen] = await Promise.all([
        frame.evaluate(() => ({
          x: (window as unknown as { mozInnerScreenX: number }).mozInnerScreenX,
          y: (window as unknown as { mozInnerScreenY: number }).mozInnerScreenY,
        })),
        this.psa.evaluate(() => ({
          x: (window as unknown as { mozInnerScreenX: number }).mozInnerScreenX,
          y: (window as unknown as { mozInnerScreenY: number }).mozInnerScreenY,
        })),
      ]);
      const dx = frameScreen.x - pageScreen.x;
      const dy = frameScreen.y - pageScreen.y;
      for (const match of answer.matches) match.rect = { ...match.rect, x: match.rect.x + dx, y: match.rect.y + dy };
      if (answer.point && 'x' in answer.point) answer.point = { x: answer.point.x + dx, y: answer.point.y + dy };
      return answer;
    } catch (error) {
      // The frame went with its page (navigation): as if not there yet.
      if (/detached|destroyed|discarded|navigat|no such frame|closed/i.test(String(error))) return { host: false, matches: [] };
      throw error;
    }
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

/** Sidecar's overlay on a Firefox (puppeteer) PSA page. */
export function overlayOf(psa: Page): OverlayLocator {
  return new OverlayLocator(new FirefoxDriver(psa), [], 'overlay');
}
