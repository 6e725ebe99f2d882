/**
 * Page detection: which PSA page is this URL? Pure (no DOM, no browser APIs) so the content
 * script, the background and the tests all share it.
 *
 * Each PSA has one detector in its folder (lib/psa/<kind>/page-url.ts), with example URLs
 * declared beside it, and declares it in its page part (lib/psa/<kind>/pages.ts); page-detection.ts
 * loops over them. Detectors must be mutually exclusive; tests/unit/detect runs every example
 * through every detector.
 *
 * ConnectWise is recognised by its distinctive paths on any host; HaloPSA and Kaseya BMS by host
 * (their vendor domains, or hosts the caller lists in a DetectContext), then by path. Detectors
 * run in lib/psa/kinds.ts order, ConnectWise first, so a ConnectWise path is ConnectWise even on
 * a host configured for another PSA.
 * For what the URL cannot settle, see detectByDom (./dom.ts).
 */
import { supported } from './supported';

export { PSA_PAGE_KINDS } from './types';
export type { ContextHost, DetectContext, DetectedPage, PageDetector, PageKind } from './types';
export { detectByDom } from './dom';
export type { DomPage, QueryableDocument } from './dom';

/**
 * The PSA page `url` shows, or null for anything else (API URLs, other sites, garbage).
 * `context.hosts` adds the user's own hosts for Halo / Kaseya BMS (self-hosted, vanity domains,
 * emulators); without it only their vendor hosts are recognised.
 */
export const detectPage = supported.detectPage;
/** One PSA's detector (tests run every example through every detector). */
export const detectorFor = supported.detectorFor;
export const { hostPsa, contextPsa, vendorPsa } = supported;
