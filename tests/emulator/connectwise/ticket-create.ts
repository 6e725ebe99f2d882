import type { Router } from '../framework/router.ts';
import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { authorize } from './auth.ts';
import type { CwCredentialSets } from './auth.ts';
import { cwError, cwJson } from './errors.ts';
import type { CwErrorItem } from './errors.ts';
import { memberRef } from './service-setup.ts';
import type { Serializer } from './serialize.ts';
import { contactName } from './store.ts';
import type { CwRecord, CwStore, Table } from './store.ts';

/**
 * `POST /service/tickets` and `POST /service/tickets/{id}/configurations`
 * (docs/psa/connectwise.md#creating-tickets). Property names are matched case-insensitively, as
 * ConnectWise's .NET JSON reader does; unknown properties are ignored. References are `{id}`
 * (the company also `{identifier}`, board/status/type/priority/source also `{name}`, the owner
 * also `{identifier}`). Every problem of the body is reported at once in `errors[]`.
 */

export interface TicketWriteDeps {
  store: CwStore;
  serializer: Serializer;
  /** ISO instant for `_info` (the emulator clock: after every earlier stamp). */
  stamp(): string;
  /** Drops cached list results after a write. */
  changed(): void;
}

type Obj = Record<string, unknown>;

export const SUMMARY_MAX = 100;
export const EXTERNAL_XREF_MAX = 100;

/** Case-insensitive property read. */
export function prop(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : (obj as Obj)[key];
}

/** An int id as .NET reads it: a number or a numeric string. */
export function intOf(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

const missing = (field: string, message = `${field} is required.`): CwErrorItem => ({ code: 'MissingRequiredField', message, resource: 'ticket', field });
// [INFER] No real answer for an unknown reference or an over-long value was found; ConnectWise's
// observed codes are MissingRequiredField and ObjectExists, so these follow the same shape.
const invalid = (field: string, message: string): CwErrorItem => ({ code: 'InvalidField', message, resource: 'ticket', field });

/**
 * Resolve a `{id}` / `{name}` / `{identifier}` reference against a list of rows. `undefined`:
 * the body does not name one; `null`: it names one that is not in `rows`.
 */
function lookup(ref: unknown, rows: readonly CwRecord[], byText: readonly string[]): CwRecord | null | undefined {
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref !== 'object') return null;
  const id = intOf(prop(ref, 'id'));
  if (id !== undefined) return rows.find((r) => r.id === id) ?? null;
  for (const key of byText) {
    const text = prop(ref, key);
    if (typeof text === 'string' && text.trim()) return rows.find((r) => String(r[key] ?? '').toLowerCase() === text.trim().toLowerCase()) ?? null;
  }
  return prop(ref, 'id') === undefined && byText.every((k) => prop(ref, k) === undefined) ? undefined : null;
}

export function postTicket(deps: TicketWriteDeps, body: unknown, api: string): EmuResponse {
  const { store } = deps;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return cwError(400, 'InvalidObject', 'ticket object is invalid', [missing('summary'), missing('company')]);
  const errors: CwErrorItem[] = [];

  const summaryRaw = prop(body, 'summary');
  const summary = typeof summaryRaw === 'string' ? summaryRaw.trim() : '';
  if (!summary) errors.push(missing('summary'));
  else if (summary.length > SUMMARY_MAX) errors.push(invalid('summary', `summary cannot be longer than ${SUMMARY_MAX} characters.`));

  const companyRef = prop(body, 'company');
  const company = lookup(companyRef, store.companies.rows, ['identifier']);
  if (company === undefined) errors.push(missing('company'));
  else if (company === null) errors.push(invalid('company', 'company was not found.'));

  // [INFER] A real server may put a ticket without a board on a default board; this one has none
  // configured, so the board is required (Sidecar always sends one).
  const board = lookup(prop(body, 'board'), store.boards.rows, ['name']);
  if (board === undefined) errors.push(missing('board'));
  else if (board === null) errors.push(invalid('board', 'board was not found.'));
  else if (board.inactiveFlag) errors.push(invalid('board', `board ${String(board.name)} is inactive.`));

  const activeOnBoard = (t: Table, flag: string) => (board ? t.children(board.id).filter((r) => !r[flag]) : []);
  const status = board ? lookup(prop(body, 'status'), activeOnBoard(store.boardStatuses, 'inactive'), ['name']) : undefined;
  if (status === null) errors.push(invalid('status', `status is not a status of board ${String(board?.name)}.`));
  const type = board ? lookup(prop(body, 'type'), activeOnBoard(store.boardTypes, 'inactiveFlag'), ['name']) : undefined;
  if (type === null) errors.push(invalid('type', `type is not a type of board ${String(board?.name)}.`));
  const priority = lookup(prop(body, 'priority'), store.priorities.rows, ['name']);
  if (priority === null) errors.push(invalid('priority', 'priority was not found.'));
  const source = lookup(prop(body, 'source'), store.sources.rows, ['name']);
  if (source === null) errors.push(invalid('source', 'source was not found.'));
  const owner = lookup(
    prop(body, 'owner'),
    store.members.rows.filter((m) => !m.inactiveFlag),
    ['identifier'],
  );
  if (owner === null) errors.push(invalid('owner', 'owner was not found or is inactive.'));
  const contact = lookup(prop(body, 'contact'), store.contacts.rows, []);
  if (contact === null) errors.push(invalid('contact', 'contact was not found.'));

  const xrefRaw = prop(body, 'externalXRef');
  const externalXRef = typeof xrefRaw === 'string' ? xrefRaw : undefined;
  if (externalXRef !== undefined && externalXRef.length > EXTERNAL_XREF_MAX)
    errors.push(invalid('externalXRef', `externalXRef cannot be longer than ${EXTERNAL_XREF_MAX} characters.`));
  const description = prop(body, 'initialDescription');

  if (errors.length || !company || !board) return cwError(400, 'InvalidObject', 'ticket object is invalid', errors);

  // Defaults as ConnectWise fills them: the board's default status, the default priority.
  const boardStatuses = store.boardStatuses.children(board.id).filter((r) => !r.inactive);
  const finalStatus = status ?? boardStatuses.find((r) => r.defaultFlag) ?? boardStatuses[0];
  const finalPriority = priority ?? store.priorities.rows.find((r) => r.defaultFlag);
  // Service and project tickets share one number space.
  const id = Math.max(store.tickets.nextId(), store.projectTickets.nextId());
  const now = deps.stamp();
  const phone = contact?.defaultPhoneNbr;
  const email = (contact?.communicationItems as { communicationType?: string; value?: string }[] | undefined)?.find(
    (c) => c.communicationType === 'Email',
  )?.value;
  const row = store.tickets.insert({
    id,
    summary,
    recordType: 'ServiceTicket',
    board: store.namedRef('board', board),
    status: finalStatus ? { id: finalStatus.id, name: finalStatus.name as string, Sort: finalStatus.sortOrder as number } : undefined,
    company: store.companyRef(company),
    site: company.site,
    siteName: (company.site as { name?: string } | undefined)?.name,
    contact: contact ? store.contactRef(contact) : undefined,
    contactName: contact ? contactName(contact) : undefined,
    contactPhoneNumber: phone,
    contactEmailAddress: email,
    type: type ? store.namedRef('boardType', type) : undefined,
    priority: finalPriority
      ? { id: finalPriority.id, name: finalPriority.name as string, sort: finalPriority.sortOrder as number, level: finalPriority.level as string }
      : undefined,
    source: source ? store.namedRef('source', source) : undefined,
    owner: owner ? memberRef(store, owner) : undefined,
    severity: 'Medium',
    impact: 'Medium',
    externalXRef,
    closedFlag: Boolean(finalStatus?.closedStatus),
    billingMethod: 'ActualRates',
    mobileGuid: crypto.randomUUID(),
    _info: { lastUpdated: now, updatedBy: 'SidecarAPI', dateEntered: now, enteredBy: 'SidecarAPI' },
  });
  if (typeof description === 'string' && description) store.initialDescriptions.set(id, description);
  deps.changed();
  return cwJson(201, deps.serializer.toWire('ticket', row, api));
}

/** Attach one configuration (`ConfigurationReference`: `{id}` or `{deviceIdentifier}`) to a service ticket. */
export function postTicketConfiguration(deps: TicketWriteDeps, ticketId: number, body: unknown, api: string): EmuResponse {
  const { store } = deps;
  if (!store.tickets.get(ticketId)) return cwError(404, 'NotFound', `Ticket ${ticketId} not found`);
  const id = intOf(prop(body, 'id'));
  const device = prop(body, 'deviceIdentifier');
  const err = (code: string, message: string) =>
    cwError(400, 'InvalidObject', 'configuration object is invalid', [{ code, message, resource: 'configuration', field: 'id' }]);
  // Observed answer for a body with neither (christaylorcodes/ConnectWiseManageAPI issue #30).
  if (id === undefined && !(typeof device === 'string' && device)) return err('MissingRequiredField', 'id or deviceIdentifier is required.');
  const config = id !== undefined ? store.configurations.get(id) : store.configurations.rows.find((c) => c.deviceIdentifier === device);
  if (!config) return err('InvalidField', 'configuration was not found.'); // [INFER] wording
  const linked = store.ticketConfigurations.get(ticketId) ?? [];
  if (linked.includes(config.id)) return err('ObjectExists', 'configuration is already attached to this ticket.'); // [INFER]
  store.ticketConfigurations.set(
    ticketId,
    [...linked, config.id].sort((a, b) => a - b),
  );
  deps.changed();
  return cwJson(201, {
    id: config.id,
    ...(config.deviceIdentifier ? { deviceIdentifier: config.deviceIdentifier } : {}),
    _info: { configuration_href: `${api}/company/configurations/${config.id}` },
  });
}

export function bodyOf(req: EmuRequest): { ok: true; body: unknown } | { ok: false; response: EmuResponse } {
  try {
    return { ok: true, body: req.body ? (JSON.parse(req.body) as unknown) : undefined };
  } catch {
    return { ok: false, response: cwError(400, 'InvalidObject', 'The request body is not valid JSON.') };
  }
}

/** The two write routes, behind the same Service Tickets module check as the ticket reads. */
export function addTicketWrites<C extends { member: keyof CwCredentialSets; api: string }>(router: Router<C>, deps: TicketWriteDeps): void {
  router.add('POST', '/service/tickets', (req, _params, ctx) => {
    const denied = authorize(ctx.member, 'Service Tickets');
    if (denied) return denied;
    const parsed = bodyOf(req);
    return parsed.ok ? postTicket(deps, parsed.body, ctx.api) : parsed.response;
  });
  router.add('POST', '/service/tickets/:id/configurations', (req, params, ctx) => {
    const denied = authorize(ctx.member, 'Service Tickets');
    if (denied) return denied;
    const parsed = bodyOf(req);
    return parsed.ok ? postTicketConfiguration(deps, Number(params.id), parsed.body, ctx.api) : parsed.response;
  });
}
