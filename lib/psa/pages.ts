/**
 * Every supported PSA's page part, in PSA_KINDS order (./kinds.ts). This file reaches the
 * content script: light imports only (no adapters, ky or zod).
 */
import { connectwisePages } from './connectwise/pages';
import { haloPages } from './halo/pages';
import { PSA_KINDS, type PsaKind } from './kinds';
import { kaseyaBmsPages } from './kaseya-bms/pages';
import type { PsaPages } from './psa-pages';

const PAGES_BY_KIND: { readonly [K in PsaKind]: PsaPages<K> } = {
  connectwise: connectwisePages,
  halo: haloPages,
  'kaseya-bms': kaseyaBmsPages,
};

export const PSA_PAGES: readonly PsaPages<PsaKind>[] = PSA_KINDS.map((kind) => PAGES_BY_KIND[kind]);
