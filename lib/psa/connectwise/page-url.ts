// Over 300 lines on purpose: each URL shape's detector sits beside the real example URLs it is tested against, and ConnectWise has the most shapes (aspx routes, rails forms, hash states).
/**
 * ConnectWise Manage (ConnectWise PSA) page detection: pure URL → page functions, with the
 * example URLs they are tested against declared below them (github-url-detection style).
 * Reference: docs/psa/connectwise.md#hosts and #record-urls (web UI URL forms A–L).
 *
 * ConnectWise is recognised by its path, not its host: on-premises servers run on any host name
 * (and our emulator on 127.0.0.1), so `/{codebase}/ConnectWise.aspx` or
 * `/{codebase}/services/system_io/…` on any http(s) host counts. A lookalike host such as
 * `myconnectwise.net.evil.com` with that path is therefore detected too; that is fine, because
 * the content script only runs on origins the user granted, and the path is what makes a page a
 * ConnectWise page. A ConnectWise-looking string anywhere else (query of another site, a
 * different path depth) never matches.
 */
import type { DetectedPage, DetectorExample, PageKind } from '../../detect/types';
import { parseRecordId, type HashPage } from '../../detect/record';
import { classifyHash } from './page-hash';

/** Cloud domains (docs/psa/connectwise.md#hosts, #match-patterns). Only used to reject their `api-` hosts: the path decides the rest. */
export const CONNECTWISE_CLOUD_DOMAINS = ['myconnectwise.net', 'connectwise.net', 'myconnectwise.com', 'connectwisedev.com'] as const;

/** `v4_6_release` (on-prem, also served by cloud) or a release codebase such as `v2025_1`. */
const CODEBASE = /^v(?:4_6_release|\d{4}_\d{1,2})$/;

/** `routeTo` / `recordType` values (lower-cased) that open a record we care about (docs/psa/connectwise.md#record-urls, forms A–G). */
const ROUTE_KINDS: Readonly<Record<string, PageKind>> = {
  servicefv: 'ticket',
  companyfv: 'company',
  accountfv: 'company',
  contactfv: 'contact',
  configfv: 'configuration',
  agreementfv: 'agreement',
  // TimeEntryFV, OpportunityFV, ActivityFV, ProjectHeaderFV and anything new: 'other'.
};

/** `api-na.myconnectwise.net` etc. serve only the REST API, never the UI. */
export function isConnectWiseApiHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.startsWith('api-') && CONNECTWISE_CLOUD_DOMAINS.some((domain) => host.endsWith(`.${domain}`));
}

/** ConnectWise's page for `url`, or null when it is not a ConnectWise UI page. */
export function detectConnectWise(url: URL): DetectedPage<'connectwise'> | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (isConnectWiseApiHost(url.hostname)) return null;
  // Empty segments are dropped: real links contain `v2024_1//ConnectWise.aspx`.
  const segments = url.pathname
    .toLowerCase()
    .split('/')
    .filter((s) => s !== '');
  const [codebase, ...rest] = segments;
  if (codebase === undefined || !CODEBASE.test(codebase)) return null;
  const fromPath = classifyPath(rest, url.searchParams);
  if (fromPath === null) return null;
  return toPage(preferHash(fromPath, classifyHash(url.hash)));
}

/** True when `url` is a ConnectWise page of that kind (the per-kind predicates). */
export function isConnectWisePage(url: URL, kind: PageKind): boolean {
  return detectConnectWise(url)?.kind === kind;
}

function classifyPath(rest: string[], query: URLSearchParams): HashPage | null {
  const [first, second] = rest;
  if (rest.length === 1 && (first === 'connectwise.aspx' || first === 'connectwise.html')) {
    // Forms A–F (and the plain entry page, which is 'other').
    const kind = routeKind(param(query, 'routeto'));
    const id = param(query, 'recid') ?? (kind === 'ticket' ? param(query, 'srrecid') : undefined);
    return recordPage(kind, id);
  }
  if (first !== 'services' || second !== 'system_io' || rest.length < 3) return null;
  const tail = rest.slice(2).join('/');
  if (tail === 'router/openrecord.rails') {
    // Form G: a deep-link router; recid=0 opens a new-record form.
    return recordPage(routeKind(param(query, 'recordtype')), param(query, 'recid'));
  }
  if (tail === 'service/fv_sr100_request.rails') {
    // Form H: the ticket stays on this pathname.
    return recordPage('ticket', param(query, 'service_recid'));
  }
  // The app's own XHR endpoints (docs/psa/connectwise.md#internal-app-endpoints) are an API, not a page.
  if (tail.startsWith('actionprocessor/')) return null;
  return { kind: 'other' };
}

function routeKind(route: string | undefined): PageKind {
  const key = route?.toLowerCase();
  return key !== undefined && Object.hasOwn(ROUTE_KINDS, key) ? (ROUTE_KINDS[key] ?? 'other') : 'other';
}

function recordPage(kind: PageKind, rawId: string | undefined): HashPage {
  if (kind === 'other') return { kind };
  const id = parseRecordId(rawId);
  if (id === 0) return { kind: 'other' }; // new-record form: nothing synced to show
  // A record kind without a usable id is still reported, so the caller can read the DOM.
  return id === undefined ? { kind } : { kind, id };
}

/**
 * The hash is the app's current screen; the query is only how the tab was first opened (it is
 * kept while the user navigates elsewhere inside the SPA). So the hash wins, except that a hash
 * naming the same kind without an id borrows the id from the query.
 */
function preferHash(fromPath: HashPage, fromHash: HashPage | undefined): HashPage {
  if (fromHash === undefined) return fromPath;
  if (fromHash.id === undefined && fromHash.kind === fromPath.kind) return fromPath;
  return fromHash;
}

function toPage({ kind, id }: HashPage): DetectedPage<'connectwise'> {
  return id === undefined ? { psa: 'connectwise', kind } : { psa: 'connectwise', kind, id };
}

/** First non-empty value of a query parameter, name matched case-insensitively. */
function param(query: URLSearchParams, lowerName: string): string | undefined {
  for (const [key, value] of query) {
    if (value !== '' && key.toLowerCase() === lowerName) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Examples. Tree-shaken out of the content script (only tests import them).
// Hosts `connect.meriplex.com`, `cw2.dcstopeka.com`, `cwdev.meriplex.com` and the `XQAA…` hashes
// marked "real" come from public links (docs/psa/connectwise.md#hosts, #record-urls); ids elsewhere are made up.

const cw = (kind: PageKind, id?: string): DetectedPage<'connectwise'> => (id === undefined ? { psa: 'connectwise', kind } : { psa: 'connectwise', kind, id });

// Compressed states. "real": copied from public links. "made": encoded with Python's
// lzma.FORMAT_ALONE (unknown-size + end-marker variant) because no public ticket state exists.
const REAL_SETUP_TABLES =
  'XQAACAD3AAAAAAAAAAA9iIoG07$U9XZqpLgsNhRsIxDiSt5jjN5fOx8L26COGHXJa4h4YruSL$0AZMlhTU5vIbaU21bIUdSioQiQpXPcKuNyFjs2UnA1AusSgAyO2LVSFfNdH_QbesxRhExr1opBoiLoeY6x591qsmeOKcRMGrFo23CHoM_nQds7FdfNY7tWYD0l3PUVvskRgAIyj3py3Ix1vp__if8AAA==';
const REAL_PRODUCT_LIST =
  'XQAACABaAAAAAAAAAAA9iIoG07$U9XZqpLgsNh4oLBjXAw2UR$ZvUcrqictbnx0_BMcdsZ5Q6OJUFtMBn7ZMg_hpPtbY6QBMfpTesM7HmABVL$17jeTldcZjnDRx$8BFgA==';
const REAL_BOARD =
  'XQAACACcAQAAAAAAAAA9iIoG07$U9XZqpLgsNhRsI0O_rEHSzQCIbZUnpNMnJHh0NVQu8_9CNKe1j4TEYyVEdozpnPQYwn2gHajNKgAhBQ4qyXulgFoHPkqbF7cPfraUe46uW_k4OgSN159DL3G5fxtlMUXJDZKDNh2SwRdfedRXG0hAOkUKYzWib8MBD79p7v1Say1m82f4d9d_jr3kJNeiSsjWbqQF4KrfCnUdS6G$P7bjyHwTH$DzOFUxpwlaeAVL$dH8gw==';
const REAL_BOARD_2 =
  'XQAACADDAwAAAAAAAAA9iIoG07$U9W$OXqU2f868IPYhCwZbCCkqIYRFHeyR$YSSk0sjl7aoF9AsnZZhVeOB946uvkjbEleT3$QSnKOPbfpwf5Rpm4pnPk1eG4JyNyw4s7vLKmXij22FiyTB2oZqWkMCXeweztjksT8JcyXpS28QKVqeMlfeQIvA6iv_pI0FYhAHuS0e3Vbt$Zuae_TWOIh8pyoekVhIeLWFUx_iHiIqFKZ0IFkX0MfeFPUaeW$zvKgRLesGKter7cZIwQmc4Y8195JVWByziRMs2$xmbn18d0ZwG_Ib9tkU6VB9_Ub4niPdSZ$nHIDC$UVoVEOC1Fb8ofrtjiSViR9pq753hcTAPM$PSGDKQQ4djIuGXbE1ZZ0YRUI$qlQONhHfCLrqlUVDP$dCYMDBOkko2Spdq3Z2q$tdG7BACM$b$uAF0IEoXGYAAqoKelgCSjAJ$$Bz93AIVMAy8miuOgfwl$8KxX3SNWL_84lOAA==';
const REAL_CALENDAR = // no `=` padding in the original
  'XQAACAAIAQAAAAAAAAA9iIoG07$U9W$XoZrQZV53xmzzTvE8Ibss$VHxl7o9pHfOfx3HsqiLhsuU5XFJlTJz04IgK3drE6m_Ze1vsxLYqBMDWQ0uF4WhvJRxxxYyVMOxUtq$BIlPW0k_jvLCp7qVoEnTD7sTRc5cNkjk_H4RybGIuESdbTgnJsF9BxGNDIEGY3yHs4bx5Ap_ns7$VXoKfTloL4pIyGGYr0oMBre26tgNg8MPNrLDJruZ9flC$eOfgD1YrKOcyf_yZtgA';
const REAL_MY_ACCOUNT =
  'XQAACAC6AAAAAAAAAAA9iIoG07$U9XgivLgsNhRr_aVD2cDkUEZ61FkRVypyQ0Tdh$QkTf7YBX0O1O4KmbnUQ73TJWM6ddqb__d0mWQmBDNrguYuixb97BxCC77xB01FsPa0AhzQHRnGZoXPngWtu7r2zGeRI5wJkXljaKgVLQBCGLhnoMdn1hUUitcluO66_85tEAA=';
/** made: {"pid":6, "p":"sr100", "s":{"p":{"pid":184, "rd":123456, "screenid":"sr100"}}, "rnd":0.5812} */
const MADE_TICKET = 'XQAAEAD__________wA9iIoG07$U9XZqpLgsNhRsI0O9hJXSzQCIbO8q36oQxGeYxEBUKL6r4weVcXFJpGT3NO1x9j4TJVst$82p$$zGka$dPXVzFL__jMegAA';
/** made: sr100 whose id sits in a nested panel: {…"p_0":{"pid":63, "rd":0}, "p_1":{"pid":64, "rd":987654}…} */
const MADE_TICKET_NESTED =
  'XQAAEAD__________wA9iIoG07$U9XZqpLgsNhRsI0O9hJXSzQCIbO8q32ONPjH9ylGNq01khBSXFO$HIDuhQmNe5TNt5PXe_ZbhgnX56xbOjXhS8S91HXKd7Ss_N1X7VoWA';
/** made: the unverified state a public bot writes: {"ticketId":31641,"memberId":"DHenderson",…} (no `rd`) */
const MADE_BOT_TICKET = 'XQAAEAD__________wA9iIqG07gGEVSEP9rZLavV6U1SsHI2S$49TGEYpReRr96hnAc3nlR3gqvHI2X4RObss7fgocZLHPyc4QYTPKg3bSivEJDGIy7qgDt4X__d7uAA';
/** made: unknown screen "company_detail" with rd 250; the `??CompanyDetail` label decides the kind */
const MADE_COMPANY = 'XQAAEAD__________wA9iIoG07$U9Xuxn0QUk1pzbX_W1uOUjSsATDqVW11AfL6s$sYq_AaQBlMT1SWnia5ECb8ykn_xPzOn3SCjUAQrUn_8_jJA';

const SR150_STATE = '{"p":"sr150","s":{"p":{"pid":184,"rd":654321,"screenid":"sr100"}}}';
const ACTIVITY_STATE = '{"p":"activity_detail","s":{"p":{"pid":3,"rd":88123,"compId":0,"contId":0,"oppid":0}}}';

export const connectwiseExamples: readonly DetectorExample[] = [
  // A: routeTo=ServiceFV (recid or srRecID)
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=123456', expected: cw('ticket', '123456') },
  {
    url: 'https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&companyName=acme&recid=987654',
    expected: cw('ticket', '987654'),
  },
  { url: 'https://eu.myconnectwise.net/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=55012', expected: cw('ticket', '55012') },
  {
    url: 'https://na.myconnectwise.net/v2024_1//ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&srRecID=368832&fullscreen=false&chat=false',
    expected: cw('ticket', '368832'),
  },
  // Truncated (undecodable) hash from a real link: the query still decides.
  {
    url: 'https://na.myconnectwise.net/v2024_1//ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&srRecID=368832&fullscreen=false&chat=false#XQAACADP[…]_9UHgAA=',
    expected: cw('ticket', '368832'),
  },
  { url: 'https://aus.myconnectwise.net/v2023_2/connectwise.aspx?locale=en_AU&ROUTETO=SERVICEFV&RecID=4411', expected: cw('ticket', '4411') },
  { url: 'https://za.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&locale=en-US&routeTo=ServiceFv&recid=000789', expected: cw('ticket', '789') },
  {
    url: 'https://au.myconnectwise.net/v2022_2/ConnectWise.aspx?locale=en_AU&routeTo=ServiceFV&srrecid=20417&session=new&usehttps=1',
    expected: cw('ticket', '20417'),
  },
  { url: 'https://staging.connectwisedev.com/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=12&session=new', expected: cw('ticket', '12') },
  { url: 'https://acme.myconnectwise.com/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=77', expected: cw('ticket', '77') },
  { url: 'https://na.connectwise.net/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=78', expected: cw('ticket', '78') },
  { url: 'http://127.0.0.1:43127/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=1001', expected: cw('ticket', '1001') },
  // On-prem rule: the path decides, whatever the host looks like.
  { url: 'https://myconnectwise.net.evil.com/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1', expected: cw('ticket', '1') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV', expected: cw('ticket') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=abc', expected: cw('ticket') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=0', expected: cw('other') },
  // B, C: company (AccountFV / CompanyFV); spinen's ConnectWise.html with duplicated locale
  { url: 'https://manage.example.com/v4_6_release/ConnectWise.aspx?routeTo=AccountFV&recid=250', expected: cw('company', '250') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=19297', expected: cw('company', '19297') },
  {
    url: 'https://na.myconnectwise.net/v2019_3/ConnectWise.html?locale=en_US&locale=en_US&routeTo=CompanyFv&recid=2611&companyName=acme',
    expected: cw('company', '2611'),
  },
  { url: 'https://cw2.dcstopeka.com/v4_6_release/ConnectWise.aspx?routeTo=CompanyFV&recid=0&newWindow=false', expected: cw('other') },
  // D: contact
  { url: 'https://connectwise.databranch.com/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ContactFV&recid=8812', expected: cw('contact', '8812') },
  // E: configuration
  { url: 'https://manage.example.com/v4_6_release/ConnectWise.aspx?routeTo=ConfigFV&recid=42', expected: cw('configuration', '42') },
  { url: 'https://eu.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_GB&routeTo=configfv&recid=31337&usehttps=1', expected: cw('configuration', '31337') },
  // Agreement via routeTo
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=AgreementFV&recid=511', expected: cw('agreement', '511') },
  // F and other non-synced record screens: 'other'
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=TimeEntryFV&recid=2204455', expected: cw('other') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?routeTo=OpportunityFV&recid=3120', expected: cw('other') },
  { url: 'https://manage.velomethod.com/v4_6_release/ConnectWise.aspx?routeTo=ActivityFV&recid=88123', expected: cw('other') },
  { url: 'https://manage.velomethod.com/v4_6_release/ConnectWise.aspx?routeTo=ProjectHeaderFV&recid=640', expected: cw('other') },
  { url: 'https://manage.velomethod.com/v4_6_release/ConnectWise.aspx?routeTo=SomeFutureFV&recid=3', expected: cw('other') },
  // G: openrecord.rails router
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=CompanyFV&recid=250&companyName=acme',
    expected: cw('company', '250'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=ContactFV&recid=7&companyName=acme',
    expected: cw('contact', '7'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=AgreementFV&recid=3&companyName=acme',
    expected: cw('agreement', '3'),
  },
  {
    url: 'https://connect.meriplex.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=ServiceFv&recid=1845512&companyName=meriplex',
    expected: cw('ticket', '1845512'),
  },
  {
    url: 'https://na.myconnectwise.net/v2025_1/services/system_io/router/openrecord.rails?locale=en_US&recordType=ConfigFv&recid=90210&companyName=acme',
    expected: cw('configuration', '90210'),
  },
  {
    url: 'https://connect.meriplex.com/V4_6_RELEASE/Services/System_IO/Router/OpenRecord.rails?RECORDTYPE=companyfv&RecID=250',
    expected: cw('company', '250'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=CompanyFV&recid=0&newWindow=false',
    expected: cw('other'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=OpportunityFv&recid=3120&companyName=acme',
    expected: cw('other'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=ActivityFv&recid=88123&companyName=acme',
    expected: cw('other'),
  },
  {
    url: 'https://manage.example.com/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=ProjectHeaderFV&recid=640&companyName=acme',
    expected: cw('other'),
  },
  // H: fv_sr100_request.rails
  { url: 'https://manage.example.com/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=123456', expected: cw('ticket', '123456') },
  {
    url: 'https://connect.meriplex.com/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1801234&companyName=meriplex',
    expected: cw('ticket', '1801234'),
  },
  { url: 'https://na.myconnectwise.net/v2025_1/services/system_io/service/FV_SR100_REQUEST.rails?Service_RecID=998877', expected: cw('ticket', '998877') },
  { url: 'https://manage.example.com/v4_6_release/services/system_io/Service/fv_sr100_request.rails', expected: cw('ticket') },
  // I: plain hash state, URL-encoded or not (screenid sr100 inside sr150)
  {
    url: `https://na.myconnectwise.net/v2025_1/connectwise.aspx?fullscreen=false&locale=en_US#startscreen=sr150&state=${encodeURIComponent(SR150_STATE)}`,
    expected: cw('ticket', '654321'),
  },
  {
    url: `https://connect.meriplex.com/v4_6_release/connectwise.aspx?fullscreen=false&locale=en_US#startscreen=sr150&state=${SR150_STATE}`,
    expected: cw('ticket', '654321'),
  },
  // J: activity detail; K: list screens
  { url: `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#startscreen=activity_detail&state=${ACTIVITY_STATE}`, expected: cw('other') },
  { url: 'https://eu.myconnectwise.net/v2025_1/connectwise.aspx?fullscreen=false&locale=en_US#startscreen=sr200', expected: cw('other') },
  { url: 'https://na.myconnectwise.net/v2025_1/connectwise.aspx?fullscreen=false&locale=en_US#startscreen=my_calendar', expected: cw('other') },
  // L: compressed state (real)
  { url: `https://cwdev.meriplex.com/v4_6_release/ConnectWise.aspx?locale=en_US#${REAL_SETUP_TABLES}`, expected: cw('other') },
  { url: `https://connect.meriplex.com/v4_6_release/ConnectWise.aspx?locale=en_US#${REAL_PRODUCT_LIST}??ProductList`, expected: cw('other') },
  { url: `https://connect.meriplex.com/v4_6_release/ConnectWise.aspx?locale=en_US&session=new#${REAL_BOARD}??ServiceBoard`, expected: cw('other') },
  { url: `https://cw2.dcstopeka.com/v4_6_release/connectwise.aspx?fullscreen=false&locale=en_US#${REAL_BOARD_2}??ServiceBoard`, expected: cw('other') },
  { url: `https://na.myconnectwise.net/v2024_1/connectwise.aspx?fullscreen=false&locale=en_US#${REAL_CALENDAR}??CalendarSchedule`, expected: cw('other') },
  { url: `https://na.myconnectwise.net/v2025_1/connectwise.aspx?fullscreen=false&locale=en_US#${REAL_MY_ACCOUNT}`, expected: cw('other') },
  // The app moved from the ticket it was opened on to a board: the hash wins.
  {
    url: `https://connect.meriplex.com/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=5#${REAL_BOARD}??ServiceBoard`,
    expected: cw('other'),
  },
  // L: compressed state (made) and label-only fallbacks
  { url: `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#${MADE_TICKET}??ServiceTicket`, expected: cw('ticket', '123456') },
  { url: `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&session=new#${MADE_TICKET_NESTED}`, expected: cw('ticket', '987654') },
  { url: `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#${MADE_BOT_TICKET}??ServiceTicket`, expected: cw('ticket') },
  { url: `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#${MADE_COMPANY}??CompanyDetail`, expected: cw('company', '250') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#XQAACADnotReallyLzmaButLongEnough??ServiceTicket', expected: cw('ticket') },
  {
    url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=5#XQAACADnotReallyLzmaButLongEnough??serviceticket',
    expected: cw('ticket', '5'),
  },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#XQAACADnotReallyLzmaButLongEnough??CompanyServiceList', expected: cw('other') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#XQAACADnotReallyLzmaButLongEnough??DispatchSchedule', expected: cw('other') },
  // Plain entry page and other system_io pages
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US', expected: cw('other') },
  { url: 'https://manage.velomethod.com/v4_6_release/ConnectWise.aspx', expected: cw('other') },
  { url: 'https://verk.thekking.is/v4_6_release/ConnectWise.html?locale=en_US&srRecID=4411', expected: cw('other') },
  { url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#top', expected: cw('other') },
  { url: 'https://connectwise.deandorton.com/v4_6_release/services/system_io/reportwriter/report.rails?id=12', expected: cw('other') },
];

/** ConnectWise-flavoured URLs that are not ConnectWise UI pages. */
export const connectwiseNearMisses: readonly string[] = [
  'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/service/tickets/123456',
  'https://api-eu.myconnectwise.net/v2025_1/apis/3.0/company/companies/250',
  'https://api-aus.myconnectwise.net/v4_6_release/apis/3.0/system/info',
  'https://api-staging.connectwisedev.com/v2025_1/apis/3.0/company/contacts?page=2',
  'https://manage.example.com/v4_6_release/apis/3.0/system/info',
  'http://127.0.0.1:43127/v4_6_release/apis/3.0/company/companies?conditions=id%3D250',
  'https://na.myconnectwise.net/login/companyinfo/connectwise',
  'https://manage.example.com/login/companyinfo/acme',
  // An API host never serves the UI, whatever the path.
  'https://api-na.myconnectwise.net/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v2025_1/services/system_io/actionprocessor/Service/GetServiceTicketDetailViewAction.rails',
  'https://developer.connectwise.com/Products/ConnectWise_PSA/REST',
  'https://docs.connectwise.com/ConnectWise_Documentation/040/015',
  'https://na.myconnectwise.net/',
  'https://na.myconnectwise.net/v2025_1/',
  'https://na.myconnectwise.net/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v2025/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v4_6_release_old/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx.bak?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v4_6_release/extra/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://na.myconnectwise.net/v4_6_release/services/system_io',
  'https://na.myconnectwise.net/v4_6_release/services/other/router/openrecord.rails?recordType=ServiceFV&recid=1',
  'https://evil.com/?next=ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://evil.com/login?next=/v4_6_release/ConnectWise.aspx%3FrouteTo%3DServiceFV%26recid%3D1',
  'https://example.com/redirect?url=https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://www.google.com/search?q=connectwise+ConnectWise.aspx+routeTo%3DServiceFV+recid%3D1',
  'https://example.com/#/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'https://acme.itglue.com/links/connectwise/org/250',
  'https://github.com/christaylorcodes/ConnectWiseManageAPI',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'file:///home/tech/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'ftp://manage.example.com/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
  'view-source:https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?routeTo=ServiceFV&recid=1',
];
