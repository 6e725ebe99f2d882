import { PSA_PAGES } from '../psa/pages';
import { pageDetection } from './page-detection';

/** Page detection over the PSAs this build supports (lib/psa/pages.ts). */
export const supported = pageDetection(PSA_PAGES);
