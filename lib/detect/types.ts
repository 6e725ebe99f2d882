import type { PsaKind } from '../psa/types';

/**
 * What a PSA page shows. The record kinds match the synced entities (lib/psa/types.ts) plus
 * 'ticket', which is not synced but is the page the overlay exists for: the caller resolves the
 * ticket's company from its id. 'other' is a PSA page with no synced record behind it (boards,
 * lists, calendars, setup, time entries, opportunities, activities, projects, new-record forms).
 */
export const PSA_PAGE_KINDS = ['company', 'ticket', 'contact', 'configuration', 'agreement', 'site', 'other'] as const;
export type PageKind = (typeof PSA_PAGE_KINDS)[number];

/**
 * A recognised PSA page. `id` is the PSA's record id as a canonical decimal string (it matches
 * `remoteId` of synced records).
 *
 * `id` is absent for kind 'other', and also for a record kind whose id the URL does not carry
 * (e.g. ConnectWise's compressed hash that we cannot decode, or a `??ServiceTicket` state without
 * a record id). Such a result still says "this is a ticket page", so the content script can fall
 * back to reading the id or the company from the DOM instead of giving up.
 */
export interface DetectedPage<K extends string = PsaKind> {
  psa: K;
  kind: PageKind;
  id?: string;
  /** Ticket pages: the company and contact names the page shows (ticketHintsFromDom, lib/psa/pages.ts). */
  hints?: { companyName?: string; contactName?: string };
}

/**
 * One host the user configured for a PSA (a self-hosted or vanity domain, or a test emulator).
 * `host` is `hostname` or `hostname:port`, compared case-insensitively and exactly: `127.0.0.1`
 * does not match `127.0.0.1:5000`. A port equal to the URL scheme's default (443 for https, 80
 * for http) also matches a URL that leaves the port out.
 */
export interface ContextHost<K extends string = PsaKind> {
  host: string;
  psa: K;
}

/**
 * What the caller knows beyond the URL. HaloPSA and Kaseya BMS paths (`/tickets?id=`,
 * `/customers?…`) are too generic to claim on every host, so outside their vendor domains they
 * are only recognised on hosts listed here. ConnectWise needs no entry: its paths are distinctive
 * and recognised on any host (also on a host configured for another PSA).
 */
export interface DetectContext<K extends string = PsaKind> {
  hosts?: readonly ContextHost<K>[];
}

/** One PSA's detector: pure, never throws, `null` when the URL is not that PSA's UI page. */
export type PageDetector<K extends string = PsaKind> = (url: URL, context?: DetectContext<K>) => DetectedPage<K> | null;

/** An example URL declared next to a detector, with its exact expected result. */
export interface DetectorExample {
  url: string;
  expected: DetectedPage;
}

/**
 * What the DOM says the page shows (lib/detect/dom.ts). `id` as in DetectedPage (canonical
 * decimal record id). `number` is a PSA's display number when the page shows that instead of the
 * id (Kaseya BMS ticket numbers such as `T20231023.0001` or `1187-10232023`); the caller can look
 * it up.
 */
export interface DomPage {
  kind: PageKind;
  id?: string;
  number?: string;
}

/** What a ticket page itself shows about the ticket (ticketHintsFromDom, lib/psa/pages.ts): names only, no ids. */
export interface TicketHints {
  companyName?: string;
  contactName?: string;
}
