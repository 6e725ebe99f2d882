/**
 * Page detection: which PSA page is this URL? Pure (no DOM, no browser APIs) so the content
 * script, the background and the tests all share it.
 *
 * Each PSA has one detector in its own file, with example URLs declared beside it. Detectors
 * must be mutually exclusive; tests/unit/detect runs every example through every detector.
 */
import { detectConnectWise } from './connectwise';
import type { DetectedPage, PageDetector } from './types';

export { PSA_PAGE_KINDS } from './types';
export type { DetectedPage, PageKind } from './types';

const DETECTORS: readonly PageDetector[] = [
  detectConnectWise,
  // HaloPSA (./halo.ts) and Kaseya BMS (./kaseya-bms.ts) come in a later issue: add their
  // detector here and their examples to tests/unit/detect/detect-page.test.ts.
];

/** The PSA page `url` shows, or null for anything else (API URLs, other sites, garbage). */
export function detectPage(url: string): DetectedPage | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  for (const detect of DETECTORS) {
    try {
      const page = detect(parsed);
      if (page !== null) return page;
    } catch {
      // A detector bug must not break the page the user is working on: treat as "not this PSA".
    }
  }
  return null;
}
