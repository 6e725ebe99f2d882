/**
 * Page detection's vocabulary: what a detected page is, the page kinds, the context of hosts the
 * user configured. The detection itself is pure (no DOM writes, no browser APIs) and generic:
 * ./page-detection.ts loops over page parts (./psa-pages.ts), and lib/psa/pages.ts binds it to
 * the PSAs this build supports (detectPage, detectByDom, ticketHintsFromDom).
 */
export { PSA_PAGE_KINDS } from './types';
export type { ContextHost, DetectContext, DetectedPage, DomPage, PageDetector, PageKind, TicketHints } from './types';
export type { QueryableDocument } from './dom-read';
