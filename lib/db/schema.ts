import Dexie, { type EntityTable, type Table } from 'dexie';
import type { EntityKind } from '../psa/types';
import type {
  ClientSpaceRow,
  CursorRow,
  DocCursorRow,
  DocRow,
  IntegrationRow,
  LayoutRow,
  LogRow,
  MatchRow,
  SeenBatchRow,
  RecordChangeRow,
  SearchIndexRow,
  RecordRow,
  RunRow,
  PreferenceRow,
  SecretRow,
  SortRuleRow,
  TeamChunkRow,
  OutboxTicketRow,
  TicketFormRow,
  BillingStatusRow,
  BillingLogRow,
  TicketRow,
  VaultRow,
} from './rows';
import { recordChangesMiddleware } from './record-changes';
import { declareVersions } from './versions';

/**
 * The extension's IndexedDB (extension origin: content scripts cannot open it). Row shapes are in
 * ./rows.ts, the version history in ./versions.ts, the built-in layouts in ./defaults.ts; this
 * module re-exports them so the rest of the code imports the database from one place.
 */
export type * from './rows';
export { DEFAULT_LAYOUTS, DEFAULT_SYNC_LOCATIONS } from './defaults';

export class SidecarDb extends Dexie {
  integrations!: EntityTable<IntegrationRow, 'id'>;
  secrets!: EntityTable<SecretRow, 'integrationId'>;
  records!: Table<RecordRow, [string, EntityKind, string]>;
  clientSpaces!: EntityTable<ClientSpaceRow, 'id'>;
  matches!: Table<MatchRow, [string, string]>;
  layouts!: EntityTable<LayoutRow, 'id'>;
  cursors!: Table<CursorRow, [string, EntityKind]>;
  runs!: EntityTable<RunRow, 'id'>;
  log!: EntityTable<LogRow, 'id'>;
  sortRules!: EntityTable<SortRuleRow, 'id'>;
  preferences!: EntityTable<PreferenceRow, 'id'>;
  seenBatches!: Table<SeenBatchRow, [string, EntityKind, string]>;
  recordChanges!: Table<RecordChangeRow, [string, string]>;
  searchIndex!: EntityTable<SearchIndexRow, 'id'>;
  tickets!: Table<TicketRow, [string, string]>;
  vault!: EntityTable<VaultRow, 'id'>;
  docs!: EntityTable<DocRow, 'id'>;
  docCursor!: EntityTable<DocCursorRow, 'id'>;
  teamChunks!: EntityTable<TeamChunkRow, 'id'>;
  ticketOutbox!: EntityTable<OutboxTicketRow, 'id'>;
  ticketForms!: EntityTable<TicketFormRow, 'integrationId'>;
  billingStatus!: Table<BillingStatusRow, [string, string]>;
  billingLog!: EntityTable<BillingLogRow, 'id'>;

  constructor(name = 'sidecar') {
    super(name);
    declareVersions(this);
    this.use(recordChangesMiddleware);
  }
}

let shared: SidecarDb | undefined;

/** The one database of a context. Tests create their own SidecarDb with a fresh name. */
export function getDb(): SidecarDb {
  shared ??= new SidecarDb();
  return shared;
}
