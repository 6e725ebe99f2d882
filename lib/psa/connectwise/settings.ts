import { z } from 'zod';

/**
 * What the user types on the options page for a ConnectWise integration, and how it is
 * normalised. The domain is the web UI host the technician uses (e.g. na.myconnectwise.net);
 * cloud API calls go to the `api-` host of the same name (docs/psa/connectwise.md#hosts).
 */

const CLOUD_UI_HOST = /^(?:[a-z0-9-]+\.myconnectwise\.net|staging\.connectwisedev\.com)$/i;
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const HOST_WITH_PORT = /^(?:\[::1\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i;

export interface NormalisedDomain {
  /** host[:port], lower case, no scheme or path. */
  host: string;
  scheme: 'https' | 'http';
  /** Tells the user what we changed, when we changed something. */
  note?: string;
}

export type DomainResult = { ok: true; value: NormalisedDomain } | { ok: false; error: string };

export function normaliseConnectwiseDomain(input: string): DomainResult {
  const raw = input.trim();
  if (!raw) return { ok: false, error: 'Enter your ConnectWise domain, for example na.myconnectwise.net.' };
  if (/\s/.test(raw)) return { ok: false, error: 'The domain cannot contain spaces.' };

  const notes: string[] = [];
  let explicitScheme: string | undefined;
  let hostPart: string;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (schemeMatch) {
    explicitScheme = schemeMatch[1]!.toLowerCase();
    if (explicitScheme !== 'https' && explicitScheme !== 'http') {
      return { ok: false, error: `"${explicitScheme}://" is not a web address. Enter a domain such as na.myconnectwise.net.` };
    }
    hostPart = raw.slice(schemeMatch[0].length);
  } else {
    hostPart = raw.replace(/^\/\//, ''); // a scheme-relative paste: //na.myconnectwise.net
  }
  const pathStart = hostPart.search(/[/?#]/);
  const hadPath = pathStart >= 0 && hostPart.slice(pathStart).replace(/^\/+$/, '') !== '';
  if (pathStart >= 0) hostPart = hostPart.slice(0, pathStart);
  if (hostPart.includes('@')) return { ok: false, error: 'Enter only the domain, without a user name.' };
  let host = hostPart.toLowerCase().replace(/\.$/, '');
  if (host.length > 253) return { ok: false, error: 'That domain is too long: a domain has at most 253 characters.' };
  if (!HOST_WITH_PORT.test(host)) return { ok: false, error: `"${hostPart}" is not a valid domain.` };
  // The browser reports pages without a default port, and refuses a port past 65535.
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined) {
    if (Number(port) < 1 || Number(port) > 65_535) return { ok: false, error: `${port} is not a port number (1–65535).` };
    const defaultPort = explicitScheme === 'http' ? '80' : '443';
    if (port === defaultPort || (!explicitScheme && port === '443')) host = host.replace(/:\d+$/, '');
  }
  const bareHost = host.replace(/:\d+$/, '');
  if (!bareHost.includes('.') && !LOOPBACK_HOST.test(bareHost)) {
    return { ok: false, error: `"${hostPart}" is not a full domain. Enter it as it appears in your browser, e.g. na.myconnectwise.net.` };
  }
  if (/^api-/.test(host) && CLOUD_UI_HOST.test(host.slice(4))) {
    host = host.slice(4);
    notes.push(`Using ${host}: enter the address you open ConnectWise at, Sidecar finds the API host itself.`);
  }

  const loopback = LOOPBACK_HOST.test(bareHost);
  const scheme: 'https' | 'http' = loopback && explicitScheme !== 'https' ? 'http' : 'https';
  if (explicitScheme || hadPath) {
    notes.unshift(
      `Saved as ${host}: Sidecar needs only the domain${explicitScheme === 'http' && scheme === 'https' ? ' and always connects over HTTPS' : ''}.`,
    );
  }
  return { ok: true, value: { host, scheme, ...(notes.length ? { note: notes.join(' ') } : {}) } };
}

/** Cloud UI hosts have their API on `api-<host>`; on-premises servers serve both on one host. */
export function connectwiseApiHost(uiHost: string): string {
  const bare = uiHost.replace(/:\d+$/, '');
  return CLOUD_UI_HOST.test(bare) ? `api-${uiHost}` : uiHost;
}

const trimmed = (label: string, max: number) =>
  z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1, `${label} is required.`).max(max, `${label} is too long.`).regex(/^\S+$/, `${label} cannot contain spaces.`));

export const connectwiseCredentialsSchema = z.object({
  publicKey: trimmed('Public key', 200),
  privateKey: trimmed('Private key', 200),
  clientId: trimmed('Client ID', 100).pipe(
    z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        'Client ID is a GUID such as 1c2d3e4f-1111-2222-3333-444455556666, from developer.connectwise.com.',
      ),
  ),
});
export type ConnectwiseCredentials = z.infer<typeof connectwiseCredentialsSchema>;

export const connectwiseSettingsSchema = z.object({
  host: z.string().min(1),
  scheme: z.enum(['https', 'http']),
  companyId: trimmed('Company ID', 100),
  /** From /login/companyinfo, e.g. "v2025_1/". Known after the first successful test. */
  codebase: z
    .string()
    .regex(/^v[0-9a-z_]+\/$/i)
    .optional(),
});
export type ConnectwiseSettings = z.infer<typeof connectwiseSettingsSchema>;

/** The form as typed: every field a string, before normalisation. */
export const connectwiseFormSchema = z.object({
  domain: z.string(),
  companyId: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
  clientId: z.string(),
});
export type ConnectwiseForm = z.infer<typeof connectwiseFormSchema>;

export type FieldErrors = Partial<Record<keyof ConnectwiseForm, string>>;

/** Validates the whole form at once so every bad field gets its own message. */
export function parseConnectwiseForm(
  form: ConnectwiseForm,
): { ok: true; settings: ConnectwiseSettings; credentials: ConnectwiseCredentials; note?: string } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const domain = normaliseConnectwiseDomain(form.domain);
  if (!domain.ok) errors.domain = domain.error;
  const companyId = connectwiseSettingsSchema.shape.companyId.safeParse(form.companyId);
  if (!companyId.success) errors.companyId = companyId.error.issues[0]?.message;
  const credentials = connectwiseCredentialsSchema.safeParse(form);
  if (!credentials.success) {
    for (const issue of credentials.error.issues) {
      const field = issue.path[0] as keyof ConnectwiseForm;
      errors[field] ??= issue.message;
    }
  }
  if (!domain.ok || !companyId.success || !credentials.success) return { ok: false, errors };
  return {
    ok: true,
    settings: { host: domain.value.host, scheme: domain.value.scheme, companyId: companyId.data },
    credentials: credentials.data,
    ...(domain.value.note ? { note: domain.value.note } : {}),
  };
}
