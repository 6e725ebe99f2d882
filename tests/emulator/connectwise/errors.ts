import type { EmuResponse } from '../framework/types.ts';

export interface CwErrorItem {
  code: string;
  message: string;
  resource?: string;
  field?: string;
}

/** Common response headers of the ConnectWise API (docs/psa/connectwise.md#response-headers). */
export function cwHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    Server: 'Microsoft-IIS/10.0',
    'x-server-name': 'CWEMU01',
    'x-cw-request-id': crypto.randomUUID(),
    'api-current-version': CW_API_VERSION,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    ...extra,
  };
}

export const CW_API_VERSION = '2025.8';

/** `{code, message, errors?}` with `/` escaped as `\/` in the JSON text, as ConnectWise writes it. */
export function cwError(status: number, code: string, message: string, errors?: CwErrorItem[]): EmuResponse {
  const body: Record<string, unknown> = { code, message };
  if (errors) body.errors = errors;
  return { status, headers: cwHeaders(), body: JSON.stringify(body).replace(/\//g, '\\/') };
}

export function cwJson(status: number, body: unknown, extra: Record<string, string> = {}): EmuResponse {
  return { status, headers: cwHeaders(extra), body: JSON.stringify(body) };
}
