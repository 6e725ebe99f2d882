import type { PsaPages } from '../../detect/psa-pages';
import { isKaseyaBmsHost } from './hosts';
import { kaseyaBmsDom, kaseyaBmsTicketHints } from './page-dom';
import { detectKaseyaBmsUrl } from './page-url';

/** Kaseya BMS / Pulseway PSA pages: recognised on their gateway hosts and the hosts configured for them. */
export const kaseyaBmsPages = {
  kind: 'kaseya-bms',
  byHost: { isVendorHost: isKaseyaBmsHost },
  detectUrl: detectKaseyaBmsUrl,
  detectDom: kaseyaBmsDom,
  ticketHints: kaseyaBmsTicketHints,
} as const satisfies PsaPages<'kaseya-bms'>;
