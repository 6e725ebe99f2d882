import type { Clock } from '../framework/clock.ts';
import type { EmuResponse } from '../framework/types.ts';
import type { ListFn, RouteFn } from './api.ts';
import { CONTRACT_SERVICE_INPUT, bindObject, bindPatch, rawJson, type Bound } from './billing-bind.ts';
import { EXPENSE_ACCOUNT, INCOME_ACCOUNT, SERVICE_CATEGORIES, UNITS_OF_MEASURE, contractPrice } from './billing-data.ts';
import type { FilterDef } from './query.ts';
import type { BmsContract, BmsContractService, BmsService, BmsStore } from './store.ts';
import { bmsDate, fail, ok, problem } from './wire.ts';

/**
 * The service catalog and the services of recurring services contracts
 * (docs/psa/kaseya-bms.md#billing-counts). From the spec: `GET /v2/admin/finance/services/lookup`,
 * `POST …/services/search`, `GET …/services/{serviceId}`, `POST
 * …/services/{serviceId}/relatedservices/search` (the contract services using a service: no
 * units in its rows) and `POST /v2/finance/contracts/recurringservices/{contractId}/services`
 * (add services; an array). Not in the spec, served as guesses in BMS's own style unless
 * `updates` is off: `PATCH …/services/{id}` (JSON Patch) and `PUT …/services/{id}`.
 */

export interface BillingRouteDeps {
  route: RouteFn;
  list: ListFn;
  store: BmsStore;
  clock: Clock;
  asHttp200: boolean;
  updates: boolean;
}

type Dto = Record<string, unknown>;
const ADD_PATH = '/finance/contracts/recurringservices/:contractId/services';
const invalid = (errors: Record<string, string[]>) => problem(400, 'One or more validation errors occurred.', errors);
const margin = (price: number, cost: number) => (price ? Math.round(((price - cost) / price) * 10_000) / 100 : 0);

/** `ServiceListOutputDto` (search) and, with the account ids, `ServiceOutputDto` (by id). */
function serviceDto(x: BmsService, full: boolean): Dto {
  const accounts = full
    ? { incomeAccountId: INCOME_ACCOUNT.id, incomeAccountCode: INCOME_ACCOUNT.code, incomeAccountName: INCOME_ACCOUNT.name }
    : { incomeAccountCode: INCOME_ACCOUNT.code, incomeAccountName: INCOME_ACCOUNT.name };
  const expense = full
    ? { expenseAccountId: EXPENSE_ACCOUNT.id, expenseAccountCode: EXPENSE_ACCOUNT.code, expenseAccountName: EXPENSE_ACCOUNT.name }
    : { expenseAccountCode: EXPENSE_ACCOUNT.code, expenseAccountName: EXPENSE_ACCOUNT.name };
  const head = { id: x.id, name: x.name, description: x.description, unitCost: x.unitCost, unitPrice: x.unitPrice };
  const category = { categoryId: x.categoryId, category: SERVICE_CATEGORIES.get(x.categoryId) ?? null };
  const sub = { subCategoryId: x.subCategoryId, subCategory: null };
  const unit = { unitOfMeasureId: x.unitOfMeasureId, unitOfMeasure: UNITS_OF_MEASURE.get(x.unitOfMeasureId) ?? null };
  const flags = { isActive: x.isActive, isTaxable: x.isTaxable };
  const audit = { createdOn: x.createdOn, createdBy: x.createdBy, modifiedOn: x.modifiedOn, modifiedBy: x.modifiedBy };
  const marginOf = { margin: margin(x.unitPrice, x.unitCost), marginType: 1 };
  // Declaration order of each DTO in the spec.
  return full
    ? { ...head, ...category, ...sub, ...unit, ...accounts, ...expense, ...flags, ...audit, ...marginOf }
    : { ...head, ...category, margin: marginOf.margin, marginType: 1, ...sub, ...unit, ...accounts, ...expense, ...flags, ...audit };
}

export function registerBillingRoutes(d: BillingRouteDeps): void {
  const { route, list, store: s, clock } = d;
  const failOpts = { asHttp200: d.asHttp200 };
  const today = () => (bmsDate(clock.now()) as string).slice(0, 10);

  /** `RecurringServicePostOutputDto`: what adding (and the guessed update) answers. */
  const lineDto = (l: BmsContractService): Dto => {
    const service = s.services.get(l.serviceId);
    return {
      id: l.id,
      createdBy: l.createdBy,
      createdOn: l.createdOn,
      modifiedBy: l.modifiedBy,
      modifiedOn: l.modifiedOn,
      serviceId: l.serviceId,
      serviceName: l.serviceName,
      description: l.serviceDescription,
      contractId: l.contractId,
      contractName: s.contracts.get(l.contractId)?.contractName ?? null,
      totalCost: l.units * l.unitCost,
      totalPrice: l.units * l.unitPrice,
      units: l.units,
      unitCost: l.unitCost,
      unitPrice: l.unitPrice,
      margin: margin(l.unitPrice, l.unitCost),
      originalUnitPrice: service?.unitPrice ?? l.unitPrice,
      originalUnitCost: service?.unitCost ?? l.unitCost,
      effectiveDate: l.effectiveDate,
      sortOrder: l.sortOrder,
    };
  };

  /** `RelatedServicesListOutputDto`: one contract's use of the service (no units in the spec's DTO). */
  const relatedDto = (l: BmsContractService): Dto => {
    const k = s.contracts.get(l.contractId)!;
    return {
      id: l.id,
      serviceId: l.serviceId,
      contractId: l.contractId,
      accountId: k.accountId,
      serviceName: l.serviceName,
      serviceDescription: l.serviceDescription,
      contractName: k.contractName,
      accountName: s.accounts.get(k.accountId)?.accountName ?? null,
      effectiveDate: l.effectiveDate,
      contractStartDate: k.startDate,
      contractEndDate: k.endDate,
      unitCost: l.unitCost,
      unitPrice: l.unitPrice,
      marginType: 1,
      margin: margin(l.unitPrice, l.unitCost),
      excludeFromContractBulkUpdates: false,
    };
  };

  // ---- catalog ----
  const catalogFilters: FilterDef<BmsService>[] = [
    { name: 'Name', kind: 'text', get: (r) => r.name },
    { name: 'Description', kind: 'text', get: (r) => r.description },
    { name: 'CategoryIds', kind: 'ids', get: (r) => r.categoryId },
    { name: 'UnitOfMeasureIds', kind: 'ids', get: (r) => r.unitOfMeasureId },
    // `IsActive` / `IsTaxable` are ints in ServicesListFilterDto (1 yes, 0 no).
    { name: 'IsActive', kind: 'int', get: (r) => (r.isActive ? 1 : 0) },
    { name: 'IsTaxable', kind: 'int', get: (r) => (r.isTaxable ? 1 : 0) },
    { name: 'IncomeAccount', kind: 'text', get: () => `${INCOME_ACCOUNT.code} ${INCOME_ACCOUNT.name}` },
    { name: 'ExpenseAccount', kind: 'text', get: () => `${EXPENSE_ACCOUNT.code} ${EXPENSE_ACCOUNT.name}` },
  ];
  route('POST', '/admin/finance/services/search', (_r, _p, { params }) => list(s.services.rows, catalogFilters, params, (x) => serviceDto(x, false), 'paged'));
  route('GET', '/admin/finance/services/lookup', (_r, _p, { params }) => {
    const defs: FilterDef<BmsService>[] = [
      { name: 'Id', kind: 'int', get: (r) => r.id },
      { name: 'Name', kind: 'text', get: (r) => r.name },
    ];
    // [G] a lookup feeds pickers: active services only (its rows have no isActive to tell).
    const rows = s.services.rows.filter((x) => x.isActive);
    return list(rows, defs, params, (x) => ({ id: x.id, name: x.name, description: x.description }), 'paged');
  });
  route('GET', '/admin/finance/services/:serviceId', (_r, p) => {
    const x = s.services.get(Number(p.serviceId));
    return x ? ok(serviceDto(x, true)) : fail(404, 'Service not found.', failOpts);
  });

  // ---- which contracts carry a service ----
  const relatedFilters: FilterDef<BmsContractService>[] = [
    { name: 'ServiceName', kind: 'text', get: (r) => r.serviceName },
    { name: 'ServiceDescription', kind: 'text', get: (r) => r.serviceDescription },
    { name: 'ContractName', kind: 'text', get: (r) => s.contracts.get(r.contractId)?.contractName },
    { name: 'AccountName', kind: 'text', get: (r) => s.accounts.get(s.contracts.get(r.contractId)?.accountId ?? 0)?.accountName },
    { name: 'EffectiveDateFrom', kind: 'from', get: (r) => r.effectiveDate },
    { name: 'EffectiveDateTo', kind: 'to', get: (r) => r.effectiveDate },
    { name: 'ContractStartDateFrom', kind: 'from', get: (r) => s.contracts.get(r.contractId)?.startDate },
    { name: 'ContractStartDateTo', kind: 'to', get: (r) => s.contracts.get(r.contractId)?.startDate },
    { name: 'ContractEndDateFrom', kind: 'from', get: (r) => s.contracts.get(r.contractId)?.endDate },
    { name: 'ContractEndDateTo', kind: 'to', get: (r) => s.contracts.get(r.contractId)?.endDate },
  ];
  route('POST', '/admin/finance/services/:serviceId/relatedservices/search', (_r, p, { params }) => {
    const id = Number(p.serviceId);
    if (!s.services.get(id)) return fail(404, 'Service not found.', failOpts);
    const rows = s.contractServices.rows.filter((l) => l.serviceId === id && s.contracts.get(l.contractId));
    return list(rows, relatedFilters, params, relatedDto, 'paged');
  });

  // ---- adding services to a recurring services contract ----
  const contractOf = (id: string): BmsContract | EmuResponse => {
    const k = s.contracts.get(Number(id));
    if (!k) return fail(404, 'Contract not found.', failOpts);
    // [G wording] services belong to recurring services contracts only.
    if (k.contractType !== 'Recurring Services') return fail(400, `Contract ${k.contractNumber} is not a recurring services contract.`, failOpts);
    return k;
  };
  /** The business checks of one bound line: [G] wording, rules from the web UI's add-service form. */
  const refusal = (k: BmsContract, m: Bound): string | undefined => {
    const service = s.services.get(m.ServiceId as number);
    if (!service) return `Service ${String(m.ServiceId)} does not exist.`;
    if (!service.isActive) return `Service ${service.name} is inactive.`;
    if ((m.Units as number) < 0) return 'Units cannot be negative.';
    const day = String(m.EffectiveDate).slice(0, 10);
    if (day < k.startDate.slice(0, 10) || day > k.endDate.slice(0, 10)) return "The effective date must fall within the contract's start and end dates.";
    return undefined;
  };
  const settle = (k: BmsContract) => void (k.contractBillingPrice = contractPrice(s, k.id));

  route('POST', ADD_PATH, (req, p, { body, user }) => {
    if (body === null) return problem(415, 'Unsupported Media Type');
    const items = rawJson(req.body);
    const errors: Record<string, string[]> = {};
    if (!Array.isArray(items))
      return invalid({
        $: ["Cannot deserialize the current JSON object into type 'List`1[RecurringServicePostInputDto]' because the type requires a JSON array."],
      });
    const bound = items.map((item, i) => bindObject(item, CONTRACT_SERVICE_INPUT, `[${i}]`, errors).model);
    if (Object.keys(errors).length) return invalid(errors);
    const k = contractOf(p.contractId ?? '');
    if (!('id' in k)) return k;
    if (!bound.length) return fail(400, 'At least one service is required.', failOpts);
    for (const m of bound) {
      const why = refusal(k, m);
      if (why) return fail(400, why, failOpts);
    }
    // [G] a service already on the contract gets a second line: the spec's call only adds.
    const added = bound.map((m) => {
      const service = s.services.get(m.ServiceId as number)!;
      const at = bmsDate(clock.stamp());
      return s.contractServices.insert({
        id: Math.max(s.contractServices.nextId(), 30101),
        contractId: k.id,
        serviceId: service.id,
        serviceName: (m.ServiceName as string | null) ?? service.name,
        serviceDescription: (m.ServiceDescription as string | null) ?? service.description,
        units: m.Units as number,
        unitCost: m.UnitCost as number,
        unitPrice: m.UnitPrice as number,
        effectiveDate: m.EffectiveDate as string,
        sortOrder: m.SortOrder as number,
        history: [],
        createdBy: user.userId,
        createdOn: at,
        modifiedBy: user.userId,
        modifiedOn: at,
      });
    });
    settle(k);
    return ok(lineDto(added[0]!));
  });

  if (!d.updates) return;
  // ---- [G] changing a service already on the contract: not in the spec ----
  const lineOf = (contractId: string, id: string): BmsContractService | EmuResponse => {
    const l = s.contractServices.get(Number(id));
    return l && l.contractId === Number(contractId) && s.contracts.get(l.contractId) ? l : fail(404, 'Contract service not found.', failOpts);
  };
  const apply = (l: BmsContractService, changes: Partial<Record<string, number | string | null>>, userId: number): EmuResponse => {
    const k = s.contracts.get(l.contractId)!;
    const next = { ...l, ...Object.fromEntries(Object.entries(changes).map(([name, value]) => [name[0]!.toLowerCase() + name.slice(1), value])) };
    const why = refusal(k, { ServiceId: l.serviceId, Units: next.units, EffectiveDate: next.effectiveDate });
    if (why) return fail(400, why, failOpts);
    if (next.units !== l.units) l.history.push({ units: l.units, until: today(), by: userId });
    Object.assign(l, { units: next.units, unitCost: next.unitCost, unitPrice: next.unitPrice, effectiveDate: next.effectiveDate, sortOrder: next.sortOrder });
    if (typeof next.serviceName === 'string') l.serviceName = next.serviceName;
    if (changes.ServiceDescription !== undefined) l.serviceDescription = next.serviceDescription;
    l.modifiedBy = userId;
    l.modifiedOn = bmsDate(clock.stamp());
    settle(k);
    return ok(lineDto(l));
  };
  route('PATCH', `${ADD_PATH}/:contractServiceId`, (req, p, { body, user }) => {
    if (body === null) return problem(415, 'Unsupported Media Type');
    const errors: Record<string, string[]> = {};
    const ops = bindPatch(rawJson(req.body), CONTRACT_SERVICE_INPUT, errors);
    if (Object.keys(errors).length) return invalid(errors);
    const l = lineOf(p.contractId ?? '', p.contractServiceId ?? '');
    if (!('id' in l)) return l;
    if (ops.some((op) => op.name === 'ServiceId')) return fail(400, 'The service of a contract line cannot be changed.', failOpts);
    return apply(l, Object.fromEntries(ops.map((op) => [op.name, op.value])), user.userId);
  });
  route('PUT', `${ADD_PATH}/:contractServiceId`, (req, p, { body, user }) => {
    if (body === null) return problem(415, 'Unsupported Media Type');
    const errors: Record<string, string[]> = {};
    const { model, present } = bindObject(rawJson(req.body), CONTRACT_SERVICE_INPUT, '', errors);
    if (Object.keys(errors).length) return invalid(errors);
    const l = lineOf(p.contractId ?? '', p.contractServiceId ?? '');
    if (!('id' in l)) return l;
    if (present.has('ServiceId') && model.ServiceId !== l.serviceId) return fail(400, 'The service of a contract line cannot be changed.', failOpts);
    // [G] a PUT of the same DTO replaces what it names; what it leaves out stays.
    return apply(l, Object.fromEntries([...present].filter((name) => name !== 'ServiceId').map((name) => [name, model[name] ?? null])), user.userId);
  });
}
