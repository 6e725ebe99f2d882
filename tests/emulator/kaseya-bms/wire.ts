import type { EmuResponse } from '../framework/types.ts';

/**
 * Wire conventions of the BMS API 2.0 (docs/psa/kaseya-bms.md#envelope, #property-casing, #dates-and-values): camelCase JSON, every body wrapped in
 * `{success, error, result}` (+ `totalRecords` on paged lists), dates ISO-8601 without offset.
 */

export interface ErrorInfo {
  code: number;
  message: string | null;
  details: string | null;
  stackStrace: string | null; // sic — vendor typo, part of the contract
  subErrors: string[];
}

export function bmsHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-cache',
    // [G] typical of an ASP.NET Core app behind IIS / Azure; no rate-limit headers (docs/psa/kaseya-bms.md#dates-and-values, #rate-limits).
    Server: 'Microsoft-IIS/10.0',
    'X-Powered-By': 'ASP.NET',
    'api-supported-versions': '2.0',
    ...extra,
  };
}

export function json(status: number, body: unknown, extra: Record<string, string> = {}): EmuResponse {
  return { status, headers: bmsHeaders(extra), body: JSON.stringify(body) };
}

/** `...Response` / `...ListResponse`: `{success, error, result}`. */
export function ok(result: unknown, extra: Record<string, string> = {}): EmuResponse {
  return json(200, { success: true, error: null, result }, extra);
}

/** `...PagedResponse`: the envelope plus `totalRecords` (key order of a real response, docs/psa/kaseya-bms.md#envelope). */
export function paged(result: unknown[], totalRecords: number): EmuResponse {
  return json(200, { totalRecords, success: true, error: null, result });
}

export function errorInfo(code: number, message: string, details: string | null = null, subErrors: string[] = []): ErrorInfo {
  return { code, message, details, stackStrace: null, subErrors };
}

/**
 * A business failure in the envelope. `asHttp200` = the spec's reading (every operation
 * declares only 200, failures as `success:false`); otherwise the HTTP status carries it too.
 */
export function fail(
  status: number,
  message: string,
  opts: { asHttp200?: boolean; details?: string | null; extra?: Record<string, string> } = {},
): EmuResponse {
  return json(opts.asHttp200 ? 200 : status, { success: false, error: errorInfo(status, message, opts.details ?? null), result: null }, opts.extra);
}

/** ASP.NET Core `[ApiController]` problem details (model binding / media type failures, docs/psa/kaseya-bms.md#errors). */
export function problem(status: number, title: string, errors?: Record<string, string[]>): EmuResponse {
  const type = status === 415 ? 'https://tools.ietf.org/html/rfc7231#section-6.5.13' : 'https://tools.ietf.org/html/rfc7231#section-6.5.1';
  const body: Record<string, unknown> = { type, title, status, traceId: `00-${hex(32)}-${hex(16)}-00` };
  if (errors) body.errors = errors;
  return { status, headers: bmsHeaders({ 'Content-Type': 'application/problem+json; charset=utf-8' }), body: JSON.stringify(body) };
}

/** Bare status without a body (what ASP.NET answers for unknown routes, wrong methods, 401s). */
export function empty(status: number, extra: Record<string, string> = {}): EmuResponse {
  const headers = bmsHeaders(extra);
  delete headers['Content-Type'];
  return { status, headers, body: '' };
}

function hex(n: number): string {
  let s = '';
  while (s.length < n)
    s += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, n);
}

/**
 * `2023-10-23T12:55:30.207`: UTC [G], no offset, fraction trimmed of trailing zeros and dropped
 * when zero (Newtonsoft's DateTime output, docs/psa/kaseya-bms.md#dates-and-values).
 */
export function bmsDate(v: Date | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const iso = new Date(v).toISOString(); // 2023-10-23T12:55:30.200Z
  const base = iso.slice(0, 19);
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return frac ? `${base}.${frac}` : base;
}

/** Parse a query/body date: offset-less values are taken as UTC (like the emitted ones). */
export function parseBmsDate(s: string): number {
  const t = s.trim();
  if (!t) return NaN;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(t);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  return Date.parse(dateOnly ? `${t}T00:00:00Z` : hasZone ? t : `${t}Z`);
}
