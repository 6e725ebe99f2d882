import type { IntegrationRow } from '../db/schema';
import { PSA_DESCRIPTORS } from './all';
import { psaRegistry, type AdapterOptions } from './psa-registry';
import type { PsaAdapter } from './types';

export type { AdapterOptions } from './psa-registry';

/** The registry over the PSAs this build supports. */
export const supportedPsas = psaRegistry(PSA_DESCRIPTORS);

/** Integration row + its credentials -> the PSA's adapter (see PsaDescriptor). */
export function createAdapter(integration: IntegrationRow, saved: Record<string, string> | undefined, options: AdapterOptions = {}): PsaAdapter {
  return supportedPsas.createAdapter(integration, saved, options);
}
