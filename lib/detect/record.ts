/**
 * Small helpers shared by the PSAs' URL detectors (lib/psa/<kind>/page-url.ts).
 */
import type { DetectedPage, PageKind } from './types';

/** A page kind and, when the URL carries it, the record id. */
export interface HashPage {
  kind: PageKind;
  id?: string;
}

/**
 * Parse a positive 32-bit record id. Returns 0 for an explicit zero (ConnectWise opens a blank
 * "new record" form for recid=0, Halo uses it for new records too) and undefined when absent or
 * not an id at all.
 */
export function parseRecordId(raw: unknown): string | 0 | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  if (n === 0) return 0;
  return n <= 0x7fffffff ? String(n) : undefined;
}

export const OTHER: HashPage = { kind: 'other' };

/** First non-empty value of a query parameter, its name matched case-insensitively. */
export function queryParam(query: URLSearchParams, lowerName: string): string | undefined {
  for (const [key, value] of query) {
    if (value !== '' && key.toLowerCase() === lowerName) return value;
  }
  return undefined;
}

/**
 * A record page from the raw id the URL carries:
 * - no id at all: the list/board the record kind lives in → 'other';
 * - `0` or a negative number (Halo's `id=-1` new-record form) → 'other';
 * - a positive 32-bit decimal → the record with its canonical id;
 * - anything else (`abc`, too large): the record kind without an id, so the caller can read the
 *   DOM instead of giving up.
 */
export function recordOrList(kind: PageKind, raw: string | undefined): HashPage {
  if (raw === undefined) return OTHER;
  if (/^-\d{1,10}$/.test(raw)) return OTHER;
  const id = parseRecordId(raw);
  if (id === 0) return OTHER;
  return id === undefined ? { kind } : { kind, id };
}

export function toDetectedPage<K extends string>(psa: K, { kind, id }: HashPage): DetectedPage<K> {
  return kind === 'other' || id === undefined ? { psa, kind } : { psa, kind, id };
}

/** Lower-cased path segments with empty ones (`//`, trailing `/`) dropped. */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .toLowerCase()
    .split('/')
    .filter((s) => s !== '');
}

export function isWebUrl(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}
