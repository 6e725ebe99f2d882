import type { IntegrationRow } from '../db/schema';
import { ConnectwiseAdapter } from './connectwise/adapter';
import { connectwiseCredentialsSchema, connectwiseSettingsSchema } from './connectwise/settings';
import { PsaError } from './errors';
import { Pacer, VENDOR_LIMITS, type PacingStore, type RateLimit } from './pacing';
import { HaloAdapter } from './halo/adapter';
import { BmsAdapter } from './kaseya-bms/adapter';
import { bmsCredentialsSchema, bmsSettingsSchema } from './kaseya-bms/settings';
import { haloCredentialsSchema, haloSettingsSchema } from './halo/settings';
import type { PsaAdapter } from './types';

export interface AdapterOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  /**
   * Share of the vendor's rate limit a sync may use (default 0.5), where the request log lives,
   * and (benchmarks, tests) another limit than the vendor's documented one. `false`: no pacing.
   */
  pacing?: { share?: number; store?: PacingStore; limit?: RateLimit; maxWaitMs?: number } | false;
}

/** Integration row + its credentials -> the PSA's adapter. The only place that switches on the PSA. */
export function createAdapter(integration: IntegrationRow, saved: Record<string, string> | undefined, options: AdapterOptions = {}): PsaAdapter {
  if (!saved) throw new PsaError('config', `${integration.label} has no saved credentials. Enter them on the options page.`);
  const { pacing, ...http } = options;
  const pacer =
    pacing === false
      ? undefined
      : new Pacer({
          limit: pacing?.limit ?? VENDOR_LIMITS[integration.psa],
          scope: integration.id,
          ...(pacing?.share !== undefined ? { share: pacing.share } : {}),
          ...(pacing?.store ? { store: pacing.store } : {}),
          ...(pacing?.maxWaitMs !== undefined ? { maxWaitMs: pacing.maxWaitMs } : {}),
        });
  const clientOptions = { ...http, ...(pacer ? { pacer } : {}) };
  switch (integration.psa) {
    case 'connectwise': {
      const settings = connectwiseSettingsSchema.safeParse(integration.settings);
      const credentials = connectwiseCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new ConnectwiseAdapter({ settings: settings.data, credentials: credentials.data, ...clientOptions });
    }
    case 'halo': {
      const settings = haloSettingsSchema.safeParse(integration.settings);
      const credentials = haloCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new HaloAdapter({ settings: settings.data, credentials: credentials.data, ...clientOptions });
    }
    case 'kaseya-bms': {
      const settings = bmsSettingsSchema.safeParse(integration.settings);
      const credentials = bmsCredentialsSchema.safeParse(saved);
      if (!settings.success || !credentials.success) {
        throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      }
      return new BmsAdapter({ settings: settings.data, credentials: credentials.data, ...clientOptions });
    }
  }
}
