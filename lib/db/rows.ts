import type { CanonicalRecord, EntityKind, PsaKind, RateLimit, TicketInfo, WriteRight } from '../psa/types';
import type { ChangePreview } from './change-preview';
import type { CreatedTicket, TicketDraft, TicketFormChoices } from '../psa/ticket-writer';

/**
 * The shape of every row Sidecar stores (the tables are declared in ./schema.ts, their history in
 * ./versions.ts). PSA data (records) and the user's own data (client spaces, matches, layouts)
 * live in separate tables, so a sync can only ever write the former (R7).
 */

export interface IntegrationRow {
  id: string;
  psa: PsaKind;
  label: string;
  /** PSA-specific, validated by the PSA's settings schema when read. No secrets here. */
  settings: Record<string, unknown>;
  /** Origin of the PSA web UI, e.g. https://na.myconnectwise.net: pages there get the overlay. */
  uiOrigin: string;
  /** Origins Sidecar needs host permission for (UI and API). */
  origins: string[];
  createdAt: number;
  /** Sync locations and other per-integration options; defaults apply when absent. */
  options?: IntegrationOptions;
  connection?:
    | { ok: true; companyName: string; version?: string; writeRights?: WriteRight[]; testedAt: number }
    | { ok: false; code: string; message: string; testedAt: number };
  lastSyncAt?: number;
  /** Turned off by a person (#16, Hudu's guides): nothing syncs from it or is written to it until turned on again. */
  disabled?: boolean;
  /**
   * Came from the team (#15): another member's integration, whose records, matches and options
   * arrive through the team's CouchDB. No credentials here until a person adds them.
   */
  team?: { source: string; sourceHash: string };
}

/**
 * Credentials, apart from settings so that nothing that lists integrations can leak them. A row
 * whose id starts with `key:` is no integration's: it holds a documentation key (KEY_ROW_PREFIX,
 * lib/secrets/doc-key.ts), sealed like credentials so that a passphrase change re-wraps it.
 */
export interface SecretRow {
  /** An integration's id (a UUID), or `key:<keyId>` for a documentation key. */
  integrationId: string;
  /** AES-GCM under the vault's data key (lib/secrets/vault.ts). */
  sealed?: { iv: string; data: string };
  /** Plaintext, as versions before the vault stored it: sealed on the next start, then removed. */
  credentials?: Record<string, string>;
}

/** The vault's one row: the data key in the clear (no passphrase) or wrapped by the passphrase's key. */
export interface VaultRow {
  id: 'vault';
  rawKey?: string;
  salt?: string;
  iterations?: number;
  wrapped?: { iv: string; data: string };
}

export interface RecordRow {
  integrationId: string;
  entity: EntityKind;
  remoteId: string;
  /** The owning company's remote id (a company row: its own). */
  companyRemoteId: string;
  data: CanonicalRecord;
  /** Lower-cased name, for sorting. */
  sortName: string;
  /** What the record is found by in the palette (lib/search/words.ts): its in-memory index is built from these. */
  words?: string[];
  layoutId?: string;
  updatedAt?: string;
  /** Set when the record is archived: shown apart (the Museum), never removed. */
  archivedAt?: number;
  /** Why: deleted in the PSA, inactive there (companies), or left out by a skip option. */
  archivedReason?: ArchiveReason;
  /** Restored from the Museum by the user: a sync does not archive it again for the same reason. */
  restoredAt?: number;
  /** Deleted in the PSA but kept in place (auto-archive off, or restored from the Museum): shown flagged. */
  goneFromPsaAt?: number;
  /**
   * The sync run that last wrote the row. A run marks what it read without changing in `seen`
   * instead (a resync writes only rows that change): the deletion sweep reads both.
   */
  seenRunId?: string;
  /** When a sync last wrote the row. */
  syncedAt: number;
  /** Companies whose list rows lack fields (`unlistedFields`): when their full record was last read. */
  detailsReadAt?: number;
  /** Arrived from the team (#15) in this records document: replaced with it, removed with it. */
  teamChunk?: string;
}

export type ArchiveReason = 'deleted' | 'inactive' | 'skipped';

export interface ClientSpaceRow {
  id: string;
  name: string;
  createdAt: number;
  /** Created from this PSA company: its name follows the company's until a person renames the space. */
  nameFollows?: { integrationId: string; companyRemoteId: string };
  /** Hidden from lists and match suggestions; everything in it stays, and it can be restored. */
  archivedAt?: number;
  /** Merged into that client space: kept so that old links and stale ids still lead there. */
  mergedInto?: string;
  mergedAt?: number;
}

export type MatchState = 'matched' | 'unmatched';

export interface MatchRow {
  integrationId: string;
  companyRemoteId: string;
  state: MatchState;
  clientSpaceId?: string;
  decidedAt: number;
}

export type LayoutRole = 'people' | 'locations' | 'configurations';

export interface LayoutField {
  id: string;
  name: string;
  /** What a hand-filled value holds (lib/layouts/field-types.ts); absent: text. */
  type?: 'text' | 'multiline' | 'number' | 'date' | 'url' | 'yesno' | 'choice';
  /** The choices of a "one from a list" field. */
  options?: string[];
}

export interface LayoutRow {
  id: string;
  name: string;
  /** The built-in layout a new integration uses for this kind of record. */
  role?: LayoutRole;
  /** Only active layouts can be sync locations or rule targets. */
  active: boolean;
  /** The catch-all layout for configurations no rule places (default primary location). */
  primary?: boolean;
  fields?: LayoutField[];
  createdAt: number;
}

/** Where an integration files records (Hudu's sync locations). Layout ids. */
export interface SyncLocations {
  people: string;
  locations: string;
  /** The primary location: configurations no sort rule places. */
  configurations: string;
}

/** What an integration leaves out (Hudu's skip options). */
export interface SkipOptions {
  contacts: boolean;
  agreements: boolean;
  configurations: boolean;
  sites: boolean;
  inactiveConfigurations: boolean;
  /** Configuration types (as the PSA names them) never imported. */
  configurationTypes: string[];
  /** Inactive companies are not imported (their records neither). */
  inactiveCompanies?: boolean;
  /** Company types (as the PSA names them) never imported. */
  companyTypes?: string[];
}

export interface IntegrationOptions {
  syncLocations: SyncLocations;
  skip?: SkipOptions;
  /** A rename in the PSA renames the configuration; off: the name Sidecar has stays. Default on. */
  autoUpdateNames?: boolean;
  /** A configuration deleted in the PSA is archived; off: it stays in place, flagged. Default on. */
  autoArchiveDeletedDevices?: boolean;
  /** Keep name, address, phone and website of companies as they are. Default off. */
  keepCompanyDetails?: boolean;
  /** Percent of the PSA's documented API rate limit Sidecar's sync may use (the rest is left to the MSP's other integrations). Default 50. */
  apiSharePercent?: number;
  /** PSA fields shown in layouts' custom fields. */
  connectedFields?: ConnectedField[];
  /** Ticket defaults, catch-all contact and rules (#16); read through readTicketSettings (lib/tickets/settings.ts). */
  tickets?: unknown;
  /** Billing counts (#16); read through readBillingSettings (lib/billing/settings.ts). */
  billing?: unknown;
}

/** A layout's custom field filled from a PSA field (the adapter's label for it). */
export interface ConnectedField {
  layoutId: string;
  fieldId: string;
  source: string;
}

/** A PSA configuration/asset type -> a layout. Lower `order` wins. */
export interface SortRuleRow {
  id: string;
  integrationId: string;
  order: number;
  typeName: string;
  layoutId: string;
}

export interface CursorRow {
  integrationId: string;
  entity: EntityKind;
  /** Latest PSA change time fully synced for `coveredCompanyIds`. */
  highWater?: string;
  /** Companies whose child records are synced up to highWater. */
  coveredCompanyIds: string[];
  lastFullPassAt?: number;
  /** Records the run that made the last full pass read of this entity (what the next one costs: lib/sync/whole-list-pace.ts). */
  lastFullPassRecords?: number;
}

export interface LogRow {
  id?: number;
  at: number;
  integrationId?: string;
  runId?: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  entity?: EntityKind;
  remoteId?: string;
}

/** `stopped`: a person stopped it; what it committed stays, and the next start of a sync resumes it from there. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

export interface RunStep {
  entity: EntityKind;
  /** `details`: companies' full records, for what their list rows lack (lib/sync/plan.ts). */
  mode: 'changes' | 'ids' | 'details';
  since: string | null;
  /** Company remote ids whose children this step reads; null for companies. */
  scope: string[] | null;
  /** Archive rows in scope that this run has not seen once the step completes. */
  sweep: boolean;
  /** Covers the entity's whole scope, so completing it counts as a full pass. */
  fullPass: boolean;
  /** Reads only newly matched companies' lists (wholeOnReconcile): the cursor adds them to what it covers. */
  extendsCoverage?: boolean;
  /** One company's list read ahead of the run's other steps, for a company a technician opened (lib/sync/company-first.ts): no sweep, no cursor. */
  first?: true;
  /** Where this step stood when steps were put ahead of it: it resumes from there. */
  paused?: { pageToken: string | null; progress?: RunProgress; unstable?: true };
  /** Requests the step should take, from what the last whole read of its list found (lib/sync/step-cost.ts); absent: not known before it runs. */
  expectedRequests?: number;
  /** Its requests each read one company's few records (its sites, its full record): they cost what small answers do (RunPace). */
  smallAnswers?: true;
}

/**
 * Where a run's time went, summed over its slices: waiting for pages (pacing included), inside
 * the write transactions, and (since #17's breakdown) each slice's reads before asking for its
 * page (the run, the integration and its credentials) and the write transactions' whole time,
 * IndexedDB's commit included (`writeMs` ends before the commit).
 */
export interface SliceTiming {
  fetchMs: number;
  writeMs: number;
  setupMs?: number;
  commitMs?: number;
  /** HTTP requests of the committed pages: with the times above, what one costs this run (lib/sync/eta.ts). */
  requests?: number;
}

/**
 * What the run's time left is worked out from (lib/sync/eta.ts): the vendor's limit and the
 * share the pacer keeps to, records per list page, and the pacer's current window as this run
 * has used it (its first request, for which list when the limit counts per endpoint, how many).
 */
export interface RunPace {
  limit: RateLimit;
  share: number;
  pageSize?: number;
  window?: { entity: EntityKind; startedAt: number; requests: number };
  /**
   * What each of the latest pages cost per request, in ms (lib/sync/run-progress.ts), apart for
   * list pages and for small answers (a company's sites, a full record: under half a page's
   * records a request), which cost a third as much: their medians are a request's cost, so a
   * pacing wait held in place now and then (a window shared with an earlier run) is not spread
   * over every request to come.
   */
  listPageCosts?: number[];
  smallAnswerCosts?: number[];
}

/** The current step's records read so far, of how many when the PSA says, since when (for its time left: lib/sync/eta.ts). */
export interface RunProgress {
  entity: EntityKind;
  done: number;
  total?: number;
  startedAt?: number;
  /** Pages of the step read so far. */
  pages?: number;
  /** HTTP requests the step's latest page took (PageResult.requests): a full record per company costs several a page. */
  pageRequests?: number;
}

export interface EntityCounts {
  fetched: number;
  written: number;
  rejected: number;
  archived: number;
  /** Left out by the integration's skip options. */
  skipped?: number;
}

export interface RunRow {
  id: string;
  integrationId: string;
  trigger: 'manual' | 'schedule';
  /** A run for one company's records only: it leaves the integration's cursors alone. */
  companyRemoteId?: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  steps: RunStep[];
  stepIndex: number;
  /** Adapter page token of the current step: with stepIndex, the resume point. */
  pageToken: string | null;
  /** Newest updatedAt seen per entity in this run; becomes the cursor when the entity finishes. */
  maxUpdatedAt: Partial<Record<EntityKind, string>>;
  counts: Partial<Record<EntityKind, EntityCounts>>;
  /** The current step's records read so far, of how many when the PSA says, since when (for its time left: lib/sync/eta.ts). */
  progress?: RunProgress;
  /** Consecutive failed attempts of the current slice. */
  attempts: number;
  retryAt?: number;
  error?: { code: string; message: string };
  /** The current step's list changed while it was read (PageResult.unstable): no sweep for it. */
  unstable?: boolean;
  /** Entities whose ids pass found records Sidecar missed: a full read of them follows in this run. */
  refetch?: EntityKind[];
  /** Where the run's time went, in milliseconds (lib/sync/run-progress.ts `SliceTiming`). */
  timing?: SliceTiming;
  /** For its time left (lib/sync/eta.ts); absent on runs started before it was kept. */
  pace?: RunPace;
  /** When a person stopped it (status `stopped`). */
  stoppedAt?: number;
  /** A preview: reads the PSA like a sync but writes no records, cursors or "last synced". */
  dryRun?: boolean;
  /** A preview's findings: what the sync would create, update, move and archive. */
  preview?: ChangePreview;
}

/** The last answer of the PSA about a ticket, for ticket pages when the PSA cannot be reached. */
export interface TicketRow {
  integrationId: string;
  ticketId: string;
  info: TicketInfo;
  fetchedAt: number;
  /** A teammate's answer, shared through the team (#15): never published again from here. */
  fromTeam?: true;
}

/**
 * Records a run read (written or not, set aside, ids only, or any record in a preview), so its
 * deletion sweep can archive, or count, what a complete pass missed by comparing keys alone,
 * without rewriting a row that did not change (#17). One row per page (`batch`: unique within
 * the run), not per record: a resync of a large tenant reads 200,000 records. Emptied when the
 * run ends.
 */
export interface SeenBatchRow {
  runId: string;
  entity: EntityKind;
  batch: string;
  remoteIds: string[];
}

/**
 * How many times the records of one integration and entity were written (lib/db/record-changes.ts):
 * UI queries read these live and re-read records only when theirs move. `*`: not known (a range
 * delete across integrations or entities).
 */
export interface RecordChangeRow {
  integrationId: string;
  entity: EntityKind | '*';
  version: number;
}

/**
 * The palette's in-memory index as last built (lib/search/snapshot.ts), so that a worker woken
 * from idle loads it instead of reading every record again. `stamp`: the record and document
 * versions it was built at (lib/db/record-changes.ts); `format`: its layout's version.
 */
export interface SearchIndexRow {
  id: 'palette';
  format: number;
  stamp: string;
  savedAt: number;
  /** A MemoryIndexSnapshot of that format (lib/search/memory.ts). */
  index: unknown;
}

/** When scheduled syncs run: every `intervalHours`, never inside the quiet window (local hours). */
export interface SchedulePreference {
  id: 'schedule';
  intervalHours: number;
  quiet?: { fromHour: number; toHour: number };
}

/** Who this installation writes as: a random id made once, and the name a person chose (#14). */
export interface AuthorPreference {
  id: 'author';
  installId: string;
  name: string;
}

/**
 * The last setup import whose setup part committed: written in that same transaction, so a worker
 * that stopped mid-import can tell whether the documents it wrote belong to a finished import.
 */
export interface SetupImportDone {
  id: 'setup-import';
  importId: string;
  at: number;
}

/**
 * The team this browser replicates with (#15): where, as whom, and which team (its key's id).
 * The password is a sealed `secrets` row (lib/team/state.ts), never here.
 */
export interface TeamPreference {
  id: 'team';
  serverUrl: string;
  database: string;
  username: string;
  teamId: string;
  joinedAt: number;
}

export type TeamReplicationState = 'starting' | 'replicating' | 'idle' | 'offline' | 'locked' | 'refused' | 'error';

/** How the team replication is doing, as the background last saw it (the Team panel and popup show it). */
export interface TeamStatusPreference {
  id: 'team-status';
  state: TeamReplicationState;
  /** Why, in words, for offline, locked, refused and error. */
  message?: string;
  /** When it last caught up with the server (nothing left to send or fetch). */
  lastReplicatedAt?: number;
  at: number;
}

/**
 * Integrations whose records a sync here brought but could not publish to the team (its server
 * did not answer): published once the replication is up to date with the server again (#15).
 */
export interface TeamUnpublishedPreference {
  id: 'team-unpublished';
  integrationIds: string[];
}

export type PreferenceRow = SchedulePreference | AuthorPreference | SetupImportDone | TeamPreference | TeamStatusPreference | TeamUnpublishedPreference;

/**
 * One document technicians wrote, as the pages and the palette read it: the winning revision in
 * the documentation store (PouchDB), projected by lib/documents/projector.ts. Sealed boxes stay
 * sealed; a document that fails its schema is kept with `invalid` (not shown, not indexed).
 */
export interface DocRow {
  id: string;
  rev: string;
  kind: string;
  doc: Record<string, unknown>;
  spaceId?: string;
  /** `source/entity/remoteId` of the PSA record a record-scoped document is about. */
  recordKey?: string;
  words: string[];
  conflicts?: string[];
  invalid?: string;
}

/** How far the projection has read the store's changes, and which store that was (a recreated one is read again). */
export interface DocCursorRow {
  id: 'projection';
  storeId: string;
  seq: number | string;
}

/**
 * A team records document (#15, lib/documents/team-records.ts) as this browser last took it in:
 * the revision its rows in `records` come from (the pull asks for what it lacks by this), and,
 * for those this browser published, the digest of what it wrote (a resync rewrites only changed ones).
 */
export interface TeamChunkRow {
  /** `records:<tenant digest>:<entity>:<company>:<part>` */
  id: string;
  rev: string;
  deleted?: true;
  /** The install that wrote this revision. */
  writer: string;
  /** Set by the publisher: the digest of the records it wrote in this revision. */
  digest?: string;
}

export type OutboxState = 'waiting' | 'sending' | 'created' | 'failed';

/**
 * A ticket made in Sidecar (#16), kept until the PSA has it: sent at once when the PSA answers,
 * later when it does not. `attempts` counts attempts started (committed before each request), so
 * any attempt after the first looks for the ticket by its marker before creating it again.
 */
export interface OutboxTicketRow {
  id: string;
  integrationId: string;
  /** The company the technician made it for (the overlay shows it there), even when filed under the catch-all. */
  companyRemoteId: string;
  companyName: string;
  draft: TicketDraft;
  state: OutboxState;
  attempts: number;
  createdAt: number;
  /** Who made it (the author name), when one is set. */
  by?: string;
  lastAttemptAt?: number;
  /** A waiting ticket is not sent before this. */
  nextAttemptAt?: number;
  lastError?: { code: string; message: string };
  ticket?: CreatedTicket;
  sentAt?: number;
}

/** The PSA's ticket form lists (queues, statuses, …), read once and kept until refreshed. */
export interface TicketFormRow {
  integrationId: string;
  form: TicketFormChoices;
  fetchedAt: number;
}

/** How one matched company's billing counts last went (#16): shown per company with its details. */
export interface BillingStatusRow {
  integrationId: string;
  companyRemoteId: string;
  lastSyncAt: number;
  status: 'ok' | 'failed' | 'skipped';
  /** What was done, or why not: written for the person troubleshooting. */
  detail: string;
  /** What Sidecar last wrote per product id: the quantity to compare with where the PSA cannot be read back. */
  written: Record<string, number>;
}

/** One quantity Sidecar wrote to an agreement (#16): who, when, from, to. */
export interface BillingLogRow {
  id?: number;
  integrationId: string;
  companyRemoteId: string;
  companyName: string;
  agreementRemoteId: string;
  productId: string;
  productName: string;
  /** Absent when the agreement had no line for the product. */
  from?: number;
  to: number;
  at: number;
  by: string;
  trigger: 'manual' | 'schedule';
}
