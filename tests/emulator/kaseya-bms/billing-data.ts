import { EMPLOYEES } from './lookups.ts';
import type { Preset } from './dataset.ts';
import type { BmsContract, BmsContractService, BmsStore } from './store.ts';

/**
 * The billing side of the dataset (docs/psa/kaseya-bms.md#billing-counts): the service catalog
 * (Admin › Finance › Services) and services with units on some recurring services contracts.
 * Derived from the generated records without the seeded random stream, so every other record of
 * a preset stays as it was. Lines go on every recurring services contract except each third one
 * (those have none); `demo` also has one active account without any contract.
 */

export const SERVICE_CATEGORIES = new Map([
  [11, 'Managed Services'],
  [12, 'Security'],
  [13, 'Backup'],
  [14, 'Cloud Licensing'],
]);
export const UNITS_OF_MEASURE = new Map([
  [1, 'Each'],
  [2, 'Device'],
  [3, 'User'],
  [4, 'Mailbox'],
  [5, 'License'],
]);
export const INCOME_ACCOUNT = { id: 4010, code: '4010', name: 'Managed Services Revenue' } as const;
export const EXPENSE_ACCOUNT = { id: 5010, code: '5010', name: 'Cost of Managed Services' } as const;

const CREATED = '2024-02-12T15:20:41.137';
const ADMIN = EMPLOYEES[1].id;

type Row = [id: number, name: string, description: string, cost: number, price: number, category: number, unit: number, active?: boolean];
const CATALOG: readonly Row[] = [
  [1401, 'Managed Workstation', 'Monitoring, patching and support of one desktop or laptop', 12, 45, 11, 2],
  [1402, 'Managed Server', 'Monitoring, patching and support of one server', 35, 150, 11, 2],
  [1403, 'Managed User', 'Help desk support for one named user', 8, 30, 11, 3],
  [1404, 'Password Manager - Per User', 'Business password manager seat', 2, 5, 12, 3],
  [1405, 'Email Security - Per Mailbox', 'Inbound filtering and phishing protection', 1.5, 4, 12, 4],
  [1406, 'Backup - Per Device', 'Image backup with offsite copy', 6, 15, 13, 2],
  [1407, 'Network Monitoring - Per Device', 'Switches, firewalls and access points', 3, 10, 11, 2],
  [1408, 'Microsoft 365 Business Premium', 'Licence resold monthly', 19.8, 22, 14, 5],
  [1409, 'Legacy Antivirus', 'Retired: replaced by EDR', 1, 3, 12, 2, false],
];

const byName = (name: string) => CATALOG.find((row) => row[1] === name)![0];
export const SERVICE_IDS = {
  workstation: byName('Managed Workstation'),
  user: byName('Managed User'),
  backup: byName('Backup - Per Device'),
} as const;

/** First id of a contract service (the spec's `ClientContractServiceId`), in a real tenant's range [G]. */
export const CONTRACT_SERVICE_BASE = 30101;

export function seedBilling(s: BmsStore, preset: Preset): void {
  for (const [id, name, description, unitCost, unitPrice, categoryId, unitOfMeasureId, active] of CATALOG) {
    s.services.insert({
      id,
      name,
      description,
      unitCost,
      unitPrice,
      categoryId,
      subCategoryId: null,
      unitOfMeasureId,
      isActive: active ?? true,
      isTaxable: categoryId === 14,
      createdBy: ADMIN,
      createdOn: CREATED,
      modifiedBy: ADMIN,
      modifiedOn: CREATED,
    });
  }
  // `large` keeps its documented totals; `demo` gets an account without contracts.
  if (preset === 'demo') dropContractsOfOneAccount(s);
  let id = CONTRACT_SERVICE_BASE;
  const recurring = s.contracts.rows.filter((k) => k.contractType === 'Recurring Services');
  recurring.forEach((contract, k) => {
    if (k % 3 === 1) return;
    const assets = s.assets.children(contract.accountId).filter((a) => a.isActive);
    const workstations = assets.filter((a) => /workstation|laptop|desktop/i.test(s.categories.get(a.categoryId) ?? '')).length;
    const users = s.contacts.children(contract.accountId).filter((c) => c.isActive).length;
    // Off by one from what the tenant holds, as a contract last edited by hand would be.
    const units: [number, number][] = [
      [SERVICE_IDS.workstation, Math.max(1, workstations + 1)],
      [SERVICE_IDS.user, users + 1],
      ...(k % 3 === 2 ? ([[SERVICE_IDS.backup, Math.max(1, assets.length)]] as [number, number][]) : []),
    ];
    units.forEach(([serviceId, count], order) => s.contractServices.insert(line(s, id++, contract, serviceId, count, order + 1)));
    contract.contractBillingPrice = contractPrice(s, contract.id);
  });
}

function line(s: BmsStore, id: number, contract: BmsContract, serviceId: number, units: number, sortOrder: number): BmsContractService {
  const service = s.services.get(serviceId)!;
  return {
    id,
    contractId: contract.id,
    serviceId,
    serviceName: service.name,
    serviceDescription: service.description,
    units,
    unitCost: service.unitCost,
    unitPrice: service.unitPrice,
    effectiveDate: contract.startDate,
    sortOrder,
    history: [],
    createdBy: ADMIN,
    createdOn: contract.startDate,
    modifiedBy: ADMIN,
    modifiedOn: contract.startDate,
  };
}

/** What BMS shows as the contract's billing price once services carry it: units × unit price. */
export function contractPrice(s: BmsStore, contractId: number): number {
  return Math.round(s.contractServices.children(contractId).reduce((sum, l) => sum + l.units * l.unitPrice, 0) * 100) / 100;
}

/** The last active account whose contracts no ticket names loses them (no dangling ticket links). */
function dropContractsOfOneAccount(s: BmsStore): void {
  const named = new Set(s.tickets.rows.map((t) => t.contractId).filter((id): id is number => id !== null));
  const account = [...s.accounts.rows]
    .reverse()
    .find((a) => a.isActive && s.contracts.children(a.id).length > 0 && s.contracts.children(a.id).every((k) => !named.has(k.id)));
  for (const contract of [...(account ? s.contracts.children(account.id) : [])]) s.contracts.delete(contract.id);
}
