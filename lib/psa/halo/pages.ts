import type { PsaPages } from '../../detect/psa-pages';
import { isHaloHost } from './hosts';
import { haloDom } from './page-dom';
import { detectHaloUrl } from './page-url';

/** HaloPSA pages: generic paths, so recognised on Halo's hosts and the hosts configured for it. */
export const haloPages = {
  kind: 'halo',
  byHost: { isVendorHost: isHaloHost },
  detectUrl: detectHaloUrl,
  detectDom: haloDom,
} as const satisfies PsaPages<'halo'>;
