// Over 300 lines on purpose: one Generator whose methods draw from one seeded PRNG stream in a fixed order: every fixture value (ids, names, dates) depends on that order, so it stays one file read top to bottom.
import * as fake from '../framework/fake.ts';
import { Prng } from '../framework/prng.ts';
import {
  ACCOUNT_TYPES,
  ASSET_STATES,
  BILLING_CYCLES,
  BUSINESS_TYPES,
  CATEGORIES,
  CONTRACT_TYPES,
  EMPLOYEES,
  ISSUE_TYPES,
  PRIORITIES,
  QUEUES,
  SERVICE_TYPES,
  SLAS,
  STATUSES,
  TICKET_TYPES,
  WORK_TYPES,
  brandId,
} from './lookups.ts';
import type { Category, Status } from './lookups.ts';
import { BmsStore, contactName } from './store.ts';
import type { Audit, BmsAccount, BmsContact, BmsLocation } from './store.ts';
import { ticketTitle } from './tickets-text.ts';
import { bmsDate } from './wire.ts';

export type Preset = 'tiny' | 'demo' | 'large';

type Range = readonly [number, number];

interface PresetSpec {
  accounts: number;
  names?: readonly string[];
  perAccount?: { contacts: Range; assets: Range; contracts: Range; locations: Range };
  totals?: { contacts: number; assets: number; contracts: number; locations: number };
  tickets: number;
  idGaps: boolean;
}

const PRESETS: Record<Preset, PresetSpec> = {
  tiny: {
    accounts: 3,
    names: ['Northwind Dental Group', 'Contoso Ltd.', 'Fabrikam Manufacturing'],
    perAccount: { contacts: [2, 3], assets: [3, 4], contracts: [1, 2], locations: [1, 2] },
    tickets: 7,
    idGaps: false,
  },
  demo: {
    accounts: fake.DEMO_COMPANY_NAMES.length,
    names: fake.DEMO_COMPANY_NAMES,
    perAccount: { contacts: [2, 8], assets: [3, 15], contracts: [1, 3], locations: [1, 3] },
    tickets: 60,
    idGaps: true,
  },
  large: {
    accounts: 2000,
    totals: { contacts: 40_000, assets: 150_000, contracts: 3_000, locations: 6_000 },
    tickets: 3_000,
    idGaps: true,
  },
};

/**
 * First ids per table, in the ranges real tenants show (ids are allocated across all tenants of
 * a server: accounts ~101,000, contacts ~2.29M, tickets above 13M — docs/psa/kaseya-bms.md#dates-and-values).
 */
export const ID_BASE = {
  account: 101201,
  location: 117401,
  address: 121901,
  contact: 2291701,
  email: 3310001,
  phone: 2984401,
  contract: 5501,
  asset: 884201,
  ticket: 13287001,
  attachment: 771001,
} as const;

/** Default "now" of generated data; fixed so a seed always yields identical records. */
export const DEFAULT_ANCHOR = '2026-11-01T00:00:00Z';

const DAY = 86_400_000;
const WEIGHTED_CATEGORIES = CATEGORIES.map((c) => [c, c.weight] as const);

export interface DatasetOptions {
  preset?: Preset;
  seed?: number;
  /** Generated timestamps fall before this instant. */
  anchor?: string | Date;
}

export function generateDataset(opts: DatasetOptions = {}): BmsStore {
  const spec = PRESETS[opts.preset ?? 'tiny'];
  const root = new Prng(opts.seed ?? 1);
  const anchor = new Date(opts.anchor ?? DEFAULT_ANCHOR).getTime();
  const g = new Generator(root, anchor, spec.idGaps);
  for (const c of CATEGORIES) g.store.categories.set(c.id, c.name);

  const n = spec.accounts;
  const counts = spec.perAccount
    ? perAccountCounts(root.fork('counts'), n, spec.perAccount)
    : totalCounts(root.fork('counts'), n, spec.totals as NonNullable<PresetSpec['totals']>);
  const nameRng = root.fork('names');
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let name = spec.names?.[i] ?? fake.companyName(nameRng);
    for (let k = 2; used.has(name); k++) name = `${spec.names?.[i] ?? fake.companyName(nameRng)} ${k}`;
    used.add(name);
    g.account(i, name, counts[i] as Counts);
  }
  g.tickets(spec.tickets);
  return g.store;
}

interface Counts {
  contacts: number;
  assets: number;
  contracts: number;
  locations: number;
}

function perAccountCounts(rng: Prng, n: number, r: NonNullable<PresetSpec['perAccount']>): Counts[] {
  return Array.from({ length: n }, () => ({
    contacts: rng.int(...r.contacts),
    assets: rng.int(...r.assets),
    contracts: rng.int(...r.contracts),
    locations: rng.int(...r.locations),
  }));
}

/** Exact totals: every account gets one contact and one location, the rest land at random. */
function totalCounts(rng: Prng, n: number, t: NonNullable<PresetSpec['totals']>): Counts[] {
  const counts = Array.from({ length: n }, () => ({ contacts: 1, assets: 0, contracts: 0, locations: 1 }));
  const spread = (key: keyof Counts, extra: number) => {
    for (let i = 0; i < extra; i++) (counts[rng.int(0, n - 1)] as Counts)[key]++;
  };
  spread('contacts', t.contacts - n);
  spread('locations', t.locations - n);
  spread('assets', t.assets);
  spread('contracts', t.contracts);
  return counts;
}

function initials(name: string): string {
  const words = name
    .replace(/[^A-Za-z0-9 ]/g, '')
    .split(/\s+/)
    .filter((w) => w && !/^(inc|llc|ltd|llp|co|the)$/i.test(w));
  const code = words
    .map((w) => w.charAt(0).toUpperCase())
    .join('')
    .slice(0, 4);
  return code.length >= 2
    ? code
    : name
        .replace(/[^A-Za-z]/g, '')
        .slice(0, 3)
        .toUpperCase();
}

class Generator {
  readonly store = new BmsStore();
  private readonly rng: Prng;
  private readonly anchor: number;
  private readonly gaps: boolean;
  private nextIds: Record<keyof typeof ID_BASE, number> = { ...ID_BASE };
  private readonly place = new Map<number, fake.Place>();
  private readonly codes = new Set<string>();

  constructor(root: Prng, anchor: number, gaps: boolean) {
    this.rng = root.fork('records');
    this.anchor = anchor;
    this.gaps = gaps;
  }

  private id(kind: keyof typeof ID_BASE): number {
    const id = this.nextIds[kind];
    // Real tables have holes (other tenants' rows, deletions): never assume contiguous ids.
    this.nextIds[kind] = id + 1 + (this.gaps && this.rng.chance(0.08) ? this.rng.int(1, 40) : 0);
    return id;
  }

  private who(): number {
    return this.rng.pick(EMPLOYEES).id;
  }

  /** Created up to 3 years before the anchor; modified in the last year (or never: null). */
  private audit(neverModified = 0): Audit {
    const r = this.rng;
    const modified = this.anchor - Math.floor(r.next() * 365 * DAY) - r.int(60, 86_000) * 1000 - r.int(0, 999);
    const created = modified - Math.floor(r.next() * 2 * 365 * DAY) - r.int(0, 999);
    const untouched = r.chance(neverModified);
    return {
      createdBy: this.who(),
      createdOn: bmsDate(untouched ? modified : created),
      modifiedBy: untouched ? null : this.who(),
      modifiedOn: untouched ? null : bmsDate(modified),
    };
  }

  private day(offsetDays: number): string {
    return bmsDate(Math.floor((this.anchor + offsetDays * DAY) / DAY) * DAY) as string;
  }

  account(index: number, name: string, counts: Counts): void {
    const r = this.rng;
    const s = this.store;
    // Fixed by position so tiny/demo always contain each type and an inactive account.
    const type = ACCOUNT_TYPES[index % 8 === 1 ? 1 : index % 8 === 6 ? 2 : index % 11 === 9 ? 3 : 0];
    const place = r.pick(fake.PLACES);
    let code = initials(name);
    for (let k = 2; this.codes.has(code); k++) code = `${initials(name)}${k}`;
    this.codes.add(code);
    const id = this.id('account');
    this.place.set(id, place);
    const domain = fake.domainFrom(name);
    const account: BmsAccount = {
      id,
      ...this.audit(),
      parentId: null,
      accountCode: code,
      accountTypeId: type.id,
      accountName: name,
      businessTypeId: r.pick(BUSINESS_TYPES).id,
      serviceTypeId: type.id === 1203 ? SERVICE_TYPES[index % 3 === 2 ? 1 : 0].id : null,
      accountManagerId: r.pick(EMPLOYEES.slice(0, 2)).id,
      currencyId: 1,
      creditLimit: 0,
      netDays: 30,
      website: `https://www.${domain}`,
      description: r.chance(0.2) ? 'Signed through the 2024 referral programme.' : null,
      isActive: !(index % 6 === 2 || index % 13 === 10),
      isBilling: type.id === 1203,
      acquiredDate: this.day(-r.int(60, 3000)),
    };
    s.accounts.insert(account);

    const locations: BmsLocation[] = [];
    for (let i = 0; i < counts.locations; i++) locations.push(this.location(account, place, i));
    const contacts: BmsContact[] = [];
    for (let i = 0; i < counts.contacts; i++) contacts.push(this.contact(account, domain, place, locations, i));
    const perCat = new Map<number, number>();
    for (let i = 0; i < counts.assets; i++) {
      const cat = r.weighted(WEIGHTED_CATEGORIES);
      const seq = (perCat.get(cat.id) ?? 0) + 1;
      perCat.set(cat.id, seq);
      // The first account's third asset is always retired, so tiny has an inactive asset.
      this.asset(account, cat, seq, contacts, locations, index === 0 && i === 2);
    }
    for (let i = 0; i < counts.contracts; i++) this.contract(account, i, index % 9 === 4);
  }

  private location(account: BmsAccount, place: fake.Place, i: number): BmsLocation {
    const r = this.rng;
    const other = i === 0 ? place : r.pick(fake.PLACES);
    const audit = this.audit(0.7);
    const domain = fake.domainFrom(account.accountName);
    return this.store.locations.insert({
      id: this.id('location'),
      ...audit,
      accountId: account.id,
      locationName: i === 0 ? 'Main' : `${other.city} Office`,
      isMain: i === 0,
      isActive: i === 0 || !r.chance(0.1),
      timeZoneId: 11,
      addresses: [
        {
          id: this.id('address'),
          ...audit,
          address1: fake.streetAddress(r),
          address2: r.chance(0.3) ? `Suite ${r.int(100, 900)}` : null,
          city: other.city,
          state: other.state,
          zipCode: other.zip,
          countryId: 1,
          phone: fake.phone(r, other.areaCode).replace(/^(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3'),
          fax: r.chance(0.2) ? fake.phone(r, other.areaCode).replace(/^(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3') : null,
          emailAddress: i === 0 ? `frontdesk@${domain}` : null,
          isMain: true,
          isBilling: i === 0,
        },
      ],
    });
  }

  private contact(account: BmsAccount, domain: string, place: fake.Place, locations: BmsLocation[], i: number): BmsContact {
    const r = this.rng;
    const first = r.pick(fake.FIRST_NAMES);
    const last = r.pick(fake.LAST_NAMES);
    const audit = this.audit(i > 0 ? 0.08 : 0);
    const phones = [
      { id: this.id('phone'), ...audit, phone: fake.phone(r, place.areaCode).replace(/^(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3'), phoneTypeId: 2, isDefault: true },
    ];
    if (r.chance(0.4))
      phones.push({
        id: this.id('phone'),
        ...audit,
        phone: fake.phone(r, place.areaCode).replace(/^(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3'),
        phoneTypeId: 1,
        isDefault: false,
      });
    const location = locations.length ? (i === 0 ? locations[0] : r.pick(locations)) : undefined;
    return this.store.contacts.insert({
      id: this.id('contact'),
      ...audit,
      accountId: account.id,
      locationId: location?.id ?? null,
      firstName: first,
      lastName: last,
      jobTitle: r.pick(fake.TITLES),
      isPoc: i === 0,
      isActive: i === 0 || !r.chance(0.08),
      isBillable: false,
      canRecieveInvoices: i === 0,
      hasClientPortalAccess: r.chance(0.3),
      emails: [{ id: this.id('email'), ...audit, emailAddress: `${fake.emailLocal(first, last)}@${domain}`, emailTypeId: 1, isDefault: true }],
      phones,
    });
  }

  private asset(account: BmsAccount, cat: Category, seq: number, contacts: BmsContact[], locations: BmsLocation[], retired: boolean): void {
    const r = this.rng;
    const [maker, model] = r.pick(cat.models);
    const user = cat.personal && contacts.length && r.chance(0.8) ? r.pick(contacts) : undefined;
    const location = locations.length ? r.pick(locations) : undefined;
    const state = retired
      ? ASSET_STATES[2]
      : r.weighted<(typeof ASSET_STATES)[number]>([
          [ASSET_STATES[0], 88],
          [ASSET_STATES[1], 5],
          [ASSET_STATES[2], 7],
        ]);
    const os = cat.os ? r.pick(cat.os) : null;
    const purchase = -r.int(30, 2000);
    const login = user ? `${String(user.firstName).charAt(0)}${String(user.lastName)}`.toLowerCase().replace(/[^a-z]/g, '') : null;
    const code = account.accountCode ?? 'X';
    this.store.assets.insert({
      id: this.id('asset'),
      ...this.audit(),
      name: `${code}-${cat.prefix}-${String(seq).padStart(2, '0')}`,
      accountId: account.id,
      accountLocationId: location?.id ?? 0,
      contactId: user?.id ?? null,
      categoryId: cat.id,
      brandId: brandId(maker),
      manufacturer: maker,
      modelNumber: model,
      serialNumber: fake.serial(r, maker.slice(0, 2).toUpperCase()),
      assetTag: r.chance(0.5) ? `AT-${r.int(10000, 99999)}` : null,
      stateId: state.id,
      description: r.chance(0.15) ? 'Replaced power supply under warranty.' : null,
      isActive: state.id !== 3,
      machineGroupId: os ? `root.${code.toLowerCase()}` : null,
      ipAddress: cat.networked ? fake.ipv4(r, account.id) : null,
      subnetMask: cat.networked ? '255.255.255.0' : null,
      defaultGateway: cat.networked ? `10.${account.id % 250}.0.1` : null,
      dnsServers: cat.networked ? `10.${account.id % 250}.0.10` : null,
      macAddress: cat.networked ? fake.macAddress(r) : null,
      osType: os ? (os.startsWith('Windows') ? 'Windows' : (os.split(' ')[0] ?? null)) : null,
      osInfo: os,
      currentUser: login,
      lastLoginname: login,
      purchaseCost: r.int(2, 60) * 50,
      warrantyExpirationDate: this.day(purchase + 365 * r.int(1, 5)),
      acquisitionDate: this.day(purchase),
      lastCheckIn: os && state.id === 1 ? bmsDate(this.anchor - r.int(60, 7 * 86_400) * 1000) : null,
      agentId: os && state.id === 1 ? r.uuid() : null,
    });
  }

  /** `lapsed`: the account's main contract has expired (fixed by position, so demo has some). */
  private contract(account: BmsAccount, i: number, lapsed: boolean): void {
    const r = this.rng;
    const type = i === 0 ? CONTRACT_TYPES[0] : r.pick(CONTRACT_TYPES);
    const status =
      i === 0
        ? lapsed
          ? 'Expired'
          : 'Active'
        : r.weighted([
            ['Active', 60],
            ['Inactive', 25],
            ['Expired', 15],
          ] as const);
    const start = -r.int(100, 1500);
    const end = status === 'Expired' ? -r.int(5, 90) : r.int(30, 700);
    const year = new Date(this.anchor + start * DAY).getUTCFullYear();
    const id = this.id('contract');
    this.store.contracts.insert({
      id,
      accountId: account.id,
      contractName:
        type === 'Recurring Services'
          ? `Managed Services - ${account.accountName}`
          : type === 'Prepaid Hours'
            ? `Block Hours ${year}`
            : `${type} ${year} - ${account.accountName}`,
      contractType: type,
      contractBillingPrice: type === 'Time & Materials' ? 0 : r.int(5, 120) * 50,
      status,
      contractNumber: `CN-${String(id - 5000).padStart(6, '0')}`,
      billingCycle: type === 'Recurring Services' ? r.pick(BILLING_CYCLES.slice(0, 3)) : 'One Time',
      startDate: this.day(start),
      endDate: this.day(end),
      isDefault: i === 0,
      slaId: i === 0 ? SLAS[0].id : null,
    });
  }

  tickets(total: number): void {
    const r = this.rng.fork('tickets');
    const s = this.store;
    const candidates = s.accounts.rows.filter((a) => s.contacts.children(a.id).length > 0);
    const span = 120 * DAY;
    for (let i = 0; i < total; i++) {
      const account = candidates[i < candidates.length ? i : r.int(0, candidates.length - 1)];
      if (!account) break;
      const contacts = s.contacts.children(account.id);
      const assets = s.assets.children(account.id);
      const contracts = s.contracts.children(account.id);
      const locations = s.locations.children(account.id);
      const first = i === 0; // ticket 0 links everything (contact, asset, contract), for tests
      const contact = first || r.chance(0.85) ? (first ? contacts[0] : r.pick(contacts)) : undefined;
      const asset = assets.length && (first || r.chance(0.5)) ? (first ? assets[0] : r.pick(assets)) : undefined;
      const contract = contracts.find((c) => c.isDefault);
      const status = (first ? STATUSES[1] : r.pick(STATUSES)) as Status;
      const priority = r.pick(PRIORITIES);
      const queue = r.chance(0.9) ? r.pick(QUEUES) : undefined;
      const assignee = !queue || r.chance(0.7) ? r.pick(EMPLOYEES) : undefined;
      const open = this.anchor - span + Math.floor((i / total) * span) + r.int(0, 3_600_000);
      const firstResponse = open + r.int(2, 90) * 60_000;
      const closed = status.completed ? open + r.int(1, 96) * 3_600_000 : null;
      const lastActivity = Math.min(this.anchor - 1000, closed ?? open + r.int(1, 200) * 3_600_000);
      const d = new Date(open);
      s.ticketCounter++;
      const number = `${s.ticketCounter}-${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${d.getUTCFullYear()}`;
      const title = ticketTitle(r, asset?.name, contact ? contactName(contact) : undefined);
      const author = assignee?.id ?? EMPLOYEES[0].id;
      s.tickets.insert({
        id: this.id('ticket'),
        createdBy: author,
        createdOn: bmsDate(open),
        modifiedBy: author,
        modifiedOn: bmsDate(lastActivity),
        ticketNumber: number,
        title,
        details: `<p>${title}.</p><p>Reported by ${contact ? contactName(contact) : 'the monitoring system'}.</p>`,
        accountId: account.id,
        locationId: (contact ? locations.find((l) => l.id === contact.locationId) : undefined)?.id ?? locations[0]?.id ?? null,
        contactId: contact?.id ?? null,
        hardwareAssetId: asset?.id ?? null,
        statusId: status.id,
        priorityId: priority.id,
        typeId: r.pick(TICKET_TYPES).id,
        issueTypeId: r.chance(0.8) ? r.pick(ISSUE_TYPES).id : null,
        queueId: queue?.id ?? null,
        assigneeId: assignee?.id ?? null,
        contractId: contract && (first || r.chance(0.7)) ? contract.id : null,
        workTypeId: r.pick(WORK_TYPES).id,
        sourceId: contact ? r.pick([0, 1, 4, 4, 4, 6]) : 5,
        slaId: SLAS[0].id,
        openDate: bmsDate(open) as string,
        dueDate: r.chance(0.2) ? bmsDate(open + 3 * DAY) : null,
        completedDate: bmsDate(closed),
        lastActivityUpdate: bmsDate(lastActivity),
        lastStatusUpdate: bmsDate(status.id === 36706 ? open : lastActivity),
        lastPriorityUpdate: null,
        lastQueueUpdate: null,
        firstResponseTargetTime: bmsDate(open + priority.responseHours * 3_600_000),
        firstResponseActualTime: status.id === 36706 ? null : bmsDate(firstResponse),
        resolutionTargetTime: bmsDate(open + priority.resolveHours * 3_600_000),
        resolutionActualTime: bmsDate(closed),
        hasMetSLA: closed === null ? null : closed - open <= priority.resolveHours * 3_600_000 ? 1 : 0,
        totalTimeSpent: r.int(0, 16) * 0.25,
        attachments:
          r.chance(0.25) || first
            ? [{ id: this.id('attachment'), originalFileName: r.pick(['screenshot.png', 'error-log.txt', 'invoice.pdf', 'voicemail.mp3']) }]
            : [],
      });
    }
  }
}
