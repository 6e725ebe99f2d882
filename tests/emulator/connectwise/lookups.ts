import type { CwStore } from './store.ts';

/**
 * Setup tables (types, statuses) every instance has. Ids and names follow real instances where
 * docs/psa/connectwise.md#setup-tables shows them (Client = 1, Active = 1, Managed Server = 25, Firewall = 52,
 * Block Time = 31, Direct phone = 2, Decision Maker = 2).
 */

const ADMIN_INFO = { lastUpdated: '2019-01-10T15:00:00Z', updatedBy: 'admin1', dateEntered: '2006-06-21T16:04:59Z', enteredBy: 'CONVERSION' };

export const COMPANY_TYPES = [
  { id: 1, name: 'Client', defaultFlag: true, vendorFlag: false },
  { id: 2, name: 'Prospect', defaultFlag: false, vendorFlag: false },
  { id: 3, name: 'Vendor', defaultFlag: false, vendorFlag: true },
  { id: 4, name: 'Partner', defaultFlag: false, vendorFlag: false },
] as const;

export const COMPANY_STATUSES = [
  { id: 1, name: 'Active', defaultFlag: true, inactiveFlag: false },
  { id: 2, name: 'Inactive', defaultFlag: false, inactiveFlag: true },
  { id: 3, name: 'Credit Hold', defaultFlag: false, inactiveFlag: false },
  { id: 4, name: 'Not-Approved', defaultFlag: false, inactiveFlag: false },
] as const;

export const CONTACT_TYPES = [
  { id: 1, description: 'Approver' },
  { id: 2, description: 'Decision Maker' },
  { id: 3, description: 'End User' },
  { id: 4, description: 'Billing' },
] as const;

export const COMMUNICATION_TYPES = {
  email: { id: 1, name: 'Email' },
  direct: { id: 2, name: 'Direct' },
  cell: { id: 3, name: 'Cell' },
  fax: { id: 4, name: 'Fax' },
} as const;

export interface ConfigTypeSpec {
  id: number;
  name: string;
  prefix: string;
  weight: number;
  models: readonly (readonly [string, string])[]; // [manufacturer, model]
  os?: readonly string[];
  inactive?: boolean;
}

export const CONFIGURATION_TYPES: readonly ConfigTypeSpec[] = [
  {
    id: 21,
    name: 'Managed Workstation',
    prefix: 'WS',
    weight: 10,
    models: [
      ['Dell', 'OptiPlex 7010'],
      ['HP', 'EliteDesk 800 G9'],
      ['Lenovo', 'ThinkCentre M90q'],
    ],
    os: ['Windows 11 Pro 23H2', 'Windows 11 Pro 24H2', 'Windows 10 Pro 22H2'],
  },
  {
    id: 25,
    name: 'Managed Server',
    prefix: 'SRV',
    weight: 2,
    models: [
      ['Dell', 'PowerEdge R650'],
      ['HPE', 'ProLiant DL380 Gen10'],
      ['Lenovo', 'ThinkSystem SR630'],
    ],
    os: ['Windows Server 2022 Standard', 'Windows Server 2019 Standard', 'Ubuntu 22.04 LTS'],
  },
  {
    id: 52,
    name: 'Firewall',
    prefix: 'FW',
    weight: 1,
    models: [
      ['Fortinet', 'FortiGate 60F'],
      ['SonicWall', 'TZ370'],
      ['Meraki', 'MX68'],
    ],
  },
  {
    id: 53,
    name: 'Switch',
    prefix: 'SW',
    weight: 1.5,
    models: [
      ['Cisco', 'Catalyst 9200L'],
      ['Aruba', '2930F'],
      ['Meraki', 'MS120-24P'],
    ],
  },
  {
    id: 54,
    name: 'Printer',
    prefix: 'PRN',
    weight: 1.5,
    models: [
      ['HP', 'LaserJet Pro M404n'],
      ['Brother', 'HL-L6200DW'],
      ['Xerox', 'VersaLink C405'],
    ],
  },
  {
    id: 55,
    name: 'Wireless Access Point',
    prefix: 'AP',
    weight: 1.5,
    models: [
      ['Ubiquiti', 'U6-Pro'],
      ['Meraki', 'MR36'],
      ['Aruba', 'AP-515'],
    ],
  },
  {
    id: 56,
    name: 'Laptop',
    prefix: 'LT',
    weight: 6,
    models: [
      ['Dell', 'Latitude 5440'],
      ['Lenovo', 'ThinkPad T14 Gen 4'],
      ['HP', 'EliteBook 840 G10'],
      ['Apple', 'MacBook Air M2'],
    ],
    os: ['Windows 11 Pro 23H2', 'Windows 11 Pro 24H2', 'macOS 14.5'],
  },
  {
    id: 57,
    name: 'Router',
    prefix: 'RTR',
    weight: 0.5,
    models: [
      ['Cisco', 'ISR 1111'],
      ['Ubiquiti', 'EdgeRouter 4'],
    ],
  },
  {
    id: 58,
    name: 'NAS',
    prefix: 'NAS',
    weight: 0.5,
    models: [
      ['Synology', 'DS923+'],
      ['QNAP', 'TS-464'],
    ],
  },
  {
    id: 59,
    name: 'UPS',
    prefix: 'UPS',
    weight: 0.7,
    models: [
      ['APC', 'Smart-UPS 1500'],
      ['Eaton', '5PX 1500'],
    ],
  },
  {
    id: 60,
    name: 'Mobile Device',
    prefix: 'MOB',
    weight: 1,
    models: [
      ['Apple', 'iPhone 15'],
      ['Samsung', 'Galaxy S24'],
    ],
    os: ['iOS 17.5', 'Android 14'],
  },
  { id: 61, name: 'Legacy Workstation (retired type)', prefix: 'OLD', weight: 0, models: [['Dell', 'OptiPlex 3020']], inactive: true },
];

export const CONFIGURATION_STATUSES = [
  { id: 2, description: 'Active', closedFlag: false, defaultFlag: true },
  { id: 3, description: 'Inactive', closedFlag: true, defaultFlag: false },
  { id: 4, description: 'Decommissioned', closedFlag: true, defaultFlag: false },
  { id: 5, description: 'In Repair', closedFlag: false, defaultFlag: false },
] as const;

export const AGREEMENT_TYPES = [
  { id: 31, name: 'Block Time' },
  { id: 32, name: 'Managed Services' },
  { id: 33, name: 'Break/Fix' },
  { id: 34, name: 'Backup as a Service' },
] as const;

export const BOARDS = [
  { id: 1, name: '01 - Help Desk' },
  { id: 2, name: '02 - Onsite' },
  { id: 3, name: '03 - Projects' },
] as const;

/** Ticket status references: note the real 2025.1 quirk of a capital `Sort` key (docs/psa/connectwise.md#record-conventions). */
export const TICKET_STATUSES = [
  { id: 11, name: 'New', Sort: 0 },
  { id: 12, name: 'In Progress', Sort: 10 },
  { id: 13, name: 'Waiting on Client', Sort: 20 },
  { id: 14, name: 'Scheduled', Sort: 15 },
  { id: 17, name: '>Closed', Sort: 30 },
] as const;

/** `level` takes the `Priority` record's enum (Critical|High|Medium|Low, contract 2025.8). */
export const PRIORITIES = [
  { id: 8, name: 'P1 - Emergency', sort: 10, level: 'Critical' },
  { id: 9, name: 'P2 - Quick', sort: 20, level: 'High' },
  { id: 10, name: 'P3 - Normal', sort: 30, level: 'Medium' },
  { id: 12, name: 'P5 - Planned', sort: 50, level: 'Low' },
] as const;

export const MEMBERS = [
  { id: 160, identifier: 'jdoe', name: 'Jane Doe' },
  { id: 161, identifier: 'mkhan', name: 'Mo Khan' },
  { id: 162, identifier: 'lchen', name: 'Lena Chen' },
  { id: 163, identifier: 'rbaker', name: 'Ray Baker' },
] as const;

export const COUNTRY_US = { id: 1, identifier: 'US', name: 'United States' } as const;

export function seedLookups(store: CwStore): void {
  for (const t of COMPANY_TYPES) store.companyTypes.insert({ ...t, serviceAlertFlag: false, _info: { ...ADMIN_INFO } });
  for (const s of COMPANY_STATUSES)
    store.companyStatuses.insert({
      ...s,
      notifyFlag: false,
      disallowSavingFlag: false,
      customNoteFlag: false,
      cancelOpenTracksFlag: false,
      _info: { ...ADMIN_INFO },
    });
  for (const t of CONTACT_TYPES) store.contactTypes.insert({ ...t, defaultFlag: false, serviceAlertFlag: false, _info: { ...ADMIN_INFO } });
  for (const t of CONFIGURATION_TYPES)
    store.configurationTypes.insert({ id: t.id, name: t.name, inactiveFlag: t.inactive === true, systemFlag: false, _info: { ...ADMIN_INFO } });
  for (const s of CONFIGURATION_STATUSES) store.configurationStatuses.insert({ ...s, _info: { ...ADMIN_INFO } });
  for (const t of AGREEMENT_TYPES)
    store.agreementTypes.insert({ ...t, defaultFlag: false, inactiveFlag: false, prefixSuffixOption: 'Prefix', _info: { ...ADMIN_INFO } });
}
