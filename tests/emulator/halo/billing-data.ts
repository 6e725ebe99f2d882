import { haloDate, haloDateTime } from './dates.ts';
import type { HaloRecord, HaloStore } from './store.ts';

/**
 * Billing data (docs/psa/halo.md#billing-counts): an MSP's item catalog (`/api/Item`) and the
 * recurring invoices of its contracts (`/api/RecurringInvoice`) with item lines and quantities.
 * Derived from the generated clients and contracts without drawing from the generator's random
 * stream, so every other generated value stays as it was.
 *
 * Which contract gets what, in client order among clients with a current contract:
 * the first (Acorn Construction) a recurring invoice with Managed Workstation 14, Managed User 22
 * and Managed Server 2, a disabled one on its expired contract and one for the client itself
 * (no contract); then in turn: a recurring invoice without lines, Managed Workstation + Managed
 * User lines, no recurring invoice, Managed User + Backup lines. In demo the first break-fix
 * client (top level 2, Contoso Ltd.) has no contract at all.
 */

interface ItemSpec {
  id: number;
  name: string;
  code: string;
  description: string;
  price: number;
  cost: number;
  recurring: boolean;
  inactive?: boolean;
  stock?: number;
}

export const ITEMS: readonly ItemSpec[] = [
  {
    id: 201,
    name: 'Managed Workstation',
    code: 'MSP-WS',
    description: 'Monitoring, patching, antivirus and remote support for one workstation or laptop, per month.',
    price: 45,
    cost: 9,
    recurring: true,
  },
  {
    id: 202,
    name: 'Managed User',
    code: 'MSP-USER',
    description: 'Helpdesk support and Microsoft 365 administration for one user, per month.',
    price: 35,
    cost: 6,
    recurring: true,
  },
  {
    id: 203,
    name: 'Managed Server',
    code: 'MSP-SRV',
    description: 'Monitoring, patching and backup checks for one server, per month.',
    price: 120,
    cost: 25,
    recurring: true,
  },
  {
    id: 204,
    name: 'Microsoft 365 Business Premium',
    code: 'M365-BP',
    description: 'Microsoft 365 Business Premium licence, per user per month.',
    price: 22,
    cost: 19.8,
    recurring: true,
  },
  { id: 205, name: 'Backup - Per Device', code: 'BDR-DEV', description: 'Cloud backup of one device, per month.', price: 12.5, cost: 4, recurring: true },
  {
    id: 206,
    name: 'Remote Support (per hour)',
    code: 'LAB-REM',
    description: 'Remote support outside the agreement, per hour.',
    price: 95,
    cost: 0,
    recurring: false,
  },
  {
    id: 207,
    name: 'Dell Latitude 5450 Laptop',
    code: 'DELL-LAT5450',
    description: 'Dell Latitude 5450, 14", Core Ultra 5, 16 GB, 512 GB SSD.',
    price: 1249,
    cost: 1020,
    recurring: false,
    stock: 6,
  },
  // Retired plan: Halo hides inactive items from lists unless asked (includeinactive).
  {
    id: 208,
    name: 'Managed Desktop (2019 plan)',
    code: 'MSP-DT19',
    description: 'Replaced by Managed Workstation.',
    price: 39,
    cost: 9,
    recurring: true,
    inactive: true,
  },
];

export const ITEM_ID = { workstation: 201, user: 202, server: 203, m365: 204, backup: 205 } as const;

/** The first recurring invoice id: a range of its own, so an id mixed up with a contract's shows. */
const FIRST_INVOICE_ID = 60001;

function itemRow(spec: ItemSpec, anchor: number): HaloRecord {
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    internalreference: spec.code,
    externalreference: '',
    baseprice: spec.price,
    costprice: spec.cost,
    isrecurringitem: spec.recurring,
    recurringprice: spec.recurring ? spec.price : 0,
    recurringcost: spec.recurring ? spec.cost : 0,
    item_default_billing_period: spec.recurring ? 1 : 0,
    quantity_in_stock: spec.stock ?? 0,
    taxcode: 1,
    taxcode_name: 'Standard',
    nominalcode: spec.recurring ? '4000' : '4010',
    assetgroup_id: 0,
    supplier_id: 0,
    datecreated: haloDateTime(anchor - 900 * 86_400_000),
    lastmodified: haloDateTime(anchor - 40 * 86_400_000),
    _inactive: spec.inactive === true,
  };
}

/** A new line on a recurring invoice, filled from the item as Halo fills a line from `_itemid` [INFER]. */
export function newLine(store: HaloStore, invoice: HaloRecord, item: HaloRecord, quantity: number): HaloRecord {
  const lines = invoice._lines as HaloRecord[];
  const line: HaloRecord = {
    id: store.nextLineId++,
    ihid: invoice.id,
    _itemid: item.id,
    item_code: item.internalreference,
    item_shortdescription: item.name,
    item_longdescription: item.description,
    nominal_code: item.nominalcode,
    tax_code: String(item.taxcode),
    qty_order: quantity,
    unit_price: item.recurringprice || item.baseprice,
    unit_cost: item.recurringcost || item.costprice,
    contract_id: invoice.contract_id,
    isinactive: false,
    sequenceid: lines.length + 1,
  };
  lines.push(line);
  return line;
}

function invoiceRow(store: HaloStore, client: HaloRecord, contract: HaloRecord | undefined, anchor: number, disabled = false): HaloRecord {
  const month = new Date(anchor);
  const first = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
  const next = Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1);
  return store.recurringInvoices.insert({
    id: store.recurringInvoices.rows.length ? store.recurringInvoices.nextId() : FIRST_INVOICE_ID,
    client_id: client.id,
    contract_id: contract?.id ?? 0,
    reference: contract ? `Monthly - ${String(contract.ref)}` : `Monthly - ${String(client.name)}`,
    disabled,
    is_recurring_invoice: true,
    period: 1,
    periodname: 'Monthly',
    startdate: contract ? contract.start_date : haloDate(first - 365 * 86_400_000),
    lastcreated: haloDateTime(first),
    nextcreationdate: disabled ? haloDateTime(first) : haloDateTime(next),
    _lines: [],
  });
}

/** A break-fix client has no contract: its contracts and the references to them go. */
function dropContracts(store: HaloStore, client: HaloRecord): void {
  for (const contract of [...store.contracts.children(client.id)]) store.contracts.delete(contract.id);
  for (const table of [store.tickets, store.assets]) for (const row of table.children(client.id)) row.contract_id = 0;
}

/** What the 2nd, 3rd, … client with a current contract gets, in turn. */
const PLANS = ['empty', 'full', 'none', 'user'] as const;

/** `withoutContract`: the first break-fix client loses its contracts (demo; tiny's tests rely on every client having one). */
export function seedBilling(store: HaloStore, options: { anchor: number; withoutContract: boolean }): void {
  const { anchor } = options;
  for (const spec of ITEMS) store.items.insert(itemRow(spec, anchor));
  const item = (id: number) => store.items.get(id) as HaloRecord;
  const add = (invoice: HaloRecord, id: number, quantity: number) => newLine(store, invoice, item(id), quantity);
  if (options.withoutContract) {
    const breakFix = store.clients.rows.find((client) => client.toplevel_id === 2);
    if (breakFix) dropContracts(store, breakFix);
  }
  let k = 0;
  for (const client of store.clients.rows) {
    const contracts = store.contracts.children(client.id);
    const current = contracts.find((contract) => contract.active && !contract.expired);
    if (!current) continue;
    const users = store.users.children(client.id).length;
    const assets = store.assets.children(client.id).length;
    const index = k++;
    const plan = index === 0 ? 'showcase' : PLANS[(index - 1) % PLANS.length];
    if (plan === 'none') continue;
    const invoice = invoiceRow(store, client, current, anchor);
    if (plan === 'showcase') {
      add(invoice, ITEM_ID.workstation, 14);
      add(invoice, ITEM_ID.user, 22);
      add(invoice, ITEM_ID.server, 2);
      const expired = contracts.find((contract) => contract.expired);
      if (expired) add(invoiceRow(store, client, expired, anchor, true), ITEM_ID.workstation, 9);
      // The client's own recurring invoice (no contract): its lines are not the contract's.
      const own = invoiceRow(store, client, undefined, anchor);
      add(own, ITEM_ID.m365, 22);
      add(own, ITEM_ID.user, 5);
    } else if (plan === 'full') {
      add(invoice, ITEM_ID.workstation, assets + 2);
      add(invoice, ITEM_ID.user, users + 1);
    } else if (plan === 'user') {
      add(invoice, ITEM_ID.user, users + 3);
      add(invoice, ITEM_ID.backup, assets);
    }
  }
}
