import type { PsaPages } from '../../detect/psa-pages';
import { connectwiseDom, connectwiseTicketHints } from './page-dom';
import { detectConnectWise } from './page-url';

/** ConnectWise pages: recognised by their distinctive paths on any host. */
export const connectwisePages = {
  kind: 'connectwise',
  detectUrl: detectConnectWise,
  detectDom: connectwiseDom,
  ticketHints: connectwiseTicketHints,
} as const satisfies PsaPages<'connectwise'>;
