import { expect as playwrightExpect } from '@playwright/test';
import { describeAnswer, OverlayLocator } from './locator.ts';
import type { ProbeAnswer, ProbeMatch } from './probe.ts';

/**
 * Playwright's web-first assertions, also for overlay locators (./locator.ts): the same names and
 * meanings (retried until the timeout, whitespace normalised, one element for text and attribute
 * checks). Anything else is handed to Playwright's own matcher unchanged.
 */

const DEFAULT_TIMEOUT = 15_000;
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

type Context = { isNot: boolean };
type Outcome = { pass: boolean; message: () => string };

async function delegate(context: Context, received: unknown, matcher: string, args: unknown[]): Promise<Outcome> {
  const base = playwrightExpect(received) as unknown as Record<string, unknown> & { not: Record<string, unknown> };
  const target = (context.isNot ? base.not : base) as Record<string, (...args: unknown[]) => Promise<void>>;
  await target[matcher]!(...args);
  return { pass: !context.isNot, message: () => '' };
}

/** Retries `holds` on fresh answers until it agrees with the assertion's sense (`.not` or not). */
async function poll(context: Context, locator: OverlayLocator, holds: (answer: ProbeAnswer) => boolean, what: string, timeout?: number): Promise<Outcome> {
  const deadline = Date.now() + (timeout ?? DEFAULT_TIMEOUT);
  let answer = await locator.read();
  while (holds(answer) === context.isNot && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await locator.read();
  }
  const pass = holds(answer);
  return {
    pass,
    message: () => `${locator.description}: expected ${context.isNot ? 'not ' : ''}${what}; saw ${describeAnswer(answer)}.`,
  };
}

const one = (answer: ProbeAnswer): ProbeMatch | undefined => (answer.matches.length === 1 ? answer.matches[0] : undefined);
const textMatches = (actual: string, expected: string | RegExp, contains: boolean) =>
  typeof expected === 'string' ? (contains ? actual.includes(normalise(expected)) : actual === normalise(expected)) : expected.test(actual);

export const expect = playwrightExpect.extend({
  async toHaveText(this: Context, received: unknown, expected: string | RegExp, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toHaveText', [expected, options]);
    return poll(
      this,
      received,
      (answer) => !!one(answer) && textMatches(one(answer)!.text, expected, false),
      `to have text ${String(expected)}`,
      options?.timeout,
    );
  },
  async toContainText(this: Context, received: unknown, expected: string | RegExp, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toContainText', [expected, options]);
    return poll(
      this,
      received,
      (answer) => !!one(answer) && textMatches(one(answer)!.text, expected, true),
      `to contain text ${String(expected)}`,
      options?.timeout,
    );
  },
  async toHaveAttribute(this: Context, received: unknown, name: string, value?: string | RegExp, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toHaveAttribute', value === undefined ? [name] : [name, value, options]);
    const check = (answer: ProbeAnswer) => {
      const actual = one(answer)?.attributes[name];
      if (actual === undefined) return false;
      return value === undefined || (typeof value === 'string' ? actual === value : value.test(actual));
    };
    return poll(this, received, check, `to have attribute ${name}${value === undefined ? '' : `=${String(value)}`}`, options?.timeout);
  },
  async toHaveCount(this: Context, received: unknown, count: number, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toHaveCount', [count, options]);
    return poll(this, received, (answer) => answer.matches.length === count, `to have ${count} element(s)`, options?.timeout);
  },
  async toBeVisible(this: Context, received: unknown, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toBeVisible', [options]);
    return poll(this, received, (answer) => !!one(answer)?.visible, 'to be visible', options?.timeout);
  },
  async toBeHidden(this: Context, received: unknown, options?: { timeout?: number }) {
    if (!(received instanceof OverlayLocator)) return delegate(this, received, 'toBeHidden', [options]);
    return poll(this, received, (answer) => !answer.matches.some((match) => match.visible), 'to be hidden', options?.timeout);
  },
});
