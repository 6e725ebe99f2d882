// Over 300 lines on purpose: one Generator whose methods draw from one seeded PRNG stream in a fixed order: every fixture value (ids, names, dates) depends on that order, so it stays one file read top to bottom.
import { isoSeconds } from '../framework/clock.ts';
import * as fake from '../framework/fake.ts';
import { Prng } from '../framework/prng.ts';
import {
  AGREEMENT_TYPES,
  BOARDS,
  COMMUNICATION_TYPES,
  COMPANY_STATUSES,
  COMPANY_TYPES,
  CONFIGURATION_STATUSES,
  CONFIGURATION_TYPES,
  CONTACT_TYPES,
  COUNTRY_US,
  MEMBERS,
  PRIORITIES,
  TICKET_STATUSES,
  seedLookups,
} from './lookups.ts';
import type { ConfigTypeSpec } from './lookups.ts';
import { dropEndedAgreements, seedAdditions, seedCatalog } from './billing-data.ts';
import { boardStatusRef, seedServiceSetup } from './service-setup.ts';
import { CwStore } from './store.ts';
import type { CwRecord } from './store.ts';
import { ticketSummary } from './tickets-text.ts';

export type Preset = 'tiny' | 'demo' | 'large';

type Range = readonly [number, number];

interface PresetSpec {
  companies: number;
  names?: readonly string[];
  /** Per-company ranges (tiny, demo) or exact totals spread randomly (large). */
  perCompany?: { contacts: Range; configurations: Range; agreements: Range; sites: Range };
  totals?: { contacts: number; configurations: number; agreements: number; sites: number };
  tickets: number;
  idGaps: boolean;
  /** Its ranges give every company an agreement: one company loses its ended ones (billing-data.ts dropEndedAgreements). */
  oneCompanyWithoutAgreement?: boolean;
}

const PRESETS: Record<Preset, PresetSpec> = {
  tiny: {
    companies: 3,
    names: ['Northwind Dental Group', 'Contoso Ltd.', 'Fabrikam Manufacturing'],
    perCompany: { contacts: [2, 3], configurations: [3, 4], agreements: [1, 1], sites: [1, 2] },
    tickets: 7,
    idGaps: false,
    oneCompanyWithoutAgreement: true,
  },
  demo: {
    companies: fake.DEMO_COMPANY_NAMES.length,
    names: fake.DEMO_COMPANY_NAMES,
    perCompany: { contacts: [2, 8], configurations: [3, 15], agreements: [1, 2], sites: [1, 3] },
    tickets: 64,
    idGaps: true,
    oneCompanyWithoutAgreement: true,
  },
  large: {
    companies: 2000,
    totals: { contacts: 40_000, configurations: 150_000, agreements: 3_000, sites: 6_000 },
    tickets: 3_000,
    idGaps: true,
  },
};

/** First ids per table (distinct ranges make id mix-ups in clients show up as 404s). */
export const ID_BASE = { company: 101, site: 2001, contact: 11001, configuration: 60001, agreement: 501, ticket: 200001 } as const;

/** Default "now" of generated data; fixed so a seed always yields identical records. */
export const DEFAULT_ANCHOR = '2026-11-01T00:00:00Z';

const DAY = 86_400_000;

const SITE_ACCESS = [
  'Key safe by the rear door; code from the office manager',
  'Alarm code with reception; call ahead',
  'Building security desk (24/7)',
] as const;

const WEIGHTED_CONFIG_TYPES = CONFIGURATION_TYPES.filter((c) => c.weight > 0).map((c) => [c, c.weight] as const);

type Obj = Record<string, unknown>;

/**
 * Custom fields (docs/psa/connectwise.md#record-conventions) of generated contacts, sites and configurations. ConnectWise
 * lists every custom field defined for the entity on each record, `value` omitted when empty.
 * Records without values share frozen lists (the serializer copies on output), which keeps the
 * large preset's memory near what it was.
 */
const cf = (id: number, caption: string, type: string, entryMethod: string, numberOfDecimals = 0): Obj =>
  Object.freeze({ id, caption, type, entryMethod, numberOfDecimals, connectWiseId: `5c1d0e2a-0000-4000-8000-${String(id).padStart(12, '0')}` });

export const CONFIGURATION_CUSTOM_FIELDS = {
  backupPlan: cf(31, 'Backup Plan', 'Text', 'List'),
  monitored: cf(32, 'Monitored', 'Checkbox', 'Option'),
  goLive: cf(33, 'Go-Live Date', 'Date', 'Date'),
  monthlyCost: cf(34, 'Monthly Cost', 'Currency', 'EntryField', 2),
} as const;
export const CONTACT_CUSTOM_FIELDS = {
  preferredContact: cf(41, 'Preferred Contact Method', 'Text', 'List'),
  vip: cf(42, 'VIP', 'Checkbox', 'Option'),
} as const;
export const SITE_CUSTOM_FIELDS = { access: cf(51, 'After-hours Access', 'Text', 'EntryField') } as const;

const EMPTY = {
  configuration: Object.freeze(Object.values(CONFIGURATION_CUSTOM_FIELDS)),
  contact: Object.freeze(Object.values(CONTACT_CUSTOM_FIELDS)),
  site: Object.freeze(Object.values(SITE_CUSTOM_FIELDS)),
};

/** Configuration questions (docs/psa/connectwise.md#configurations) by type: computers and network gear have some, the rest none. */
const q = (questionId: number, question: string, fieldType: string, sequenceNumber: number): Obj =>
  Object.freeze({ questionId, question, fieldType, sequenceNumber, numberOfDecimals: 0, requiredFlag: false });
const COMPUTER_QUESTIONS = [q(1, 'Antivirus', 'Text', 1), q(2, 'Disk Encrypted', 'Checkbox', 2)] as const;
const NETWORK_QUESTIONS = [q(3, 'Firmware Version', 'Text', 1), q(4, 'Support Expires', 'Date', 2)] as const;
const QUESTIONS_BY_TYPE = new Map<number, readonly Obj[]>([
  ...[21, 25, 56, 60].map((id) => [id, Object.freeze([...COMPUTER_QUESTIONS])] as const),
  ...[52, 53, 55, 57].map((id) => [id, Object.freeze([...NETWORK_QUESTIONS])] as const),
]);

export interface DatasetOptions {
  preset?: Preset;
  seed?: number;
  /** Generated `_info.lastUpdated` values fall in the year before this instant. */
  anchor?: string | Date;
}

export function generateDataset(opts: DatasetOptions = {}): CwStore {
  const preset = opts.preset ?? 'tiny';
  const spec = PRESETS[preset];
  const root = new Prng(opts.seed ?? 1);
  const anchor = new Date(opts.anchor ?? DEFAULT_ANCHOR).getTime();
  const g = new Generator(new CwStore(), root, anchor, spec.idGaps);
  seedLookups(g.store);
  seedServiceSetup(g.store);

  const n = spec.companies;
  const counts = spec.perCompany
    ? perCompanyCounts(root.fork('counts'), n, spec.perCompany)
    : totalCounts(root.fork('counts'), n, spec.totals as NonNullable<PresetSpec['totals']>);

  const nameRng = root.fork('names');
  const usedNames = new Set<string>();
  for (let i = 0; i < n; i++) {
    let name = spec.names?.[i] ?? fake.companyName(nameRng);
    for (let k = 2; usedNames.has(name); k++) name = `${spec.names?.[i] ?? fake.companyName(nameRng)} ${k}`;
    usedNames.add(name);
    g.company(i, name, counts[i] as CompanyCounts);
  }
  g.tickets(spec.tickets);
  // Billing last: fixed rules over the records above, no PRNG (so seeds keep their data).
  if (spec.oneCompanyWithoutAgreement) dropEndedAgreements(g.store);
  seedCatalog(g.store);
  seedAdditions(g.store, anchor);
  return g.store;
}

interface CompanyCounts {
  contacts: number;
  configurations: number;
  agreements: number;
  sites: number;
}

function perCompanyCounts(rng: Prng, n: number, r: NonNullable<PresetSpec['perCompany']>): CompanyCounts[] {
  return Array.from({ length: n }, () => ({
    contacts: rng.int(...r.contacts),
    configurations: rng.int(...r.configurations),
    agreements: rng.int(...r.agreements),
    sites: rng.int(...r.sites),
  }));
}

/** Exact totals: every company gets one contact and one site, the rest land at random. */
function totalCounts(rng: Prng, n: number, t: NonNullable<PresetSpec['totals']>): CompanyCounts[] {
  const counts = Array.from({ length: n }, () => ({ contacts: 1, configurations: 0, agreements: 0, sites: 1 }));
  const spread = (key: keyof CompanyCounts, extra: number) => {
    for (let i = 0; i < extra; i++) (counts[rng.int(0, n - 1)] as CompanyCounts)[key]++;
  };
  spread('contacts', t.contacts - n);
  spread('sites', t.sites - n);
  spread('configurations', t.configurations);
  spread('agreements', t.agreements);
  return counts;
}

class Generator {
  private nextIds: Record<keyof typeof ID_BASE, number> = { ...ID_BASE };
  private readonly rng: Prng;
  /** Custom field values and question answers: their own stream, so the other data is unchanged. */
  private readonly extra: Prng;
  private companyPlace = new Map<number, fake.Place>();

  readonly store: CwStore;
  private readonly anchor: number;
  private readonly gaps: boolean;

  constructor(store: CwStore, root: Prng, anchor: number, gaps: boolean) {
    this.store = store;
    this.anchor = anchor;
    this.gaps = gaps;
    this.rng = root.fork('records');
    this.extra = root.fork('custom-fields');
  }

  private id(kind: keyof typeof ID_BASE): number {
    const id = this.nextIds[kind];
    // Real tables have holes (deleted rows); paging code must not assume contiguous ids.
    this.nextIds[kind] = id + 1 + (this.gaps && this.rng.chance(0.08) ? this.rng.int(1, 3) : 0);
    return id;
  }

  /** `_info` with lastUpdated in the year before the anchor and dateEntered before that. */
  private info(): Record<string, string> {
    const updated = this.anchor - Math.floor(this.rng.next() * 365 * DAY) - this.rng.int(60, 86_000) * 1000;
    const entered = updated - Math.floor(this.rng.next() * 3 * 365 * DAY);
    const who = this.rng.pick(MEMBERS).identifier;
    return { lastUpdated: isoSeconds(updated), updatedBy: who, dateEntered: isoSeconds(entered), enteredBy: this.rng.chance(0.3) ? 'CONVERSION' : who };
  }

  private day(offsetDays: number): string {
    return isoSeconds(Math.floor((this.anchor + offsetDays * DAY) / DAY) * DAY);
  }

  company(index: number, name: string, counts: CompanyCounts): void {
    const r = this.rng;
    const s = this.store;
    // Fixed by position so tiny/demo always contain each type and status.
    const typeId = index % 8 === 1 ? 2 : index % 8 === 6 ? 3 : index % 11 === 9 ? 4 : 1;
    const statusId = index % 6 === 2 ? 2 : index % 13 === 10 ? 3 : 1;
    const place = r.pick(fake.PLACES);
    const id = this.id('company');
    this.companyPlace.set(id, place);
    const domain = fake.domainFrom(name);
    const type = COMPANY_TYPES.find((t) => t.id === typeId) ?? COMPANY_TYPES[0];
    const status = COMPANY_STATUSES.find((t) => t.id === statusId) ?? COMPANY_STATUSES[0];
    const company: CwRecord = {
      id,
      identifier: fake.identifierFrom(name),
      name,
      status: s.ref('companyStatus', status.id, () => ({ id: status.id, name: status.name })),
      addressLine1: fake.streetAddress(r),
      addressLine2: r.chance(0.3) ? `Suite ${r.int(100, 900)}` : undefined,
      city: place.city,
      state: place.state,
      zip: place.zip,
      country: COUNTRY_US,
      phoneNumber: fake.phone(r, place.areaCode),
      faxNumber: r.chance(0.3) ? fake.phone(r, place.areaCode) : '',
      website: `www.${domain}`,
      territory: { id: 2, name: 'Main' },
      accountNumber: '',
      dateAcquired: this.day(-r.int(60, 3000)),
      annualRevenue: 0,
      numberOfEmployees: r.int(3, 400),
      leadFlag: typeId === 2,
      unsubscribeFlag: false,
      taxIdentifier: '',
      billingTerms: { id: 1, name: 'Net 30 days' },
      invoiceDeliveryMethod: { id: 1, name: 'Mail' },
      invoiceToEmailAddress: `ap@${domain}`,
      deletedFlag: false,
      mobileGuid: r.uuid(),
      isVendorFlag: typeId === 3,
      types: [s.ref('companyType', type.id, () => ({ id: type.id, name: type.name }))],
      _info: this.info(),
      customFields: [
        { id: 9, caption: 'ITGlue', type: 'Hyperlink', entryMethod: 'EntryField', numberOfDecimals: 0, connectWiseId: 'a442924e-4b95-ee11-9169-ad5b9ff0933e' },
        {
          id: 12,
          caption: 'Region',
          type: 'Text',
          entryMethod: 'List',
          numberOfDecimals: 0,
          value: place.state === 'WA' || place.state === 'OR' || place.state === 'CO' || place.state === 'AZ' ? 'West' : 'East',
          connectWiseId: '0b1b6c2e-1f0e-4c51-9a55-2b0f4ad0a1c7',
        },
      ],
    };
    s.companies.insert(company);
    const companyRef = s.companyRef(company);
    company.billToCompany = companyRef;

    const sites: CwRecord[] = [];
    for (let i = 0; i < counts.sites; i++) sites.push(this.site(company, place, i));
    const main = sites[0];
    if (main) company.site = company.billingSite = s.siteRef(main);

    const contacts: CwRecord[] = [];
    for (let i = 0; i < counts.contacts; i++) contacts.push(this.contact(company, domain, place, sites, i));
    const primary = contacts[0];
    if (primary) company.defaultContact = s.contactRef(primary);

    const abbrev =
      fake
        .identifierFrom(name)
        .replace(/[a-z0-9]/g, '')
        .slice(0, 4) || name.slice(0, 3).toUpperCase();
    const perType = new Map<number, number>();
    for (let i = 0; i < counts.configurations; i++) {
      const t = r.weighted(WEIGHTED_CONFIG_TYPES);
      const seq = (perType.get(t.id) ?? 0) + 1;
      perType.set(t.id, seq);
      this.configuration(company, abbrev, t, seq, contacts, sites, i === 0);
    }
    for (let i = 0; i < counts.agreements; i++) this.agreement(company, contacts, sites, i);
  }

  private site(company: CwRecord, place: fake.Place, i: number): CwRecord {
    const r = this.rng;
    const other = i === 0 ? place : r.pick(fake.PLACES);
    return this.store.sites.insert({
      id: this.id('site'),
      name: i === 0 ? 'Main' : `${other.city} Office`,
      addressLine1: i === 0 ? (company.addressLine1 as string) : fake.streetAddress(r),
      city: other.city,
      stateReference: { id: 10 + fake.PLACES.indexOf(other), identifier: other.state, name: other.stateName },
      zip: other.zip,
      country: { id: COUNTRY_US.id, name: COUNTRY_US.name },
      phoneNumber: i === 0 ? (company.phoneNumber as string) : fake.phone(r, other.areaCode),
      faxNumber: '',
      primaryAddressFlag: i === 0,
      defaultShippingFlag: i === 0,
      defaultBillingFlag: i === 0,
      defaultMailingFlag: i === 0,
      inactiveFlag: i > 0 && r.chance(0.1),
      billSeparateFlag: false,
      mobileGuid: r.uuid(),
      company: this.store.companyRef(company),
      _info: this.info(),
      // The main site of most companies says how to get in after hours.
      customFields: i === 0 && this.extra.chance(0.7) ? [{ ...SITE_CUSTOM_FIELDS.access, value: this.extra.pick(SITE_ACCESS) }] : EMPTY.site,
    });
  }

  /** The primary contact is a VIP with a preferred contact method; a quarter of the others have one too. */
  private contactCustomFields(primary: boolean): readonly Obj[] {
    if (!primary && !this.extra.chance(0.25)) return EMPTY.contact;
    const method = { ...CONTACT_CUSTOM_FIELDS.preferredContact, value: this.extra.pick(['Email', 'Phone', 'Teams']) };
    return [method, primary ? { ...CONTACT_CUSTOM_FIELDS.vip, value: true } : CONTACT_CUSTOM_FIELDS.vip];
  }

  private contact(company: CwRecord, domain: string, place: fake.Place, sites: CwRecord[], i: number): CwRecord {
    const r = this.rng;
    const s = this.store;
    const first = r.pick(fake.FIRST_NAMES);
    const last = r.pick(fake.LAST_NAMES);
    const id = this.id('contact');
    const phoneNbr = fake.phone(r, place.areaCode);
    const items: Record<string, unknown>[] = [
      { id: id * 10 + 1, type: COMMUNICATION_TYPES.direct, value: phoneNbr, defaultFlag: true, communicationType: 'Phone' },
      {
        id: id * 10 + 2,
        type: COMMUNICATION_TYPES.email,
        value: `${fake.emailLocal(first, last)}@${domain}`,
        defaultFlag: true,
        domain: `@${domain}`,
        communicationType: 'Email',
      },
    ];
    if (r.chance(0.4))
      items.push({ id: id * 10 + 3, type: COMMUNICATION_TYPES.cell, value: fake.phone(r, place.areaCode), defaultFlag: false, communicationType: 'Phone' });
    const ctype = i === 0 ? CONTACT_TYPES[1] : r.pick(CONTACT_TYPES);
    const site = sites.length ? r.pick(sites) : undefined;
    return s.contacts.insert({
      id,
      firstName: first,
      lastName: last,
      company: s.companyRef(company),
      site: site ? s.siteRef(site) : undefined,
      relationshipOverride: '',
      inactiveFlag: i > 0 && r.chance(0.08),
      title: r.pick(fake.TITLES),
      marriedFlag: false,
      childrenFlag: false,
      unsubscribeFlag: false,
      mobileGuid: r.uuid(),
      defaultPhoneType: 'Direct',
      defaultPhoneNbr: phoneNbr,
      defaultBillingFlag: i === 0,
      defaultFlag: i === 0, // the company's primary contact
      companyLocation: { id: 2, name: 'Main' },
      communicationItems: items,
      types: [s.ref('contactType', ctype.id, () => ({ id: ctype.id, name: ctype.description }))],
      ignoreDuplicates: false,
      _info: this.info(),
      customFields: this.contactCustomFields(i === 0),
    });
  }

  /** The first configuration of each company and a quarter of the others have custom values and answers. */
  private configurationExtras(typeId: number, first: boolean): { customFields: readonly Obj[]; questions?: readonly Obj[] } {
    const x = this.extra;
    const questions = QUESTIONS_BY_TYPE.get(typeId);
    if (!first && !x.chance(0.25)) return { customFields: EMPTY.configuration, ...(questions ? { questions } : {}) };
    const f = CONFIGURATION_CUSTOM_FIELDS;
    const customFields = [
      { ...f.backupPlan, value: x.pick(['Local + Cloud', 'Cloud only', 'Local only']) },
      { ...f.monitored, value: x.chance(0.8) },
      x.chance(0.6) ? { ...f.goLive, value: this.day(-x.int(30, 1500)) } : f.goLive,
      x.chance(0.3) ? { ...f.monthlyCost, value: x.int(2, 80) * 12.5 } : f.monthlyCost,
    ];
    if (!questions) return { customFields };
    const [firstQuestion, secondQuestion] = questions as [Obj, Obj];
    const answer = (question: Obj, value: unknown): Obj => ({ ...question, answerId: 900_000 + x.int(1, 99_999), answer: value });
    const answered =
      typeId === 52 || typeId === 53 || typeId === 55 || typeId === 57
        ? [
            answer(firstQuestion, `v${x.int(6, 7)}.${x.int(0, 4)}.${x.int(1, 15)}`),
            x.chance(0.5) ? answer(secondQuestion, this.day(x.int(30, 900))) : secondQuestion,
          ]
        : [answer(firstQuestion, x.pick(['Microsoft Defender', 'SentinelOne', 'Huntress + Defender'])), answer(secondQuestion, x.chance(0.7))];
    return { customFields, questions: answered };
  }

  private configuration(company: CwRecord, abbrev: string, t: ConfigTypeSpec, seq: number, contacts: CwRecord[], sites: CwRecord[], first: boolean): void {
    const r = this.rng;
    const s = this.store;
    const [maker, model] = r.pick(t.models);
    const status = r.weighted<(typeof CONFIGURATION_STATUSES)[number]>([
      [CONFIGURATION_STATUSES[0], 85],
      [CONFIGURATION_STATUSES[1], 8],
      [CONFIGURATION_STATUSES[2], 4],
      [CONFIGURATION_STATUSES[3], 3],
    ]);
    const personal = t.id === 21 || t.id === 56 || t.id === 60;
    const user = personal && contacts.length ? r.pick(contacts) : undefined;
    const site = sites.length ? r.pick(sites) : undefined;
    const networked = t.id !== 59 && t.id !== 60;
    const purchase = -r.int(30, 2000);
    s.configurations.insert({
      id: this.id('configuration'),
      name: `${abbrev}-${t.prefix}${String(seq).padStart(2, '0')}`,
      type: s.ref('configurationType', t.id, () => ({ id: t.id, name: t.name })),
      status: s.ref('configurationStatus', status.id, () => ({ id: status.id, name: status.description })),
      company: s.companyRef(company),
      contact: user ? s.contactRef(user) : undefined,
      site: site ? s.siteRef(site) : undefined,
      locationId: 2,
      businessUnitId: 1,
      deviceIdentifier: personal ? r.uuid() : '',
      serialNumber: fake.serial(r, maker.slice(0, 2).toUpperCase()),
      modelNumber: model,
      tagNumber: r.chance(0.5) ? `ASSET-${r.int(1000, 9999)}` : '',
      purchaseDate: this.day(purchase),
      installationDate: this.day(purchase + r.int(1, 20)),
      warrantyExpirationDate: this.day(purchase + 365 * r.int(1, 5)),
      vendorNotes: '',
      notes: r.chance(0.2) ? 'Replaced power supply under warranty.' : '',
      macAddress: networked ? fake.macAddress(r) : '',
      lastLoginName: user ? `${String(user.firstName).charAt(0)}${String(user.lastName)}`.toLowerCase().replace(/[^a-z]/g, '') : '',
      billFlag: true,
      ipAddress: networked ? fake.ipv4(r, company.id) : '',
      defaultGateway: networked ? `10.${company.id % 250}.0.1` : '',
      osType: t.os ? (r.pick(t.os).startsWith('Windows') ? 'Windows' : (r.pick(t.os).split(' ')[0] ?? '')) : '',
      osInfo: t.os ? r.pick(t.os) : '',
      cpuSpeed: t.os ? `${r.int(2, 4)}.${r.int(0, 9)} GHz` : '',
      ram: t.os ? `${r.pick([8, 16, 32, 64])} GB` : '',
      localHardDrives: t.os ? `C: ${r.pick([256, 512, 1024])} GB SSD` : '',
      manufacturer: { id: 100 + (maker.charCodeAt(0) % 50), name: maker },
      activeFlag: !status.closedFlag,
      mobileGuid: r.uuid(),
      companyLocationId: 2,
      showRemoteFlag: false,
      showAutomateFlag: false,
      needsRenewalFlag: false,
      _info: this.info(),
      ...this.configurationExtras(t.id, first),
    });
  }

  private agreement(company: CwRecord, contacts: CwRecord[], sites: CwRecord[], i: number): void {
    const r = this.rng;
    const s = this.store;
    const type = i === 0 ? AGREEMENT_TYPES[1] : r.pick(AGREEMENT_TYPES);
    const status = r.weighted([
      ['Active', 70],
      ['Expired', 15],
      ['Cancelled', 10],
      ['Inactive', 5],
    ] as const);
    const start = -r.int(100, 1500);
    const noEnd = status === 'Active' && r.chance(0.5);
    const end = status === 'Expired' || status === 'Cancelled' ? -r.int(5, 90) : r.int(30, 700);
    const contact = contacts[0];
    const site = sites[0];
    s.agreements.insert({
      id: this.id('agreement'),
      name: `${type.name} - ${company.name as string}`,
      type: s.ref('agreementType', type.id, () => ({ id: type.id, name: type.name })),
      company: s.companyRef(company),
      contact: contact ? s.contactRef(contact) : undefined,
      site: site ? s.siteRef(site) : undefined,
      location: { id: 2, name: 'Main' },
      department: { id: 1, identifier: 'Service', name: 'Service' },
      restrictLocationFlag: false,
      restrictDepartmentFlag: false,
      startDate: this.day(start),
      endDate: noEnd ? undefined : this.day(end),
      noEndingDateFlag: noEnd,
      cancelledFlag: status === 'Cancelled',
      dateCancelled: status === 'Cancelled' ? this.day(end) : undefined,
      reasonCancelled: status === 'Cancelled' ? 'Client moved to another provider' : undefined,
      applicationUnits: type.id === 31 ? 'Hours' : 'Amount',
      applicationLimit: type.id === 31 ? r.pick([10, 20, 40]) : 0,
      applicationCycle: 'CalendarMonth',
      applicationUnlimitedFlag: type.id !== 31,
      oneTimeFlag: false,
      coverAgreementTime: true,
      coverAgreementProduct: false,
      coverAgreementExpense: false,
      billingCycle: { id: 2, name: 'Monthly' },
      billAmount: r.int(5, 120) * 50,
      invoicingCycle: 'CalendarYear',
      billTime: 'NoDefault',
      billExpenses: 'NoDefault',
      billProducts: 'NoDefault',
      agreementStatus: status,
      _info: this.info(),
      customFields: [{ id: 4, caption: 'S Number', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0 }],
    });
  }

  tickets(total: number): void {
    const r = this.rng.fork('tickets');
    const s = this.store;
    const candidates = s.companies.rows.filter((c) => s.contacts.children(c.id).length > 0);
    for (let i = 0; i < total; i++) {
      const company = candidates[i < candidates.length ? i : r.int(0, candidates.length - 1)];
      if (!company) break;
      const contacts = s.contacts.children(company.id);
      const contact = r.pick(contacts);
      const configs = s.configurations.children(company.id);
      const project = i % 15 === 5; // same id space, different endpoint (docs/psa/connectwise.md#tickets)
      const status = r.pick(TICKET_STATUSES);
      const closed = status.id === 17;
      const info = this.info();
      const id = this.id('ticket');
      const emailItem = (contact.communicationItems as { communicationType: string; value: string }[]).find((c) => c.communicationType === 'Email');
      const table = project ? s.projectTickets : s.tickets;
      // Three tickets in four are logged against the company's active agreement (Ticket.agreement,
      // docs/psa/connectwise.md#tickets). Chosen without the generator so the other fields stay as they were.
      const agreement = i % 4 === 3 ? undefined : s.agreements.children(company.id).find((a) => a.agreementStatus === 'Active' && !a.cancelledFlag);
      // Drawn in the order the record literal used to draw them, so seeds keep their data.
      const summary = ticketSummary(r, configs.length ? (r.pick(configs).name as string) : undefined);
      const board = project ? BOARDS[2] : r.pick(BOARDS.slice(0, 2));
      table.insert({
        id,
        summary,
        recordType: project ? 'ProjectTicket' : 'ServiceTicket',
        board,
        status: boardStatusRef(board.id, status), // statuses belong to their board
        company: s.companyRef(company),
        site: company.site,
        siteName: (company.site as { name?: string } | undefined)?.name,
        contact: s.contactRef(contact),
        contactName: s.contactRef(contact).name,
        contactPhoneNumber: contact.defaultPhoneNbr,
        contactEmailAddress: emailItem?.value,
        owner: r.pick(MEMBERS),
        priority: r.pick(PRIORITIES),
        severity: r.pick(['Low', 'Medium', 'High'] as const),
        impact: r.pick(['Low', 'Medium', 'High'] as const),
        closedFlag: closed,
        closedDate: closed ? info.lastUpdated : undefined,
        closedBy: closed ? info.updatedBy : undefined,
        agreement: agreement ? s.agreementRef(agreement) : undefined,
        agreementType: agreement ? (agreement.type as { name?: string } | undefined)?.name : undefined,
        billingMethod: 'ActualRates',
        mobileGuid: r.uuid(),
        _info: info,
      });
      if (!project && configs.length) {
        const linked = new Set<number>();
        const k = r.int(0, Math.min(2, configs.length));
        for (let j = 0; j < k; j++) linked.add(r.pick(configs).id);
        if (i === 0) linked.add((configs[0] as CwRecord).id); // the first ticket always has a config
        s.ticketConfigurations.set(
          id,
          [...linked].sort((a, b) => a - b),
        );
      }
    }
  }
}
