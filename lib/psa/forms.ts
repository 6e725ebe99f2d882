import { PSA_DESCRIPTORS } from './all';
import type { PsaFormSpec } from './form';
import type { PsaKind } from './types';

/** The PSAs a user can add, in the order the options page offers them (from lib/psa/all.ts). */
export const PSA_FORMS: Partial<Record<PsaKind, PsaFormSpec>> = Object.fromEntries(PSA_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.form]));

export function formFor(kind: PsaKind): PsaFormSpec | undefined {
  return PSA_FORMS[kind];
}
