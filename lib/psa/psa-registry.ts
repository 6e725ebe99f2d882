import type { PsaDescriptor } from './descriptor';
import { PsaError } from './errors';
import type { PsaFormSpec } from './form';
import { Pacer, type PacingStore, type RateLimit } from './pacing';
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

/** What createAdapter reads of an integration row. */
export interface AdaptedIntegration<K extends string> {
  id: string;
  label: string;
  psa: K;
  settings: unknown;
}

/**
 * Everything that used to switch on the PSA, as a function of the descriptor list: production
 * binds it to lib/psa/all.ts (./registry.ts, ./forms.ts, ./pacing.ts); a test can bind it to a
 * list with a PSA of its own (tests/unit/psa/fake-psa.test.ts) without widening PsaKind.
 */
export function psaRegistry<K extends string>(descriptors: readonly PsaDescriptor<K>[]) {
  const descriptorFor = (kind: K): PsaDescriptor<K> | undefined => descriptors.find((descriptor) => descriptor.kind === kind);
  return {
    descriptors,
    descriptorFor,
    /** The PSAs a user can add, in the order the options page offers them. */
    forms: descriptors.map((descriptor) => descriptor.form),
    formFor: (kind: K): PsaFormSpec<K> | undefined => descriptorFor(kind)?.form,
    rateLimit: (kind: K): RateLimit | undefined => descriptorFor(kind)?.rateLimit,
    /** Integration row + its credentials -> the PSA's adapter, paced within the vendor's limit. */
    createAdapter(integration: AdaptedIntegration<K>, saved: Record<string, string> | undefined, options: AdapterOptions = {}): PsaAdapter<K> {
      if (!saved) throw new PsaError('config', `${integration.label} has no saved credentials. Enter them on the options page.`);
      const descriptor = descriptorFor(integration.psa);
      if (!descriptor) throw new PsaError('config', `${integration.label}: ${integration.psa} integrations are not available in this version.`);
      const { pacing, ...http } = options;
      const pacer =
        pacing === false
          ? undefined
          : new Pacer({
              limit: pacing?.limit ?? descriptor.rateLimit,
              scope: integration.id,
              ...(pacing?.share !== undefined ? { share: pacing.share } : {}),
              ...(pacing?.store ? { store: pacing.store } : {}),
              ...(pacing?.maxWaitMs !== undefined ? { maxWaitMs: pacing.maxWaitMs } : {}),
            });
      const adapter = descriptor.adapterFor(integration.settings, saved, { ...http, ...(pacer ? { pacer } : {}) });
      if (!adapter) throw new PsaError('config', `${integration.label} has incomplete settings. Open the options page and save it again.`);
      return adapter;
    },
  };
}
