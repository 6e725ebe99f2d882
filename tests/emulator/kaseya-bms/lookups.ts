/**
 * Tenant lookup lists. Ids reuse the real values seen in public client code (docs/psa/kaseya-bms.md#lookups:
 * CIPP statuses/queues/priorities, ticket type 28, work type 19558, sources 0–9); the rest are
 * [G] in the same ranges.
 */

export const TENANT = {
  id: 1874,
  /** The MSP's Company name — what users type as `Tenant` when authenticating. */
  name: 'Sidecar Test MSP',
} as const;

export interface Status {
  id: number;
  name: string;
  color: string;
  fontColor: string;
  statusOrder: number;
  completed: boolean;
  slaEventId: number | null;
}

export const STATUSES: readonly Status[] = [
  { id: 36706, name: 'New', color: '#5BC0DE', fontColor: '#FFFFFF', statusOrder: 1, completed: false, slaEventId: 1 },
  { id: 36709, name: 'In Progress', color: '#F0AD4E', fontColor: '#FFFFFF', statusOrder: 3, completed: false, slaEventId: 2 },
  { id: 36707, name: 'Waiting For Customer', color: '#777777', fontColor: '#FFFFFF', statusOrder: 4, completed: false, slaEventId: 3 },
  { id: 37211, name: 'Client Responded', color: '#337AB7', fontColor: '#FFFFFF', statusOrder: 5, completed: false, slaEventId: 2 },
  { id: 37097, name: 'Onsite Scheduled', color: '#9B59B6', fontColor: '#FFFFFF', statusOrder: 6, completed: false, slaEventId: 2 },
  { id: 37182, name: 'Follow-up Scheduled', color: '#1ABC9C', fontColor: '#FFFFFF', statusOrder: 7, completed: false, slaEventId: 2 },
  { id: 36708, name: 'Closed', color: '#5CB85C', fontColor: '#FFFFFF', statusOrder: 10, completed: true, slaEventId: 4 },
];

export interface Priority {
  id: number;
  name: string;
  color: string;
  isDefault: boolean;
  responseHours: number;
  resolveHours: number;
}

export const PRIORITIES: readonly Priority[] = [
  { id: 28788, name: '1 hr SLA - Critical', color: '#A94442', isDefault: false, responseHours: 1, resolveHours: 4 },
  { id: 28791, name: '4 hr SLA', color: '#D9534F', isDefault: false, responseHours: 1, resolveHours: 4 },
  { id: 28790, name: 'Next Business Day', color: '#F0AD4E', isDefault: true, responseHours: 4, resolveHours: 24 },
  { id: 28789, name: '2 day SLA', color: '#5BC0DE', isDefault: false, responseHours: 8, resolveHours: 48 },
];

export const QUEUES = [
  { id: 27976, name: 'Help Desk' },
  { id: 27977, name: 'Onsite Services' },
  { id: 27981, name: 'Projects & Escalations' },
  { id: 28295, name: 'Back Burner' },
] as const;

export const TICKET_TYPES = [
  { id: 28, name: 'Service Request' },
  { id: 8, name: 'Incident' },
  { id: 29, name: 'Problem' },
  { id: 30, name: 'Change Request' },
] as const;

export const ISSUE_TYPES = [
  { id: 10479, name: 'Server' },
  { id: 10480, name: 'Network' },
  { id: 10481, name: 'Printing' },
  { id: 10482, name: 'Workstation' },
  { id: 10483, name: 'Email' },
  { id: 10484, name: 'Security' },
  { id: 12307, name: 'M365' },
] as const;

/** System list; ids stable across tenants (docs/psa/kaseya-bms.md#lookups, kaseya-ruby constants). */
export const SOURCES = ['Client Portal', 'Phone', 'In Person', 'On Site', 'Email', 'Monitoring System', 'Voice Mail', 'Verbal', 'Other', 'Recurring'] as const;

export const WORK_TYPES = [
  { id: 19558, name: 'Remote Support', isDefault: true },
  { id: 19559, name: 'Onsite Support', isDefault: false },
  { id: 19560, name: 'Project Work', isDefault: false },
] as const;

export const SLAS = [
  { id: 604, name: 'Standard SLA', isDefault: true },
  { id: 605, name: 'Premium SLA', isDefault: false },
] as const;

export const ACCOUNT_TYPES = [
  { id: 1203, name: 'Customer', isClient: true, isVendor: false },
  { id: 1204, name: 'Prospect', isClient: false, isVendor: false },
  { id: 1205, name: 'Vendor', isClient: false, isVendor: true },
  { id: 1206, name: 'Partner', isClient: false, isVendor: false },
] as const;

export const BUSINESS_TYPES = [
  { id: 512, name: 'Healthcare' },
  { id: 513, name: 'Legal' },
  { id: 514, name: 'Manufacturing' },
  { id: 515, name: 'Professional Services' },
  { id: 516, name: 'Retail' },
  { id: 517, name: 'Finance' },
  { id: 518, name: 'Education' },
] as const;

export const SERVICE_TYPES = [
  { id: 301, name: 'Managed Services' },
  { id: 302, name: 'Break/Fix' },
  { id: 303, name: 'Project Only' },
] as const;

/** MSP employees (assignees, account managers, record authors). */
export const EMPLOYEES = [
  { id: 51085, name: 'Alex Rivera', userName: 'arivera', email: 'alex.rivera@sidecartest-msp.example', jobTitle: 'Service Desk Lead' },
  { id: 48017, name: 'Brenda Wilson', userName: 'bwilson', email: 'brenda.wilson@sidecartest-msp.example', jobTitle: 'Account Manager' },
  { id: 51102, name: 'Chen Wei', userName: 'cwei', email: 'chen.wei@sidecartest-msp.example', jobTitle: 'Systems Engineer' },
  { id: 51140, name: 'Dana Okafor', userName: 'dokafor', email: 'dana.okafor@sidecartest-msp.example', jobTitle: 'Technician' },
  { id: 51177, name: 'Elif Demir', userName: 'edemir', email: 'elif.demir@sidecartest-msp.example', jobTitle: 'Technician' },
] as const;

/** Hardware asset categories (Service Desk → Assets); ids and names [G]. */
export interface Category {
  id: number;
  name: string;
  prefix: string;
  weight: number;
  models: readonly (readonly [string, string])[];
  os?: readonly string[];
  personal: boolean;
  networked: boolean;
}

export const CATEGORIES: Category[] = [
  {
    id: 14,
    name: 'Workstation',
    prefix: 'WS',
    weight: 40,
    personal: true,
    networked: true,
    models: [
      ['Dell', 'OptiPlex 7090'],
      ['HP', 'EliteDesk 800 G6'],
      ['Lenovo', 'ThinkCentre M70q'],
    ],
    os: ['Windows 11 Pro', 'Windows 10 Pro'],
  },
  {
    id: 15,
    name: 'Laptop',
    prefix: 'LT',
    weight: 25,
    personal: true,
    networked: true,
    models: [
      ['Dell', 'Latitude 5440'],
      ['Lenovo', 'ThinkPad T14'],
      ['Apple', 'MacBook Air M2'],
    ],
    os: ['Windows 11 Pro', 'macOS 14 Sonoma'],
  },
  {
    id: 16,
    name: 'Server',
    prefix: 'SRV',
    weight: 8,
    personal: false,
    networked: true,
    models: [
      ['Dell', 'PowerEdge R650'],
      ['HPE', 'ProLiant DL360 Gen10'],
    ],
    os: ['Windows Server 2022', 'Windows Server 2019', 'Ubuntu 22.04 LTS'],
  },
  {
    id: 17,
    name: 'Firewall',
    prefix: 'FW',
    weight: 5,
    personal: false,
    networked: true,
    models: [
      ['Fortinet', 'FortiGate 60F'],
      ['SonicWall', 'TZ470'],
    ],
  },
  {
    id: 18,
    name: 'Switch',
    prefix: 'SW',
    weight: 5,
    personal: false,
    networked: true,
    models: [
      ['Cisco', 'Catalyst 1000'],
      ['Ubiquiti', 'USW-Pro-24'],
    ],
  },
  {
    id: 19,
    name: 'Printer',
    prefix: 'PRN',
    weight: 8,
    personal: false,
    networked: true,
    models: [
      ['HP', 'LaserJet Pro M404'],
      ['Brother', 'MFC-L8900CDW'],
    ],
  },
  {
    id: 20,
    name: 'Mobile Device',
    prefix: 'MOB',
    weight: 7,
    personal: true,
    networked: false,
    models: [
      ['Apple', 'iPhone 15'],
      ['Samsung', 'Galaxy S23'],
    ],
    os: ['iOS 17', 'Android 14'],
  },
  {
    id: 21,
    name: 'Virtual Machine',
    prefix: 'VM',
    weight: 2,
    personal: false,
    networked: true,
    models: [
      ['VMware', 'Virtual Platform'],
      ['Microsoft', 'Hyper-V VM'],
    ],
    os: ['Windows Server 2022'],
  },
];

export const BRANDS = [
  'Apple',
  'Brother',
  'Cisco',
  'Dell',
  'Fortinet',
  'HP',
  'HPE',
  'Lenovo',
  'Microsoft',
  'Samsung',
  'SonicWall',
  'Ubiquiti',
  'VMware',
] as const;

export function brandId(name: string): number {
  const i = (BRANDS as readonly string[]).indexOf(name);
  return i < 0 ? 900 : 700 + i;
}

export const ASSET_STATES = [
  { id: 1, name: 'In Use' },
  { id: 2, name: 'In Stock' },
  { id: 3, name: 'Retired' },
] as const;

/** Contract vocabulary ([G] strings; types per the BMS Getting Started article). */
export const CONTRACT_TYPES = ['Recurring Services', 'Prepaid Hours', 'Time & Materials', 'Fixed Price', 'Prepaid Dollars'] as const;
export const BILLING_CYCLES = ['Monthly', 'Quarterly', 'Annually', 'One Time'] as const;

export const COUNTRY_US = { id: 1, name: 'United States' } as const;
export const EMAIL_TYPES = { 1: 'Work', 2: 'Personal' } as const;
export const PHONE_TYPES = { 1: 'Mobile', 2: 'Work', 3: 'Home' } as const;
