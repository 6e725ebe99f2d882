/**
 * HaloPSA (also HaloITSM, HaloServiceDesk) page detection: pure URL → page functions, with the
 * example URLs they are tested against declared below them (github-url-detection style).
 * Reference: docs/psa/halo.md#hosts and #agent-app-routes, #portal-routes.
 *
 * Halo is a React SPA that addresses records by query parameters on a few generic paths
 * (`/tickets?id=N`, `/customers?clientid=N`), so unlike ConnectWise it is recognised by host:
 * `{tenant}.halopsa.com`, `.haloitsm.com`, `.haloservicedesk.com`, or a host the user configured
 * for Halo (on-premises and vanity domains, our emulator): the caller settles the host (hosts.ts,
 * lib/detect/page-detection.ts). Path segments and
 * parameter names are matched case-insensitively, like the app routes them.
 */
import { OTHER, isWebUrl, pathSegments, queryParam, recordOrList, toDetectedPage, type HashPage } from '../../detect/record';
import type { DetectedPage, DetectorExample, PageKind } from '../../detect/types';

/** Halo's page for `url` on a host that is Halo's, or null when it is not a Halo UI page. */
export function detectHaloUrl(url: URL): DetectedPage<'halo'> | null {
  if (!isWebUrl(url)) return null;
  const page = classifyHaloPath(pathSegments(url), url.searchParams);
  return page === null ? null : toDetectedPage('halo', page);
}

function classifyHaloPath(segments: string[], query: URLSearchParams): HashPage | null {
  const [first] = segments;
  // The resource server (`/api/...`) and the authorisation server (`/auth/...`, also the login
  // screens) share the app's host but are not record pages.
  if (first === 'api' || first === 'auth') return null;
  if (first === 'portal') return classifyPortal(segments.slice(1), query);
  // Every record route is one segment deep; `/config/...` screens carry `id=` for agents, roles,
  // templates and must never read as records (docs/psa/halo.md#agent-app-routes).
  if (segments.length !== 1) return OTHER;
  switch (first) {
    case 'tickets':
      // Tickets, projects, opportunities and changes all live here; `area`, `mainview`, `viewid`,
      // `selid`, `sellevel`, `selparentid`, `showalltickettypes`, `view`, `showmenu` are list
      // state the app keeps beside the id. No `id`: the list itself. `id=-1`: new-ticket form.
      // `faultid` (the API's old name for a ticket) is accepted as HaloPlus does.
      return recordOrList('ticket', queryParam(query, 'id') ?? queryParam(query, 'faultid'));
    case 'ticket':
      // UNCONFIRMED: the agent app uses `/tickets`; `/ticket?id=` is the portal's shape (docs/psa/halo.md#agent-app-routes).
      // Kept for a portal served from its own host without the `/portal` prefix, and because
      // HaloPlus tolerates it.
      return recordOrList('ticket', queryParam(query, 'id'));
    case 'customers':
      return classifyCustomers(query);
    case 'assets':
      // `/assets?id=N` is seen; `assetid` is not, but HaloPlus reads it too.
      return recordOrList('configuration', queryParam(query, 'id') ?? queryParam(query, 'assetid'));
    case 'contracts':
      // UNCONFIRMED: no public contract URL exists (docs/psa/halo.md#agent-app-routes, Contract row: unverified); this
      // follows the suggestion there (path + numeric id/contractid).
      return recordOrList('agreement', queryParam(query, 'id') ?? queryParam(query, 'contractid'));
    default:
      // KB (`/kb?id=`), reports, quotes/orders, invoices, items, calendars, dashboards, home.
      return OTHER;
  }
}

/** `/customers` shows clients, sites and users; `mainview` picks which (docs/psa/halo.md#agent-app-routes). */
function classifyCustomers(query: URLSearchParams): HashPage {
  const view = queryParam(query, 'mainview')?.toLowerCase();
  if (view === 'site') return recordOrList('site', queryParam(query, 'siteid'));
  if (view === 'user') return recordOrList('contact', queryParam(query, 'userid'));
  // The short form `/customers?clientid=N` has no mainview. `clientid` beside `siteid` without
  // `mainview=site` is the client.
  if (view === undefined || view === 'client') return recordOrList('company', queryParam(query, 'clientid'));
  return OTHER;
}

/**
 * The self-service portal (docs/psa/halo.md#portal-routes): an end-user surface, so only its ticket page is a record.
 * `/portal/opportunity?id=N` stays 'other' (an opportunity is not a service ticket to the end
 * user), as do home, ticket lists, KB, services, approvals, settings and unknown paths.
 */
function classifyPortal(rest: string[], query: URLSearchParams): HashPage {
  if (rest.length === 1 && rest[0] === 'ticket') return recordOrList('ticket', queryParam(query, 'id'));
  return OTHER;
}

// ---------------------------------------------------------------------------------------------
// Examples. Tree-shaken out of the content script (only tests import them). Hosts and ids are
// made up; the shapes are those of docs/psa/halo.md#agent-app-routes, #portal-routes and #example-urls (proips' `/tickets?&id=` link is a real shape).

const halo = (kind: PageKind, id?: string): DetectedPage => (id === undefined ? { psa: 'halo', kind } : { psa: 'halo', kind, id });

export const haloExamples: readonly DetectorExample[] = [
  // Tickets
  { url: 'https://acme.halopsa.com/tickets?id=1234', expected: halo('ticket', '1234') },
  { url: 'https://acme.halopsa.com/tickets?area=2&mainview=myviews&viewid=4&selid=15&sellevel=1&id=1234', expected: halo('ticket', '1234') },
  { url: 'https://acme.halopsa.com/tickets?showmenu=false&selid=0&viewid=0&area=1&id=55871', expected: halo('ticket', '55871') },
  { url: 'https://acme.halopsa.com/tickets?id=990&showalltickettypes=true&view=kanban&selparentid=3', expected: halo('ticket', '990') },
  { url: 'https://acme.halopsa.com/tickets?&id=4711', expected: halo('ticket', '4711') },
  { url: 'https://acme.halopsa.com/Tickets?ID=0012', expected: halo('ticket', '12') },
  { url: 'https://acme.halopsa.com/tickets/?id=77#actions', expected: halo('ticket', '77') },
  { url: 'https://helpdesk.haloitsm.com/tickets?area=13&id=208', expected: halo('ticket', '208') },
  { url: 'https://support.haloservicedesk.com/tickets?id=31', expected: halo('ticket', '31') },
  { url: 'https://acme.halopsa.com/tickets?faultid=4242', expected: halo('ticket', '4242') },
  { url: 'https://acme.halopsa.com/tickets?id=abc', expected: halo('ticket') },
  { url: 'https://acme.halopsa.com/tickets?id=99999999999', expected: halo('ticket') },
  { url: 'https://acme.halopsa.com/ticket?id=321', expected: halo('ticket', '321') }, // unconfirmed shape
  // New ticket, ticket lists
  { url: 'https://acme.halopsa.com/tickets?id=-1', expected: halo('other') },
  { url: 'https://acme.halopsa.com/tickets?area=1&id=-1&tickettype_id=3', expected: halo('other') },
  { url: 'https://acme.halopsa.com/tickets?id=0', expected: halo('other') },
  { url: 'https://acme.halopsa.com/tickets?area=2&mainview=myviews&viewid=4&selid=15&sellevel=1', expected: halo('other') },
  { url: 'https://acme.halopsa.com/tickets', expected: halo('other') },
  // Clients, sites, users
  { url: 'https://acme.halopsa.com/customers?clientid=12', expected: halo('company', '12') },
  { url: 'https://acme.halopsa.com/customers?mainview=client&clientid=12', expected: halo('company', '12') },
  {
    url: 'https://acme.halopsa.com/customers?mainview=client&inactive=false&hideinternal=false&serviceaccounts=true&nonserviceaccounts=true&clientid=345',
    expected: halo('company', '345'),
  },
  { url: 'https://acme.halopsa.com/Customers?MainView=Client&ClientID=346', expected: halo('company', '346') },
  { url: 'https://acme.halopsa.com/customers?clientid=12&siteid=3', expected: halo('company', '12') },
  { url: 'https://acme.halopsa.com/customers?mainview=site&siteid=20', expected: halo('site', '20') },
  { url: 'https://acme.halopsa.com/customers?mainview=site&clientid=12&siteid=21', expected: halo('site', '21') },
  { url: 'https://acme.halopsa.com/customers?mainview=user&userid=44', expected: halo('contact', '44') },
  {
    url: 'https://acme.halopsa.com/customers?mainview=user&inactive=false&hidegeneral=true&hideagents=true&hidedefaultsite=false&userid=45',
    expected: halo('contact', '45'),
  },
  { url: 'https://acme.halopsa.com/customers', expected: halo('other') },
  { url: 'https://acme.halopsa.com/customers?mainview=site', expected: halo('other') },
  { url: 'https://acme.halopsa.com/customers?mainview=user&clientid=12', expected: halo('other') },
  { url: 'https://acme.halopsa.com/customers?clientid=-1', expected: halo('other') },
  // Assets, contracts (unconfirmed)
  { url: 'https://acme.halopsa.com/assets?id=32', expected: halo('configuration', '32') },
  { url: 'https://acme.halopsa.com/assets?assetid=33', expected: halo('configuration', '33') },
  { url: 'https://acme.halopsa.com/assets', expected: halo('other') },
  { url: 'https://acme.halopsa.com/contracts?id=8', expected: halo('agreement', '8') },
  { url: 'https://acme.halopsa.com/contracts?contractid=9', expected: halo('agreement', '9') },
  // Configuration screens, KB, reports, quotes, orders, invoices, items: 'other'
  { url: 'https://acme.halopsa.com/config/agents/agents?agentid=3', expected: halo('other') },
  { url: 'https://acme.halopsa.com/config/agents/teams?teamid=2', expected: halo('other') },
  { url: 'https://acme.halopsa.com/config/reports/pdftemplates?type=2&id=14', expected: halo('other') },
  { url: 'https://acme.halopsa.com/config/agents/roles?id=5f0b6c3e-8a1d-4b7e-9c2f-1d3e4f5a6b7c', expected: halo('other') },
  { url: 'https://acme.halopsa.com/config/tickets?id=1234', expected: halo('other') },
  { url: 'https://acme.halopsa.com/config', expected: halo('other') },
  { url: 'https://acme.halopsa.com/kb?id=101', expected: halo('other') },
  { url: 'https://acme.halopsa.com/reports?id=7', expected: halo('other') },
  { url: 'https://acme.halopsa.com/reports?mainview=reportgroup&selid=3&sellevel=1', expected: halo('other') },
  { url: 'https://acme.halopsa.com/orders?mainview=quotes&selid=-1&sellevel=1&quoteid=88', expected: halo('other') },
  { url: 'https://acme.halopsa.com/orders?mainview=salesorders&salesorderid=89', expected: halo('other') },
  { url: 'https://acme.halopsa.com/invoices?mainview=invoices&selid=-1&sellevel=1&invoiceid=90', expected: halo('other') },
  { url: 'https://acme.halopsa.com/items?itemid=91', expected: halo('other') },
  { url: 'https://acme.halopsa.com/', expected: halo('other') },
  { url: 'https://acme.halopsa.com/calendar', expected: halo('other') },
  // Self-service portal
  { url: 'https://acme.halopsa.com/portal/ticket?id=1234', expected: halo('ticket', '1234') },
  { url: 'https://acme.halopsa.com/Portal/Ticket?ID=1235', expected: halo('ticket', '1235') },
  { url: 'https://acme.halopsa.com/portal/ticket', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/home', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/tickets?viewid=1', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/opportunity?id=1236', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/kb?btn=46&faqlist=1&id=12', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/newticket', expected: halo('other') },
  { url: 'https://acme.halopsa.com/portal/settings?tab=preferences', expected: halo('other') },
];

/** Halo-flavoured URLs that are not Halo UI pages (without a context naming their host). */
export const haloNearMisses: readonly string[] = [
  // The resource and authorisation servers on the app host.
  'https://acme.halopsa.com/api/Tickets/1234',
  'https://acme.halopsa.com/api/tickets?id=1234',
  'https://acme.halopsa.com/API/Client?pageinate=true&page_size=50&page_no=1',
  'https://acme.halopsa.com/api/authinfo',
  'https://acme.halopsa.com/auth/token?tenant=acme',
  'https://acme.halopsa.com/auth/.well-known/openid-configuration',
  // Halo's own websites and lookalike hosts.
  'https://halopsa.com/tickets?id=1234',
  'https://www.halopsa.com/tickets?id=1234',
  'https://haloitsm.com/customers?clientid=12',
  'https://usehalo.com/halopsa/guides/tickets?id=1',
  'https://acme.halopsa.com.evil.com/tickets?id=1234',
  'https://acmehalopsa.com/tickets?id=1234',
  'https://acme.halopsa.co/tickets?id=1234',
  'https://evil.com/?next=https://acme.halopsa.com/tickets?id=1234',
  'https://evil.com/halopsa.com/tickets?id=1234',
  // Halo's paths on a host nobody configured for Halo (self-hosted needs a context entry).
  'https://helpdesk.example.com/tickets?id=1234',
  'https://helpdesk.example.com/customers?mainview=client&clientid=12',
  'http://127.0.0.1:5000/tickets?id=5',
  // Not http(s).
  'ftp://acme.halopsa.com/tickets?id=1234',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop/tickets?id=1234',
  'view-source:https://acme.halopsa.com/tickets?id=1234',
];
