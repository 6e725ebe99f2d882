// Over 300 lines on purpose: one method per wire schema of the vendor's spec, so a reader checks every emitted field name against the spec in one place.
import {
  ACCOUNT_TYPES,
  ASSET_STATES,
  BRANDS,
  BUSINESS_TYPES,
  COUNTRY_US,
  EMAIL_TYPES,
  EMPLOYEES,
  ISSUE_TYPES,
  PHONE_TYPES,
  PRIORITIES,
  QUEUES,
  SERVICE_TYPES,
  SLAS,
  SOURCES,
  STATUSES,
  TENANT,
  TICKET_TYPES,
  WORK_TYPES,
} from './lookups.ts';
import { contactName } from './store.ts';
import type { BmsAccount, BmsAsset, BmsContact, BmsContract, BmsLocation, BmsStore, BmsTicket } from './store.ts';

/**
 * Internal records → the wire DTOs of docs/psa/kaseya-bms.md#wire-names (camelCase, every declared property present,
 * in declaration order). Names of related records are resolved here, at read time.
 */

type Dto = Record<string, unknown>;

const byId = <T extends { id: number }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
const STATUS = byId(STATUSES);
const PRIORITY = byId(PRIORITIES);
const QUEUE = byId(QUEUES);
const TYPE = byId(TICKET_TYPES);
const ISSUE = byId(ISSUE_TYPES);
const WORK = byId(WORK_TYPES);
const SLA = byId(SLAS);
const EMPLOYEE = byId(EMPLOYEES);
const ACCOUNT_TYPE = byId(ACCOUNT_TYPES);
const BUSINESS_TYPE = byId(BUSINESS_TYPES);
const SERVICE_TYPE = byId(SERVICE_TYPES);
const STATE = byId(ASSET_STATES);

export function employeeName(id: number | null | undefined): string | null {
  return id === null || id === undefined ? null : (EMPLOYEE.get(id)?.name ?? null);
}

export class Serializer {
  private readonly s: BmsStore;

  constructor(store: BmsStore) {
    this.s = store;
  }

  accountName(id: number | null | undefined): string | null {
    return id === null || id === undefined ? null : (this.s.accounts.get(id)?.accountName ?? null);
  }

  locationName(id: number | null | undefined): string | null {
    return id === null || id === undefined ? null : (this.s.locations.get(id)?.locationName ?? null);
  }

  categoryName(id: number): string | null {
    return this.s.categories.get(id) ?? null;
  }

  private audit(r: { createdBy: number | null; createdOn: string | null; modifiedBy: number | null; modifiedOn: string | null }): Dto {
    return { createdBy: r.createdBy, createdOn: r.createdOn, modifiedBy: r.modifiedBy, modifiedOn: r.modifiedOn };
  }

  /** AccountSummaryOutputDto (with nested locations and addresses). */
  accountSummary(a: BmsAccount): Dto {
    const manager = EMPLOYEE.get(a.accountManagerId);
    return {
      id: a.id,
      ...this.audit(a),
      parentId: a.parentId,
      accountCode: a.accountCode,
      accountTypeId: a.accountTypeId,
      accountType: ACCOUNT_TYPE.get(a.accountTypeId)?.name ?? null,
      accountName: a.accountName,
      businessTypeId: a.businessTypeId,
      businessType: BUSINESS_TYPE.get(a.businessTypeId)?.name ?? null,
      serviceTypeId: a.serviceTypeId,
      serviceType: a.serviceTypeId === null ? null : (SERVICE_TYPE.get(a.serviceTypeId)?.name ?? null),
      accountManagerId: a.accountManagerId,
      accountManagerUserName: manager?.userName ?? null,
      currencyId: a.currencyId,
      currencyName: 'USD',
      creditLimit: a.creditLimit,
      netDays: a.netDays,
      salesTaxItemId: null,
      salesTaxItemName: null,
      website: a.website,
      description: a.description,
      classId: null,
      className: null,
      isActive: a.isActive,
      isBilling: a.isBilling,
      acquiredDate: a.acquiredDate,
      tenantName: TENANT.name,
      locations: this.s.locations.children(a.id).map((l) => this.location(l)),
    };
  }

  /** AccountLocationOutputDto. */
  location(l: BmsLocation): Dto {
    return {
      id: l.id,
      ...this.audit(l),
      locationName: l.locationName,
      isMain: l.isMain,
      isActive: l.isActive,
      timeZoneId: l.timeZoneId,
      dateFormatId: null,
      timeFormatId: null,
      addresses: l.addresses.map((ad) => ({
        id: ad.id,
        ...this.audit(ad),
        address1: ad.address1,
        address2: ad.address2,
        city: ad.city,
        state: ad.state,
        zipCode: ad.zipCode,
        countryId: ad.countryId,
        country: ad.countryId === COUNTRY_US.id ? COUNTRY_US.name : null,
        phone: ad.phone,
        fax: ad.fax,
        latitude: null,
        longitude: null,
        emailAddress: ad.emailAddress,
        isMain: ad.isMain,
        isBilling: ad.isBilling,
        addressTypeId: null,
        addressType: null,
      })),
    };
  }

  accountLookup(a: BmsAccount): Dto {
    return { id: a.id, name: a.accountName, tenantName: TENANT.name, isActive: a.isActive };
  }

  locationLookup(l: BmsLocation): Dto {
    return { id: l.id, name: l.locationName, accountId: l.accountId, isMain: l.isMain };
  }

  /** ContactsSummaryOutputDto. */
  contactSummary(c: BmsContact): Dto {
    return {
      id: c.id,
      ...this.audit(c),
      accountId: c.accountId,
      accountName: this.accountName(c.accountId),
      locationId: c.locationId,
      locationName: this.locationName(c.locationId),
      firstName: c.firstName,
      lastName: c.lastName,
      jobTitle: c.jobTitle,
      isPoc: c.isPoc,
      isActive: c.isActive,
      effectiveDate: null,
      isBillable: c.isBillable,
      emails: c.emails.map((e) => ({
        id: e.id,
        ...this.audit(e),
        emailAddress: e.emailAddress,
        emailTypeId: e.emailTypeId,
        emailType: EMAIL_TYPES[e.emailTypeId as 1] ?? null,
        isDefault: e.isDefault,
      })),
      phones: c.phones.map((p) => ({
        id: p.id,
        ...this.audit(p),
        phone: p.phone,
        phoneTypeId: p.phoneTypeId,
        phoneType: PHONE_TYPES[p.phoneTypeId as 1] ?? null,
        isDefault: p.isDefault,
      })),
      canRecieveInvoices: c.canRecieveInvoices, // sic
    };
  }

  /** ContactLookupOutputDto (`/crm/accounts/{id}/contacts/lookup`). */
  contactLookup(c: BmsContact): Dto {
    return {
      id: c.id,
      name: contactName(c),
      locationId: c.locationId ?? 0,
      locationName: this.locationName(c.locationId),
      phone: defaultOf(c.phones)?.phone ?? null,
      emailAddress: defaultOf(c.emails)?.emailAddress ?? null,
    };
  }

  /** ContactsSearchSelectOutputDto (`/crm/contacts/search`). */
  contactSearch(c: BmsContact): Dto {
    return {
      id: c.id,
      accountId: c.accountId,
      accountName: this.accountName(c.accountId),
      locationId: c.locationId ?? 0,
      locationName: this.locationName(c.locationId),
      firstName: c.firstName,
      lastName: c.lastName,
      jobTitle: c.jobTitle,
      emailAddress: defaultOf(c.emails)?.emailAddress ?? null,
      isPoc: c.isPoc,
      isActive: c.isActive,
      hasClientPortalAccess: c.hasClientPortalAccess,
    };
  }

  /** ContactSummaryInfoOutputDto (contact + account card). */
  contactSummaryInfo(c: BmsContact): Dto {
    const a = this.s.accounts.get(c.accountId);
    const loc = c.locationId === null ? undefined : this.s.locations.get(c.locationId);
    const ad = loc?.addresses[0];
    return {
      id: c.id,
      contactName: contactName(c),
      contactPhone: defaultOf(c.phones)?.phone ?? null,
      contactEmailAddress: defaultOf(c.emails)?.emailAddress ?? null,
      clientName: a?.accountName ?? null,
      locationName: loc?.locationName ?? null,
      locationId: loc?.id ?? 0,
      accountType: a ? (ACCOUNT_TYPE.get(a.accountTypeId)?.name ?? null) : null,
      website: a?.website ?? null,
      phoneNumber: ad?.phone ?? null,
      faxNumber: ad?.fax ?? null,
      address1: ad?.address1 ?? null,
      address2: ad?.address2 ?? null,
      city: ad?.city ?? null,
      state: ad?.state ?? null,
      zipCode: ad?.zipCode ?? null,
      country: ad ? COUNTRY_US.name : null,
      latitude: null,
      longitude: null,
      tenantId: TENANT.id,
      isActive: c.isActive,
      accountId: c.accountId,
    };
  }

  /** ClientContractSummaryOutputDto — note: no accountId on the wire, only accountName. */
  contractSummary(k: BmsContract): Dto {
    return {
      id: k.id,
      contractName: k.contractName,
      accountName: this.accountName(k.accountId),
      contractType: k.contractType,
      contractBillingPrice: k.contractBillingPrice,
      status: k.status,
      contractNumber: k.contractNumber,
      billingCycle: k.billingCycle,
      startDate: k.startDate,
      endDate: k.endDate,
    };
  }

  /** ContractLookupOutputDto. */
  contractLookup(k: BmsContract): Dto {
    const sla = k.slaId === null ? undefined : SLA.get(k.slaId);
    return {
      id: k.id,
      name: k.contractName,
      isDefault: k.isDefault,
      slaId: k.slaId,
      slaName: sla?.name ?? null,
      isActive: k.status === 'Active',
      endDate: k.endDate,
    };
  }

  /** HardwareAssetsListSearchSelectOutputDto. */
  assetSearchSelect(a: BmsAsset): Dto {
    const contact = a.contactId === null ? undefined : this.s.contacts.get(a.contactId);
    return {
      id: a.id,
      categoryName: this.categoryName(a.categoryId),
      categoryId: a.categoryId,
      locationName: this.locationName(a.accountLocationId),
      assetName: a.name,
      serialNumber: a.serialNumber,
      machineGroupId: a.machineGroupId,
      ipAddress: a.ipAddress,
      contactId: a.contactId ?? 0,
      contactName: contact ? contactName(contact) : null,
      accountId: a.accountId,
      accountName: this.accountName(a.accountId),
      isActive: a.isActive,
    };
  }

  /** HardwareAssetOutputDto (≈90 properties; most inventory fields null for non-agent assets). */
  asset(a: BmsAsset): Dto {
    const contact = a.contactId === null ? undefined : this.s.contacts.get(a.contactId);
    const brand = a.brandId !== null && a.brandId >= 700 ? (BRANDS[a.brandId - 700] ?? null) : null;
    return {
      id: a.id,
      name: a.name,
      accountId: a.accountId,
      accountName: this.accountName(a.accountId),
      accountLocationId: a.accountLocationId,
      accountLocation: this.locationName(a.accountLocationId),
      contactId: a.contactId,
      contactFirstName: contact?.firstName ?? null,
      contactLastName: contact?.lastName ?? null,
      categoryId: a.categoryId,
      category: this.categoryName(a.categoryId),
      brandId: a.brandId,
      brand,
      serialNumber: a.serialNumber,
      businessImpactId: null,
      businessImpact: null,
      stateId: a.stateId,
      state: a.stateId === null ? null : (STATE.get(a.stateId)?.name ?? null),
      locationInfo: null,
      description: a.description,
      barCode: null,
      assetTag: a.assetTag,
      vendorId: null,
      webRemoteUrl: null,
      vendor: null,
      isActive: a.isActive,
      modelNumber: a.modelNumber,
      machineGroupId: a.machineGroupId,
      ipAddress: a.ipAddress,
      subnetMask: a.subnetMask,
      defaultGateway: a.defaultGateway,
      dnsServers: a.dnsServers,
      dhcpEnabled: a.ipAddress !== null,
      dhcpServer: null,
      winsEnabled: false,
      secondaryWinsServer: null,
      connectionGatewayIp: null,
      osType: a.osType,
      osInfo: a.osInfo,
      majorVersion: null,
      minorVersion: null,
      macAddress: a.macAddress,
      loginName: a.lastLoginname,
      lastLoginname: a.lastLoginname,
      currentUser: a.currentUser,
      productName: a.modelNumber,
      machineVersion: null,
      motherboardManufacturerId: null,
      motherboardManufacturer: null,
      motherboardProductCode: null,
      motherboardSerialNumber: null,
      motherboardVersion: null,
      chassisAssetTag: null,
      chassisManufacturerId: null,
      chassisManufacturer: null,
      chassisSerialNumber: null,
      chassisType: null,
      chassisVersion: null,
      busSpeed: null,
      manufacturerId: a.brandId,
      manufacturer: a.manufacturer,
      maxMemorySize: null,
      maxMemorySlots: null,
      primaryWinsServer: null,
      purchaseCost: a.purchaseCost,
      warrantyExpirationDate: a.warrantyExpirationDate,
      expirationDate: null,
      acquisitionDate: a.acquisitionDate,
      firstCheckIn: a.agentId ? a.acquisitionDate : null,
      lastCheckIn: a.lastCheckIn,
      lastReboot: null,
      createdById: a.createdBy,
      createdBy: employeeName(a.createdBy),
      modifiedById: a.modifiedBy,
      modifiedBy: employeeName(a.modifiedBy),
      createdOn: a.createdOn,
      modifiedOn: a.modifiedOn,
      contactEmailAddress: contact ? (defaultOf(contact.emails)?.emailAddress ?? null) : null,
      contactPhoneNumber: contact ? (defaultOf(contact.phones)?.phone ?? null) : null,
      agentId: a.agentId,
      diskVolumes: a.agentId
        ? [{ drive: 'C:', type: 'Fixed', format: 'NTFS', freeMBytes: 182_340, usedMBytes: 293_410, totalMBytes: 475_750, label: 'OS' }]
        : [],
      integrationTypeId: null,
      statuses: [],
    };
  }

  private ticketCommon(t: BmsTicket): { account?: BmsAccount; contact?: BmsContact } {
    return { account: this.s.accounts.get(t.accountId), contact: t.contactId === null ? undefined : this.s.contacts.get(t.contactId) };
  }

  /** TicketOutputDto (`GET /v2/servicedesk/tickets/{id}`). */
  ticket(t: BmsTicket): Dto {
    const { account, contact } = this.ticketCommon(t);
    const status = STATUS.get(t.statusId);
    const priority = PRIORITY.get(t.priorityId);
    const contract = t.contractId === null ? undefined : this.s.contracts.get(t.contractId);
    const asset = t.hardwareAssetId === null ? undefined : this.s.assets.get(t.hardwareAssetId);
    const location = t.locationId === null ? undefined : this.s.locations.get(t.locationId);
    const frMinutes = t.firstResponseActualTime ? Math.round((Date.parse(`${t.firstResponseActualTime}Z`) - Date.parse(`${t.openDate}Z`)) / 60_000) : null;
    const resMinutes = t.resolutionActualTime ? Math.round((Date.parse(`${t.resolutionActualTime}Z`) - Date.parse(`${t.openDate}Z`)) / 60_000) : null;
    return {
      id: t.id,
      ...this.audit(t),
      ticketNumber: t.ticketNumber,
      title: t.title,
      details: t.details,
      accountId: t.accountId,
      accountCode: account?.accountCode ?? null,
      accountName: account?.accountName ?? null,
      locationId: t.locationId,
      locationName: location?.locationName ?? null,
      locationPhone: location?.addresses[0]?.phone ?? null,
      contactId: t.contactId,
      contactName: contact ? contactName(contact) : null,
      contactPhone: contact ? (defaultOf(contact.phones)?.phone ?? null) : null,
      contactEmail: contact ? (defaultOf(contact.emails)?.emailAddress ?? null) : null,
      softwareAssetId: null,
      softwareAssetName: null,
      hardwareAssetId: t.hardwareAssetId,
      hardwareAssetName: asset?.name ?? null,
      vsaAssetId: null,
      hasVsaAgent: 0,
      statusId: t.statusId,
      statusName: status?.name ?? null,
      statusColor: status?.color ?? null,
      statusForeColor: status?.fontColor ?? null,
      statusOrder: status?.statusOrder ?? 0,
      priorityId: t.priorityId,
      priorityName: priority?.name ?? null,
      priorityColor: priority?.color ?? null,
      typeId: t.typeId,
      typeName: TYPE.get(t.typeId)?.name ?? null,
      issueTypeId: t.issueTypeId,
      issueTypeName: t.issueTypeId === null ? null : (ISSUE.get(t.issueTypeId)?.name ?? null),
      subIssueTypeId: null,
      subIssueTypeName: null,
      contractId: t.contractId,
      contractNumber: contract?.contractNumber ?? null,
      contractName: contract?.contractName ?? null,
      workTypeId: t.workTypeId,
      workTypeName: t.workTypeId === null ? null : (WORK.get(t.workTypeId)?.name ?? null),
      slaStatusEventId: status?.slaEventId ?? null,
      sourceId: t.sourceId,
      sourceName: SOURCES[t.sourceId] ?? null,
      openDate: t.openDate,
      dueDate: t.dueDate,
      completedDate: t.completedDate,
      lastActivityUpdate: t.lastActivityUpdate,
      lastStatusUpdate: t.lastStatusUpdate,
      lastPriorityUpdate: t.lastPriorityUpdate,
      occurrenceCount: null,
      lastOccurrenceDate: null,
      cCs: [],
      rmmTicketReference: null,
      slaName: t.slaId === null ? null : (SLA.get(t.slaId)?.name ?? null),
      hasMetSLA: t.hasMetSLA,
      firstResponseTargetTime: t.firstResponseTargetTime,
      firstResponseActualTime: t.firstResponseActualTime,
      resolutionActualTime: t.resolutionActualTime,
      resolutionTargetTime: t.resolutionTargetTime,
      slaStatusEnum: t.completedDate ? 3 : t.firstResponseActualTime ? 1 : 0,
      tenantId: TENANT.id,
      queueId: t.queueId,
      queueName: t.queueId === null ? null : (QUEUE.get(t.queueId)?.name ?? null),
      assigneeId: t.assigneeId,
      assigneeName: employeeName(t.assigneeId),
      ticketRecurringMasterId: null,
      recurring: 0,
      slaId: t.slaId,
      slaObjectiveId: t.slaId === null ? null : 2210,
      isScheduled: 0,
      actualPauseMinutes: 0,
      actualFirstResponseMinutes: frMinutes,
      actualResolutionMinutes: resMinutes,
      isSLAPaused: 0,
      reOpenedDate: null,
      slaLastPausedTime: null,
      slaLastResumedTime: null,
      lastQueueUpdate: t.lastQueueUpdate,
      hasPostedEntries: t.totalTimeSpent > 0,
      secondaryAssignees: [],
      createdByName: employeeName(t.createdBy),
      totalExpenses: 0,
      totalTimeSpent: t.totalTimeSpent,
      isReadOnly: false,
      openDateLocked: false,
      integrationTypeId: null,
    };
  }

  /** TicketListDto (rows of `/tickets`, `/tickets/search`). */
  ticketListRow(t: BmsTicket): Dto {
    const full = this.ticket(t);
    return {
      id: t.id,
      ...this.audit(t),
      tenantName: TENANT.name,
      ticketNumber: t.ticketNumber,
      title: t.title,
      details: t.details,
      accountId: t.accountId,
      locationId: t.locationId,
      accountCode: full.accountCode,
      accountName: full.accountName,
      locationName: full.locationName,
      contactId: t.contactId,
      contactName: full.contactName,
      queueId: t.queueId,
      queueName: full.queueName,
      statusId: t.statusId,
      statusName: full.statusName,
      statusColor: full.statusColor,
      statusForeColor: full.statusForeColor,
      statusOrder: full.statusOrder,
      priorityId: t.priorityId,
      priorityName: full.priorityName,
      priorityColor: full.priorityColor,
      typeId: t.typeId,
      typeName: full.typeName,
      issueTypeId: t.issueTypeId,
      issueTypeName: full.issueTypeName,
      subIssueTypeId: null,
      subIssueTypeName: null,
      contractId: t.contractId,
      contractNumber: full.contractNumber,
      contractName: full.contractName,
      assigneeId: t.assigneeId,
      assigneeName: full.assigneeName,
      workTypeId: t.workTypeId,
      workTypeName: full.workTypeName,
      ticketRecurringMasterId: null,
      recurring: 0,
      slaStatusEventId: full.slaStatusEventId,
      sourceId: t.sourceId,
      slaId: t.slaId,
      slaObjectiveId: full.slaObjectiveId,
      slaName: full.slaName,
      isScheduled: 0,
      hardwareAssetId: t.hardwareAssetId ?? 0,
      hasMetSLA: t.hasMetSLA,
      actualPauseMinutes: 0,
      actualFirstResponseMinutes: full.actualFirstResponseMinutes,
      actualResolutionMinutes: full.actualResolutionMinutes,
      isSLAPaused: 0,
      slaStatusEnum: full.slaStatusEnum,
      openDate: t.openDate,
      dueDate: t.dueDate,
      completedDate: t.completedDate,
      reOpenedDate: null,
      lastActivityUpdate: t.lastActivityUpdate,
      resolutionTargetTime: t.resolutionTargetTime,
      resolutionActualTime: t.resolutionActualTime,
      firstResponseTargetTime: t.firstResponseTargetTime,
      firstResponseActualTime: t.firstResponseActualTime,
      slaLastPausedTime: null,
      slaLastResumedTime: null,
      lastStatusUpdate: t.lastStatusUpdate,
      lastPriorityUpdate: t.lastPriorityUpdate,
      lastQueueUpdate: t.lastQueueUpdate,
      createdByName: full.createdByName,
      customFields: '{}',
      hardwareAssetName: full.hardwareAssetName,
    };
  }

  /** TicketsListSummaryOutputDto (statusId/priorityId are strings in the spec). */
  ticketSummary(t: BmsTicket): Dto {
    const status = STATUS.get(t.statusId);
    const priority = PRIORITY.get(t.priorityId);
    return {
      id: t.id,
      title: t.title,
      ticketNumber: t.ticketNumber,
      statusName: status?.name ?? null,
      statusId: String(t.statusId),
      statusColor: status?.color ?? null,
      priorityId: String(t.priorityId),
      priorityName: priority?.name ?? null,
      priorityColor: priority?.color ?? null,
    };
  }
}

function defaultOf<T extends { isDefault: boolean }>(items: readonly T[]): T | undefined {
  return items.find((i) => i.isDefault) ?? items[0];
}
