import type { QueryableDocument } from './dom-read';
import type { DetectedPage, DomPage, TicketHints } from './types';

/**
 * The light part of a PSA's descriptor: how its pages are recognised. It runs in the content
 * script at document_start, so it must stay small: no adapters, no ky, no zod. ./page-detection.ts
 * loops over them (bound to the shipped PSAs in lib/psa/pages.ts); the full descriptor
 * (lib/psa/descriptor.ts) carries it as `pages`.
 */
export interface PsaPages<K extends string = string> {
  readonly kind: K;
  /**
   * Set for a PSA whose paths are too generic to claim on any host (HaloPSA, Kaseya BMS): its
   * pages are looked for only on its vendor's hosts or hosts the user configured for it. Absent:
   * the paths are distinctive and recognised on any host (ConnectWise).
   */
  readonly byHost?: { isVendorHost(hostname: string): boolean };
  /** The page `url` shows (its host already settled when byHost), or null. Pure. */
  detectUrl(url: URL): DetectedPage<K> | null;
  /** What the DOM says when the URL cannot settle it (detectByDom). */
  detectDom?(doc: QueryableDocument): DomPage | null;
  /** Company and contact names a ticket page shows (ticketHintsFromDom). */
  ticketHints?(doc: QueryableDocument): TicketHints;
}
