/**
 * Halo's date-time wire format (docs/psa/halo.md#dates): UTC without a zone designator, .NET style —
 * `2026-05-13T18:01:50.347` (fraction trimmed, absent when zero). "Empty" dates are the sentinels
 * `1900-01-01T00:00:00` (most fields) or `0001-01-01T00:00:00` (a few, e.g. lastincomingemail).
 */

export const EMPTY_DATE = '1900-01-01T00:00:00';
export const EMPTY_DATE_0001 = '0001-01-01T00:00:00';
export const EMPTY_TIME = '00:00:00';

/** `YYYY-MM-DDTHH:MM:SS[.f…]` in UTC, trailing fractional zeros trimmed. */
export function haloDateTime(ms: number | Date): string {
  const iso = new Date(ms).toISOString(); // 2026-05-13T18:01:50.347Z
  const base = iso.slice(0, 19);
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return frac ? `${base}.${frac}` : base;
}

/** Midnight of the UTC day: `YYYY-MM-DDT00:00:00` (date-only fields such as start_date). */
export function haloDate(ms: number | Date): string {
  return `${new Date(ms).toISOString().slice(0, 10)}T00:00:00`;
}

/** Parse a Halo wire value (zone-less = UTC). Sentinels and garbage → NaN. */
export function parseHaloDate(value: unknown): number {
  if (typeof value !== 'string' || !value) return NaN;
  const withZone = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() <= 1900) return NaN;
  return ms;
}

/**
 * Query-string dates (docs/psa/halo.md#dates): `2026-08-01T06:30:00` (zone-less, UTC), `2026-08-01T06:30:00Z`,
 * `2026-08-01T06:30:00.000000Z`, or a plain date. NaN when unreadable.
 */
export function parseQueryDate(value: string | undefined): number {
  if (!value?.trim()) return NaN;
  let v = value.trim().replace(' ', 'T');
  // Python's %f gives 6 fractional digits; JS Date accepts at most 3 reliably.
  v = v.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) v += 'T00:00:00';
  if (!/(?:Z|[+-]\d\d:?\d\d)$/i.test(v)) v += 'Z';
  return Date.parse(v);
}
