import AxeBuilder from '@axe-core/playwright';
import type { Frame, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * What #18 holds every Sidecar screen to: no serious or critical axe-core finding, and no text
 * under 13 px. Extension pages are audited by @axe-core/playwright. The overlay's frame sits in a
 * closed shadow root, which axe in the PSA page cannot enter (and that page is not Sidecar's), so
 * the same axe-core build is run inside the frame itself.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const MIN_TEXT_PX = 13;

interface Finding {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const describe = (where: string, violations: Finding[]) =>
  violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `${where}: ${violation.id} (${violation.impact}) ${violation.help} at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    );

/** Visible text drawn smaller than 13 px, as "12px: SPAN “text”". */
function smallText(min: number): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim();
    const element = node.parentElement;
    if (!text || !element) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue; // not drawn (or visually hidden: read, not seen)
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < min) found.push(`${size}px: ${element.tagName} “${text.slice(0, 40)}”`);
  }
  return found;
}

/** An extension page's serious findings and small text; empty when it passes. */
export async function auditPage(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return [...describe(where, result.violations as Finding[]), ...(await page.evaluate(smallText, MIN_TEXT_PX)).map((line) => `${where}: ${line}`)];
}

/** The overlay frame's serious findings and small text; empty when it passes. */
export async function auditFrame(frame: Frame, where: string): Promise<string[]> {
  await frame.evaluate(AXE_SOURCE);
  const violations = (await frame.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } };
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as Finding[];
  return [...describe(where, violations), ...(await frame.evaluate(smallText, MIN_TEXT_PX)).map((line) => `${where}: ${line}`)];
}

/** The overlay's frame on a PSA page (see overlay/locator.ts). */
export function overlayFrame(page: Page): Frame {
  const frame = page
    .frames()
    .find((candidate) => candidate.url().startsWith('chrome-extension://') && new URL(candidate.url()).pathname === '/overlay-frame.html');
  if (!frame) throw new Error(`No Sidecar overlay frame on ${page.url()}`);
  return frame;
}

/** The background the person sees behind `selector`, as painted in the current colour scheme (not transparent). */
export async function paintedBackground(target: Page | Frame, selector: string): Promise<string> {
  return target.evaluate((css) => {
    for (let element = document.querySelector(css); element; element = element.parentElement) {
      const colour = getComputedStyle(element).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'transparent';
  }, selector);
}
