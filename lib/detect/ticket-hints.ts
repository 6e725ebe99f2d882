/**
 * What a ticket page itself shows about the ticket, by the hooks each PSA's reference documents
 * (lib/psa/<kind>/page-dom.ts; HaloPSA documents none). Names only, no ids: the background uses
 * them when the PSA cannot be asked. Never throws.
 */
import { supported } from './supported';

export type { TicketHints } from './types';

export const ticketHintsFromDom = supported.ticketHintsFromDom;
