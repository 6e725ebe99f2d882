import type { Clock } from '../framework/clock.ts';
import { isoSeconds } from '../framework/clock.ts';
import { identifierFrom } from '../framework/fake.ts';
import { COUNTRY_US } from './lookups.ts';
import { contactName } from './store.ts';
import type { CwEntity, CwRecord, CwRef, CwStore } from './store.ts';

/**
 * Test-side edits of the live dataset. Every mutation stamps `_info.lastUpdated` from the
 * emulator clock (strictly increasing, later than any request already served).
 */
export class CwMutator {
  private readonly store: CwStore;
  private readonly clock: Clock;
  private readonly onChange: () => void;

  constructor(store: CwStore, clock: Clock, onChange: () => void) {
    this.store = store;
    this.clock = clock;
    this.onChange = onChange;
  }

  private must(entity: CwEntity, id: number): CwRecord {
    const row = this.store.table(entity).get(id) ?? (entity === 'ticket' ? this.store.projectTickets.get(id) : undefined);
    if (!row) throw new Error(`${entity} ${id} not found`);
    return row;
  }

  private touch(row: CwRecord): CwRecord {
    row._info.lastUpdated = isoSeconds(this.clock.stamp());
    row._info.updatedBy = 'emulator';
    this.onChange();
    return row;
  }

  renameCompany(id: number, name: string): CwRecord {
    return this.rename('company', id, name);
  }

  /** Contacts take "First Last" (split at the first space). */
  rename(entity: CwEntity, id: number, name: string): CwRecord {
    const row = this.must(entity, id);
    if (entity === 'contact') {
      const sp = name.indexOf(' ');
      row.firstName = sp < 0 ? name : name.slice(0, sp);
      row.lastName = sp < 0 ? undefined : name.slice(sp + 1);
      this.store.updateRef('contact', id, { name: contactName(row) });
    } else if (entity === 'ticket') {
      row.summary = name;
    } else {
      row.name = name;
      if (entity === 'company' || entity === 'site' || entity === 'agreement') this.store.updateRef(entity, id, { name });
    }
    return this.touch(row);
  }

  /** Companies are soft-deleted (deletedFlag, as ConnectWise's recycle bin); others vanish. */
  remove(entity: CwEntity, id: number): CwRecord | null {
    const row = this.must(entity, id);
    if (entity === 'company') {
      const at = isoSeconds(this.clock.stamp());
      row.deletedFlag = true;
      row.dateDeleted = at;
      row.deletedBy = 'emulator';
      row._info.lastUpdated = at;
      row._info.updatedBy = 'emulator';
      this.onChange();
      return row;
    }
    const table = entity === 'ticket' && !this.store.tickets.get(id) ? this.store.projectTickets : this.store.table(entity);
    table.delete(id);
    if (entity === 'configuration') for (const ids of this.store.ticketConfigurations.values()) if (ids.includes(id)) ids.splice(ids.indexOf(id), 1);
    if (entity === 'ticket') {
      this.store.ticketConfigurations.delete(id);
      this.store.initialDescriptions.delete(id);
    }
    if (entity === 'agreement') {
      for (const t of [...this.store.tickets.rows, ...this.store.projectTickets.rows]) if ((t.agreement as CwRef | undefined)?.id === id) delete t.agreement;
      for (const a of [...this.store.additions.children(id)]) this.store.additions.delete(a.id);
    }
    this.clock.stamp(); // keep later stamps strictly after the deletion
    this.onChange();
    return null;
  }

  /** Generic field update (for cases the named helpers do not cover). */
  update(entity: CwEntity, id: number, patch: Record<string, unknown>): CwRecord {
    const row = this.must(entity, id);
    Object.assign(row, this.resolveRefs(patch));
    return this.touch(row);
  }

  changeConfigurationType(id: number, typeName: string): CwRecord {
    const row = this.must('configuration', id);
    const types = this.store.configurationTypes;
    let type = types.rows.find((t) => String(t.name).toLowerCase() === typeName.toLowerCase());
    if (!type) {
      const at = isoSeconds(this.clock.now());
      type = types.insert({ id: types.nextId(), name: typeName, inactiveFlag: false, systemFlag: false, _info: { lastUpdated: at, updatedBy: 'emulator' } });
    }
    row.type = this.store.namedRef('configurationType', type);
    return this.touch(row);
  }

  /** Insert a record with a fresh id; refs may be given as `{id}` and are resolved. */
  add(entity: CwEntity, partial: Record<string, unknown> = {}): CwRecord {
    const s = this.store;
    const table = s.table(entity);
    const firstCompany = s.companies.rows[0];
    const resolved = this.resolveRefs(partial);
    const company = (resolved.company as CwRef | undefined) ?? (firstCompany && entity !== 'company' ? s.companyRef(firstCompany) : undefined);
    const now = isoSeconds(this.clock.stamp());
    const info = { lastUpdated: now, updatedBy: 'emulator', dateEntered: now, enteredBy: 'emulator' };
    const base: Record<string, unknown> = { company };
    switch (entity) {
      case 'company': {
        const name = String(partial.name ?? 'New Company');
        const active = s.companyStatuses.get(1) as CwRecord;
        const client = s.companyTypes.get(1) as CwRecord;
        Object.assign(base, {
          company: undefined,
          identifier: identifierFrom(name),
          name,
          status: s.namedRef('companyStatus', active),
          country: COUNTRY_US,
          phoneNumber: '',
          faxNumber: '',
          deletedFlag: false,
          leadFlag: false,
          isVendorFlag: false,
          types: [s.namedRef('companyType', client)],
          mobileGuid: crypto.randomUUID(),
        });
        break;
      }
      case 'contact':
        Object.assign(base, { firstName: 'New', lastName: 'Contact', inactiveFlag: false, defaultFlag: false, communicationItems: [], types: [] });
        break;
      case 'configuration': {
        const type = s.configurationTypes.get(21) as CwRecord;
        const status = s.configurationStatuses.get(2) as CwRecord;
        Object.assign(base, {
          name: 'NEW-DEVICE',
          type: s.namedRef('configurationType', type),
          status: s.namedRef('configurationStatus', status, 'description'),
          activeFlag: true,
          serialNumber: '',
          macAddress: '',
          ipAddress: '',
        });
        break;
      }
      case 'agreement': {
        const type = s.agreementTypes.get(32) as CwRecord;
        Object.assign(base, {
          name: 'New Agreement',
          type: s.namedRef('agreementType', type),
          agreementStatus: 'Active',
          cancelledFlag: false,
          noEndingDateFlag: true,
          startDate: `${now.slice(0, 10)}T00:00:00Z`,
        });
        break;
      }
      case 'site':
        Object.assign(base, { name: 'New Site', primaryAddressFlag: false, inactiveFlag: false });
        break;
      case 'ticket':
        Object.assign(base, {
          summary: 'New ticket',
          recordType: 'ServiceTicket',
          board: { id: 1, name: '01 - Help Desk' },
          status: { id: 11, name: 'New', Sort: 0 },
          closedFlag: false,
        });
        break;
    }
    const row = table.insert({ ...base, ...resolved, company: entity === 'company' ? undefined : company, id: table.nextId(), _info: info } as CwRecord);
    this.onChange();
    return row;
  }

  /** `{company: {id: 5}}` → the shared company reference, likewise contact, site and agreement. */
  private resolveRefs(partial: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...partial };
    const idOf = (v: unknown) => (v && typeof v === 'object' ? Number((v as { id?: unknown }).id) : typeof v === 'number' ? v : NaN);
    const s = this.store;
    for (const [key, table, refOf] of [
      ['company', s.companies, (r: CwRecord) => s.companyRef(r)],
      ['contact', s.contacts, (r: CwRecord) => s.contactRef(r)],
      ['site', s.sites, (r: CwRecord) => s.siteRef(r)],
      ['agreement', s.agreements, (r: CwRecord) => s.agreementRef(r)],
    ] as const) {
      if (!(key in partial)) continue;
      const row = table.get(idOf(partial[key]));
      if (!row) throw new Error(`${key} ${String(idOf(partial[key]))} not found`);
      out[key] = refOf(row);
    }
    delete out.id;
    delete out._info;
    return out;
  }
}
