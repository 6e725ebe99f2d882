import { definePsa } from '../descriptor';
import { ConnectwiseAdapter } from './adapter';
import { connectwiseForm } from './form';
import { connectwiseCredentialsSchema, connectwiseSettingsSchema } from './settings';

export const connectwise = definePsa({
  kind: 'connectwise',
  form: connectwiseForm,
  // docs/psa/connectwise.md#rate-limits
  rateLimit: { limit: 1000, windowMs: 60_000, per: 'api' },
  settingsSchema: connectwiseSettingsSchema,
  credentialsSchema: connectwiseCredentialsSchema,
  createAdapter: (options) => new ConnectwiseAdapter(options),
  // One host (e.g. na.myconnectwise.net) serves many companies: the login company tells them apart.
  tenantKey: (settings) => `${settings.host.toLowerCase()}:${settings.companyId.toLowerCase()}`,
});
