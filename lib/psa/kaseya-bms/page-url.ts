/**
 * Kaseya BMS / Pulseway PSA (/ Vorex) page detection: pure URL → page functions, with the example
 * URLs they are tested against declared below them (github-url-detection style).
 * Reference: docs/psa/kaseya-bms.md#hosts and #web-ui.
 *
 * Two UIs coexist on the same host (docs/psa/kaseya-bms.md#two-uis): the legacy ASP.NET WebForms pages
 * (`/MSP/TicketEdit.aspx?ID=N`) and the React SPA under `/react/` with path routes
 * (`/react/servicedesk/tickets/N`). No hash routes exist. Recognised by host: the Kaseya and
 * Pulseway gateway hosts (./hosts.ts) or a host the user configured for Kaseya BMS (custom
 * domains, our emulator). Paths and parameter names are matched case-insensitively.
 *
 * Only ticket shapes are confirmed. No public source shows an account, contact, contract, asset
 * or location URL in either UI; the account shapes below are the best guesses of docs/psa/kaseya-bms.md#two-uis and
 * are marked UNCONFIRMED. dom.ts reads the page for the cases the URL cannot settle.
 */
import { OTHER, isWebUrl, pathSegments, queryParam, recordOrList, toDetectedPage, type HashPage } from '../../detect/record';
import type { DetectedPage, DetectorExample, PageKind } from '../../detect/types';

/**
 * Legacy WebForms pages that show one record, by file name (lower case), with the module folder
 * they live in. The record id is the `ID` query parameter (also in `#aspnetForm[action]`).
 */
const LEGACY_RECORD_PAGES: Readonly<Record<string, { folder: string; kind: PageKind }>> = {
  'ticketedit.aspx': { folder: 'msp', kind: 'ticket' },
  // UNCONFIRMED: "legacy /CRM/AccountEdit.aspx?ID=<accountId>-style pages" is a guess (docs/psa/kaseya-bms.md#two-uis).
  'accountedit.aspx': { folder: 'crm', kind: 'company' },
};

/** Path prefixes of the APIs a gateway host also serves: never pages. */
const API_ROOTS = new Set(['api', 'api2', 'v2', 'swagger']);

/**
 * `api.bms.kaseya.com` etc.: the REST API host is `api.` + the gateway host (docs/psa/kaseya-bms.md#hosts), also for custom
 * domains, so any `api.` host is rejected even when it was configured.
 */
export function isKaseyaBmsApiHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.startsWith('api.') && host.length > 4;
}

/** Kaseya BMS's page for `url` on a host that is BMS's, or null when it is not a BMS UI page. */
export function detectKaseyaBmsUrl(url: URL): DetectedPage<'kaseya-bms'> | null {
  if (!isWebUrl(url) || isKaseyaBmsApiHost(url.hostname)) return null;
  const page = classifyBmsPath(pathSegments(url), url.searchParams);
  return page === null ? null : toDetectedPage('kaseya-bms', page);
}

function classifyBmsPath(segments: string[], query: URLSearchParams): HashPage | null {
  const [first] = segments;
  if (first === undefined) return OTHER;
  // Legacy v1 API `/api/...`, the app's own `/api2/v2/...`, the v2 API and its swagger UI.
  if (API_ROOTS.has(first)) return null;
  if (first === 'react') return classifyReact(segments.slice(1));
  if (segments.length === 2) {
    const [folder, file = ''] = segments;
    const page = Object.hasOwn(LEGACY_RECORD_PAGES, file) ? LEGACY_RECORD_PAGES[file] : undefined;
    if (page !== undefined && page.folder === folder) {
      return legacyRecord(page.kind, query);
    }
  }
  // Ticket lists (`/MSP/TicketsListing.aspx`, `/MSP/MyTickets.aspx`), timesheets, dashboards,
  // `/Finance/*` (quotes, invoices), `/Projects/*`, `/Reports/*`, `/Administration/*` (setup).
  return OTHER;
}

/**
 * The record a legacy page's own form posts back to: ASP.NET renders `#aspnetForm[action]` as the
 * page's file and query (`./TicketEdit.aspx?ID=N`), so it names the record even when the address
 * bar does not. Matched by file name only (a relative action has no folder). Undefined for a form
 * action that is no known record page.
 */
export function classifyKaseyaBmsFormAction(action: string): HashPage | undefined {
  let url: URL;
  try {
    url = new URL(action, 'https://form-action.invalid/');
  } catch {
    return undefined;
  }
  const file = pathSegments(url).at(-1) ?? '';
  if (!Object.hasOwn(LEGACY_RECORD_PAGES, file)) return undefined;
  const page = LEGACY_RECORD_PAGES[file];
  return page === undefined ? undefined : legacyRecord(page.kind, url.searchParams);
}

/**
 * A legacy record page: `ID=N` is the record; without `ID` the kind is still reported so the
 * caller can read `#aspnetForm[action]` (dom.ts); `ID=0` is treated as a new-record form.
 */
function legacyRecord(kind: PageKind, query: URLSearchParams): HashPage {
  const raw = queryParam(query, 'id');
  return raw === undefined ? { kind } : recordOrList(kind, raw);
}

/**
 * React routes (docs/psa/kaseya-bms.md#two-uis, #example-urls): the ticket id is the numeric segment after `tickets`/`mytickets`,
 * under `servicedesk` or a saved view `home/views/{viewId}`. Segments after the id (a tab of the
 * ticket) are not seen in public sources; the record is still that ticket.
 */
function classifyReact(rest: string[]): HashPage {
  const [area, second, third, fourth, fifth] = rest;
  if (area === 'servicedesk' && isTicketCollection(second)) return reactRecord('ticket', third);
  if (area === 'home' && second === 'views' && third !== undefined && isTicketCollection(fourth)) {
    return reactRecord('ticket', fifth);
  }
  // UNCONFIRMED: "React /react/crm/accounts/<accountId>" is a guess (docs/psa/kaseya-bms.md#two-uis).
  if (area === 'crm' && second === 'accounts') return reactRecord('company', third);
  return OTHER;
}

function isTicketCollection(segment: string | undefined): boolean {
  return segment === 'tickets' || segment === 'mytickets';
}

/** No segment: the list. Digits: the record (0 → other). Anything else (`new`): 'other'. */
function reactRecord(kind: PageKind, segment: string | undefined): HashPage {
  if (segment === undefined || !/^\d+$/.test(segment)) return OTHER;
  return recordOrList(kind, segment);
}

// ---------------------------------------------------------------------------------------------
// Examples. Tree-shaken out of the content script (only tests import them). Ids are made up;
// the shapes are those of docs/psa/kaseya-bms.md#two-uis and #example-urls unless marked unconfirmed.

const bms = (kind: PageKind, id?: string): DetectedPage => (id === undefined ? { psa: 'kaseya-bms', kind } : { psa: 'kaseya-bms', kind, id });

export const kaseyaBmsExamples: readonly DetectorExample[] = [
  // Legacy WebForms ticket
  { url: 'https://bms.kaseya.com/MSP/TicketEdit.aspx?ID=1234567', expected: bms('ticket', '1234567') },
  { url: 'https://bmsemea.kaseya.com/MSP/TicketEdit.aspx?ID=13004567', expected: bms('ticket', '13004567') },
  { url: 'https://bmsapac.kaseya.com/msp/ticketedit.aspx?id=42', expected: bms('ticket', '42') },
  { url: 'https://na1bmspreview.kaseya.com/MSP/TicketEdit.aspx?ID=43&tab=activities', expected: bms('ticket', '43') },
  { url: 'https://psa.pulseway.com/MSP/TicketEdit.aspx?ID=44', expected: bms('ticket', '44') },
  { url: 'https://BMS.Kaseya.com/MSP/TicketEdit.aspx?Id=045', expected: bms('ticket', '45') },
  { url: 'https://vorexlogin.com/MSP/TicketEdit.aspx?ID=46', expected: bms('ticket', '46') }, // host unconfirmed
  { url: 'https://www.vorexlogin.com/react/servicedesk/tickets/47', expected: bms('ticket', '47') }, // host unconfirmed
  { url: 'https://bms.kaseya.com/MSP/TicketEdit.aspx', expected: bms('ticket') },
  { url: 'https://bms.kaseya.com/MSP/TicketEdit.aspx?ID=T20231023.0001', expected: bms('ticket') },
  { url: 'https://bms.kaseya.com/MSP/TicketEdit.aspx?ID=0', expected: bms('other') },
  // React ticket
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/1234567', expected: bms('ticket', '1234567') },
  { url: 'https://bmsemea.kaseya.com/react/servicedesk/tickets/1234567', expected: bms('ticket', '1234567') },
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/1234568/', expected: bms('ticket', '1234568') },
  { url: 'https://bms.kaseya.com/react/servicedesk/mytickets/1234569', expected: bms('ticket', '1234569') },
  { url: 'https://bms.kaseya.com/react/home/views/12/mytickets/1234570', expected: bms('ticket', '1234570') },
  { url: 'https://bmsapac.kaseya.com/react/home/views/12/tickets/1234571', expected: bms('ticket', '1234571') },
  { url: 'https://psa.pulseway.com/react/servicedesk/tickets/88', expected: bms('ticket', '88') },
  { url: 'https://bms.kaseya.com/React/ServiceDesk/Tickets/89?tab=details', expected: bms('ticket', '89') },
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/90/activities', expected: bms('ticket', '90') },
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/99999999999', expected: bms('ticket') },
  // Ticket lists and new-ticket forms
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/servicedesk/mytickets', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/home/views/12/tickets', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/new', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/servicedesk/tickets/0', expected: bms('other') },
  { url: 'https://bms.kaseya.com/MSP/TicketsListing.aspx', expected: bms('other') },
  { url: 'https://bms.kaseya.com/MSP/MyTickets.aspx', expected: bms('other') },
  // Accounts (UNCONFIRMED shapes, docs/psa/kaseya-bms.md#two-uis best guesses)
  { url: 'https://bms.kaseya.com/CRM/AccountEdit.aspx?ID=101234', expected: bms('company', '101234') },
  { url: 'https://bms.kaseya.com/crm/accountedit.aspx?id=101235', expected: bms('company', '101235') },
  { url: 'https://bms.kaseya.com/CRM/AccountEdit.aspx', expected: bms('company') },
  { url: 'https://bms.kaseya.com/react/crm/accounts/101236', expected: bms('company', '101236') },
  { url: 'https://bms.kaseya.com/react/crm/accounts', expected: bms('other') },
  // The file decides only in its own folder.
  { url: 'https://bms.kaseya.com/Finance/TicketEdit.aspx?ID=5', expected: bms('other') },
  // Other pages: lists, setup, quotes, invoices, timesheets, home
  { url: 'https://bms.kaseya.com/', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Dashboard/TimesheetEdit.aspx', expected: bms('other') },
  { url: 'https://bms.kaseya.com/CRM/Accounts.aspx', expected: bms('other') },
  { url: 'https://bms.kaseya.com/CRM/ContactEdit.aspx?ID=7', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Finance/QuoteEdit.aspx?ID=300', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Finance/InvoiceEdit.aspx?ID=301', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Projects/ProjectEdit.aspx?ID=302', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Administration/Setup.aspx', expected: bms('other') },
  { url: 'https://bms.kaseya.com/Reports/ReportViewer.aspx?ID=303', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/crm/contacts/7', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/finance/invoices/301', expected: bms('other') },
  { url: 'https://bms.kaseya.com/react/home', expected: bms('other') },
];

/** BMS-flavoured URLs that are not BMS UI pages (without a context naming their host). */
export const kaseyaBmsNearMisses: readonly string[] = [
  // REST API v2 on the api. host, the same-origin API the app calls, legacy v1, swagger.
  'https://api.bms.kaseya.com/v2/servicedesk/tickets/1234567',
  'https://api.bmsemea.kaseya.com/v2/crm/accounts/summary?PageSize=100&PageNumber=1',
  'https://api.psa.pulseway.com/v2/security/authenticate',
  'https://api.bms.kaseya.com/swagger/index.html',
  'https://api.bms.kaseya.com/react/servicedesk/tickets/1234567',
  'https://bms.kaseya.com/api2/v2/servicedesk/tickets/1234567',
  'https://bms.kaseya.com/api/servicedesk/tickets/17',
  'https://bms.kaseya.com/API/crm/accounts/34567',
  'https://bms.kaseya.com/v2/servicedesk/tickets/1234567',
  'https://bms.kaseya.com/swagger/v2/swagger.json',
  // Kaseya's and Pulseway's other sites, lookalike hosts.
  'https://www.kaseya.com/products/bms/',
  'https://kaseya.com/MSP/TicketEdit.aspx?ID=1',
  'https://helpdesk.kaseya.com/hc/en-gb/articles/4407526882577',
  'https://my-tenant.bms.kaseya.com/MSP/TicketEdit.aspx?ID=1',
  'https://bms.kaseya.com.evil.com/MSP/TicketEdit.aspx?ID=1',
  'https://www.pulseway.com/psa',
  'https://pulseway.com/react/servicedesk/tickets/1',
  'https://evil.com/?next=https://bms.kaseya.com/MSP/TicketEdit.aspx?ID=1',
  // BMS paths on a host nobody configured for BMS (custom domains need a context entry).
  'https://psa.example.com/MSP/TicketEdit.aspx?ID=1',
  'https://psa.example.com/react/servicedesk/tickets/1',
  'http://127.0.0.1:5001/MSP/TicketEdit.aspx?ID=1',
  // Not http(s).
  'ftp://bms.kaseya.com/MSP/TicketEdit.aspx?ID=1',
  'view-source:https://bms.kaseya.com/react/servicedesk/tickets/1',
];
