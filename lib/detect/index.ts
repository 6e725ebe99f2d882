/**
 * Page detection: which PSA page is this URL? Pure (no DOM, no browser APIs) so the content
 * script, the background and the tests all share it.
 *
 * Each PSA has one detector in its own file, with example URLs declared beside it. Detectors
 * must be mutually exclusive; tests/unit/detect runs every example through every detector.
 *
 * ConnectWise is recognised by its distinctive paths on any host; HaloPSA and Kaseya BMS by host
 * (their vendor domains, or hosts the caller lists in a DetectContext), then by path. ConnectWise
 * runs first, so a ConnectWise path is ConnectWise even on a host configured for another PSA.
 * For what the URL cannot settle, see detectByDom (./dom.ts).
 */
import { detectConnectWise } from './connectwise';
import { detectHalo } from './halo';
import { detectKaseyaBms } from './kaseya-bms';
import type { DetectContext, DetectedPage, PageDetector } from './types';

export { PSA_PAGE_KINDS } from './types';
export type { ContextHost, DetectContext, DetectedPage, PageKind } from './types';
export { detectByDom } from './dom';
export type { DomPage, QueryableDocument } from './dom';

const DETECTORS: readonly PageDetector[] = [detectConnectWise, detectHalo, detectKaseyaBms];

/**
 * The PSA page `url` shows, or null for anything else (API URLs, other sites, garbage).
 * `context.hosts` adds the user's own hosts for Halo / Kaseya BMS (self-hosted, vanity domains,
 * emulators); without it only their vendor hosts are recognised.
 */
export function detectPage(url: string, context?: DetectContext): DetectedPage | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const ctx = typeof context === 'object' && context !== null ? context : undefined;
  for (const detect of DETECTORS) {
    try {
      const page = detect(parsed, ctx);
      if (page !== null) return page;
    } catch {
      // A detector bug must not break the page the user is working on: treat as "not this PSA".
    }
  }
  return null;
}
