import { CONNECTWISE } from '../../support/psa-cases/index.ts';
import { faultMatrix } from './faults-matrix';

/** Issue #6's fault matrix against the ConnectWise emulator (the rows live in faults-matrix.ts). */
faultMatrix(CONNECTWISE);
