// Over 300 lines on purpose: one Generator whose methods draw from one seeded PRNG stream in a fixed order: every fixture value (ids, names, dates) depends on that order, so it stays one file read top to bottom.
import * as fake from '../framework/fake.ts';
import { Prng } from '../framework/prng.ts';
import { EMPTY_DATE, EMPTY_DATE_0001, EMPTY_TIME, haloDate, haloDateTime } from './dates.ts';
import {
  AGENTS,
  ASSET_FIELDS,
  ASSET_GROUPS,
  ASSET_STATUSES,
  ASSET_TYPES,
  CATEGORIES,
  CONTRACT_TYPES,
  PRIORITIES,
  TEAMS,
  TICKET_STATUSES,
  TICKET_TYPES,
  TIMEZONES,
  TOPLEVELS,
} from './lookups.ts';
import type { AssetFieldKey, AssetTypeSpec } from './lookups.ts';
import { seedBilling } from './billing-data.ts';
import { HaloStore } from './store.ts';
import type { HaloRecord } from './store.ts';

export type Preset = 'tiny' | 'demo' | 'large';

type Range = readonly [number, number];

interface PresetSpec {
  clients: number;
  names?: readonly string[];
  perClient?: { users: Range; assets: Range; contracts: Range; sites: Range };
  totals?: { users: number; assets: number; contracts: number; sites: number };
  tickets: number;
  idGaps: boolean;
}

/** Names from Halo's public demo data (docs/psa/halo.md#entities-we-read) first, then the shared demo list. */
const TINY_NAMES = ['Acorn Construction', "Mario and Luigi's Pizza Place", 'Northwind Dental Group'] as const;
const DEMO_NAMES = [...TINY_NAMES, ...fake.DEMO_COMPANY_NAMES.filter((n) => n !== 'Northwind Dental Group').slice(0, 22)];

const PRESETS: Record<Preset, PresetSpec> = {
  tiny: { clients: 3, names: TINY_NAMES, perClient: { users: [3, 3], assets: [4, 5], contracts: [2, 2], sites: [2, 2] }, tickets: 7, idGaps: false },
  demo: {
    clients: DEMO_NAMES.length,
    names: DEMO_NAMES,
    perClient: { users: [2, 8], assets: [3, 15], contracts: [1, 3], sites: [1, 3] },
    tickets: 60,
    idGaps: true,
  },
  large: { clients: 2000, totals: { users: 40_000, assets: 150_000, contracts: 3_000, sites: 6_000 }, tickets: 3_000, idGaps: true },
};

/** First ids per table: distinct ranges make id mix-ups in clients show up as 404s. */
export const ID_BASE = { client: 12, site: 5001, user: 30001, asset: 100001, contract: 801, ticket: 400001 } as const;

/** Default "now" of generated data, fixed so a seed always yields identical records. */
export const DEFAULT_ANCHOR = '2026-11-01T00:00:00Z';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface DatasetOptions {
  preset?: Preset;
  seed?: number;
  /** Generated timestamps fall before this instant. */
  anchor?: string | Date;
}

export function generateDataset(opts: DatasetOptions = {}): HaloStore {
  const preset = opts.preset ?? 'tiny';
  const spec = PRESETS[preset];
  const root = new Prng(opts.seed ?? 1);
  const anchor = new Date(opts.anchor ?? DEFAULT_ANCHOR).getTime();
  const g = new Generator(new HaloStore(), root, anchor, spec.idGaps, preset !== 'large');
  g.assetTypes();

  const n = spec.clients;
  const counts = spec.perClient
    ? perClientCounts(root.fork('counts'), n, spec.perClient)
    : totalCounts(root.fork('counts'), n, spec.totals as NonNullable<PresetSpec['totals']>);
  const nameRng = root.fork('names');
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let name = spec.names?.[i] ?? fake.companyName(nameRng);
    for (let k = 2; used.has(name); k++) name = `${spec.names?.[i] ?? fake.companyName(nameRng)} ${k}`;
    used.add(name);
    g.client(i, n, name, counts[i] as ClientCounts);
  }
  g.tickets(spec.tickets);
  // Items and recurring invoices last, drawing nothing from the generator's stream.
  seedBilling(g.store, { anchor, withoutContract: preset === 'demo' });
  return g.store;
}

interface ClientCounts {
  users: number;
  assets: number;
  contracts: number;
  sites: number;
}

function perClientCounts(rng: Prng, n: number, r: NonNullable<PresetSpec['perClient']>): ClientCounts[] {
  return Array.from({ length: n }, () => ({
    users: rng.int(...r.users),
    assets: rng.int(...r.assets),
    contracts: rng.int(...r.contracts),
    sites: rng.int(...r.sites),
  }));
}

/** Exact totals: every client gets one site and one user; the rest land at random. */
function totalCounts(rng: Prng, n: number, t: NonNullable<PresetSpec['totals']>): ClientCounts[] {
  const counts = Array.from({ length: n }, () => ({ users: 1, assets: 0, contracts: 0, sites: 1 }));
  // The first client (that of the first ticket) has at least one of everything.
  Object.assign(counts[0] as ClientCounts, { assets: 1, contracts: 1 });
  const spread = (key: keyof ClientCounts, extra: number) => {
    for (let i = 0; i < extra; i++) (counts[rng.int(0, n - 1)] as ClientCounts)[key]++;
  };
  spread('users', t.users - n);
  spread('sites', t.sites - n);
  spread('assets', t.assets - 1);
  spread('contracts', t.contracts - 1);
  return counts;
}

const WEIGHTED_TYPES = ASSET_TYPES.filter((t) => t.weight > 0).map((t) => [t, t.weight] as const);

/**
 * Custom fields (spec `CustomField`: `name` is the internal CF name, `label` what the screen
 * shows, `value` the stored value, `display` its text; `type` 0 text, 2 single select, 4 date).
 */
const customField = (id: number, name: string, label: string, type: number, value: unknown, display: string): HaloRecord => ({
  id,
  name,
  label,
  type,
  value,
  display,
});
const WEST = new Set(['WA', 'OR', 'CO', 'AZ']);

export const SUPPLIERS = [
  { id: 1, name: 'Ingram Micro' },
  { id: 2, name: 'TD SYNNEX' },
  { id: 3, name: 'Dell Technologies' },
] as const;
const BACKUP_PLANS = ['Local + Cloud', 'Cloud only', 'Local only'] as const;
const CONTACT_METHODS = ['Email', 'Phone', 'Teams'] as const;
const SITE_ACCESS = [
  'Key safe by the rear door; code from the office manager',
  'Alarm code with reception; call ahead',
  'Building security desk (24/7)',
] as const;

class Generator {
  private nextIds: Record<keyof typeof ID_BASE, number> = { ...ID_BASE };
  private readonly rng: Prng;
  /** Custom field values and suppliers: their own stream, so the other data is unchanged. */
  private readonly extra: Prng;
  private inventorySeq = 1000;
  readonly store: HaloStore;
  private readonly anchor: number;
  private readonly gaps: boolean;
  /** tiny/demo: force the variety tests rely on (inactive rows of every kind, expired contracts). */
  private readonly forceVariety: boolean;

  constructor(store: HaloStore, root: Prng, anchor: number, gaps: boolean, forceVariety: boolean) {
    this.store = store;
    this.anchor = anchor;
    this.gaps = gaps;
    this.forceVariety = forceVariety;
    this.rng = root.fork('records');
    this.extra = root.fork('custom-fields');
  }

  private id(kind: keyof typeof ID_BASE): number {
    const id = this.nextIds[kind];
    // Real tables have holes (deleted rows): paging must not assume contiguous ids.
    this.nextIds[kind] = id + 1 + (this.gaps && this.rng.chance(0.08) ? this.rng.int(1, 3) : 0);
    return id;
  }

  /** A timestamp within `days` before the anchor, with milliseconds (Halo keeps them). */
  private past(days: number): number {
    return this.anchor - Math.floor(this.rng.next() * days * DAY) - this.rng.int(60, 86_000) * 1000 - this.rng.int(0, 999);
  }

  private day(offsetDays: number): string {
    return haloDate(Math.floor((this.anchor + offsetDays * DAY) / DAY) * DAY);
  }

  assetTypes(): void {
    for (const t of ASSET_TYPES) {
      this.store.assetTypeSpecs.set(t.id, t);
      this.store.assetTypes.push(xtypeRow(t, this.rng.uuid()));
    }
  }

  client(index: number, total: number, name: string, counts: ClientCounts): void {
    const r = this.rng;
    const s = this.store;
    const place = r.pick(fake.PLACES);
    const id = this.id('client');
    const domain = fake.domainFrom(name);
    // Fixed by position so tiny and demo always contain each top level and some inactive clients.
    // tiny: the second client is a break-fix client, so the `restricted` agent has something to miss.
    const tl = total <= 3 ? (index === 1 ? 1 : 0) : index % 7 === 3 ? 1 : index % 11 === 8 ? 2 : 0;
    const toplevel = (TOPLEVELS[tl] as (typeof TOPLEVELS)[number]).id;
    const inactive = this.forceVariety ? (total <= 3 ? index === 2 : index % 12 === 10) : r.chance(0.04);
    const created = this.past(1500);
    const updated = Math.max(created, this.past(365));
    const client: HaloRecord = {
      id,
      name,
      toplevel_id: toplevel,
      inactive,
      colour: r.chance(0.3) ? r.pick(['#2f6fb0', '#b0302f', '#2fb05a', '#8a2fb0']) : '',
      notes: r.chance(0.2) ? 'Key holder list is in the documentation portal.' : '',
      ref: fake.identifierFrom(name, 8).toUpperCase(),
      is_vip: index % 9 === 4,
      pritech: r.pick(AGENTS).id,
      sectech: r.chance(0.5) ? r.pick(AGENTS).id : 0,
      accountmanagertech: 7,
      customertype: toplevel === 3 ? 2 : 1,
      stopped: 0,
      taxable: true,
      website: `https://www.${domain}`,
      main_phonenumber: fake.phone(r, place.areaCode),
      accountsid: r.chance(0.5) ? `ACC${r.int(1000, 9999)}` : '',
      azure_tenant_id: r.chance(0.3) ? r.uuid() : '',
      itglue_id: '',
      xeroid: '',
      default_currency_code: 0,
      domain,
      datecreated: haloDateTime(created),
      alastupdate: haloDateTime(updated),
      customfields: [WEST.has(place.state) ? customField(171, 'CFRegion', 'Region', 2, 2, 'West') : customField(171, 'CFRegion', 'Region', 2, 1, 'East')],
      _place: place,
    };
    s.clients.insert(client);

    const sites: HaloRecord[] = [];
    for (let i = 0; i < counts.sites; i++) sites.push(this.site(client, place, i));
    client.main_site_id = sites[0]?.id ?? 0;

    const users: HaloRecord[] = [];
    for (let i = 0; i < counts.users; i++) users.push(this.user(client, domain, sites, i, counts.users, index));
    client.main_contact_id = users[0]?.id ?? 0;
    const mainSite = sites[0];
    if (mainSite && users[0]) mainSite.maincontact_id = users[0].id;

    const contracts: HaloRecord[] = [];
    for (let i = 0; i < counts.contracts; i++) contracts.push(this.contract(client, sites, users, i));

    const abbrev =
      fake
        .identifierFrom(name)
        .replace(/[a-z0-9]/g, '')
        .slice(0, 4) || name.slice(0, 3).toUpperCase();
    const perType = new Map<number, number>();
    for (let i = 0; i < counts.assets; i++) {
      const t = r.weighted(WEIGHTED_TYPES);
      const seq = (perType.get(t.id) ?? 0) + 1;
      perType.set(t.id, seq);
      const forceRetired = this.forceVariety && index === 0 && i === counts.assets - 1;
      this.asset(client, abbrev, t, seq, users, sites, contracts, forceRetired, i === 0);
    }
  }

  private siteAccess(): HaloRecord {
    const access = this.extra.pick(SITE_ACCESS);
    return customField(161, 'CFAfterHoursAccess', 'After-hours Access', 0, access, access);
  }

  private site(client: HaloRecord, place: fake.Place, i: number): HaloRecord {
    const r = this.rng;
    const other = i === 0 ? place : r.pick(fake.PLACES);
    const created = this.past(1500);
    return this.store.sites.insert({
      id: this.id('site'),
      name: i === 0 ? 'Main' : `${other.city} Office`,
      client_id: client.id,
      inactive: i > 0 && (this.forceVariety ? i === 1 && client.id % 3 === 0 : r.chance(0.1)),
      sla_id: client.toplevel_id === 1 ? 1 : 2,
      phonenumber: i === 0 ? (client.main_phonenumber as string) : fake.phone(r, other.areaCode),
      colour: '',
      timezone: r.pick(TIMEZONES),
      invoice_address_isdelivery: true,
      notes: '',
      isstocklocation: false,
      messagegroup_id: 0,
      delivery_address: {
        line1: fake.streetAddress(r),
        line2: other.city,
        line3: other.stateName,
        line4: other.zip,
        line5: 'United States',
        postcode: other.zip,
      },
      country_code_name: 'United States',
      region_code_name: other.stateName,
      ref: '',
      maincontact_id: 0,
      isinvoicesite: i === 0,
      emaildomain: (client.domain as string) ?? '',
      datecreated: haloDateTime(created),
      slastupdate: haloDateTime(Math.max(created, this.past(365))),
      // The main site of most clients says how to get in after hours.
      customfields: i === 0 && this.extra.chance(0.7) ? [this.siteAccess()] : [],
    });
  }

  /** The main contact and a quarter of the others have a preferred contact method. */
  private userCustomFields(main: boolean): HaloRecord[] {
    if (!main && !this.extra.chance(0.25)) return [];
    const index = this.extra.int(0, CONTACT_METHODS.length - 1);
    return [customField(151, 'CFPreferredContact', 'Preferred Contact Method', 2, index + 1, CONTACT_METHODS[index] as string)];
  }

  private user(client: HaloRecord, domain: string, sites: HaloRecord[], i: number, total: number, clientIndex: number): HaloRecord {
    const r = this.rng;
    const first = r.pick(fake.FIRST_NAMES);
    const last = r.pick(fake.LAST_NAMES);
    const place = client._place as fake.Place;
    const site = sites.length ? (i === 0 ? (sites[0] as HaloRecord) : r.pick(sites)) : undefined;
    const created = this.past(1500);
    const forcedInactive = this.forceVariety && clientIndex === 0 && i === total - 1 && total > 1;
    return this.store.users.insert({
      id: this.id('user'),
      name: `${first} ${last}`,
      firstname: first,
      surname: last,
      initials: `${first.charAt(0)}${last.charAt(0)}`,
      title: r.pick(fake.TITLES),
      client_id: client.id,
      site_id: site?.id ?? 0,
      emailaddress: `${fake.emailLocal(first, last)}@${domain}`,
      phonenumber: fake.phone(r, place.areaCode),
      mobilenumber: r.chance(0.5) ? fake.phone(r, place.areaCode) : '',
      homenumber: '',
      mobilenumber2: '',
      fax: '',
      telpref: 0,
      login: '',
      inactive: forcedInactive || (i > 0 && r.chance(0.06)),
      colour: '',
      isimportantcontact: i === 0,
      other1: '',
      other2: r.chance(0.3) ? r.pick(fake.TITLES) : '',
      other3: '',
      other4: '',
      other5: '',
      notes: '',
      neversendemails: false,
      linked_agent_id: 0,
      covered_by_contract: true,
      isserviceaccount: false,
      web_access_level: i === 0 ? 2 : 0,
      ismaincontact: i === 0,
      datecreated: haloDateTime(created),
      ulastupdate: haloDateTime(Math.max(created, this.past(365))),
      lastlogindate: r.chance(0.4) ? haloDateTime(this.past(60)) : EMPTY_DATE,
      customfields: this.userCustomFields(i === 0),
    });
  }

  private contract(client: HaloRecord, sites: HaloRecord[], users: HaloRecord[], i: number): HaloRecord {
    const r = this.rng;
    const type = i === 0 ? (CONTRACT_TYPES[0] as (typeof CONTRACT_TYPES)[number]) : r.pick(CONTRACT_TYPES);
    // The first contract is always current; in tiny/demo the second is always expired.
    const state =
      i === 0
        ? 'active'
        : this.forceVariety && i === 1
          ? 'expired'
          : r.weighted([
              ['active', 70],
              ['expired', 20],
              ['inactive', 10],
            ] as const);
    const start = -r.int(100, 1500);
    const end = state === 'expired' ? -r.int(5, 90) : r.int(30, 700);
    const started = new Date(this.anchor + start * DAY);
    const ref = `${type.prefix}-${fake.identifierFrom(client.name as string, 6).toUpperCase()}-${started.getUTCFullYear()}${i ? `-${i + 1}` : ''}`;
    const site = r.chance(0.3) ? sites[0] : undefined;
    return this.store.contracts.insert({
      id: this.id('contract'),
      client_id: client.id,
      ref,
      refextra: '',
      start_date: this.day(start),
      end_date: this.day(end),
      started: true,
      expired: state === 'expired',
      active: state !== 'inactive',
      contract_status: state === 'active' ? 'Active' : state === 'expired' ? 'Expired' : 'Inactive',
      status: state === 'inactive' ? 1 : 0,
      numberofunitsfree: type.id === 2 ? r.pick([10, 20, 40]) : 0,
      billingperiod: 1,
      billingdescription: 0,
      subtype: 0,
      site_id: site?.id ?? 0,
      user_id: users[0] && type.id === 1 ? users[0].id : 0,
      sla_id: 1,
      periodicinvoicenextdate: state === 'active' ? this.day(r.int(1, 30)) : EMPTY_DATE,
      next_invoice_date: state === 'active' ? this.day(r.int(1, 30)) : EMPTY_DATE,
      periodchargeamount: r.int(5, 120) * 25,
      note: '',
      asset_value: 0,
      last_modified: haloDateTime(this.past(365)),
      contracttype: type.id,
      createdby_id: 7,
      customfields: [],
    });
  }

  /**
   * The first asset of each client and a quarter of the others have custom field values; the
   * first also lists an empty one (Halo sends empty custom fields with value and display "").
   */
  private assetCustomFields(first: boolean): HaloRecord[] {
    const x = this.extra;
    if (!first && !x.chance(0.25)) return [];
    const plan = x.int(0, BACKUP_PLANS.length - 1);
    const fields = [customField(141, 'CFBackupPlan', 'Backup Plan', 2, plan + 1, BACKUP_PLANS[plan] as string)];
    if (first || x.chance(0.6)) fields.push(customField(142, 'CFGoLiveDate', 'Go-Live Date', 4, this.day(-x.int(30, 1500)), ''));
    if (first) fields.push(customField(143, 'CFDecommissionReason', 'Decommission Reason', 0, '', ''));
    return fields;
  }

  private asset(
    client: HaloRecord,
    abbrev: string,
    t: AssetTypeSpec,
    seq: number,
    users: HaloRecord[],
    sites: HaloRecord[],
    contracts: HaloRecord[],
    forceRetired: boolean,
    first: boolean,
  ): void {
    const r = this.rng;
    const [maker, model] = r.pick(t.models);
    const status = forceRetired
      ? (ASSET_STATUSES[3] as (typeof ASSET_STATUSES)[number])
      : r.weighted(ASSET_STATUSES.map((st) => [st, st.id === 1 ? 86 : st.id === 4 ? 6 : 4] as const));
    const user = t.personal && users.length ? r.pick(users) : undefined;
    const site = user ? this.store.sites.get(Number(user.site_id)) : sites.length ? r.pick(sites) : undefined;
    const purchase = -r.int(30, 2000);
    const deviceName = `${abbrev}-${t.prefix}${String(seq).padStart(2, '0')}`;
    const values: Partial<Record<AssetFieldKey, string>> = {};
    for (const f of t.fields) {
      switch (f) {
        case 'deviceName':
          values[f] = deviceName;
          break;
        case 'serial':
          values[f] = fake.serial(r, maker.slice(0, 2).toUpperCase());
          break;
        case 'model':
          values[f] = model;
          break;
        case 'manufacturer':
          values[f] = maker;
          break;
        case 'os':
          values[f] = t.os ? r.pick(t.os) : '';
          break;
        case 'ip':
          values[f] = fake.ipv4(r, client.id);
          break;
        case 'mac':
          values[f] = fake.macAddress(r);
          break;
        case 'phoneNumber':
          values[f] = fake.phone(r, (client._place as fake.Place).areaCode);
          break;
        case 'imei':
          values[f] = `35${String(r.int(0, 99_999_999)).padStart(8, '0')}${String(r.int(0, 99_999)).padStart(5, '0')}`;
          break;
        case 'licenceKey':
          values[f] = `${r.hex(5)}-${r.hex(5)}-${r.hex(5)}-${r.hex(5)}`.toUpperCase();
          break;
        case 'seats':
          values[f] = String(r.pick([5, 10, 25, 50]));
          break;
      }
    }
    const key = (k: AssetFieldKey | null) => (k ? (values[k] ?? '') : '');
    const contract = contracts.find((c) => c.active && !c.expired);
    const created = this.past(1000);
    this.store.assets.insert({
      id: this.id('asset'),
      inventory_number: `${t.tagprefix || 'AST'}${String(++this.inventorySeq).padStart(6, '0')}`,
      key_field: key(t.keyfields[0]),
      key_field2: key(t.keyfields[1]),
      key_field3: key(t.keyfields[2]),
      client_id: client.id,
      site_id: site?.id ?? 0,
      first_user_id: user?.id ?? 0,
      assettype_id: t.id,
      status_id: status.id,
      inactive: status.inactive,
      warranty_start: this.day(purchase),
      warranty_end: r.chance(0.15) ? EMPTY_DATE : this.day(purchase + 365 * r.int(1, 5)),
      is_primary_asset: false,
      parent_id: 0,
      contract_id: contract && r.chance(0.7) ? contract.id : 0,
      ...this.supplier(),
      sla_id: 0,
      priority_id: 0,
      notes: r.chance(0.1) ? 'Replaced power supply under warranty.' : '',
      guid: r.uuid(),
      device_number: seq,
      datecreated: haloDateTime(created),
      dlastupdate: haloDateTime(Math.max(created, this.past(365))),
      customfields: this.assetCustomFields(first),
      _values: values,
    });
  }

  /** Four assets in ten name the supplier they were bought from. */
  private supplier(): { supplier_id: number; supplier_name: string } {
    if (!this.extra.chance(0.4)) return { supplier_id: 0, supplier_name: '' };
    const supplier = this.extra.pick(SUPPLIERS);
    return { supplier_id: supplier.id, supplier_name: supplier.name };
  }

  tickets(total: number): void {
    const r = this.rng.fork('tickets');
    const s = this.store;
    const candidates = s.clients.rows.filter((c) => s.users.children(c.id).length > 0);
    for (let i = 0; i < total; i++) {
      // The first tickets walk the clients in order, so ticket #1 belongs to the first client.
      const client = candidates[i < candidates.length ? i : r.int(0, candidates.length - 1)];
      if (!client) break;
      const users = s.users.children(client.id);
      const user = i === 0 ? (users[0] as HaloRecord) : r.pick(users);
      const assets = s.assets.children(client.id);
      const mine = assets.filter((a) => a.first_user_id === user.id);
      const linked = new Set<number>();
      const pool = mine.length ? mine : assets;
      if (pool.length && (i === 0 || r.chance(0.6))) linked.add(r.pick(pool).id);
      if (i === 0 && assets[0]) linked.add(assets[0].id);
      const status = r.weighted(TICKET_STATUSES.map((st) => [st, st.closed ? 30 : 14] as const));
      const type = r.weighted(TICKET_TYPES.map((tt) => [tt, tt.id === 1 ? 50 : tt.id === 3 ? 30 : 7] as const));
      const priority = r.pick(PRIORITIES);
      const opened = this.anchor - Math.floor(r.next() * 120 * DAY) - r.int(0, 999);
      const lastAction = opened + Math.floor(r.next() * Math.max(1, this.anchor - opened) * 0.9);
      const closedAt = status.closed ? lastAction : 0;
      const agent = r.chance(0.85) ? r.pick(AGENTS.slice(1, 5)) : undefined;
      const firstAsset = s.assets.get([...linked][0] ?? -1);
      const summary = ticketSummary(r, firstAsset ? (firstAsset.key_field as string) : undefined);
      const category = r.pick(CATEGORIES);
      s.tickets.insert({
        id: this.id('ticket'),
        dateoccurred: haloDateTime(opened),
        summary,
        details: `${summary}<br>Reported by ${user.name as string} via the portal.`,
        status_id: status.id,
        tickettype_id: type.id,
        sla_id: Number(client.toplevel_id) === 1 ? 1 : type.id === 3 ? 3 : 2,
        priority_id: priority.id,
        client_id: client.id,
        site_id: user.site_id,
        user_id: user.id,
        team: agent?.team ?? r.pick(TEAMS),
        agent_id: agent?.id ?? 0,
        category_1: category.split('>')[0],
        category_2: category,
        category_3: '',
        category_4: '',
        onhold: !status.closed && status.id === 4,
        respondbydate: haloDateTime(opened + 2 * HOUR),
        responsedate: r.chance(0.8) ? haloDateTime(opened + r.int(5, 110) * 60_000) : EMPTY_DATE,
        fixbydate: haloDateTime(opened + priority.fixHours * HOUR),
        dateclosed: status.closed ? haloDateTime(closedAt) : EMPTY_DATE,
        hasbeenclosed: status.closed,
        dateassigned: agent ? haloDateTime(opened + 10 * 60_000) : EMPTY_DATE,
        excludefromsla: false,
        lastactiondate: haloDateTime(lastAction),
        last_update: haloDateTime(lastAction + r.int(0, 600) * 1000),
        lastincomingemail: r.chance(0.5) ? haloDateTime(opened) : EMPTY_DATE_0001,
        targetdate: EMPTY_DATE,
        targettime: EMPTY_TIME,
        startdate: EMPTY_DATE,
        starttime: EMPTY_TIME,
        deadlinedate: EMPTY_DATE,
        reportedby: user.name,
        enduserstatus: status.closed ? 2 : 1,
        impact: 3,
        urgency: 3,
        contract_id: s.contracts.children(client.id).find((c) => c.active && !c.expired)?.id ?? 0,
        customfields: [],
        _assets: [...linked].sort((a, b) => a - b),
      });
    }
  }
}

const ISSUES = [
  'Outlook keeps asking for password',
  'Printer offline',
  'VPN disconnects every few minutes',
  'New starter: accounts and laptop',
  'Cannot access shared drive',
  'Slow computer',
  'Phishing email reported',
  'Teams audio not working',
  'Password reset',
  'Request: second monitor',
  'Line-of-business app error on login',
  'Wi-Fi drops in the conference room',
  'New computer request',
  'Backup job failed',
  'Firewall firmware update',
  'Leaver: disable account & collect laptop',
] as const;

function ticketSummary(r: Prng, device: string | undefined): string {
  const issue = r.pick(ISSUES);
  return device && r.chance(0.4) ? `${issue} (${device})` : issue;
}

export function xtypeRow(t: AssetTypeSpec, guid: string): HaloRecord {
  const group = ASSET_GROUPS.find((g) => g.id === t.assetgroup_id);
  const kf = (k: AssetFieldKey | null) => (k ? ASSET_FIELDS[k] : { id: 0, name: '' });
  return {
    id: t.id,
    guid,
    name: t.name,
    assetgroup_id: t.assetgroup_id,
    assetgroup_name: group?.name ?? '',
    keyfield_id: kf(t.keyfields[0]).id,
    keyfield_name: kf(t.keyfields[0]).name,
    keyfield2_id: kf(t.keyfields[1]).id,
    keyfield2_name: kf(t.keyfields[1]).name,
    keyfield3_id: kf(t.keyfields[2]).id,
    keyfield3_name: kf(t.keyfields[2]).name,
    memo: '',
    icon: t.icon,
    show_to_users: t.personal,
    tagprefix: t.tagprefix,
    defaultsequence: 1,
    is_service: t.is_service ?? false,
    is_businessapp: false,
    fields: t.fields.map((f, i) => ({
      id: ASSET_FIELDS[f].id,
      typeinfo_id: ASSET_FIELDS[f].id,
      field_id: ASSET_FIELDS[f].id,
      field_name: ASSET_FIELDS[f].name,
      sequence: i + 1,
    })),
  };
}
