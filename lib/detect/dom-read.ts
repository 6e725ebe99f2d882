/**
 * Defensive reads of a page's DOM for the PSAs' DOM detectors and ticket hints: only
 * `querySelector`, `textContent`, `getAttribute` and `value`, each checked, so a hostile or
 * half-built page (or a tiny test fake) cannot make them throw for the wrong reason.
 */
import { parseRecordId } from './record';

/** The minimal document this needs (a real `document`, a linkedom one, or a test fake). */
export type QueryableDocument = Pick<Document, 'querySelector'>;

export function exists(doc: QueryableDocument, selector: string): boolean {
  return doc.querySelector(selector) != null;
}

export function text(doc: QueryableDocument, selector: string): string | undefined {
  const value: unknown = doc.querySelector(selector)?.textContent;
  return typeof value === 'string' ? value : undefined;
}

export function attribute(doc: QueryableDocument, selector: string, name: string): string | undefined {
  const element = doc.querySelector(selector);
  if (element == null || typeof element.getAttribute !== 'function') return undefined;
  const value: unknown = element.getAttribute(name);
  return typeof value === 'string' ? value : undefined;
}

/** The record id `pattern`'s first group finds in `value` (read up to 2,000 characters), if any. */
export function idFrom(value: string | undefined, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  const id = parseRecordId(pattern.exec(value.slice(0, 2_000))?.[1]);
  return id === 0 ? undefined : id;
}

const MAX_HINT = 200;

const clean = (value: string | null | undefined) => {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, MAX_HINT) : undefined;
};

/** The first non-blank value `read` finds under the selectors, tidied and capped. */
export function firstValue(doc: QueryableDocument, selectors: string[], read: (element: Element) => string | null | undefined): string | undefined {
  for (const selector of selectors) {
    const element = doc.querySelector(selector);
    const value = element ? clean(read(element)) : undefined;
    if (value) return value;
  }
  return undefined;
}

export const inputValue = (element: Element) => (element as HTMLInputElement).value ?? element.getAttribute('value');
export const textContent = (element: Element) => element.textContent;
