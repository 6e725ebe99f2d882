import { definePsa } from '../descriptor';
import { HaloAdapter } from './adapter';
import { haloForm } from './form';
import { haloCredentialsSchema, haloSettingsSchema } from './settings';

export const halo = definePsa({
  kind: 'halo',
  form: haloForm,
  // docs/psa/halo.md#rate-limits
  rateLimit: { limit: 300, windowMs: 5 * 60_000, per: 'api' },
  settingsSchema: haloSettingsSchema,
  credentialsSchema: haloCredentialsSchema,
  createAdapter: (options) => new HaloAdapter(options),
  // Each Halo instance has its own host; its tenant is only a sign-in parameter.
  tenantKey: (settings) => new URL(settings.resourceOrigin).host.toLowerCase(),
});
