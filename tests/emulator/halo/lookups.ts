// Over 300 lines on purpose: reference data tables (ids and names) that the dataset and the API serve.
/**
 * HaloPSA reference data: top levels, agents, asset groups/types (Xtype), asset statuses, ticket
 * types/statuses, SLAs, priorities, contract types. Ids and names follow Halo's demo/default
 * data where docs/psa/halo.md#asset-types shows them (asset types 121 "Mobile Phone" and 130 "Laptop", group 3
 * "Hardware"); the rest is [INFER].
 */

export interface TopLevel {
  id: number;
  name: string;
}

export const TOPLEVELS: readonly TopLevel[] = [
  { id: 1, name: 'Managed Clients' },
  { id: 2, name: 'Break-Fix Clients' },
  { id: 3, name: 'Prospects & Partners' },
];

export interface Agent {
  id: number;
  name: string;
  email: string;
  team: string;
  initials: string;
}

export const AGENTS: readonly Agent[] = [
  { id: 1, name: 'API Service Agent', email: 'api@sidecar-msp.example.com', team: 'Service Desk', initials: 'AS' },
  { id: 2, name: 'Alex Morgan', email: 'alex.morgan@sidecar-msp.example.com', team: 'Service Desk', initials: 'AM' },
  { id: 3, name: 'Priya Raman', email: 'priya.raman@sidecar-msp.example.com', team: 'Service Desk', initials: 'PR' },
  { id: 4, name: 'Tom Becker', email: 'tom.becker@sidecar-msp.example.com', team: 'Projects', initials: 'TB' },
  { id: 5, name: 'Grace Liu', email: 'grace.liu@sidecar-msp.example.com', team: 'Infrastructure', initials: 'GL' },
  { id: 7, name: 'Sam Okafor', email: 'sam.okafor@sidecar-msp.example.com', team: 'Account Management', initials: 'SO' },
];

export interface AssetGroup {
  id: number;
  name: string;
}

export const ASSET_GROUPS: readonly AssetGroup[] = [
  { id: 3, name: 'Hardware' },
  { id: 4, name: 'Network' },
  { id: 5, name: 'Virtual' },
  { id: 6, name: 'Software' },
];

/** Asset-type specific fields (TypeInfo ids are global in Halo). */
export const ASSET_FIELDS = {
  deviceName: { id: 1, name: 'Device Name' },
  serial: { id: 2, name: 'Serial Number' },
  model: { id: 3, name: 'Model' },
  manufacturer: { id: 4, name: 'Manufacturer' },
  os: { id: 5, name: 'Operating System' },
  ip: { id: 6, name: 'IP Address' },
  mac: { id: 7, name: 'MAC Address' },
  phoneNumber: { id: 8, name: 'Phone Number' },
  imei: { id: 9, name: 'IMEI' },
  licenceKey: { id: 10, name: 'Licence Key' },
  seats: { id: 11, name: 'Seats' },
} as const;

export type AssetFieldKey = keyof typeof ASSET_FIELDS;

export interface AssetTypeSpec {
  id: number;
  name: string;
  assetgroup_id: number;
  icon: string;
  tagprefix: string;
  keyfields: readonly [AssetFieldKey, AssetFieldKey | null, AssetFieldKey | null];
  fields: readonly AssetFieldKey[];
  models: readonly (readonly [string, string])[];
  os?: readonly string[];
  /** Relative frequency in generated data (0 = defined but never generated). */
  weight: number;
  /** Assigned to a user (username, first_user_id). */
  personal: boolean;
  is_service?: boolean;
  prefix: string;
}

export const ASSET_TYPES: readonly AssetTypeSpec[] = [
  {
    id: 121,
    name: 'Mobile Phone',
    assetgroup_id: 3,
    icon: 'fa-mobile',
    tagprefix: '',
    prefix: 'PH',
    weight: 10,
    personal: true,
    keyfields: ['deviceName', 'phoneNumber', null],
    fields: ['deviceName', 'phoneNumber', 'serial', 'imei', 'model', 'manufacturer'],
    models: [
      ['Apple', 'iPhone 15'],
      ['Apple', 'iPhone 14'],
      ['Samsung', 'Galaxy S24'],
      ['Google', 'Pixel 8'],
    ],
  },
  {
    id: 130,
    name: 'Laptop',
    assetgroup_id: 3,
    icon: 'fa-laptop',
    tagprefix: 'LT',
    prefix: 'LT',
    weight: 30,
    personal: true,
    keyfields: ['deviceName', 'serial', null],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'os', 'ip', 'mac'],
    models: [
      ['Dell', 'Latitude 7440'],
      ['Lenovo', 'ThinkPad T14 Gen 4'],
      ['HP', 'EliteBook 840 G10'],
      ['Apple', 'MacBook Pro 14'],
    ],
    os: ['Windows 11 Pro', 'Windows 11 Enterprise', 'Windows 10 Pro', 'macOS 14 Sonoma'],
  },
  {
    id: 131,
    name: 'Desktop',
    assetgroup_id: 3,
    icon: 'fa-desktop',
    tagprefix: 'WS',
    prefix: 'WS',
    weight: 25,
    personal: true,
    keyfields: ['deviceName', 'serial', null],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'os', 'ip', 'mac'],
    models: [
      ['Dell', 'OptiPlex 7010'],
      ['HP', 'ProDesk 600 G6'],
      ['Lenovo', 'ThinkCentre M70q'],
    ],
    os: ['Windows 11 Pro', 'Windows 10 Pro'],
  },
  {
    id: 132,
    name: 'Server',
    assetgroup_id: 3,
    icon: 'fa-server',
    tagprefix: 'SRV',
    prefix: 'SRV',
    weight: 6,
    personal: false,
    keyfields: ['deviceName', 'serial', 'ip'],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'os', 'ip', 'mac'],
    models: [
      ['Dell', 'PowerEdge R650'],
      ['HPE', 'ProLiant DL380 Gen10'],
      ['Lenovo', 'ThinkSystem SR630'],
    ],
    os: ['Windows Server 2022 Standard', 'Windows Server 2019 Standard', 'Ubuntu 22.04 LTS'],
  },
  {
    id: 133,
    name: 'Virtual Machine',
    assetgroup_id: 5,
    icon: 'fa-cloud',
    tagprefix: 'VM',
    prefix: 'VM',
    weight: 6,
    personal: false,
    keyfields: ['deviceName', 'ip', null],
    fields: ['deviceName', 'os', 'ip'],
    models: [
      ['VMware', 'ESXi VM'],
      ['Microsoft', 'Hyper-V VM'],
      ['Microsoft', 'Azure VM'],
    ],
    os: ['Windows Server 2022 Standard', 'Ubuntu 22.04 LTS', 'Debian 12'],
  },
  {
    id: 140,
    name: 'Printer',
    assetgroup_id: 3,
    icon: 'fa-print',
    tagprefix: 'PRN',
    prefix: 'PRN',
    weight: 7,
    personal: false,
    keyfields: ['deviceName', 'serial', null],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'ip', 'mac'],
    models: [
      ['HP', 'LaserJet Pro M404'],
      ['Brother', 'MFC-L8900CDW'],
      ['Xerox', 'VersaLink C405'],
    ],
  },
  {
    id: 141,
    name: 'Firewall',
    assetgroup_id: 4,
    icon: 'fa-shield',
    tagprefix: 'FW',
    prefix: 'FW',
    weight: 5,
    personal: false,
    keyfields: ['deviceName', 'serial', 'ip'],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'ip', 'mac'],
    models: [
      ['Fortinet', 'FortiGate 60F'],
      ['SonicWall', 'TZ470'],
      ['Ubiquiti', 'UDM Pro'],
    ],
  },
  {
    id: 142,
    name: 'Network Switch',
    assetgroup_id: 4,
    icon: 'fa-sitemap',
    tagprefix: 'SW',
    prefix: 'SW',
    weight: 6,
    personal: false,
    keyfields: ['deviceName', 'serial', null],
    fields: ['deviceName', 'serial', 'model', 'manufacturer', 'ip', 'mac'],
    models: [
      ['Cisco', 'Catalyst 9200L'],
      ['Aruba', 'CX 6100'],
      ['Ubiquiti', 'USW-Pro-24'],
    ],
  },
  {
    id: 150,
    name: 'Software Licence',
    assetgroup_id: 6,
    icon: 'fa-key',
    tagprefix: 'LIC',
    prefix: 'LIC',
    weight: 3,
    personal: false,
    is_service: false,
    keyfields: ['deviceName', 'licenceKey', null],
    fields: ['deviceName', 'licenceKey', 'seats', 'manufacturer'],
    models: [
      ['Microsoft', 'Microsoft 365 Business Premium'],
      ['Adobe', 'Acrobat Pro'],
      ['Sophos', 'Intercept X'],
    ],
  },
  {
    // Defined but not generated: a type with no assets must still be listed by /api/AssetType.
    id: 160,
    name: 'UPS',
    assetgroup_id: 3,
    icon: 'fa-battery-full',
    tagprefix: 'UPS',
    prefix: 'UPS',
    weight: 0,
    personal: false,
    keyfields: ['deviceName', 'serial', null],
    fields: ['deviceName', 'serial', 'model', 'manufacturer'],
    models: [['APC', 'Smart-UPS 1500']],
  },
];

export interface AssetStatus {
  id: number;
  name: string;
  /** Assets in this status are generated as inactive. */
  inactive: boolean;
}

export const ASSET_STATUSES: readonly AssetStatus[] = [
  { id: 1, name: 'Active', inactive: false },
  { id: 2, name: 'In Stock', inactive: false },
  { id: 3, name: 'In Repair', inactive: false },
  { id: 4, name: 'Retired', inactive: true },
];

export interface TicketStatus {
  id: number;
  name: string;
  closed: boolean;
  colour: string;
}

export const TICKET_STATUSES: readonly TicketStatus[] = [
  { id: 1, name: 'New', closed: false, colour: '#3aa0ff' },
  { id: 2, name: 'In Progress', closed: false, colour: '#f0ad4e' },
  { id: 3, name: 'Action Required', closed: false, colour: '#d9534f' },
  { id: 4, name: 'Waiting on User', closed: false, colour: '#9b59b6' },
  { id: 5, name: 'Updated', closed: false, colour: '#5bc0de' },
  { id: 9, name: 'Closed', closed: true, colour: '#777777' },
];

export interface TicketTypeSpec {
  id: number;
  name: string;
  /** Ticket area the agent app shows it in (`/tickets?area=`). */
  area: number;
  /** `RequestType.default_priority` / `default_team` / `default_sla`: what a new ticket of this type gets when the request leaves them out [INFER]. */
  default_priority: number;
  default_team: string;
  default_sla?: number;
}

// Adding an entry changes the seeded tickets (the generator draws from this list); fields may be added.
export const TICKET_TYPES: readonly TicketTypeSpec[] = [
  { id: 1, name: 'Incident', area: 1, default_priority: 3, default_team: 'Service Desk' },
  { id: 3, name: 'Service Request', area: 1, default_priority: 4, default_team: 'Service Desk', default_sla: 3 },
  { id: 4, name: 'Problem', area: 1, default_priority: 3, default_team: 'Infrastructure' },
  { id: 5, name: 'Change Request', area: 2, default_priority: 3, default_team: 'Infrastructure' },
  { id: 29, name: 'Hardware Request', area: 1, default_priority: 4, default_team: 'Service Desk', default_sla: 3 },
];

/** The type a ticket gets when the create request names none (Halo's configured default ticket type) [INFER]. */
export const DEFAULT_TICKET_TYPE_ID = 1;

export interface Sla {
  id: number;
  name: string;
}

export const SLAS: readonly Sla[] = [
  { id: 1, name: 'Managed Services SLA' },
  { id: 2, name: 'Standard SLA' },
  { id: 3, name: 'Service Request SLA' },
];

export interface Priority {
  id: number;
  name: string;
  /** Fix-by in hours. */
  fixHours: number;
}

export const PRIORITIES: readonly Priority[] = [
  { id: 1, name: 'Critical', fixHours: 4 },
  { id: 2, name: 'High', fixHours: 8 },
  { id: 3, name: 'Medium', fixHours: 24 },
  { id: 4, name: 'Low', fixHours: 72 },
];

/**
 * `GET /api/Priority` rows are per SLA (spec `Policy`: `slaid`, `priorityid`, a GUID `id`); a
 * ticket's `priority_id` is the `priorityid`. A stable GUID per SLA and priority.
 */
export const policyGuid = (slaId: number, priorityId: number) =>
  `3e485768-7967-452e-ee50-${String(slaId).padStart(6, '0')}${String(priorityId).padStart(6, '0')}`;

/** Priority colours as Halo's defaults show them (the real create response had Medium `#fcdc00`). */
export const PRIORITY_COLOURS: Readonly<Record<number, string>> = { 1: '#e53935', 2: '#fb8c00', 3: '#fcdc00', 4: '#43a047' };

export interface ContractTypeSpec {
  id: number;
  name: string;
  prefix: string;
}

export const CONTRACT_TYPES: readonly ContractTypeSpec[] = [
  { id: 1, name: 'Managed Services', prefix: 'MSA' },
  { id: 2, name: 'Block Hours', prefix: 'BH' },
  { id: 3, name: 'Backup & DR', prefix: 'BDR' },
  { id: 4, name: 'Microsoft 365 Licensing', prefix: 'M365' },
];

export const TEAMS = ['Service Desk', 'Infrastructure', 'Projects'] as const;

/**
 * `GET /api/Team` rows (spec `SectionDetail`): the generator's teams, the agents' "Account
 * Management", a sales team that takes no tickets (`forrequests: false`) and a retired one.
 * Tickets name their team by `name` (spec `Faults.team`).
 */
export interface TeamSpec {
  id: number;
  name: string;
  department_id: number;
  department_name: string;
  forrequests: boolean;
  foropps: boolean;
  forprojects: boolean;
  inactive: boolean;
}

const team = (id: number, name: string, extra: Partial<TeamSpec> = {}): TeamSpec => ({
  id,
  name,
  department_id: 1,
  department_name: 'Support',
  forrequests: true,
  foropps: false,
  forprojects: false,
  inactive: false,
  ...extra,
});

export const TEAM_RECORDS: readonly TeamSpec[] = [
  team(1, 'Service Desk'),
  team(2, 'Infrastructure'),
  team(3, 'Projects', { forprojects: true }),
  team(4, 'Account Management', { department_id: 2, department_name: 'Commercial' }),
  team(5, 'Sales', { department_id: 2, department_name: 'Commercial', forrequests: false, foropps: true }),
  team(6, 'Legacy Helpdesk', { inactive: true }),
];

export const TIMEZONES = ['Eastern Standard Time', 'Central Standard Time', 'Mountain Standard Time', 'Pacific Standard Time'] as const;

export const CATEGORIES = [
  'Hardware>Laptop',
  'Hardware>Printer',
  'Software>Microsoft 365',
  'Software>Line of Business',
  'Network>Connectivity',
  'Network>Firewall',
  'Security>Phishing',
  'Accounts>Password Reset',
  'Accounts>New Starter',
  'Hardware>Purchase - Quotation',
] as const;

/** `/api/Lookup?lookupid=N` rows (HaloAPI calls lookupid=11 after connecting, docs/psa/halo.md#test-connection). */
export const LOOKUP_TYPES: readonly { id: number; name: string }[] = [
  { id: 11, name: 'Lookup Types' },
  { id: 27, name: 'Customer Type' },
  { id: 38, name: 'Asset Status' },
];
