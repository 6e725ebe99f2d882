/**
 * Every supported PSA's full descriptor, in PSA_KINDS order (./kinds.ts). For the background and
 * the options page; the content script uses ./pages.ts instead.
 */
import { connectwise } from './connectwise';
import type { PsaDescriptor } from './descriptor';
import { halo } from './halo';
import { PSA_KINDS, type PsaKind } from './kinds';
import { kaseyaBms } from './kaseya-bms';

const DESCRIPTORS_BY_KIND: { readonly [K in PsaKind]: PsaDescriptor<K> } = {
  connectwise,
  halo,
  'kaseya-bms': kaseyaBms,
};

export const PSA_DESCRIPTORS: readonly PsaDescriptor<PsaKind>[] = PSA_KINDS.map((kind) => DESCRIPTORS_BY_KIND[kind]);
