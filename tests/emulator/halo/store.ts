/**
 * The live HaloPSA dataset. Records are stored under their Halo wire names (snake_case, as in
 * the spec's `*_List` schemas and HaloAPI's templates); names of related records
 * (`client_name`, `site_name`, `assettype_name`, …) are resolved at serialisation time, so a
 * rename shows everywhere at once, the way Halo joins them at read time.
 */

import type { AssetTypeSpec } from './lookups.ts';

export type HaloEntity = 'client' | 'site' | 'user' | 'asset' | 'contract' | 'ticket';

export const HALO_ENTITIES: readonly HaloEntity[] = ['client', 'site', 'user', 'asset', 'contract', 'ticket'];

export interface HaloRecord {
  id: number;
  [key: string]: unknown;
}

export class HaloTable {
  readonly rows: HaloRecord[] = [];
  private readonly map = new Map<number, HaloRecord>();
  private readonly byClient = new Map<number, HaloRecord[]>();
  private maxId = 0;
  readonly label: string;
  /** Index rows by `client_id` (all tables but clients). */
  private readonly indexed: boolean;

  constructor(label: string, indexed = true) {
    this.label = label;
    this.indexed = indexed;
  }

  get(id: number): HaloRecord | undefined {
    return this.map.get(id);
  }

  /** Rows of one client, in id order. */
  children(clientId: number): readonly HaloRecord[] {
    return this.byClient.get(clientId) ?? [];
  }

  nextId(): number {
    return this.maxId + 1;
  }

  insert(row: HaloRecord): HaloRecord {
    if (this.map.has(row.id)) throw new Error(`${this.label} ${row.id} already exists`);
    if (row.id > this.maxId) {
      this.rows.push(row);
      this.maxId = row.id;
    } else {
      this.rows.splice(lowerBound(this.rows, row.id), 0, row);
    }
    this.map.set(row.id, row);
    if (this.indexed) insertSorted(this.byClient, Number(row.client_id), row);
    return row;
  }

  delete(id: number): HaloRecord | undefined {
    const row = this.map.get(id);
    if (!row) return undefined;
    this.map.delete(id);
    this.rows.splice(lowerBound(this.rows, id), 1);
    if (this.indexed) removeFrom(this.byClient, Number(row.client_id), row);
    return row;
  }

  /** Move a row to another client (keeps the index right). */
  reparent(row: HaloRecord, clientId: number): void {
    if (this.indexed) {
      removeFrom(this.byClient, Number(row.client_id), row);
      insertSorted(this.byClient, clientId, row);
    }
    row.client_id = clientId;
  }
}

function lowerBound(rows: readonly HaloRecord[], id: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as HaloRecord).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(index: Map<number, HaloRecord[]>, key: number, row: HaloRecord): void {
  const list = index.get(key);
  if (!list) index.set(key, [row]);
  else if (!list.length || (list[list.length - 1] as HaloRecord).id < row.id) list.push(row);
  else list.splice(lowerBound(list, row.id), 0, row);
}

function removeFrom(index: Map<number, HaloRecord[]>, key: number, row: HaloRecord): void {
  const list = index.get(key);
  const i = list ? list.indexOf(row) : -1;
  if (list && i >= 0) list.splice(i, 1);
}

export class HaloStore {
  readonly clients = new HaloTable('Client', false);
  readonly sites = new HaloTable('Site');
  readonly users = new HaloTable('User');
  readonly assets = new HaloTable('Asset');
  readonly contracts = new HaloTable('Contract');
  readonly tickets = new HaloTable('Ticket');
  /** Xtype rows (wire shape) — `/api/AssetType`. */
  readonly assetTypes: HaloRecord[] = [];
  /** The generator's type specs by id (fields, key fields), incl. types added by mutations. */
  readonly assetTypeSpecs = new Map<number, AssetTypeSpec>();
  /** Items (`/api/Item`; `_inactive` is the emulator's own flag: the spec's `Item` has none). */
  readonly items = new HaloTable('Item', false);
  /** Recurring invoices (`/api/RecurringInvoice`, spec `InvoiceHeader`), each with its lines in `_lines` (`InvoiceDetail`). */
  readonly recurringInvoices = new HaloTable('Recurring Invoice');
  /** The next recurring invoice line id (one sequence for every invoice's lines). */
  nextLineId = 70001;

  table(entity: HaloEntity): HaloTable {
    switch (entity) {
      case 'client':
        return this.clients;
      case 'site':
        return this.sites;
      case 'user':
        return this.users;
      case 'asset':
        return this.assets;
      case 'contract':
        return this.contracts;
      case 'ticket':
        return this.tickets;
    }
  }

  assetType(id: number): HaloRecord | undefined {
    return this.assetTypes.find((t) => t.id === id);
  }

  counts(): Record<string, number> {
    return {
      clients: this.clients.rows.length,
      sites: this.sites.rows.length,
      users: this.users.rows.length,
      assets: this.assets.rows.length,
      assetTypes: this.assetTypes.length,
      contracts: this.contracts.rows.length,
      tickets: this.tickets.rows.length,
      items: this.items.rows.length,
      recurringInvoices: this.recurringInvoices.rows.length,
    };
  }
}
