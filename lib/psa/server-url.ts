/**
 * Normalises what a user pastes as a PSA server address: a bare host, a full URL with a path,
 * a trailing slash. Loopback addresses (our emulators, a local test server) may use http;
 * everything else is https.
 */
export interface ServerAddress {
  /** e.g. https://acme.halopsa.com (no trailing slash) */
  origin: string;
  /** host[:port], lower case */
  host: string;
  note?: string;
}

export type ServerAddressResult = { ok: true; value: ServerAddress } | { ok: false; error: string };

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
const HOST = /^(?:\[::1\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export function normaliseServerUrl(input: string, what: string, example: string): ServerAddressResult {
  const raw = input.trim();
  if (!raw) return { ok: false, error: `Enter the ${what}, for example ${example}.` };
  if (/\s/.test(raw)) return { ok: false, error: `The ${what} cannot contain spaces.` };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'https' && scheme !== 'http') return { ok: false, error: `"${scheme}://" is not a web address. Enter something like ${example}.` };
  let url: URL;
  try {
    url = new URL(scheme ? raw : `https://${raw}`);
  } catch {
    return { ok: false, error: `"${raw}" is not a valid address.` };
  }
  if (url.username || url.password) return { ok: false, error: `Enter the ${what} without a user name or password.` };
  const host = url.host.toLowerCase();
  if (!HOST.test(host)) return { ok: false, error: `"${raw}" is not a valid address.` };
  if (!host.replace(/:\d+$/, '').includes('.') && !isLoopbackHost(host)) {
    return { ok: false, error: `"${raw}" is not a full domain. Enter it as it appears in your browser, e.g. ${example}.` };
  }
  const loopback = isLoopbackHost(host);
  const finalScheme = loopback && scheme !== 'https' ? 'http' : 'https';
  const changed = (scheme && scheme !== finalScheme) || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash;
  const origin = `${finalScheme}://${host}`;
  return { ok: true, value: { origin, host, ...(changed ? { note: `Saved as ${origin}.` } : {}) } };
}
