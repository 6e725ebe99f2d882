import type { Router } from '../framework/router.ts';
import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { authorize } from './auth.ts';
import type { CwCredentialSets } from './auth.ts';
import { buildAddition, priceAddition } from './billing-data.ts';
import { cwError, cwJson } from './errors.ts';
import type { CwErrorItem } from './errors.ts';
import type { Serializer } from './serialize.ts';
import type { CwRecord, CwStore } from './store.ts';
import { bodyOf, intOf, prop } from './ticket-create.ts';

/**
 * Writing agreement additions (docs/psa/connectwise.md#billing-counts):
 * `POST /finance/agreements/{id}/additions`, `PUT` and `PATCH /finance/agreements/{id}/additions/{additionId}`
 * (paths and the Addition model from the full contract, billing-contract.ts). As for tickets,
 * property names are read case-insensitively, unknown properties are ignored and every problem
 * of a body is reported at once. PATCH takes ConnectWise's operation list
 * `[{op, path, value}]`; its paths name a property exactly (the guide: paths are case-sensitive),
 * with or without a leading `/` (a public runbook sends `/quantity`).
 */

export interface BillingWriteDeps {
  store: CwStore;
  serializer: Serializer;
  /** ISO instant for `_info` (the emulator clock). */
  stamp(): string;
  changed(): void;
}

type Kind = 'number' | 'date' | 'bool' | 'billCustomer' | 'text';

/** What a write may set. The rest (ids, extended amounts, status) ConnectWise derives. */
const WRITABLE: Record<string, Kind> = {
  quantity: 'number',
  lessIncluded: 'number',
  unitPrice: 'number',
  unitCost: 'number',
  billCustomer: 'billCustomer',
  effectiveDate: 'date',
  cancelledDate: 'date',
  taxableFlag: 'bool',
  description: 'text',
  invoiceDescription: 'text',
  serialNumber: 'text',
};
const MAX_LENGTH: Record<string, number> = { serialNumber: 50, invoiceDescription: 6000 };
const BILL_CUSTOMER = ['Billable', 'DoNotBill', 'NoCharge'];

// [INFER] Codes and wording of a refused addition: no real answer was found; they follow the
// observed ticket answers (MissingRequiredField; InvalidField for the rest).
const problem = (field: string, code: string, message: string): CwErrorItem => ({ code, message, resource: 'addition', field });
const refused = (errors: CwErrorItem[]): EmuResponse => cwError(400, 'InvalidObject', 'addition object is invalid', errors);

type Read = { value: unknown } | { error: CwErrorItem };

/** One property value as .NET would bind it (numbers also from numeric strings); null clears it. */
function read(field: string, kind: Kind, raw: unknown): Read {
  if (raw === null) return field === 'billCustomer' ? { error: problem(field, 'MissingRequiredField', 'billCustomer is required.') } : { value: undefined };
  const invalid = (what: string): Read => ({ error: problem(field, 'InvalidField', `${field} ${what}.`) });
  switch (kind) {
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : invalid('must be a number');
    }
    case 'date': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? invalid('must be a date') : { value: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    }
    case 'bool':
      return typeof raw === 'boolean' ? { value: raw } : invalid('must be true or false');
    case 'billCustomer':
      return typeof raw === 'string' && BILL_CUSTOMER.includes(raw) ? { value: raw } : invalid(`must be one of ${BILL_CUSTOMER.join(', ')}`);
    case 'text':
      if (typeof raw !== 'string') return invalid('must be text');
      return MAX_LENGTH[field] !== undefined && raw.length > (MAX_LENGTH[field] as number)
        ? invalid(`cannot be longer than ${MAX_LENGTH[field]} characters`)
        : { value: raw };
  }
}

/** `IvItemReference`: `{id}` or `{identifier}`; an inactive product cannot be added. [INFER] wording */
function product(store: CwStore, ref: unknown): { row: CwRecord } | { error: CwErrorItem } {
  if (ref === undefined || ref === null) return { error: problem('product', 'MissingRequiredField', 'product is required.') };
  const id = intOf(prop(ref, 'id'));
  const identifier = prop(ref, 'identifier');
  const row =
    id !== undefined
      ? store.catalogItems.get(id)
      : typeof identifier === 'string'
        ? store.catalogItems.rows.find((p) => String(p.identifier).toLowerCase() === identifier.trim().toLowerCase())
        : undefined;
  if (!row) return { error: problem('product', 'InvalidField', 'product was not found.') };
  if (row.inactiveFlag) return { error: problem('product', 'InvalidField', `product ${String(row.identifier)} is inactive.`) };
  return { row };
}

/** A whole Addition (POST, PUT): product and billCustomer are required (the contract's `required`). */
function wholeAddition(store: CwStore, body: unknown, today: string): { product: CwRecord; fields: Record<string, unknown> } | { errors: CwErrorItem[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return {
      errors: [
        problem('product', 'MissingRequiredField', 'product is required.'),
        problem('billCustomer', 'MissingRequiredField', 'billCustomer is required.'),
      ],
    };
  const errors: CwErrorItem[] = [];
  const found = product(store, prop(body, 'product'));
  if ('error' in found) errors.push(found.error);
  const fields: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(WRITABLE)) {
    const raw = prop(body, field);
    if (raw === undefined) continue;
    const value = read(field, kind, raw);
    if ('error' in value) errors.push(value.error);
    else fields[field] = value.value;
  }
  if (prop(body, 'billCustomer') === undefined) errors.push(problem('billCustomer', 'MissingRequiredField', 'billCustomer is required.'));
  if (errors.length || !('row' in found)) return { errors };
  // [INFER] Unsent: one unit, effective today (what the ConnectWise screen proposes).
  return { product: found.row, fields: { quantity: 1, effectiveDate: `${today}T00:00:00Z`, ...fields } };
}

function info(now: string, previous?: Record<string, string>): Record<string, string> {
  return { ...(previous ?? { dateEntered: now, enteredBy: 'SidecarAPI' }), lastUpdated: now, updatedBy: 'SidecarAPI' };
}

type Found = { row: CwRecord; response?: undefined } | { row?: undefined; response: EmuResponse };

function agreementOf(store: CwStore, agreementId: number): Found {
  const row = store.agreements.get(agreementId);
  return row ? { row } : { response: cwError(404, 'NotFound', `Agreement ${agreementId} not found`) };
}

/** The addition, only under its own agreement. */
function additionOf(store: CwStore, agreementId: number, additionId: number): Found {
  const agreement = agreementOf(store, agreementId);
  if (!agreement.row) return agreement;
  const row = store.additions.get(additionId);
  return row && row.agreementId === agreementId ? { row } : { response: cwError(404, 'NotFound', `Addition ${additionId} not found`) };
}

export function postAddition(deps: BillingWriteDeps, agreementId: number, body: unknown, api: string): EmuResponse {
  const { row: agreement, response } = agreementOf(deps.store, agreementId);
  if (!agreement) return response;
  // [INFER] A cancelled agreement takes no new lines (the screen greys them out); wording ours.
  if (agreement.cancelledFlag) return refused([problem('agreementId', 'InvalidField', `Agreement ${agreementId} is cancelled; it cannot take new additions.`)]);
  const now = deps.stamp();
  const whole = wholeAddition(deps.store, body, now.slice(0, 10));
  if ('errors' in whole) return refused(whole.errors);
  const row = deps.store.additions.insert(buildAddition(deps.store, agreement, whole.product, whole.fields, info(now), Date.parse(now)));
  deps.changed();
  return cwJson(201, deps.serializer.toWire('addition', row, api));
}

/** PUT replaces the whole addition: what the body leaves out goes back to its default. */
export function putAddition(deps: BillingWriteDeps, agreementId: number, additionId: number, body: unknown, api: string): EmuResponse {
  const { row, response } = additionOf(deps.store, agreementId, additionId);
  if (!row) return response;
  const now = deps.stamp();
  const whole = wholeAddition(deps.store, body, now.slice(0, 10));
  if ('errors' in whole) return refused(whole.errors);
  const agreement = deps.store.agreements.get(agreementId) as CwRecord;
  const fresh = buildAddition(deps.store, agreement, whole.product, whole.fields, info(now, row._info), Date.parse(now));
  const sequenceNumber = row.sequenceNumber; // the line keeps its place and id
  for (const key of Object.keys(row)) delete row[key];
  Object.assign(row, fresh, { id: additionId, sequenceNumber });
  deps.changed();
  return cwJson(200, deps.serializer.toWire('addition', row, api));
}

/** PATCH: all operations or none; `remove` clears an optional property. */
export function patchAddition(deps: BillingWriteDeps, agreementId: number, additionId: number, body: unknown, api: string): EmuResponse {
  const { row, response } = additionOf(deps.store, agreementId, additionId);
  if (!row) return response;
  // [INFER] wording: the answer to a body that is not an operation list was not found.
  if (!Array.isArray(body) || !body.length) return cwError(400, 'InvalidObject', 'The request body must be a list of patch operations.');
  const errors: CwErrorItem[] = [];
  const changes: Record<string, unknown> = {};
  for (const operation of body) {
    const op = String(prop(operation, 'op') ?? '').toLowerCase();
    const path = String(prop(operation, 'path') ?? '').replace(/^\//, '');
    const kind = WRITABLE[path];
    if (!['add', 'replace', 'remove'].includes(op)) errors.push(problem(path || 'op', 'InvalidField', `op "${op}" is not one of add, replace, remove.`));
    else if (!kind) errors.push(problem(path, 'InvalidField', `${path || '(empty path)'} is not a property of an addition that can be changed.`));
    else {
      const value = read(path, kind, op === 'remove' ? null : prop(operation, 'value'));
      if ('error' in value) errors.push(value.error);
      else changes[path] = value.value;
    }
  }
  if (errors.length) return refused(errors);
  const now = deps.stamp();
  Object.assign(row, changes, { _info: info(now, row._info) });
  priceAddition(row, Date.parse(now));
  deps.changed();
  return cwJson(200, deps.serializer.toWire('addition', row, api));
}

/** The three write routes, behind the Agreements module (the security role's Finance › Agreements). */
export function addBillingWrites<C extends { member: keyof CwCredentialSets; api: string }>(router: Router<C>, deps: BillingWriteDeps): void {
  const route =
    (write: (body: unknown, params: Record<string, string>, api: string) => EmuResponse) => (req: EmuRequest, params: Record<string, string>, ctx: C) => {
      const denied = authorize(ctx.member, 'Agreements');
      if (denied) return denied;
      const parsed = bodyOf(req);
      return parsed.ok ? write(parsed.body, params, ctx.api) : parsed.response;
    };
  const base = '/finance/agreements/:parentId/additions';
  router.add(
    'POST',
    base,
    route((body, p, api) => postAddition(deps, Number(p.parentId), body, api)),
  );
  router.add(
    'PUT',
    `${base}/:id`,
    route((body, p, api) => putAddition(deps, Number(p.parentId), Number(p.id), body, api)),
  );
  router.add(
    'PATCH',
    `${base}/:id`,
    route((body, p, api) => patchAddition(deps, Number(p.parentId), Number(p.id), body, api)),
  );
}
