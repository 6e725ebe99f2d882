/**
 * Page detection as a function of the PSA list, so nothing here names a PSA: production binds it
 * to lib/psa/pages.ts (./index.ts); a test can bind it to a list with a PSA of its own.
 */
import type { PsaPages } from './psa-pages';
import type { QueryableDocument } from './dom-read';
import { contextHostOwner } from './hosts';
import type { DetectContext, DetectedPage, DomPage, PageDetector, TicketHints } from './types';

export interface PageDetection<K extends string> {
  /** The PSA page `url` shows, or null for anything else (API URLs, other sites, garbage). */
  detectPage(url: string, context?: DetectContext<K>): DetectedPage<K> | null;
  /** One PSA's detector, its host rule included. */
  detectorFor(psa: K): PageDetector<K>;
  /** The PSA whose vendor domain `hostname` is, if any. */
  vendorPsa(hostname: string): K | undefined;
  /** The PSA that owns `url`'s host: its vendor, else the first matching context entry. */
  hostPsa(url: URL, context?: DetectContext<K>): K | undefined;
  /** The PSA of the first context entry whose host matches `url`'s host (and port). */
  contextPsa(url: URL, context?: DetectContext<K>): K | undefined;
  /** The record the page's DOM shows for `psa`, or null when the DOM says nothing useful. Never throws. */
  detectByDom(psa: K, doc: QueryableDocument): DomPage | null;
  /** The names a ticket page shows. Never throws. */
  ticketHintsFromDom(psa: K, doc: QueryableDocument): TicketHints;
}

export function pageDetection<K extends string>(pages: readonly PsaPages<K>[]): PageDetection<K> {
  const isKind = (value: string): value is K => pages.some((part) => part.kind === value);
  const partFor = (psa: K) => pages.find((part) => part.kind === psa);

  const vendorPsa = (hostname: string) => pages.find((part) => part.byHost?.isVendorHost(hostname))?.kind;
  const contextPsa = (url: URL, context?: DetectContext<K>) => contextHostOwner(url, context, isKind);
  // Order: a known vendor host always belongs to its vendor (a context entry cannot relabel
  // `acme.halopsa.com`), then the first matching context entry: a URL is claimed by at most one
  // host-based PSA.
  const hostPsa = (url: URL, context?: DetectContext<K>) => vendorPsa(url.hostname) ?? contextPsa(url, context);

  const detectWith = (part: PsaPages<K>, url: URL, context?: DetectContext<K>) =>
    part.byHost && hostPsa(url, context) !== part.kind ? null : part.detectUrl(url);

  return {
    vendorPsa,
    contextPsa,
    hostPsa,
    detectorFor(psa) {
      const part = partFor(psa);
      return (url, context) => (part ? detectWith(part, url, context) : null);
    },
    detectPage(url, context) {
      if (typeof url !== 'string') return null;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return null;
      }
      const ctx = typeof context === 'object' && context !== null ? context : undefined;
      for (const part of pages) {
        try {
          const page = detectWith(part, parsed, ctx);
          if (page !== null) return page;
        } catch {
          // A detector bug must not break the page the user is working on: treat as "not this PSA".
        }
      }
      return null;
    },
    detectByDom(psa, doc) {
      try {
        if (typeof doc !== 'object' || doc === null || typeof doc.querySelector !== 'function') return null;
        return partFor(psa)?.detectDom?.(doc) ?? null;
      } catch {
        return null; // a hostile or half-built page must not break the content script
      }
    },
    ticketHintsFromDom(psa, doc) {
      try {
        return partFor(psa)?.ticketHints?.(doc) ?? {};
      } catch {
        return {};
      }
    },
  };
}
