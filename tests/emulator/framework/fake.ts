// Over 300 lines on purpose: word lists (names, places, hardware) the generators draw from.
import type { Prng } from './prng.ts';

/** Small, PSA-neutral fake-data vocabulary (names, places, hardware) shared by all emulators. */

export const FIRST_NAMES = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Sandra',
  'Mark',
  'Ashley',
  'Steven',
  'Emily',
  'Paul',
  'Michelle',
  'Andrew',
  'Amanda',
  'Joshua',
  'Melissa',
  'Kenji',
  'Priya',
  'Olga',
  'Sean',
  'Aisha',
  'Mateo',
  'Chloe',
  'Liam',
  'Noor',
  'Ethan',
  'Zoë',
  'Hannah',
  'Omar',
  'Grace',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  "O'Brien",
  'Patel',
  'Kowalski',
  'Müller',
  'Tanaka',
  'Okafor',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Stone',
] as const;

export const TITLES = [
  'Office Manager',
  'Owner',
  'President',
  'CFO',
  'Controller',
  'Practice Manager',
  'IT Coordinator',
  'Receptionist',
  'Accountant',
  'Operations Manager',
  'Paralegal',
  'Hygienist',
  'Sales Manager',
  'HR Director',
  'Bookkeeper',
  'Project Manager',
  'Engineer',
  'Marketing Lead',
] as const;

export interface Place {
  city: string;
  state: string;
  stateName: string;
  zip: string;
  areaCode: string;
}

export const PLACES: readonly Place[] = [
  { city: 'Tampa', state: 'FL', stateName: 'Florida', zip: '33602', areaCode: '813' },
  { city: 'Orlando', state: 'FL', stateName: 'Florida', zip: '32801', areaCode: '407' },
  { city: 'Austin', state: 'TX', stateName: 'Texas', zip: '78701', areaCode: '512' },
  { city: 'Dallas', state: 'TX', stateName: 'Texas', zip: '75201', areaCode: '214' },
  { city: 'Denver', state: 'CO', stateName: 'Colorado', zip: '80202', areaCode: '303' },
  { city: 'Seattle', state: 'WA', stateName: 'Washington', zip: '98101', areaCode: '206' },
  { city: 'Portland', state: 'OR', stateName: 'Oregon', zip: '97204', areaCode: '503' },
  { city: 'Chicago', state: 'IL', stateName: 'Illinois', zip: '60601', areaCode: '312' },
  { city: 'Columbus', state: 'OH', stateName: 'Ohio', zip: '43215', areaCode: '614' },
  { city: 'Atlanta', state: 'GA', stateName: 'Georgia', zip: '30303', areaCode: '404' },
  { city: 'Raleigh', state: 'NC', stateName: 'North Carolina', zip: '27601', areaCode: '919' },
  { city: 'Boston', state: 'MA', stateName: 'Massachusetts', zip: '02108', areaCode: '617' },
  { city: 'Phoenix', state: 'AZ', stateName: 'Arizona', zip: '85004', areaCode: '602' },
  { city: 'Nashville', state: 'TN', stateName: 'Tennessee', zip: '37203', areaCode: '615' },
  { city: 'Minneapolis', state: 'MN', stateName: 'Minnesota', zip: '55401', areaCode: '612' },
];

export const STREET_NAMES = [
  'Main',
  'Oak',
  'Maple',
  'Cedar',
  'Park',
  'Pine',
  'Lake',
  'Hill',
  'Washington',
  'Elm',
  'Sunset',
  'River',
  'Church',
  'Market',
  'Highland',
  'Commerce',
  'Industrial',
  'Harbor',
] as const;
const STREET_KINDS = ['Street', 'Avenue', 'Boulevard', 'Drive', 'Road', 'Parkway', 'Way'] as const;

/** Hand-written, realistic small-MSP client list (demo preset). Some need HTML escaping. */
export const DEMO_COMPANY_NAMES = [
  'Northwind Dental Group',
  'Contoso Ltd.',
  'Fabrikam Manufacturing',
  'Adventure Works Cycles',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware Inc.',
  'Proseware Legal LLP',
  'Blue Yonder Airlines',
  'Coho Winery',
  'Lucerne Publishing',
  "Margie's Travel",
  'Alpine Ski House',
  'Woodgrove Bank',
  'Fourth Coffee',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Trey Research',
  'Wingtip Toys',
  'Relecloud',
  'Bellows College',
  'Southridge Video',
  'City Power & Light',
  'Consolidated Messenger',
  'A. Datum Corporation',
] as const;

const NAME_PREFIX = [
  'Summit',
  'Harbor',
  'Pinnacle',
  'Evergreen',
  'Riverside',
  'Lakeside',
  'Silver',
  'Granite',
  'Blue Ridge',
  'Cedar',
  'Meridian',
  'Atlas',
  'Beacon',
  'Crescent',
  'Keystone',
  'Liberty',
  'Northstar',
  'Oakwood',
  'Prairie',
  'Redwood',
  'Sterling',
  'Sunrise',
  'Tri-County',
  'Valley',
  'Westfield',
  'Coastal',
  'Ironwood',
] as const;
const NAME_INDUSTRY = [
  'Dental',
  'Family Medicine',
  'Law',
  'Accounting',
  'Engineering',
  'Construction',
  'Realty',
  'Logistics',
  'Veterinary',
  'Insurance',
  'Manufacturing',
  'Architecture',
  'Pharmacy',
  'Auto Group',
  'Credit Union',
  'Orthodontics',
  'Marketing',
  'Plumbing',
  'Foods',
  'Wealth Management',
] as const;
const NAME_SUFFIX = ['Group', 'Partners', 'LLC', 'Inc.', 'Associates', 'Co.', 'Services', 'Clinic', 'Ltd.', ''] as const;

export function companyName(rng: Prng): string {
  return [rng.pick(NAME_PREFIX), rng.pick(NAME_INDUSTRY), rng.pick(NAME_SUFFIX)].filter(Boolean).join(' ');
}

/** `Northwind Dental Group` → `NorthwindDentalGroup` (the style of ConnectWise identifiers). */
export function identifierFrom(name: string, maxLength = 30): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, maxLength);
}

export function domainFrom(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\b(inc|llc|ltd|co|llp|group|the)\b\.?/g, '')
    .replace(/[^a-z0-9]/g, '');
  return `${base || 'example'}.example.com`;
}

export function streetAddress(rng: Prng): string {
  return `${rng.int(10, 9999)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_KINDS)}`;
}

export function phone(rng: Prng, areaCode: string): string {
  return `${areaCode}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

export function emailLocal(first: string, last: string): string {
  return `${first}.${last}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z.]/g, '');
}

export function macAddress(rng: Prng): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(rng.hex(2).toUpperCase());
  return parts.join(':');
}

export function ipv4(rng: Prng, subnet: number): string {
  return `10.${subnet % 250}.${rng.int(0, 9)}.${rng.int(2, 254)}`;
}

export function serial(rng: Prng, prefix: string): string {
  return `${prefix}${rng.hex(8).toUpperCase()}`;
}
