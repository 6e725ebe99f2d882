/**
 * The one contract between the sync engine and a PSA. Each PSA lives in lib/psa/<kind>/ and
 * turns its API into these canonical records; nothing above this file knows which PSA it
 * talks to.
 */

export { PSA_KINDS, type PsaKind } from './kinds';
import type { PsaKind } from './kinds';
import type { TicketWriter } from './ticket-writer';
import type { BillingWriter } from './billing-writer';

export const ENTITY_KINDS = ['company', 'contact', 'configuration', 'agreement', 'site'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** How messages name a list of each kind. */
export const ENTITY_PLURAL: Record<EntityKind, string> = {
  company: 'companies',
  contact: 'contacts',
  configuration: 'configurations',
  agreement: 'agreements',
  site: 'sites',
};

/** "contacts", "contacts and sites", "contacts, configurations and sites". */
export function listsInWords(entities: readonly EntityKind[]): string {
  const words = entities.map((entity) => ENTITY_PLURAL[entity]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/** Fields every canonical record has. Ids are strings whatever the PSA uses. */
export interface CanonicalBase {
  remoteId: string;
  /** ISO-8601 UTC, when the PSA says the record last changed; absent when the API has none. */
  updatedAt?: string;
  /** Soft-deleted at the source (e.g. ConnectWise deletedFlag). Archived locally, never removed. */
  deleted?: boolean;
  inactive?: boolean;
  /**
   * PSA fields the user can connect to a layout's custom fields (#4), keyed by the label the
   * PSA shows (custom fields and questions included), values as display text. Absent or empty
   * values are left out.
   */
  fields?: Record<string, string>;
}

export interface CanonicalCompany extends CanonicalBase {
  name: string;
  identifier?: string;
  status?: string;
  types: string[];
  address?: string;
  phone?: string;
  website?: string;
  /** The site whose address is the company's, where the PSA names one (HaloPSA's `main_site_id`). */
  mainSiteRemoteId?: string;
  /**
   * Fields this PSA's company list cannot carry (HaloPSA's April 2025 client list has no
   * `website`): a details step reads them from the full record, and a list write keeps them.
   */
  unlistedFields?: UnlistedCompanyField[];
}

/** Company fields a list row may lack and only the full record has. */
export type UnlistedCompanyField = 'website';

export interface CanonicalContact extends CanonicalBase {
  companyRemoteId: string;
  name: string;
  title?: string;
  email?: string;
  phone?: string;
}

export interface CanonicalConfiguration extends CanonicalBase {
  companyRemoteId: string;
  name: string;
  typeName: string;
  status?: string;
  serialNumber?: string;
  modelNumber?: string;
  ipAddress?: string;
  macAddress?: string;
  osInfo?: string;
  contactRemoteId?: string;
  siteRemoteId?: string;
}

export interface CanonicalAgreement extends CanonicalBase {
  companyRemoteId: string;
  name: string;
  typeName?: string;
  status?: string;
  startDate?: string;
  endDate?: string;
}

export interface CanonicalSite extends CanonicalBase {
  companyRemoteId: string;
  name: string;
  address?: string;
  phone?: string;
  primary?: boolean;
}

export interface CanonicalByEntity {
  company: CanonicalCompany;
  contact: CanonicalContact;
  configuration: CanonicalConfiguration;
  agreement: CanonicalAgreement;
  site: CanonicalSite;
}
export type CanonicalRecord = CanonicalByEntity[EntityKind];

/** One page request. `pageToken` is opaque to the engine: only the adapter reads it. */
export interface PageRequest {
  pageToken: string | null;
  /** Only records changed at or after this instant (ISO). Null: everything. */
  since: string | null;
  /**
   * Companies whose child records are wanted (contacts, configurations, agreements, sites).
   * The adapter may filter server-side or return more; the engine filters again.
   * Ignored for companies.
   */
  companyRemoteIds: string[] | null;
  /** Ids-only pass for deletion reconcile: records may carry only `remoteId`. */
  idsOnly?: boolean;
  /**
   * Companies only: the full records of `companyRemoteIds`, for the fields their list rows lack
   * (capability `readsFullCompanies`).
   */
  details?: boolean;
}

export interface RejectedRecord {
  remoteId?: string;
  reason: string;
}

/** A vendor's documented API limit, which syncs keep a share of (./pacing.ts). */
export interface RateLimit {
  /** Requests the vendor allows per window. */
  limit: number;
  windowMs: number;
  /** What the limit counts per: the whole API, or one endpoint (method + path template). */
  per: 'api' | 'endpoint';
}

export interface PageResult<E extends EntityKind = EntityKind> {
  records: CanonicalByEntity[E][];
  /** Records that failed validation: set aside, reported, never written. */
  rejected: RejectedRecord[];
  /** Null when this was the last page. */
  nextPageToken: string | null;
  /** Total records the pass will see, when the API can say it cheaply (progress bars). */
  total?: number;
  /**
   * The list changed while it was being read (e.g. its total moved between page-number pages),
   * so records may have shifted past a page boundary unread: this pass must not archive by absence.
   */
  unstable?: boolean;
  /** HTTP requests this page took, when not one (a count beside the list, a full record per company): pacing and a run's time left count them. */
  requests?: number;
}

export interface EntityCapabilities {
  /** The API can filter by last-changed time; otherwise every sync is a full pass. */
  incremental: boolean;
  /** The API can list only ids cheaply (for the deletion reconcile pass). */
  idsOnly: boolean;
  /**
   * Without incremental reads, reading the list whole costs a request per company: do it when a
   * reconcile is due and for newly matched companies only (changes wait for that, at most a day).
   */
  wholeOnReconcile?: boolean;
  /**
   * Without incremental reads, a list too long to read on every sync: scheduled syncs read it
   * whole only as often as the API share allows (lib/sync/whole-list-pace.ts), and newly
   * matched companies' lists in between. `pageSize`: records per request.
   */
  pacedWhole?: { pageSize: number };
  /** The list cannot be narrowed to one company (BMS contracts): a company opened during a sync cannot have it read first (lib/sync/company-first.ts). */
  wholeListOnly?: boolean;
  /**
   * Companies only: the list rows may lack fields the full record has (`unlistedFields`), so
   * matched companies' full records are read, one request each, once after the match and weekly
   * (a details step, lib/sync/plan.ts).
   */
  readsFullCompanies?: boolean;
}

export interface TicketInfo {
  ticketId: string;
  summary?: string;
  companyRemoteId: string;
  companyName?: string;
  /** The ticket's contact (end user), when it names one. */
  contactRemoteId?: string;
  /** Configurations/assets attached to the ticket, when the PSA links them. */
  configurationRemoteIds?: string[];
  /** The agreement/contract the ticket is logged against, when it names one. */
  agreementRemoteId?: string;
}

export interface ConnectionInfo {
  /** Shown to the user: "Connected to <companyName> (version <version>)". */
  companyName: string;
  version?: string;
  /** Settings the test discovered (e.g. ConnectWise's codebase), saved with the integration. */
  settingsPatch?: Record<string, unknown>;
  /**
   * Rights Sidecar's writes need (#16), as far as the test could tell without writing:
   * `allowed` null when the PSA gives no way to know before trying.
   */
  writeRights?: WriteRight[];
}

export interface WriteRight {
  /** As the PSA names the right: "Service Desk › Tickets (View and Modify)". */
  what: string;
  /** What Sidecar uses it for: "create tickets". */
  usedFor: string;
  allowed: boolean | null;
}

export interface PsaAdapter<K extends string = PsaKind> {
  readonly kind: K;
  readonly capabilities: Record<EntityKind, EntityCapabilities>;
  /** Records per list request, for what a sync's steps will cost (lib/sync/step-cost.ts). */
  readonly listPageSize?: number;
  testConnection(): Promise<ConnectionInfo>;
  listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>>;
  getTicket(ticketId: string): Promise<TicketInfo>;
  /**
   * The PSA's configuration/asset type names (active ones), so sort rules and type skips can be
   * set before any configuration is imported. Absent when the API has no such list.
   */
  listConfigurationTypes?(): Promise<string[]>;
  /** Creating tickets (#16); absent while a PSA has no ticket writer. */
  readonly tickets?: TicketWriter;
  /** Billing counts onto agreements (#16); absent while a PSA has no billing writer. */
  readonly billing?: BillingWriter;
  /** A link that opens the record in the PSA's web UI. */
  recordUrl(entity: EntityKind | 'ticket', remoteId: string): string | undefined;
}
