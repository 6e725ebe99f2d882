import type { PsaFormSpec } from '../form';
import { BMS_REGIONS, bmsOrigins, parseBmsForm } from './settings';

export const kaseyaBmsForm: PsaFormSpec<'kaseya-bms'> = {
  kind: 'kaseya-bms',
  title: 'Kaseya BMS / Pulseway PSA',
  fields: [
    { name: 'region', label: 'Server', hint: 'The address you sign in at', choices: BMS_REGIONS.map(({ value, label }) => ({ value, label })) },
    { name: 'customDomain', label: 'Custom domain', hint: 'Only for Custom domain, e.g. psa.example.com', optional: true },
    { name: 'tenant', label: 'Tenant (company name)', hint: 'Shown under My Settings (click your name, top right)' },
    { name: 'username', label: 'User name', hint: 'An API Employee with Has API Access (Admin › Special Features)', credential: true },
    { name: 'password', label: 'Password', hint: 'From the API Employee’s welcome e-mail', credential: true, secret: true },
    { name: 'apiUrl', label: 'API address', hint: 'Leave blank: api. + the server, e.g. https://api.bms.kaseya.com', optional: true },
  ],
  discoveredSettings: [],
  serverSettings: [],
  parse(values) {
    const parsed = parseBmsForm(values);
    if (!parsed.ok) return parsed;
    return {
      ok: true,
      value: {
        settings: parsed.settings,
        credentials: parsed.credentials,
        uiOrigin: parsed.settings.uiOrigin,
        origins: [...new Set([parsed.settings.uiOrigin, parsed.settings.apiOrigin])],
        label: `Kaseya BMS (${new URL(parsed.settings.uiOrigin).host})`,
        ...(parsed.note ? { note: parsed.note } : {}),
      },
    };
  },
  origins(values) {
    const origins = bmsOrigins(values);
    if (!origins.ok) return origins;
    return { ok: true, uiOrigin: origins.uiOrigin, origins: [...new Set([origins.uiOrigin, origins.apiOrigin])] };
  },
  prefill(settings) {
    const uiOrigin = typeof settings.uiOrigin === 'string' ? settings.uiOrigin : '';
    const host = uiOrigin ? new URL(uiOrigin).host : '';
    const region = BMS_REGIONS.some((candidate) => candidate.value === host) ? host : uiOrigin ? 'custom' : BMS_REGIONS[0].value;
    const apiOrigin = typeof settings.apiOrigin === 'string' ? settings.apiOrigin : '';
    return {
      region,
      customDomain: region === 'custom' ? uiOrigin : '',
      tenant: typeof settings.tenant === 'string' ? settings.tenant : '',
      apiUrl: apiOrigin && uiOrigin && apiOrigin !== `https://api.${host}` && apiOrigin !== uiOrigin ? apiOrigin : '',
    };
  },
};
