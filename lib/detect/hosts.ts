/**
 * Which PSA a host belongs to, for the PSAs whose paths are too generic to recognise on any host
 * (HaloPSA, Kaseya BMS). ConnectWise does not use this: its paths decide (connectwise.ts).
 *
 * Order: a known vendor host always belongs to its vendor (a context entry cannot relabel
 * `acme.halopsa.com`), then the first context entry whose host matches. So a URL is claimed by at
 * most one host-based detector.
 */
import type { PsaKind } from '../psa/types';
import type { DetectContext } from './types';

/** halo-api.md §1: the agent app runs on `{tenant}.<domain>` for the three sister products. */
export const HALO_DOMAINS = ['halopsa.com', 'haloitsm.com', 'haloservicedesk.com'] as const;

/**
 * kaseya-bms-api.md §1: the web UI ("gateway") hosts. Each serves its REST API on `api.` + host,
 * which is not in this list and so is never a page.
 */
export const KASEYA_BMS_HOSTS = [
  'bms.kaseya.com',
  'bmsemea.kaseya.com',
  'bmsapac.kaseya.com',
  'na1bmspreview.kaseya.com',
  'psa.pulseway.com', // Pulseway PSA: same code base, same paths [I]
  // Vorex (legacy brand). UNCONFIRMED: the reference only guesses this UI host ([G]).
  'vorexlogin.com',
  'www.vorexlogin.com',
] as const;

/** `{tenant}.halopsa.com` etc. The bare domain and `www.` are Halo's own website, not an app. */
export function isHaloHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return HALO_DOMAINS.some((domain) => {
    if (!host.endsWith(`.${domain}`)) return false;
    const tenant = host.slice(0, -domain.length - 1);
    return tenant !== 'www' && !tenant.endsWith('.');
  });
}

/** Exactly one of the Kaseya BMS / Pulseway PSA web UI hosts. */
export function isKaseyaBmsHost(hostname: string): boolean {
  return (KASEYA_BMS_HOSTS as readonly string[]).includes(hostname.toLowerCase());
}

/** The PSA whose vendor domain `hostname` is, if any. */
export function vendorPsa(hostname: string): PsaKind | undefined {
  if (isHaloHost(hostname)) return 'halo';
  if (isKaseyaBmsHost(hostname)) return 'kaseya-bms';
  return undefined;
}

/** The PSA that owns `url`'s host: its vendor, else the first matching context entry. */
export function hostPsa(url: URL, context?: DetectContext): PsaKind | undefined {
  return vendorPsa(url.hostname) ?? contextPsa(url, context);
}

/** The PSA of the first context entry whose host matches `url`'s host (and port). */
export function contextPsa(url: URL, context?: DetectContext): PsaKind | undefined {
  const hosts: unknown = context?.hosts;
  if (!Array.isArray(hosts)) return undefined; // untyped callers
  const port = url.port === '' ? defaultPort(url.protocol) : url.port;
  for (const entry of hosts as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { host, psa } = entry as { host?: unknown; psa?: unknown };
    if (typeof psa !== 'string' || !isPsaKind(psa) || typeof host !== 'string') continue;
    const parsed = parseHost(host);
    if (parsed === undefined || parsed.hostname !== url.hostname) continue;
    if (parsed.port === undefined ? url.port === '' : parsed.port === port) return psa;
  }
  return undefined;
}

function isPsaKind(value: string): value is PsaKind {
  return value === 'connectwise' || value === 'halo' || value === 'kaseya-bms';
}

function defaultPort(protocol: string): string {
  if (protocol === 'https:') return '443';
  if (protocol === 'http:') return '80';
  return '';
}

/**
 * `host[:port]` → the hostname exactly as URL would spell it (lower case, punycode, IPv6 in
 * brackets) and the port as a canonical decimal. Undefined when it is no host at all.
 */
export function parseHost(entry: string): { hostname: string; port?: string } | undefined {
  const text = entry.trim();
  if (text === '' || text.length > 300) return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:/?#@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  if (match === null) return undefined;
  const [, name = '', rawPort] = match;
  let hostname: string;
  try {
    const probe = new URL(`http://${name}/`);
    if (probe.port !== '' || probe.pathname !== '/') return undefined;
    hostname = probe.hostname;
  } catch {
    return undefined;
  }
  if (rawPort === undefined) return { hostname };
  const port = Number(rawPort);
  if (port < 1 || port > 65_535) return undefined;
  return { hostname, port: String(port) };
}
