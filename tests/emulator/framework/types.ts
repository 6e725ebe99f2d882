import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
  method: string;
  url: URL;
  /** Raw pathname, percent-decoding left to the handler. */
  pathname: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Per-request context the server hands to the PSA module. */
export interface EmuContext {
  /** Public base URL (no trailing slash) used in hrefs and Link headers. */
  baseUrl: string;
  now: Date;
}

export function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()]; // node lower-cases incoming header names
  return Array.isArray(v) ? v[0] : v;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
