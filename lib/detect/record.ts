/**
 * Small helpers shared by the query-string based detectors (halo.ts, kaseya-bms.ts).
 */
import { parseRecordId, type HashPage } from './connectwise-hash';
import type { DetectedPage, PageKind } from './types';

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
  return url.pathname.toLowerCase().split('/').filter((s) => s !== '');
}

export function isWebUrl(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}
