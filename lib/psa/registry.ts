import type { IntegrationRow } from '../db/schema';
import { ConnectwiseAdapter } from './connectwise/adapter';
import { connectwiseCredentialsSchema, connectwiseSettingsSchema } from './connectwise/settings';
import { PsaError } from './errors';
import { HaloAdapter } from './halo/adapter';
import { BmsAdapter } from './kaseya-bms/adapter';
import { bmsCredentialsSchema, bmsSettingsSchema } from './kaseya-bms/settings';
import { haloCredentialsSchema, haloSettingsSchema } from './halo/settings';
import type { PsaAdapter } from './types';

export interface AdapterOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
}

/** Integration row + its credentials -> the PSA's adapter. The only place that switches on the PSA. */
export function createAdapter(integration: IntegrationRow, saved: Record<string, string> | undefined, options: AdapterOptions = {}): PsaAdapter {
  if (!saved) throw new PsaError('config', `${integration.label} has no saved credentials. Enter them on the options page.`);
  switch (integration.psa) {
    case 'connectwise': {
      const settings = connectwiseSettingsSchema.safeParse(integration.settings);
      const credentials = connectwiseCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new ConnectwiseAdapter({ settings: settings.data, credentials: credentials.data, ...options });
    }
    case 'halo': {
      const settings = haloSettingsSchema.safeParse(integration.settings);
      const credentials = haloCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new HaloAdapter({ settings: settings.data, credentials: credentials.data, ...options });
    }
    case 'kaseya-bms': {
      const settings = bmsSettingsSchema.safeParse(integration.settings);
      const credentials = bmsCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new BmsAdapter({ settings: settings.data, credentials: credentials.data, ...options });
    }
  }
}
