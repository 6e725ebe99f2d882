import type { PsaFormSpec } from '../form';
import { normaliseAuthServer, normaliseResourceServer, parseHaloForm } from './settings';

export const haloForm: PsaFormSpec<'halo'> = {
  kind: 'halo',
  title: 'HaloPSA',
  fields: [
    {
      name: 'resourceServer',
      label: 'Resource server',
      hint: 'Your Halo web address, e.g. https://acme.halopsa.com (Configuration › Integrations › Halo API)',
    },
    { name: 'tenant', label: 'Tenant', hint: 'Hosted Halo: the tenant shown under API details. Leave blank for self-hosted Halo.', optional: true },
    { name: 'clientId', label: 'Client ID', hint: 'API application with Client ID and Secret (Services), login type Agent', credential: true },
    { name: 'clientSecret', label: 'Client secret', hint: 'Shown when the application is created', credential: true, secret: true },
    {
      name: 'authServer',
      label: 'Authorisation server',
      hint: 'Leave blank when it is on the resource server (Sidecar finds it). The client secret goes only to the resource server or the address typed here.',
      optional: true,
    },
  ],
  discoveredSettings: ['authUrl'],
  serverSettings: ['authServer'],
  parse(values) {
    const parsed = parseHaloForm(values);
    if (!parsed.ok) return parsed;
    const origins = [parsed.settings.resourceOrigin];
    if (parsed.settings.authServer) origins.push(new URL(parsed.settings.authServer).origin);
    return {
      ok: true,
      value: {
        settings: parsed.settings,
        credentials: parsed.credentials,
        uiOrigin: parsed.settings.resourceOrigin,
        origins: [...new Set(origins)],
        label: `HaloPSA (${new URL(parsed.settings.resourceOrigin).host})`,
        ...(parsed.note ? { note: parsed.note } : {}),
      },
    };
  },
  origins(values) {
    const resource = normaliseResourceServer(values.resourceServer ?? '');
    if (!resource.ok) return { ok: false as const, errors: { resourceServer: resource.error } as Record<string, string> };
    const auth = normaliseAuthServer(values.authServer ?? '');
    if (!auth.ok) return { ok: false as const, errors: { authServer: auth.error } as Record<string, string> };
    const origins = [resource.value.origin, ...(auth.value ? [new URL(auth.value).origin] : [])];
    return { ok: true as const, uiOrigin: resource.value.origin, origins: [...new Set(origins)] };
  },
  prefill: (settings) => ({
    resourceServer: typeof settings.resourceOrigin === 'string' ? settings.resourceOrigin : '',
    authServer: typeof settings.authServer === 'string' ? settings.authServer : '',
    tenant: typeof settings.tenant === 'string' ? settings.tenant : '',
  }),
};
