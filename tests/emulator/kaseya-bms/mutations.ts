import type { Clock } from '../framework/clock.ts';
import { EMPLOYEES, PRIORITIES, QUEUES, SLAS, STATUSES, TICKET_TYPES } from './lookups.ts';
import type { AnyTable, BmsAccount, BmsAsset, BmsContact, BmsContract, BmsEntity, BmsLocation, BmsStore, BmsTicket } from './store.ts';
import { bmsDate } from './wire.ts';

export type BmsRecord = BmsAccount | BmsLocation | BmsContact | BmsContract | BmsAsset | BmsTicket;

/** Who test-side edits are attributed to (`modifiedBy`). */
const EDITOR = EMPLOYEES[0].id;

/**
 * Test-side edits of the live dataset. Every mutation stamps `modifiedOn` from the emulator
 * clock (whole seconds, strictly increasing, later than any request already served), so a
 * `Filter.ModifiedOnFrom=<high-water mark>` query right after sees it. Tickets also move
 * `lastActivityUpdate` (their incremental-sync filter, docs/psa/kaseya-bms.md#incremental-sync). Location edits also touch the
 * owning account (locations are edited inside the account in BMS [G]). Contracts carry no
 * timestamps at all — clients must re-pull them.
 */
export class BmsMutator {
  private readonly s: BmsStore;
  private readonly clock: Clock;

  constructor(store: BmsStore, clock: Clock) {
    this.s = store;
    this.clock = clock;
  }

  private must(entity: BmsEntity, id: number): BmsRecord {
    const row = (this.s.table(entity) as AnyTable).get(id);
    if (!row) throw new Error(`${entity} ${id} not found`);
    return row;
  }

  private touch(entity: BmsEntity, row: BmsRecord): BmsRecord {
    if (entity === 'contract') return row;
    const at = bmsDate(this.clock.stamp());
    const r = row as BmsAccount;
    r.modifiedOn = at;
    r.modifiedBy = EDITOR;
    if (entity === 'ticket') (row as BmsTicket).lastActivityUpdate = at;
    if (entity === 'location') {
      const account = this.s.accounts.get((row as BmsLocation).accountId);
      if (account) {
        account.modifiedOn = at;
        account.modifiedBy = EDITOR;
      }
    }
    return row;
  }

  renameAccount(id: number, name: string): BmsAccount {
    return this.rename('account', id, name) as BmsAccount;
  }

  /** account / location / contact ("First Last") / contract / asset / ticket (title). */
  rename(entity: BmsEntity, id: number, name: string): BmsRecord {
    const row = this.must(entity, id);
    switch (entity) {
      case 'account':
        (row as BmsAccount).accountName = name;
        break;
      case 'location':
        (row as BmsLocation).locationName = name;
        break;
      case 'contact': {
        const sp = name.indexOf(' ');
        (row as BmsContact).firstName = sp < 0 ? name : name.slice(0, sp);
        (row as BmsContact).lastName = sp < 0 ? null : name.slice(sp + 1);
        break;
      }
      case 'contract':
        (row as BmsContract).contractName = name;
        break;
      case 'asset':
        (row as BmsAsset).name = name;
        break;
      case 'ticket':
        (row as BmsTicket).title = name;
        break;
    }
    return this.touch(entity, row);
  }

  /**
   * Hard delete: BMS has no tombstones or deleted-records feed (docs/psa/kaseya-bms.md#incremental-sync), clients reconcile ids.
   * Removing an account removes everything under it (locations, contacts, contracts, assets, tickets).
   */
  remove(entity: BmsEntity, id: number): null {
    this.must(entity, id);
    if (entity === 'account') {
      for (const t of [this.s.locations, this.s.contacts, this.s.contracts, this.s.assets, this.s.tickets] as AnyTable[]) {
        for (const child of [...t.children(id)]) t.delete(child.id);
      }
    }
    (this.s.table(entity) as AnyTable).delete(id);
    this.clock.stamp(); // later stamps stay strictly after the deletion
    return null;
  }

  /** Generic field update (wire/internal names, e.g. `{isActive: false}`, `{statusId: 36708}`). */
  update(entity: BmsEntity, id: number, patch: Record<string, unknown>): BmsRecord {
    const row = this.must(entity, id);
    const clean: Record<string, unknown> = { ...patch };
    delete clean.id;
    const table = this.s.table(entity) as AnyTable;
    const apply = () => Object.assign(row, clean);
    if ('accountId' in clean && entity !== 'account') {
      const accountId = Number(clean.accountId);
      if (!this.s.accounts.get(accountId)) throw new Error(`account ${accountId} not found`);
      (table as { reindex(r: BmsRecord, f: () => void): void }).reindex(row, apply);
    } else apply();
    this.touch(entity, row);
    if (entity === 'ticket') {
      const t = row as BmsTicket;
      if ('statusId' in clean) {
        t.lastStatusUpdate = t.modifiedOn;
        const done = STATUSES.find((x) => x.id === t.statusId)?.completed ?? false;
        t.completedDate = done ? (t.completedDate ?? t.modifiedOn) : null;
      }
      if ('priorityId' in clean) t.lastPriorityUpdate = t.modifiedOn;
      if ('queueId' in clean) t.lastQueueUpdate = t.modifiedOn;
    }
    return row;
  }

  /** Move an asset to another category (created on the fly when the name is new). */
  changeAssetType(id: number, categoryName: string): BmsAsset {
    const row = this.must('asset', id) as BmsAsset;
    let catId = [...this.s.categories].find(([, n]) => n.toLowerCase() === categoryName.toLowerCase())?.[0];
    if (catId === undefined) {
      catId = Math.max(0, ...this.s.categories.keys()) + 1;
      this.s.categories.set(catId, categoryName);
    }
    row.categoryId = catId;
    return this.touch('asset', row) as BmsAsset;
  }

  /** Insert a record with a fresh id; `accountId` defaults to the first account. */
  add(entity: BmsEntity, partial: Record<string, unknown> = {}): BmsRecord {
    const s = this.s;
    const table = s.table(entity) as AnyTable;
    const firstAccount = s.accounts.rows[0];
    const accountId = Number(partial.accountId ?? firstAccount?.id);
    if (entity !== 'account' && !s.accounts.get(accountId)) throw new Error(`account ${String(partial.accountId)} not found`);
    const mainLocation = s.locations.children(accountId).find((l) => l.isMain) ?? s.locations.children(accountId)[0];
    const at = bmsDate(this.clock.stamp());
    const audit = { createdBy: EDITOR, createdOn: at, modifiedBy: EDITOR, modifiedOn: at };
    const id = table.nextId();
    const rest: Record<string, unknown> = { ...partial };
    delete rest.id;
    let row: BmsRecord;
    switch (entity) {
      case 'account':
        row = {
          id,
          ...audit,
          parentId: null,
          accountCode: null,
          accountTypeId: 1203,
          accountName: 'New Account',
          businessTypeId: 515,
          serviceTypeId: 301,
          accountManagerId: EMPLOYEES[1].id,
          currencyId: 1,
          creditLimit: 0,
          netDays: 30,
          website: null,
          description: null,
          isActive: true,
          isBilling: true,
          acquiredDate: at,
          ...rest,
        } as BmsAccount;
        break;
      case 'location':
        row = { id, ...audit, accountId, locationName: 'New Location', isMain: false, isActive: true, timeZoneId: 11, addresses: [], ...rest } as BmsLocation;
        break;
      case 'contact':
        row = {
          id,
          ...audit,
          accountId,
          locationId: mainLocation?.id ?? null,
          firstName: 'New',
          lastName: 'Contact',
          jobTitle: null,
          isPoc: false,
          isActive: true,
          isBillable: false,
          canRecieveInvoices: false,
          hasClientPortalAccess: false,
          emails: [],
          phones: [],
          ...rest,
        } as BmsContact;
        break;
      case 'contract':
        row = {
          id,
          accountId,
          contractName: 'New Contract',
          contractType: 'Recurring Services',
          contractBillingPrice: 0,
          status: 'Active',
          contractNumber: `CN-${String(id - 5000).padStart(6, '0')}`,
          billingCycle: 'Monthly',
          startDate: `${(at as string).slice(0, 10)}T00:00:00`,
          endDate: `${Number((at as string).slice(0, 4)) + 1}${(at as string).slice(4, 10)}T00:00:00`,
          isDefault: false,
          slaId: null,
          ...rest,
        } as BmsContract;
        break;
      case 'asset':
        row = {
          id,
          ...audit,
          name: 'NEW-DEVICE',
          accountId,
          accountLocationId: mainLocation?.id ?? 0,
          contactId: null,
          categoryId: 14,
          brandId: null,
          manufacturer: null,
          modelNumber: null,
          serialNumber: null,
          assetTag: null,
          stateId: 1,
          description: null,
          isActive: true,
          machineGroupId: null,
          ipAddress: null,
          subnetMask: null,
          defaultGateway: null,
          dnsServers: null,
          macAddress: null,
          osType: null,
          osInfo: null,
          currentUser: null,
          lastLoginname: null,
          purchaseCost: null,
          warrantyExpirationDate: null,
          acquisitionDate: null,
          lastCheckIn: null,
          agentId: null,
          ...rest,
        } as BmsAsset;
        break;
      case 'ticket': {
        s.ticketCounter++;
        const d = new Date(`${at as string}Z`);
        const number = `${s.ticketCounter}-${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${d.getUTCFullYear()}`;
        row = {
          id,
          ...audit,
          ticketNumber: number,
          title: 'New ticket',
          details: '<p>New ticket</p>',
          accountId,
          locationId: mainLocation?.id ?? null,
          contactId: null,
          hardwareAssetId: null,
          statusId: (STATUSES[0] as { id: number }).id,
          priorityId: (PRIORITIES[2] as { id: number }).id,
          typeId: TICKET_TYPES[0].id,
          issueTypeId: null,
          queueId: QUEUES[0].id,
          assigneeId: null,
          contractId: null,
          workTypeId: null,
          sourceId: 8,
          slaId: SLAS[0].id,
          openDate: at,
          dueDate: null,
          completedDate: null,
          lastActivityUpdate: at,
          lastStatusUpdate: at,
          lastPriorityUpdate: null,
          lastQueueUpdate: null,
          firstResponseTargetTime: null,
          firstResponseActualTime: null,
          resolutionTargetTime: null,
          resolutionActualTime: null,
          hasMetSLA: null,
          totalTimeSpent: 0,
          attachments: [],
          ...rest,
        } as BmsTicket;
        break;
      }
    }
    (table as { insert(r: BmsRecord): BmsRecord }).insert(row);
    return row;
  }
}
