import type { PsaKind } from '../../../lib/psa/types.ts';
import type { PsaCase } from '../psa-case.ts';
import { CONNECTWISE } from './connectwise.ts';
import { HALO } from './halo.ts';
import { BMS } from './kaseya-bms.ts';

/** The three PSAs' cases (psa-case.ts says what a case is). */
export { BMS, CONNECTWISE, HALO };
export const PSA_CASES = { connectwise: CONNECTWISE, halo: HALO, 'kaseya-bms': BMS } satisfies Record<PsaKind, PsaCase>;
