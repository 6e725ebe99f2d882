import { definePsa } from '../descriptor';
import { BmsAdapter } from './adapter';
import { BMS_PACED_LISTS } from './lists';
import { kaseyaBmsForm } from './form';
import { bmsCredentialsSchema, bmsSettingsSchema } from './settings';

export const kaseyaBms = definePsa({
  kind: 'kaseya-bms',
  form: kaseyaBmsForm,
  // docs/psa/kaseya-bms.md#rate-limits: counted per method + endpoint, per hour.
  rateLimit: { limit: 1500, windowMs: 60 * 60_000, per: 'endpoint' },
  pacedWholeLists: BMS_PACED_LISTS,
  settingsSchema: bmsSettingsSchema,
  credentialsSchema: bmsCredentialsSchema,
  createAdapter: (options) => new BmsAdapter(options),
  // One server (e.g. bms.kaseya.com) serves many tenants, named by company name (spaces kept, case not).
  tenantKey: (settings) => `${new URL(settings.uiOrigin).host.toLowerCase()}:${settings.tenant.trim().replace(/\s+/g, ' ').toLowerCase()}`,
});
