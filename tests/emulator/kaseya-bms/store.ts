// Over 300 lines on purpose: one id-ordered table per BMS entity with its record type: the shape every other BMS emulator file reads.
/**
 * The live BMS dataset: one id-ordered table per entity. Records hold ids only for their
 * relations (account, location, contact, category...); names are resolved when serialising,
 * the way BMS joins at read time — renaming an account renames it everywhere at no cost.
 * Timestamps are stored already in wire format (bmsDate).
 */

export type BmsEntity = 'account' | 'location' | 'contact' | 'contract' | 'asset' | 'ticket';

export interface Audit {
  createdBy: number | null;
  createdOn: string | null;
  modifiedBy: number | null;
  modifiedOn: string | null;
}

export interface BmsAccount extends Audit {
  id: number;
  parentId: number | null;
  accountCode: string | null;
  accountTypeId: number;
  accountName: string;
  businessTypeId: number;
  serviceTypeId: number | null;
  accountManagerId: number;
  currencyId: number;
  creditLimit: number;
  netDays: number;
  website: string | null;
  description: string | null;
  isActive: boolean;
  isBilling: boolean;
  acquiredDate: string | null;
}

export interface BmsAddress extends Audit {
  id: number;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
  countryId: number;
  phone: string | null;
  fax: string | null;
  emailAddress: string | null;
  isMain: boolean;
  isBilling: boolean;
}

export interface BmsLocation extends Audit {
  id: number;
  accountId: number;
  locationName: string;
  isMain: boolean;
  isActive: boolean;
  timeZoneId: number | null;
  addresses: BmsAddress[];
}

export interface BmsContactEmail extends Audit {
  id: number;
  emailAddress: string;
  emailTypeId: number;
  isDefault: boolean;
}

export interface BmsContactPhone extends Audit {
  id: number;
  phone: string;
  phoneTypeId: number;
  isDefault: boolean;
}

export interface BmsContact extends Audit {
  id: number;
  accountId: number;
  locationId: number | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  isPoc: boolean;
  isActive: boolean;
  isBillable: boolean;
  canRecieveInvoices: boolean;
  hasClientPortalAccess: boolean;
  emails: BmsContactEmail[];
  phones: BmsContactPhone[];
}

export interface BmsContract {
  id: number;
  accountId: number;
  contractName: string;
  contractType: string;
  contractBillingPrice: number;
  status: 'Active' | 'Inactive' | 'Expired';
  contractNumber: string;
  billingCycle: string;
  startDate: string;
  endDate: string;
  isDefault: boolean;
  slaId: number | null;
}

/** A catalog service (Admin › Finance › Services; docs/psa/kaseya-bms.md#billing-counts). */
export interface BmsService extends Audit {
  id: number;
  name: string;
  description: string | null;
  unitCost: number;
  unitPrice: number;
  categoryId: number;
  subCategoryId: number | null;
  unitOfMeasureId: number;
  isActive: boolean;
  isTaxable: boolean;
}

/** A service on a recurring services contract: the spec's "client contract service". */
export interface BmsContractService extends Audit {
  id: number;
  contractId: number;
  serviceId: number;
  serviceName: string;
  serviceDescription: string | null;
  units: number;
  unitCost: number;
  unitPrice: number;
  effectiveDate: string;
  sortOrder: number;
  /** Earlier unit counts, oldest first (the contract's history tab in BMS). */
  history: { units: number; until: string; by: number }[];
}

export interface BmsAsset extends Audit {
  id: number;
  name: string;
  accountId: number;
  accountLocationId: number;
  contactId: number | null;
  categoryId: number;
  brandId: number | null;
  manufacturer: string | null;
  modelNumber: string | null;
  serialNumber: string | null;
  assetTag: string | null;
  stateId: number | null;
  description: string | null;
  isActive: boolean;
  machineGroupId: string | null;
  ipAddress: string | null;
  subnetMask: string | null;
  defaultGateway: string | null;
  dnsServers: string | null;
  macAddress: string | null;
  osType: string | null;
  osInfo: string | null;
  currentUser: string | null;
  lastLoginname: string | null;
  purchaseCost: number | null;
  warrantyExpirationDate: string | null;
  acquisitionDate: string | null;
  lastCheckIn: string | null;
  agentId: string | null;
}

export interface BmsTicket extends Audit {
  id: number;
  ticketNumber: string;
  title: string;
  details: string;
  accountId: number;
  locationId: number | null;
  contactId: number | null;
  hardwareAssetId: number | null;
  statusId: number;
  priorityId: number;
  typeId: number;
  issueTypeId: number | null;
  queueId: number | null;
  assigneeId: number | null;
  contractId: number | null;
  workTypeId: number | null;
  sourceId: number;
  slaId: number | null;
  openDate: string;
  dueDate: string | null;
  completedDate: string | null;
  lastActivityUpdate: string | null;
  lastStatusUpdate: string | null;
  lastPriorityUpdate: string | null;
  lastQueueUpdate: string | null;
  firstResponseTargetTime: string | null;
  firstResponseActualTime: string | null;
  resolutionTargetTime: string | null;
  resolutionActualTime: string | null;
  hasMetSLA: number | null;
  totalTimeSpent: number;
  attachments: { id: number; originalFileName: string }[];
}

export class Table<T extends { id: number }> {
  readonly rows: T[] = [];
  private readonly map = new Map<number, T>();
  private readonly byParent = new Map<number, T[]>();
  private maxId = 0;
  readonly label: string;
  private readonly parentOf: ((row: T) => number | null) | null;

  constructor(label: string, parentOf: ((row: T) => number | null) | null) {
    this.label = label;
    this.parentOf = parentOf;
  }

  get(id: number): T | undefined {
    return this.map.get(id);
  }

  /** Rows of one account, in id order. */
  children(parentId: number): readonly T[] {
    return this.byParent.get(parentId) ?? [];
  }

  nextId(): number {
    return this.maxId + 1;
  }

  insert(row: T): T {
    if (this.map.has(row.id)) throw new Error(`${this.label} ${row.id} already exists`);
    if (row.id > this.maxId) {
      this.rows.push(row);
      this.maxId = row.id;
    } else {
      this.rows.splice(this.lowerBound(row.id), 0, row);
    }
    this.map.set(row.id, row);
    this.index(row);
    return row;
  }

  delete(id: number): T | undefined {
    const row = this.map.get(id);
    if (!row) return undefined;
    this.map.delete(id);
    this.rows.splice(this.lowerBound(id), 1);
    this.unindex(row);
    return row;
  }

  /** Call before changing the parent key of a row, then `reindexAfter`. */
  reindex(row: T, change: () => void): void {
    this.unindex(row);
    change();
    this.index(row);
  }

  private index(row: T): void {
    const pid = this.parentOf?.(row);
    if (pid === null || pid === undefined) return;
    const list = this.byParent.get(pid);
    if (!list) this.byParent.set(pid, [row]);
    else if (!list.length || (list[list.length - 1] as T).id < row.id) list.push(row);
    else
      list.splice(
        list.findIndex((r) => r.id > row.id),
        0,
        row,
      );
  }

  private unindex(row: T): void {
    const pid = this.parentOf?.(row);
    const list = pid === null || pid === undefined ? undefined : this.byParent.get(pid);
    if (list) list.splice(list.indexOf(row), 1);
  }

  private lowerBound(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as T).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export type AnyTable = Table<BmsAccount> | Table<BmsLocation> | Table<BmsContact> | Table<BmsContract> | Table<BmsAsset> | Table<BmsTicket>;

export class BmsStore {
  readonly accounts = new Table<BmsAccount>('Account', null);
  readonly locations = new Table<BmsLocation>('Location', (r) => r.accountId);
  readonly contacts = new Table<BmsContact>('Contact', (r) => r.accountId);
  readonly contracts = new Table<BmsContract>('Contract', (r) => r.accountId);
  readonly assets = new Table<BmsAsset>('Hardware asset', (r) => r.accountId);
  readonly tickets = new Table<BmsTicket>('Ticket', (r) => r.accountId);
  /** The service catalog and the services on contracts (billing-data.ts seeds them). */
  readonly services = new Table<BmsService>('Service', null);
  readonly contractServices = new Table<BmsContractService>('Contract service', (r) => r.contractId);
  /** Category id → name; grows when a mutation invents a new asset type. */
  readonly categories = new Map<number, string>();
  /** Sequence behind the `COUNT` part of ticket numbers. */
  ticketCounter = 1000;

  table(entity: BmsEntity): AnyTable {
    switch (entity) {
      case 'account':
        return this.accounts;
      case 'location':
        return this.locations;
      case 'contact':
        return this.contacts;
      case 'contract':
        return this.contracts;
      case 'asset':
        return this.assets;
      case 'ticket':
        return this.tickets;
    }
  }

  counts(): Record<string, number> {
    return {
      accounts: this.accounts.rows.length,
      locations: this.locations.rows.length,
      contacts: this.contacts.rows.length,
      contracts: this.contracts.rows.length,
      assets: this.assets.rows.length,
      tickets: this.tickets.rows.length,
    };
  }
}

export function contactName(c: { firstName: string | null; lastName: string | null }): string {
  return [c.firstName, c.lastName].filter((p) => p).join(' ');
}
