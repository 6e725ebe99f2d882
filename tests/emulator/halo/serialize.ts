// Over 300 lines on purpose: one method per wire schema of the vendor's spec (list and full forms side by side), so a reader checks every emitted field name against the spec in one place.
import { EMPTY_DATE } from './dates.ts';
import {
  AGENTS,
  ASSET_FIELDS,
  ASSET_STATUSES,
  CONTRACT_TYPES,
  policyGuid,
  PRIORITIES,
  PRIORITY_COLOURS,
  SLAS,
  TICKET_STATUSES,
  TICKET_TYPES,
  TOPLEVELS,
} from './lookups.ts';
import type { AssetFieldKey } from './lookups.ts';
import type { HaloRecord, HaloStore } from './store.ts';

/**
 * Stored rows → wire objects. List rows follow the spec's `*_List` schemas (Area_List,
 * Site_List, Users_List, Device_List, ContractHeader_List, Faults_List); single GETs return the
 * bigger full schema (Area, Site, Users, Device, ContractHeader, Faults) — docs/psa/halo.md#entities-we-read. Only
 * a realistic subset of Halo's 40–890 properties is emitted; names and casing are verbatim.
 * Keys starting with `_` are emulator-internal and never sent.
 */

export type WireKind = 'client' | 'site' | 'user' | 'asset' | 'contract' | 'ticket';

export interface WireOptions {
  full: boolean;
  /** Lower-cased query parameters of the request. */
  params: Map<string, string>;
  baseUrl: string;
}

const pub = (row: HaloRecord): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!k.startsWith('_')) out[k] = v;
  return out;
};

const flag = (p: Map<string, string>, name: string) => (p.get(name) ?? '').toLowerCase() === 'true';

const agentName = (id: unknown) => AGENTS.find((a) => a.id === id)?.name ?? '';

export class Serializer {
  private readonly store: HaloStore;
  /** Client list rows also carry `website` and `mainsite_address`, as newer Halo versions are said to (docs/psa/halo.md#clients). */
  private readonly newerClientList: boolean;

  constructor(store: HaloStore, options: { newerClientList?: boolean } = {}) {
    this.store = store;
    this.newerClientList = options.newerClientList ?? false;
  }

  toWire(kind: WireKind, row: HaloRecord, o: WireOptions): Record<string, unknown> {
    switch (kind) {
      case 'client':
        return this.client(row, o);
      case 'site':
        return this.site(row, o);
      case 'user':
        return this.user(row, o);
      case 'asset':
        return this.asset(row, o);
      case 'contract':
        return this.contract(row, o);
      case 'ticket':
        return this.ticket(row, o);
    }
  }

  clientName(id: unknown): string {
    return (this.store.clients.get(Number(id))?.name as string | undefined) ?? '';
  }

  siteName(id: unknown): string {
    return (this.store.sites.get(Number(id))?.name as string | undefined) ?? '';
  }

  userName(id: unknown): string {
    return (this.store.users.get(Number(id))?.name as string | undefined) ?? '';
  }

  openTickets(clientId: number): number {
    let n = 0;
    for (const t of this.store.tickets.children(clientId)) if (!t.hasbeenclosed) n++;
    return n;
  }

  private client(c: HaloRecord, o: WireOptions): Record<string, unknown> {
    const main = this.store.sites.get(Number(c.main_site_id));
    const mainContact = this.store.users.get(Number(c.main_contact_id));
    const row: Record<string, unknown> = {
      id: c.id,
      name: c.name,
      toplevel_id: c.toplevel_id,
      toplevel_name: TOPLEVELS.find((t) => t.id === c.toplevel_id)?.name ?? '',
      inactive: c.inactive,
      colour: c.colour,
      notes: flag(o.params, 'includenotes') || o.full ? c.notes : '',
      customfields: c.customfields,
      site_fields: [],
      pritech: c.pritech,
      sectech: c.sectech,
      accountmanagertech: c.accountmanagertech,
      open_ticket_count: this.openTickets(c.id),
      opps_ticket_count: 0,
      ref: c.ref,
      is_vip: c.is_vip,
      taxable: c.taxable,
      stopped: c.stopped,
      customertype: c.customertype,
      azure_tenant_id: c.azure_tenant_id,
      itglue_id: c.itglue_id,
      xeroid: c.xeroid,
      accountsid: c.accountsid,
      default_currency_code: c.default_currency_code,
      use: 'area',
      ...(this.newerClientList ? { website: c.website, mainsite_address: main ? addressLines(main) : '' } : {}),
    };
    if (!o.full) return row;
    return {
      ...row,
      datecreated: c.datecreated,
      alastupdate: c.alastupdate,
      pritech_name: agentName(c.pritech),
      sectech_name: agentName(c.sectech),
      accountmanagertech_name: agentName(c.accountmanagertech),
      // The April 2025 spec has these on the full `Area` only, not the list row (docs/psa/halo.md#clients).
      website: c.website,
      main_site_id: c.main_site_id,
      main_site_name: main?.name ?? '',
      main_phonenumber: c.main_phonenumber,
      main_contact_id: c.main_contact_id,
      main_contact_name: mainContact?.name ?? '',
      main_contact_email: mainContact?.emailaddress ?? '',
      main_contact_phonenumber: mainContact?.phonenumber ?? '',
      main_delivery_address: main ? address(main) : null,
      domain: c.domain,
      onhold_ticket_count: this.store.tickets.children(c.id).filter((t) => t.onhold).length,
      total_ticket_count: this.store.tickets.children(c.id).length,
      announce: '',
      enddate: EMPTY_DATE,
      startdate: EMPTY_DATE,
    };
  }

  private site(s: HaloRecord, o: WireOptions): Record<string, unknown> {
    const clientName = this.clientName(s.client_id);
    const a = s.delivery_address as Record<string, string>;
    const row: Record<string, unknown> = {
      id: s.id,
      name: s.name,
      client_id: s.client_id,
      client_name: clientName,
      clientsite_name: `${clientName} - ${s.name as string}`,
      inactive: s.inactive,
      sla_id: s.sla_id,
      phonenumber: s.phonenumber,
      colour: s.colour,
      timezone: s.timezone,
      invoice_address_isdelivery: s.invoice_address_isdelivery,
      notes: flag(o.params, 'includenotes') || o.full ? s.notes : '',
      isstocklocation: s.isstocklocation,
      messagegroup_id: s.messagegroup_id,
      customfields: s.customfields,
      site_fields: [],
      country_code_name: s.country_code_name,
      region_code_name: s.region_code_name,
      ref: s.ref,
      maincontact_id: s.maincontact_id,
      use: 'site',
    };
    // [INFER] the address lines are only filled with includeaddress=true (spec: "Include site address in the response").
    if (o.full || flag(o.params, 'includeaddress')) {
      for (let i = 1; i <= 5; i++) row[`delivery_address_line${i}`] = a[`line${i}`] ?? '';
    }
    if (!o.full) return row;
    return {
      ...row,
      maincontact_name: this.userName(s.maincontact_id),
      delivery_address: address(s),
      invoice_address: address(s),
      isinvoicesite: s.isinvoicesite,
      emaildomain: s.emaildomain,
      datecreated: s.datecreated,
      slastupdate: s.slastupdate,
      uptimestamp: s.slastupdate,
      client: { id: s.client_id, name: clientName },
    };
  }

  private user(u: HaloRecord, o: WireOptions): Record<string, unknown> {
    const site = this.store.sites.get(Number(u.site_id));
    const clientName = this.clientName(u.client_id);
    const row: Record<string, unknown> = {
      id: u.id,
      name: u.name,
      site_id: u.site_id,
      site_id_int: u.site_id,
      site_name: site?.name ?? '',
      client_name: clientName,
      client_id: u.client_id,
      firstname: u.firstname,
      surname: u.surname,
      initials: u.initials,
      title: u.title,
      emailaddress: u.emailaddress,
      phonenumber_preferred: u.phonenumber || u.mobilenumber,
      sitephonenumber: site?.phonenumber ?? '',
      phonenumber: u.phonenumber,
      homenumber: u.homenumber,
      mobilenumber: u.mobilenumber,
      mobilenumber2: u.mobilenumber2,
      fax: u.fax,
      telpref: u.telpref,
      login: u.login,
      inactive: u.inactive,
      colour: u.colour,
      isimportantcontact: u.isimportantcontact,
      other1: u.other1,
      other2: u.other2,
      other3: u.other3,
      other4: u.other4,
      other5: u.other5,
      notes: flag(o.params, 'includenotes') || o.full ? u.notes : '',
      neversendemails: u.neversendemails,
      linked_agent_id: u.linked_agent_id,
      covered_by_contract: u.covered_by_contract,
      customfields: u.customfields,
      isserviceaccount: u.isserviceaccount,
      sitetimezone: site?.timezone ?? '',
      client_account_manager_id: this.store.clients.get(Number(u.client_id))?.accountmanagertech ?? 0,
      user_with_clientsite: `${u.name as string} (${clientName}/${site?.name ?? ''})`,
      use: 'user',
    };
    if (!o.full) return row;
    return {
      ...row,
      datecreated: u.datecreated,
      ulastupdate: u.ulastupdate,
      lastlogindate: u.lastlogindate,
      web_access_level: u.web_access_level,
      ismaincontact: u.ismaincontact,
      site: site ? { id: site.id, name: site.name, client_id: site.client_id, client_name: clientName } : null,
      primary_address: site ? address(site) : null,
      open_ticket_count: this.store.tickets.children(Number(u.client_id)).filter((t) => t.user_id === u.id && !t.hasbeenclosed).length,
    };
  }

  /** FieldHelper[] of an asset: the asset type's fields with this asset's values. */
  assetFields(a: HaloRecord): Record<string, unknown>[] {
    const spec = this.store.assetTypeSpecs.get(Number(a.assettype_id));
    const values = (a._values ?? {}) as Partial<Record<AssetFieldKey, string>>;
    return (spec?.fields ?? []).map((k) => ({
      id: ASSET_FIELDS[k].id,
      name: ASSET_FIELDS[k].name,
      value: values[k] ?? '',
      display: values[k] ?? '',
      mandatory: k === 'deviceName',
      showonactivity: false,
      lookup: 0,
      systemuse: 0,
      typeinfo_id: ASSET_FIELDS[k].id,
    }));
  }

  private asset(a: HaloRecord, o: WireOptions): Record<string, unknown> {
    const type = this.store.assetType(Number(a.assettype_id));
    const status = ASSET_STATUSES.find((s) => s.id === a.status_id);
    const contract = this.store.contracts.get(Number(a.contract_id));
    const user = this.store.users.get(Number(a.first_user_id));
    const row: Record<string, unknown> = {
      id: a.id,
      inventory_number: a.inventory_number,
      key_field: a.key_field,
      key_field2: a.key_field2,
      key_field3: a.key_field3,
      client_id: a.client_id,
      client_name: this.clientName(a.client_id),
      site_id: a.site_id,
      site_name: this.siteName(a.site_id),
      username: user?.name ?? '',
      business_owner_id: 0,
      business_owner_name: '',
      technical_owner_id: 0,
      technical_owner_name: '',
      assettype_id: a.assettype_id,
      assettype_name: type?.name ?? '',
      colour: '',
      icon: type?.icon ?? '',
      warranty_start: a.warranty_start,
      warranty_end: a.warranty_end,
      inactive: a.inactive,
      is_primary_asset: a.is_primary_asset,
      parent_id: a.parent_id,
      contract_id: a.contract_id,
      contract_ref: contract?.ref ?? '',
      supplier_id: a.supplier_id,
      supplier_name: a.supplier_name ?? '',
      status_id: a.status_id,
      status_name: status?.name ?? '',
      // [INFER] populated only with includeassetfields=true (docs/psa/halo.md#assets).
      fields: o.full || flag(o.params, 'includeassetfields') ? this.assetFields(a) : [],
      customfields: a.customfields ?? [],
      sla_id: a.sla_id,
      priority_id: a.priority_id,
      third_party_id: 0,
      device_number: a.device_number,
      first_user_id: a.first_user_id,
      use: 'asset',
    };
    if (!o.full) return row;
    return {
      ...row,
      notes: a.notes,
      guid: a.guid,
      dlastupdate: a.dlastupdate,
      last_modified: a.dlastupdate,
      datecreated: a.datecreated,
      users: user ? [{ id: user.id, name: user.name, emailaddress: user.emailaddress }] : [],
      user_count: user ? 1 : 0,
      ascendant_count: 0,
      descendant_count: 0,
      service_count: 0,
    };
  }

  private contract(c: HaloRecord, o: WireOptions): Record<string, unknown> {
    const type = CONTRACT_TYPES.find((t) => t.id === c.contracttype);
    const row: Record<string, unknown> = {
      id: c.id,
      client_id: c.client_id,
      client_name: this.clientName(c.client_id),
      ref: c.ref,
      refextra: c.refextra,
      start_date: c.start_date,
      end_date: c.end_date,
      started: c.started,
      expired: c.expired,
      active: c.active,
      contract_status: c.contract_status,
      status: c.status,
      numberofunitsfree: c.numberofunitsfree,
      billingperiod: c.billingperiod,
      billingdescription: c.billingdescription,
      subtype: c.subtype,
      site_id: c.site_id,
      site_name: this.siteName(c.site_id),
      user_id: c.user_id,
      user_name: this.userName(c.user_id),
      sla_id: c.sla_id,
      periodicinvoicenextdate: c.periodicinvoicenextdate,
      next_invoice_date: c.next_invoice_date,
      periodchargeamount: c.periodchargeamount,
      note: c.note,
      asset_value: c.asset_value,
      last_modified: c.last_modified,
      contracttype: c.contracttype,
      contracttype_name: type?.name ?? '',
      customfields: c.customfields,
      createdby_id: c.createdby_id,
      createdby_name: agentName(c.createdby_id),
      use: 'contract',
    };
    if (!o.full) return row;
    return { ...row, sla_name: SLAS.find((s) => s.id === c.sla_id)?.name ?? '', assets: [], periods: [] };
  }

  private ticket(t: HaloRecord, o: WireOptions): Record<string, unknown> {
    const status = TICKET_STATUSES.find((s) => s.id === t.status_id);
    const type = TICKET_TYPES.find((s) => s.id === t.tickettype_id);
    const user = this.store.users.get(Number(t.user_id));
    const assets = ((t._assets as number[] | undefined) ?? []).map((id) => this.store.assets.get(id)).filter((a): a is HaloRecord => !!a);
    const client = this.store.clients.get(Number(t.client_id));
    const prio = PRIORITIES.find((p) => p.id === t.priority_id);
    const row: Record<string, unknown> = {
      id: t.id,
      dateoccurred: t.dateoccurred,
      summary: t.summary,
      details: t.details,
      status_id: t.status_id,
      status_name: status?.name ?? '',
      tickettype_id: t.tickettype_id,
      tickettype_name: type?.name ?? '',
      sla_id: t.sla_id,
      sla_name: SLAS.find((s) => s.id === t.sla_id)?.name ?? '',
      priority_id: t.priority_id,
      priority_name: prio?.name ?? '',
      client_id: t.client_id,
      client_name: client?.name ?? '',
      site_id: t.site_id,
      site_name: this.siteName(t.site_id),
      user_id: t.user_id,
      user_name: user?.name ?? '',
      user_email: user?.emailaddress ?? '',
      team: t.team,
      agent_id: t.agent_id,
      agent_name: agentName(t.agent_id),
      category_1: t.category_1,
      category_2: t.category_2,
      category_3: t.category_3,
      category_4: t.category_4,
      inventory_number: assets[0]?.inventory_number ?? '',
      asset_key_field_string: assets.map((a) => a.key_field).join(', '),
      onhold: t.onhold,
      respondbydate: t.respondbydate,
      responsedate: t.responsedate,
      fixbydate: t.fixbydate,
      dateclosed: t.dateclosed,
      dateassigned: t.dateassigned,
      excludefromsla: t.excludefromsla,
      hasbeenclosed: t.hasbeenclosed,
      lastactiondate: t.lastactiondate,
      last_update: t.last_update,
      lastincomingemail: t.lastincomingemail,
      reportedby: t.reportedby,
      enduserstatus: t.enduserstatus,
      is_vip: client?.is_vip ?? false,
      isimportantcontact: user?.isimportantcontact ?? false,
      inactive: false,
      impact: t.impact,
      urgency: t.urgency,
      startdate: t.startdate,
      starttime: t.starttime,
      targetdate: t.targetdate,
      targettime: t.targettime,
      deadlinedate: t.deadlinedate,
      web_url: `${o.baseUrl}/tickets?id=${t.id}`,
      api_url: `${o.baseUrl}/api/Tickets/${t.id}`,
      customfields: t.customfields,
      use: 'ticket',
    };
    if (!o.full) return row;
    return {
      ...row,
      // A `Policy` as a real create response carried it (2022); the April 2025 spec has `priority_name` instead.
      priority: prio
        ? {
            id: policyGuid(Number(t.sla_id), prio.id),
            slaid: t.sla_id,
            priorityid: prio.id,
            name: prio.name,
            fixtime: prio.fixHours,
            fixunits: 'H',
            colour: PRIORITY_COLOURS[prio.id] ?? '',
          }
        : null,
      contract_id: t.contract_id,
      contract_ref: this.store.contracts.get(Number(t.contract_id))?.ref ?? '',
      assets: assets.map((a) => this.asset(a, { ...o, full: false })),
      workflow_id: 0,
      workflow_step: 0,
      userdef1: '',
      userdef2: '',
      userdef3: '',
      userdef4: '',
      userdef5: '',
      oppcompanyname: '',
    };
  }

  /** `ticketidonly=true` rows (spec: id, SLA id, status id, client id and name, lastincomingemail). */
  ticketIdOnly(t: HaloRecord): Record<string, unknown> {
    return {
      id: t.id,
      sla_id: t.sla_id,
      status_id: t.status_id,
      client_id: t.client_id,
      client_name: this.clientName(t.client_id),
      lastincomingemail: t.lastincomingemail,
    };
  }

  /** The raw public fields of a row (for tests and the UI). */
  raw(row: HaloRecord): Record<string, unknown> {
    return pub(row);
  }
}

function addressLines(site: HaloRecord): string {
  const a = site.delivery_address as Record<string, string> | undefined;
  return a ? [a.line1, a.line2, a.line3, a.line4].filter(Boolean).join(', ') : '';
}

/** Halo's AddressStore shape. */
function address(site: HaloRecord): Record<string, unknown> {
  const a = (site.delivery_address as Record<string, string> | undefined) ?? {};
  return { line1: a.line1 ?? '', line2: a.line2 ?? '', line3: a.line3 ?? '', line4: a.line4 ?? '', line5: a.line5 ?? '', postcode: a.postcode ?? '' };
}
