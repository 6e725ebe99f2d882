import type { EmuRequest, EmuResponse } from './types.ts';

export type MalformedKind = 'truncated' | 'non-json' | 'html';

export interface FaultSpec {
  method?: string;
  /** Matched against the pathname, case-insensitive (a string matches as a substring). */
  path?: string | RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  malformed?: MalformedKind;
  /**
   * Only requests whose query string has these parameters (names case-insensitive): a string
   * must equal the value, a RegExp must match it, null means the parameter is absent.
   * E.g. `{ page_no: '2' }` for a list's second page.
   */
  query?: Record<string, string | RegExp | null>;
  /**
   * Runs when the fault fires, before the request is answered (in-process only): change the data
   * between two page requests, revoke credentials or expire tokens mid-sync. Without a status,
   * body, malformed or transform the request is then answered normally, seeing the change.
   */
  effect?: (req: EmuRequest) => void;
  /**
   * Rewrites the real answer's JSON body (in-process only): repeat or drop rows of a page, corrupt
   * one record. The status and headers stay; a body that is not JSON is left alone.
   */
  transform?: (body: unknown, req: EmuRequest) => unknown;
  /** Never answer: the connection stays open until the client gives up or the emulator closes. */
  hang?: boolean;
  /**
   * Handle the request (a POST creates its record) and then never answer: the client times out
   * although the server did the work, as when a reply is lost on the way back.
   */
  hangAfterHandling?: boolean;
  /** Drop the connection without an answer (a reset, as a failing proxy or network does). */
  reset?: boolean;
  /** How many matching requests the fault applies to; default 1. Infinity = until cleared. */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultList {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  count(): number {
    return this.faults.length;
  }

  /** First matching fault, consuming one use. */
  take(method: string, pathname: string, query?: URLSearchParams): FaultSpec | undefined {
    const idx = this.faults.findIndex((f) => matches(f, method, pathname, query));
    if (idx < 0) return undefined;
    const fault = this.faults[idx] as ActiveFault;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(idx, 1);
    return fault;
  }
}

function matches(f: FaultSpec, method: string, pathname: string, query?: URLSearchParams): boolean {
  if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
  if (f.query && !matchesQuery(f.query, query)) return false;
  if (f.path === undefined) return true;
  if (typeof f.path === 'string') return pathname.toLowerCase().includes(f.path.toLowerCase());
  const re = f.path.flags.includes('i') ? f.path : new RegExp(f.path.source, f.path.flags + 'i');
  re.lastIndex = 0;
  return re.test(pathname);
}

function matchesQuery(wanted: Record<string, string | RegExp | null>, query: URLSearchParams | undefined): boolean {
  const values = new Map<string, string>();
  for (const [name, value] of query ?? []) if (!values.has(name.toLowerCase())) values.set(name.toLowerCase(), value);
  return Object.entries(wanted).every(([name, expected]) => {
    const value = values.get(name.toLowerCase());
    if (expected === null) return value === undefined;
    if (value === undefined) return false;
    if (typeof expected === 'string') return value === expected;
    expected.lastIndex = 0;
    return expected.test(value);
  });
}

/** Does the fault change the real response (vs. only running its effect)? */
export function altersResponse(f: FaultSpec): boolean {
  return replacesResponse(f) || f.malformed !== undefined || f.headers !== undefined || f.transform !== undefined;
}

/** Does the fault replace the response entirely (vs. corrupting the real one)? */
export function replacesResponse(f: FaultSpec): boolean {
  return f.status !== undefined || f.body !== undefined || f.malformed === 'html';
}

const IIS_ERROR_PAGE = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Service Unavailable</title></head>
<body><div id="header"><h1>Server Error</h1></div>
<div id="content"><h2>503 - Service Unavailable</h2>
<h3>The service is temporarily unavailable. Please try again later.</h3></div></body></html>`;

/**
 * Build the faulted response. `real` is the response the emulator would have sent (for
 * corrupting it); faults with a status/body replace it.
 */
export function applyFault(f: FaultSpec, real: EmuResponse | null, req?: EmuRequest): EmuResponse {
  const headers: Record<string, string> = { ...(real?.headers ?? {}) };
  let status = f.status ?? real?.status ?? 500;
  let body: string;
  if (f.malformed === 'html') {
    // A load balancer / IIS page in front of the API: HTML where JSON was expected.
    status = f.status ?? 503;
    headers['Content-Type'] = 'text/html; charset=utf-8';
    delete headers['Link'];
    body = IIS_ERROR_PAGE;
  } else if (f.body !== undefined) {
    body = typeof f.body === 'string' ? f.body : JSON.stringify(f.body);
    if (!headers['Content-Type']) headers['Content-Type'] = 'application/json; charset=utf-8';
  } else {
    body = real?.body ?? JSON.stringify({ code: 'InternalServerError', message: 'An error has occurred.' });
    if (!headers['Content-Type']) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  if (f.transform && real && req) body = transformJson(body, f.transform, req);
  if (f.malformed === 'truncated') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  // Plain text seen from a real instance whose routing failed (docs/psa/connectwise.md#errors).
  if (f.malformed === 'non-json') body = 'Cannot route. Codebase/company is invalid';
  return { status, headers: { ...headers, ...(f.headers ?? {}) }, body };
}

function transformJson(body: string, transform: NonNullable<FaultSpec['transform']>, req: EmuRequest): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  return JSON.stringify(transform(parsed, req));
}
