import { connectwiseForm } from './connectwise/form';
import type { PsaFormSpec } from './form';
import { haloForm } from './halo/form';
import { kaseyaBmsForm } from './kaseya-bms/form';
import type { PsaKind } from './types';

/** The PSAs a user can add, in the order the options page offers them. */
export const PSA_FORMS: Partial<Record<PsaKind, PsaFormSpec>> = {
  connectwise: connectwiseForm,
  halo: haloForm,
  'kaseya-bms': kaseyaBmsForm,
};

export function formFor(kind: PsaKind): PsaFormSpec | undefined {
  return PSA_FORMS[kind];
}
