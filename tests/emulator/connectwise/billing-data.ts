import type { CwRecord, CwStore } from './store.ts';

/**
 * Billing data (docs/psa/connectwise.md#billing-counts): the product catalog
 * (`/procurement/catalog`, `CatalogItem`) and the agreement additions
 * (`/finance/agreements/{id}/additions`, `Addition`). Built by fixed rules from the generated
 * records, after all of them and without the generator's PRNG, so every other record keeps the
 * values its seed gives it.
 */

/** Distinct id ranges (catalog 301…, additions 4001…): an id mix-up in a client shows as a 404. */
export const CATALOG_ID_BASE = 301;
export const ADDITION_ID_BASE = 4001;

type Ref = { id: number; name: string };
const CATEGORY = { managed: { id: 1, name: 'Managed Services' }, licensing: { id: 2, name: 'Licensing' }, hardware: { id: 3, name: 'Hardware' } };
const SUBCATEGORY = {
  endpoints: { id: 11, name: 'Endpoints' },
  people: { id: 12, name: 'Users' },
  network: { id: 13, name: 'Network' },
  security: { id: 14, name: 'Security' },
  cloud: { id: 21, name: 'Cloud Licences' },
  laptops: { id: 31, name: 'Laptops' },
};
const TYPE = { service: { id: 1, name: 'Service' }, hardware: { id: 2, name: 'Hardware' } };
const EACH = { id: 1, name: 'Each' };
const MONTHLY = { id: 2, name: 'Monthly' };

interface CatalogSpec {
  identifier: string;
  description: string;
  price: number;
  cost: number;
  category: Ref;
  subcategory: Ref;
  /** `productClass` enum of the contract: Agreement|Bundle|Inventory|NonInventory|Service. */
  productClass: 'Service' | 'Inventory' | 'NonInventory';
  recurring: boolean;
  inactive?: boolean;
}

/** What an MSP sells per seat or device, one retired product, and one hardware item (not recurring). */
export const CATALOG: readonly CatalogSpec[] = [
  spec('MS-WORKSTATION', 'Managed Workstation', 45, 12, CATEGORY.managed, SUBCATEGORY.endpoints),
  spec('MS-SERVER', 'Managed Server', 150, 40, CATEGORY.managed, SUBCATEGORY.endpoints),
  spec('MS-USER', 'Managed User', 65, 18, CATEGORY.managed, SUBCATEGORY.people),
  spec('MS-NETWORK', 'Managed Network Device', 25, 6, CATEGORY.managed, SUBCATEGORY.network),
  spec('EDR-AGENT', 'Endpoint Detection and Response', 7, 3.5, CATEGORY.managed, SUBCATEGORY.security),
  spec('PWB-SEAT', 'Password Boss Seat', 3, 1.25, CATEGORY.managed, SUBCATEGORY.security),
  spec('BACKUP-M365', 'Cloud Backup for Microsoft 365', 4, 1.6, CATEGORY.licensing, SUBCATEGORY.cloud),
  spec('M365-BP', 'Microsoft 365 Business Premium', 22, 19.8, CATEGORY.licensing, SUBCATEGORY.cloud, 'NonInventory'),
  { ...spec('AV-LEGACY', 'Antivirus (legacy)', 5, 2, CATEGORY.managed, SUBCATEGORY.security), inactive: true },
  { ...spec('DELL-LAT5440', 'Dell Latitude 5440 Laptop', 1299, 1049, CATEGORY.hardware, SUBCATEGORY.laptops, 'Inventory'), recurring: false },
];

function spec(
  identifier: string,
  description: string,
  price: number,
  cost: number,
  category: Ref,
  subcategory: Ref,
  productClass: CatalogSpec['productClass'] = 'Service',
): CatalogSpec {
  return { identifier, description, price, cost, category, subcategory, productClass, recurring: true };
}

const CATALOG_INFO = { lastUpdated: '2024-03-04T16:20:00Z', updatedBy: 'admin1', dateEntered: '2019-02-11T14:05:00Z', enteredBy: 'admin1' };

export function seedCatalog(store: CwStore): void {
  CATALOG.forEach((p, i) => {
    const hardware = p.category === CATEGORY.hardware;
    store.catalogItems.insert({
      id: CATALOG_ID_BASE + i,
      identifier: p.identifier,
      description: p.description,
      inactiveFlag: p.inactive === true,
      subcategory: { ...p.subcategory },
      type: { ...(hardware ? TYPE.hardware : TYPE.service) },
      productClass: p.productClass,
      serializedFlag: hardware,
      serializedCostFlag: false,
      phaseProductFlag: false,
      unitOfMeasure: { ...EACH },
      price: p.price,
      cost: p.cost,
      priceAttribute: 'FixedFee',
      taxableFlag: hardware,
      dropShipFlag: false,
      specialOrderFlag: false,
      customerDescription: p.description,
      recurringFlag: p.recurring,
      recurringRevenue: p.recurring ? p.price : 0,
      recurringCost: p.recurring ? p.cost : 0,
      recurringOneTimeFlag: false,
      recurringBillCycle: p.recurring ? { ...MONTHLY } : undefined,
      category: { ...p.category },
      calculatedPriceFlag: false,
      calculatedCostFlag: false,
      billableOption: 'Billable',
      _info: { ...CATALOG_INFO },
    });
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The amounts and status ConnectWise derives from quantity, prices and dates. [INFER] The
 * contract names the fields (extPrice, extCost, margin) but not the formula; the included
 * quantity is not billed.
 */
export function priceAddition(row: CwRecord, now: number): CwRecord {
  // [INFER] The contract has `agreementStatus` on an addition without its values; the agreement's are used.
  row.agreementStatus = row.cancelledDate && Date.parse(String(row.cancelledDate)) <= now ? 'Cancelled' : 'Active';
  const billed = Number(row.quantity ?? 0) - Number(row.lessIncluded ?? 0);
  row.extPrice = round2(billed * Number(row.unitPrice ?? 0));
  row.extCost = round2(billed * Number(row.unitCost ?? 0));
  row.margin = round2((row.extPrice as number) - (row.extCost as number));
  return row;
}

/**
 * An addition of `product` on `agreement` as of `now` (not stored), with the defaults ConnectWise
 * takes from the catalog item; `fields` win (callers pass `effectiveDate`). [INFER] The defaults (price,
 * cost, description, unit, taxable) are what the ConnectWise screen fills in; the API's are not documented.
 */
export function buildAddition(
  store: CwStore,
  agreement: CwRecord,
  product: CwRecord,
  fields: Record<string, unknown>,
  info: Record<string, string>,
  now: number,
): CwRecord {
  const siblings = store.additions.children(agreement.id);
  const row: CwRecord = {
    id: Math.max(ADDITION_ID_BASE, store.additions.nextId()),
    product: { id: product.id, identifier: product.identifier as string },
    quantity: 1,
    lessIncluded: 0,
    unitPrice: product.price,
    unitCost: product.cost,
    billCustomer: 'Billable',
    taxableFlag: product.taxableFlag,
    invoiceDescription: product.customerDescription,
    purchaseItemFlag: false,
    specialOrderFlag: false,
    agreementId: agreement.id,
    description: product.description,
    uom: (product.unitOfMeasure as Ref | undefined)?.name,
    sequenceNumber: siblings.reduce((most, a) => Math.max(most, Number(a.sequenceNumber ?? 0)), 0) + 1,
    _info: info,
    ...fields,
  };
  return priceAddition(row, now);
}

const DAY = 86_400_000;
const typeName = (r: CwRecord) => (r.type as { name?: string } | undefined)?.name;

/**
 * Additions on the generated agreements, by rule:
 * - an active Managed Services agreement bills Managed Workstation (one more than the company's
 *   active workstations and laptops: a stale count), Managed User (its active contacts) and, when
 *   it has servers, Managed Server; without servers it keeps a Managed Server line cancelled
 *   60 days ago (a retired server). Every third one bills a flat fee: no additions at all;
 * - an active Backup as a Service agreement bills Cloud Backup for Microsoft 365 per contact;
 * - a cancelled agreement keeps its Managed Workstation line, cancelled with it;
 * - any other agreement has none.
 */
export function seedAdditions(store: CwStore, anchor: number): void {
  const product = (identifier: string) => store.catalogItems.rows.find((p) => p.identifier === identifier) as CwRecord;
  const day = (offset: number) => new Date(Math.floor((anchor + offset * DAY) / DAY) * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let managed = 0;
  for (const agreement of store.agreements.rows) {
    const companyId = (agreement.company as { id: number }).id;
    const info = { ...agreement._info };
    const effectiveDate = String(agreement.startDate ?? day(-365));
    const add = (identifier: string, quantity: number, extra: Record<string, unknown> = {}) =>
      store.additions.insert(buildAddition(store, agreement, product(identifier), { quantity, effectiveDate, ...extra }, info, anchor));
    const active = (types: string[]) => store.configurations.children(companyId).filter((c) => c.activeFlag && types.includes(String(typeName(c)))).length;
    const people = store.contacts.children(companyId).filter((c) => !c.inactiveFlag).length;

    if (agreement.agreementStatus === 'Cancelled') {
      add('MS-WORKSTATION', Math.max(1, active(['Managed Workstation', 'Laptop'])), { cancelledDate: agreement.dateCancelled ?? day(-30) });
    } else if (agreement.agreementStatus === 'Active' && typeName(agreement) === 'Managed Services') {
      if (managed++ % 3 === 1) continue;
      add('MS-WORKSTATION', active(['Managed Workstation', 'Laptop']) + 1);
      add('MS-USER', people);
      const servers = active(['Managed Server']);
      add('MS-SERVER', Math.max(servers, 1), servers ? {} : { cancelledDate: day(-60) });
    } else if (agreement.agreementStatus === 'Active' && typeName(agreement) === 'Backup as a Service') {
      add('BACKUP-M365', people);
    }
  }
}

/**
 * Leaves one company without any agreement: the last company whose agreements have all ended
 * (expired, cancelled, inactive) loses them. No ticket names such an agreement (tickets name
 * active ones only), so nothing else changes.
 */
export function dropEndedAgreements(store: CwStore): void {
  const company = [...store.companies.rows].reverse().find((c) => {
    const agreements = store.agreements.children(c.id);
    return agreements.length > 0 && agreements.every((a) => a.agreementStatus !== 'Active');
  });
  if (!company) return;
  for (const a of [...store.agreements.children(company.id)]) store.agreements.delete(a.id);
}
