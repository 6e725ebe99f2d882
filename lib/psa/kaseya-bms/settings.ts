import { z } from 'zod';
import type { FormValues } from '../form';
import { isLoopbackHost, normaliseServerUrl } from '../server-url';

/**
 * Kaseya BMS / Pulseway PSA settings (docs/psa/kaseya-bms.md#hosts, #authentication): the web ("gateway") host the
 * technician uses, the API on `api.` + that host, the tenant (company name, spaces allowed) and
 * an API Employee's user name and password.
 */

export const BMS_REGIONS = [
  { value: 'bms.kaseya.com', label: 'Kaseya BMS — US (bms.kaseya.com)' },
  { value: 'bmsemea.kaseya.com', label: 'Kaseya BMS — EMEA (bmsemea.kaseya.com)' },
  { value: 'bmsapac.kaseya.com', label: 'Kaseya BMS — APAC (bmsapac.kaseya.com)' },
  { value: 'na1bmspreview.kaseya.com', label: 'Kaseya BMS — NA1 preview (na1bmspreview.kaseya.com)' },
  { value: 'psa.pulseway.com', label: 'Pulseway PSA (psa.pulseway.com)' },
  { value: 'custom', label: 'Custom domain' },
] as const;

export const bmsSettingsSchema = z.object({
  /** e.g. https://bms.kaseya.com */
  uiOrigin: z.string().url(),
  /** e.g. https://api.bms.kaseya.com */
  apiOrigin: z.string().url(),
  tenant: z.string().min(1),
});
export type BmsSettings = z.infer<typeof bmsSettingsSchema>;

export const bmsCredentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });
export type BmsCredentials = z.infer<typeof bmsCredentialsSchema>;

/** API host = `api.` + the web host (docs/psa/kaseya-bms.md#hosts); loopback test servers serve both. */
export function bmsApiOrigin(uiOrigin: string): string {
  const url = new URL(uiOrigin);
  return isLoopbackHost(url.host) ? url.origin : `${url.protocol}//api.${url.host}`;
}

export function bmsOrigins(
  values: FormValues,
): { ok: true; uiOrigin: string; apiOrigin: string; note?: string } | { ok: false; errors: Record<string, string> } {
  const region = (values.region ?? BMS_REGIONS[0].value).trim();
  const known = BMS_REGIONS.find((candidate) => candidate.value === region);
  if (!known) return { ok: false, errors: { region: 'Choose your BMS server or Custom domain.' } };
  let uiOrigin: string;
  let note: string | undefined;
  if (region === 'custom') {
    const custom = normaliseServerUrl(values.customDomain ?? '', 'custom domain', 'psa.example.com');
    if (!custom.ok) return { ok: false, errors: { customDomain: custom.error } };
    uiOrigin = custom.value.origin;
    note = custom.value.note;
  } else {
    uiOrigin = `https://${region}`;
  }
  let apiOrigin = bmsApiOrigin(uiOrigin);
  const override = (values.apiUrl ?? '').trim();
  if (override) {
    const api = normaliseServerUrl(override, 'API address', 'https://api.bms.kaseya.com');
    if (!api.ok) return { ok: false, errors: { apiUrl: api.error } };
    apiOrigin = api.value.origin;
  }
  return { ok: true, uiOrigin, apiOrigin, ...(note ? { note } : {}) };
}

export function parseBmsForm(
  values: FormValues,
): { ok: true; settings: BmsSettings; credentials: BmsCredentials; note?: string } | { ok: false; errors: Record<string, string> } {
  const origins = bmsOrigins(values);
  const errors: Record<string, string> = origins.ok ? {} : { ...origins.errors };
  // The tenant is the company name: spaces are allowed, so only the ends are trimmed.
  const tenant = (values.tenant ?? '').trim();
  if (!tenant) errors.tenant = 'Tenant is required: the company name shown under My Settings in BMS.';
  else if (tenant.length > 200) errors.tenant = 'Tenant is too long.';
  const username = (values.username ?? '').trim();
  if (!username) errors.username = 'User name is required.';
  else if (/\s/.test(username)) errors.username = 'The user name cannot contain spaces.';
  const password = values.password ?? '';
  if (!password) errors.password = 'Password is required.';
  if (!origins.ok || Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    settings: { uiOrigin: origins.uiOrigin, apiOrigin: origins.apiOrigin, tenant },
    credentials: { username, password },
    ...(origins.note ? { note: origins.note } : {}),
  };
}
