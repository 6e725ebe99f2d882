import { z } from 'zod';
import type { FormValues } from '../form';
import { normaliseServerUrl } from '../server-url';

/**
 * HaloPSA integration settings (docs/psa/halo.md#hosts, #authentication): the resource server is the web app's origin
 * (API at /api), the authorisation server is found from /api/authinfo unless overridden (and used
 * only on the resource server's origin or the overriding one: auth-server.ts), and the tenant is
 * needed for hosted Halo only.
 */

export const haloSettingsSchema = z.object({
  /** e.g. https://acme.halopsa.com */
  resourceOrigin: z.string().url(),
  /** User override, e.g. https://acme.halopsa.com/auth */
  authServer: z.string().url().optional(),
  tenant: z.string().optional(),
  /** Discovered by the connection test from /api/authinfo. */
  authUrl: z.string().url().optional(),
});
export type HaloSettings = z.infer<typeof haloSettingsSchema>;

export const haloCredentialsSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type HaloCredentials = z.infer<typeof haloCredentialsSchema>;

export function normaliseResourceServer(input: string) {
  const result = normaliseServerUrl(input, 'resource server', 'https://acme.halopsa.com');
  // "…/api" and "…/" are what admins copy from Halo's API details; both mean the web app.
  if (result.ok && result.value.note && /\/api\/?$/i.test(input.trim()) && !/\/api\/.+/i.test(input.trim())) {
    return { ok: true as const, value: { ...result.value, note: `Saved as ${result.value.origin}: Sidecar adds /api itself.` } };
  }
  return result;
}

export function normaliseAuthServer(input: string): { ok: true; value?: string } | { ok: false; error: string } {
  const raw = input.trim();
  if (!raw) return { ok: true };
  const address = normaliseServerUrl(raw, 'authorisation server', 'https://acme.halopsa.com/auth');
  if (!address.ok) return address;
  const path = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`).pathname.replace(/\/+$/, '') || '/auth';
  return { ok: true, value: `${address.value.origin}${path}` };
}

const credential = (label: string, value: string | undefined) => {
  const trimmed = (value ?? '').trim();
  if (!trimmed) return { error: `${label} is required.` };
  if (/\s/.test(trimmed)) return { error: `${label} cannot contain spaces.` };
  if (trimmed.length > 500) return { error: `${label} is too long.` };
  return { value: trimmed };
};

export function parseHaloForm(
  values: FormValues,
): { ok: true; settings: HaloSettings; credentials: HaloCredentials; note?: string } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const resource = normaliseResourceServer(values.resourceServer ?? '');
  if (!resource.ok) errors.resourceServer = resource.error;
  const auth = normaliseAuthServer(values.authServer ?? '');
  if (!auth.ok) errors.authServer = auth.error;
  const tenant = (values.tenant ?? '').trim();
  if (/\s/.test(tenant)) errors.tenant = 'The tenant cannot contain spaces.';
  const clientId = credential('Client ID', values.clientId);
  if (clientId.error) errors.clientId = clientId.error;
  const clientSecret = credential('Client secret', values.clientSecret);
  if (clientSecret.error) errors.clientSecret = clientSecret.error;
  if (!resource.ok || !auth.ok || Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    settings: { resourceOrigin: resource.value.origin, ...(auth.value ? { authServer: auth.value } : {}), ...(tenant ? { tenant } : {}) },
    credentials: { clientId: clientId.value!, clientSecret: clientSecret.value! },
    ...(resource.value.note ? { note: resource.value.note } : {}),
  };
}
