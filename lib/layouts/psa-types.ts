import { isPsaError } from '../psa/errors';
import type { PsaAdapter } from '../psa/types';

export interface OfferedTypes {
  types: string[];
  /** Why the PSA's own list is missing, when it is. */
  note?: string;
}

/**
 * The configuration/asset types the PSA itself lists, so rules and type skips can be set after
 * a first import with no company matched (Hudu's flow). Types of imported records are added by
 * the options page; a PSA without such a list, or failing, says so instead of failing the page.
 */
export async function psaConfigurationTypes(adapter: PsaAdapter): Promise<OfferedTypes> {
  if (!adapter.listConfigurationTypes) {
    return { types: [], note: 'This PSA has no list of asset types: types are offered from imported assets.' };
  }
  try {
    return { types: await adapter.listConfigurationTypes() };
  } catch (error) {
    const reason = isPsaError(error) ? error.message : String(error);
    return { types: [], note: `Types could not be read from the PSA (${reason}); showing those of imported records.` };
  }
}
