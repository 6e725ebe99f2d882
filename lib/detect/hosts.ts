/**
 * Host matching for the PSAs whose paths are too generic to recognise on any host (HaloPSA,
 * Kaseya BMS): the hosts a user configured for a PSA (DetectContext). Which PSA owns a host
 * overall (vendor domains first) is page-detection.ts's; the vendor domains are in each PSA's
 * folder (lib/psa/<kind>/hosts.ts).
 */
import type { DetectContext } from './types';

/** The PSA of the first context entry whose host matches `url`'s host (and port), if `isKind` knows it. */
export function contextHostOwner<K extends string>(url: URL, context: DetectContext<string> | undefined, isKind: (value: string) => value is K): K | undefined {
  const hosts: unknown = context?.hosts;
  if (!Array.isArray(hosts)) return undefined; // untyped callers
  const port = url.port === '' ? defaultPort(url.protocol) : url.port;
  for (const entry of hosts as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { host, psa } = entry as { host?: unknown; psa?: unknown };
    if (typeof psa !== 'string' || !isKind(psa) || typeof host !== 'string') continue;
    const parsed = parseHost(host);
    if (parsed === undefined || parsed.hostname !== url.hostname) continue;
    if (parsed.port === undefined ? url.port === '' : parsed.port === port) return psa;
  }
  return undefined;
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
