/**
 * The live ConnectWise dataset: one id-ordered table per resource plus shared reference objects.
 * Records are stored in wire shape minus the `_info` hrefs (added at serialisation from the public
 * base URL). References such as `company: {id, identifier, name}` are shared objects, one per
 * target record, so renaming a company renames it everywhere it is referenced at no cost — the
 * way ConnectWise resolves references at read time.
 */

export type CwEntity = 'company' | 'contact' | 'configuration' | 'agreement' | 'site' | 'ticket';

export interface CwRef {
  id: number;
  identifier?: string;
  name?: string;
  /** AgreementReference carries its type's name as a string. */
  type?: string;
}

export interface CwRecord {
  id: number;
  _info: Record<string, string>;
  [key: string]: unknown;
}

export class Table {
  readonly rows: CwRecord[] = [];
  private readonly map = new Map<number, CwRecord>();
  private readonly byParent = new Map<number, CwRecord[]>();
  private maxId = 0;

  readonly entityLabel: string;
  /** The property used to index rows by parent: a reference (usually `company`) or a plain id (`agreementId`). */
  readonly parentKey: string | null;

  constructor(entityLabel: string, parentKey: string | null = 'company') {
    this.entityLabel = entityLabel;
    this.parentKey = parentKey;
  }

  get(id: number): CwRecord | undefined {
    return this.map.get(id);
  }

  /** Rows whose parent reference (e.g. company) has this id, in id order. */
  children(parentId: number): readonly CwRecord[] {
    return this.byParent.get(parentId) ?? [];
  }

  nextId(): number {
    return this.maxId + 1;
  }

  insert(row: CwRecord): CwRecord {
    if (this.map.has(row.id)) throw new Error(`${this.entityLabel} ${row.id} already exists`);
    if (row.id > this.maxId) {
      this.rows.push(row);
      this.maxId = row.id;
    } else {
      this.rows.splice(this.lowerBound(row.id), 0, row);
    }
    this.map.set(row.id, row);
    const pid = this.parentId(row);
    if (pid !== undefined) {
      const list = this.byParent.get(pid);
      if (list) list.push(row);
      else this.byParent.set(pid, [row]);
    }
    return row;
  }

  delete(id: number): boolean {
    const row = this.map.get(id);
    if (!row) return false;
    this.map.delete(id);
    this.rows.splice(this.lowerBound(id), 1);
    const pid = this.parentId(row);
    const list = pid === undefined ? undefined : this.byParent.get(pid);
    if (list) list.splice(list.indexOf(row), 1);
    return true;
  }

  private parentId(row: CwRecord): number | undefined {
    if (!this.parentKey) return undefined;
    const parent = row[this.parentKey];
    return typeof parent === 'number' ? parent : (parent as CwRef | undefined)?.id;
  }

  private lowerBound(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as CwRecord).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class CwStore {
  readonly companies = new Table('Company', null);
  readonly contacts = new Table('Contact');
  readonly configurations = new Table('Configuration');
  readonly agreements = new Table('Agreement');
  readonly sites = new Table('Site');
  readonly tickets = new Table('Ticket');
  readonly projectTickets = new Table('Ticket');

  readonly companyTypes = new Table('CompanyType', null);
  readonly companyStatuses = new Table('CompanyStatus', null);
  readonly contactTypes = new Table('ContactType', null);
  readonly configurationTypes = new Table('ConfigurationType', null);
  readonly configurationStatuses = new Table('ConfigurationStatus', null);
  readonly agreementTypes = new Table('AgreementType', null);

  /** Service setup the ticket form reads (service-setup.ts): statuses and types belong to a board. */
  readonly boards = new Table('Board', null);
  readonly boardStatuses = new Table('BoardStatus', 'board');
  readonly boardTypes = new Table('BoardType', 'board');
  readonly priorities = new Table('Priority', null);
  readonly sources = new Table('Source', null);
  readonly members = new Table('Member', null);

  /** Billing (billing-data.ts): the product catalog and agreement additions (`Addition.agreementId`). */
  readonly catalogItems = new Table('CatalogItem', null);
  readonly additions = new Table('Addition', 'agreementId');

  /** Ticket id → linked configuration ids (`/service/tickets/{id}/configurations`). */
  readonly ticketConfigurations = new Map<number, number[]>();

  /**
   * Ticket id → the `initialDescription` it was created with: write-only in the API (never
   * returned), kept for the ticket's web page.
   */
  readonly initialDescriptions = new Map<number, string>();

  /** Shared reference objects: kind → id → ref. */
  private readonly refs = new Map<string, Map<number, CwRef>>();

  ref(kind: string, id: number, make: () => CwRef): CwRef {
    let byId = this.refs.get(kind);
    if (!byId) this.refs.set(kind, (byId = new Map()));
    let r = byId.get(id);
    if (!r) byId.set(id, (r = make()));
    return r;
  }

  companyRef(c: CwRecord): CwRef {
    return this.ref('company', c.id, () => ({ id: c.id, identifier: c.identifier as string, name: c.name as string }));
  }

  contactRef(c: CwRecord): CwRef {
    return this.ref('contact', c.id, () => ({ id: c.id, name: contactName(c) }));
  }

  siteRef(s: CwRecord): CwRef {
    return this.ref('site', s.id, () => ({ id: s.id, name: s.name as string }));
  }

  /** `AgreementReference` (spec): `{id, name, type}`, `type` being the agreement type's name. */
  agreementRef(a: CwRecord): CwRef {
    return this.ref('agreement', a.id, () => ({ id: a.id, name: a.name as string, type: (a.type as { name?: string } | undefined)?.name }));
  }

  /** Generic `{id, name}` reference for lookup rows (types, statuses) and agreements/configs. */
  namedRef(kind: string, row: CwRecord, nameKey = 'name'): CwRef {
    return this.ref(kind, row.id, () => ({ id: row.id, name: row[nameKey] as string }));
  }

  /** Keep a shared reference in step after a rename. */
  updateRef(kind: string, id: number, patch: Partial<CwRef>): void {
    const r = this.refs.get(kind)?.get(id);
    if (r) Object.assign(r, patch);
  }

  table(entity: CwEntity): Table {
    switch (entity) {
      case 'company':
        return this.companies;
      case 'contact':
        return this.contacts;
      case 'configuration':
        return this.configurations;
      case 'agreement':
        return this.agreements;
      case 'site':
        return this.sites;
      case 'ticket':
        return this.tickets;
    }
  }

  counts(): Record<string, number> {
    return {
      companies: this.companies.rows.length,
      contacts: this.contacts.rows.length,
      configurations: this.configurations.rows.length,
      agreements: this.agreements.rows.length,
      sites: this.sites.rows.length,
      tickets: this.tickets.rows.length,
      projectTickets: this.projectTickets.rows.length,
    };
  }
}

export function contactName(c: CwRecord): string {
  return [c.firstName, c.lastName].filter((p) => typeof p === 'string' && p).join(' ');
}
