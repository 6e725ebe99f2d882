/**
 * Every supported PSA's page part, in PSA_KINDS order (./kinds.ts), and page detection over
 * them. This file reaches the content script: light imports only (no adapters, ky or zod).
 *
 * Each PSA has one URL detector in its folder (./<kind>/page-url.ts), with example URLs declared
 * beside it; lib/detect/page-detection.ts loops over the page parts. Detectors must be mutually
 * exclusive; tests/unit/detect runs every example through every detector. ConnectWise is
 * recognised by its distinctive paths on any host; HaloPSA and Kaseya BMS by host (their vendor
 * domains, or hosts the caller lists in a DetectContext), then by path. Detectors run in
 * PSA_KINDS order, ConnectWise first, so a ConnectWise path is ConnectWise even on a host
 * configured for another PSA.
 */
import { pageDetection } from '../detect/page-detection';
import type { PsaPages } from '../detect/psa-pages';
import { connectwisePages } from './connectwise/pages';
import { haloPages } from './halo/pages';
import { PSA_KINDS, type PsaKind } from './kinds';
import { kaseyaBmsPages } from './kaseya-bms/pages';

const PAGES_BY_KIND: { readonly [K in PsaKind]: PsaPages<K> } = {
  connectwise: connectwisePages,
  halo: haloPages,
  'kaseya-bms': kaseyaBmsPages,
};

export const PSA_PAGES: readonly PsaPages<PsaKind>[] = PSA_KINDS.map((kind) => PAGES_BY_KIND[kind]);

const supported = pageDetection(PSA_PAGES);

/**
 * The PSA page `url` shows, or null for anything else (API URLs, other sites, garbage).
 * `context.hosts` adds the user's own hosts for Halo / Kaseya BMS (self-hosted, vanity domains,
 * emulators); without it only their vendor hosts are recognised.
 */
export const detectPage = supported.detectPage;
/**
 * The record the page's DOM shows, for what the URL cannot settle: a page the URL calls 'other',
 * or a record page whose URL carries no id (ConnectWise's undecodable hash states, BMS's
 * unconfirmed page shapes, a Halo ticket list whose address has not caught up with the open
 * ticket yet). Each PSA's hooks are in ./<kind>/page-dom.ts; pure, never throws.
 */
export const detectByDom = supported.detectByDom;
/** What a ticket page itself shows about the ticket (names only, no ids). Never throws. */
export const ticketHintsFromDom = supported.ticketHintsFromDom;
/** One PSA's detector (tests run every example through every detector). */
export const detectorFor = supported.detectorFor;
export const { hostPsa, contextPsa, vendorPsa } = supported;
