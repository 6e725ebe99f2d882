import type { BmsUser } from './auth.ts';
import { EMPLOYEES, ISSUE_TYPES, PRIORITIES, QUEUES, SLAS, SOURCES, STATUSES, TICKET_TYPES, WORK_TYPES } from './lookups.ts';
import type { BmsMutator } from './mutations.ts';
import type { Serializer } from './serialize.ts';
import type { BmsStore, BmsTicket } from './store.ts';
import type { EmuResponse } from '../framework/types.ts';
import { bmsDate, fail, ok, parseBmsDate, problem } from './wire.ts';

/**
 * `POST /v2/servicedesk/tickets` (docs/psa/kaseya-bms.md#creating-tickets): a `TicketInputDto`
 * bound the ASP.NET way (property names in any casing, unknown ones ignored, numbers also as
 * numeric strings like Newtonsoft), then the business checks, then the stored ticket answered as
 * a `TicketOutputDto` in the envelope. Binding failures: 400 problem+json keyed by property
 * [G]; business failures: the envelope with `success:false` [G wording].
 */

type Kind = 'string' | 'id' | 'int' | 'date' | 'bool' | 'array';

/** TicketInputDto as the spec declares it: name, binding kind, required. */
const PROPERTIES: readonly (readonly [string, Kind, boolean])[] = [
  ['Title', 'string', true],
  ['Details', 'string', true],
  ['AccountId', 'id', true],
  ['LocationId', 'id', true],
  ['ContactId', 'id', false],
  ['SoftwareAssetId', 'id', false],
  ['HardwareAssetId', 'id', false],
  ['QueueId', 'id', false],
  ['StatusId', 'id', true],
  ['PriorityId', 'id', true],
  ['TypeId', 'id', true],
  ['IssueTypeId', 'id', false],
  ['SubIssueTypeId', 'id', false],
  ['ContractId', 'id', false],
  ['AssigneeId', 'id', false],
  ['WorkTypeId', 'id', false],
  // The only id without the spec's 1…int32 range: sources start at 0 (Client Portal).
  ['SourceId', 'int', true],
  ['SLAId', 'id', false],
  ['OpenDate', 'date', true],
  ['DueDate', 'date', false],
  ['SecondaryAssignees', 'array', false],
  ['Ccs', 'array', false],
  ['TempAttachments', 'array', false],
  ['CustomFieldsData', 'array', false],
  ['UseDefaultContract', 'bool', false],
];

const MAX_INT32 = 2_147_483_647;
type Bound = Record<string, string | number | boolean | unknown[] | null>;

/** Model binding: the bound values by spec name, or the problem+json errors keyed like ASP.NET. */
function bind(body: Record<string, unknown>): { model: Bound } | { errors: Record<string, string[]> } {
  const sent = new Map(Object.entries(body).map(([key, value]) => [key.toLowerCase(), { key, value }]));
  const model: Bound = {};
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  for (const [name, kind, required] of PROPERTIES) {
    const entry = sent.get(name.toLowerCase());
    const value = entry?.value;
    if (value === undefined || value === null || (kind === 'string' && typeof value === 'string' && !value.trim())) {
      if (required) add(name, `The ${name} field is required.`);
      model[name] = null;
      continue;
    }
    const path = entry!.key;
    switch (kind) {
      case 'string':
        if (typeof value === 'object') add(path, `Unexpected character encountered while parsing value. Path '${path}'.`);
        else model[name] = String(value);
        break;
      case 'id':
      case 'int': {
        const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
        if (!Number.isInteger(n)) add(path, `Could not convert ${typeof value} to integer: ${String(value)}. Path '${path}'.`);
        else if (kind === 'id' && (n < 1 || n > MAX_INT32)) add(name, `The field ${name} must be between 1 and ${MAX_INT32}.`);
        else model[name] = n;
        break;
      }
      case 'date': {
        const t = typeof value === 'string' ? parseBmsDate(value) : NaN;
        if (Number.isNaN(t)) add(path, `Could not convert string to DateTime: ${String(value)}. Path '${path}'.`);
        else model[name] = bmsDate(t);
        break;
      }
      case 'bool':
        if (typeof value === 'boolean') model[name] = value;
        else if (/^(true|false)$/i.test(String(value))) model[name] = /^true$/i.test(String(value));
        else add(path, `Could not convert string to boolean: ${String(value)}. Path '${path}'.`);
        break;
      case 'array':
        if (Array.isArray(value)) model[name] = value;
        else add(path, `Cannot deserialize the current JSON value into type 'List'. Path '${path}'.`);
        break;
    }
  }
  return Object.keys(errors).length ? { errors } : { model };
}

export interface CreateTicketContext {
  store: BmsStore;
  mutator: BmsMutator;
  ser: Serializer;
  user: BmsUser;
  /** Business failures as HTTP 200 + success:false (the spec's reading) instead of 400. */
  asHttp200: boolean;
}

export function createTicket(body: Record<string, unknown> | null, c: CreateTicketContext): EmuResponse {
  // ASP.NET answers a body it has no formatter for (form posts, text/plain) with 415.
  if (body === null) return problem(415, 'Unsupported Media Type');
  const bound = bind(body);
  if ('errors' in bound) return problem(400, 'One or more validation errors occurred.', bound.errors);
  const m = bound.model;
  const s = c.store;
  const refuse = (message: string) => fail(400, message, { asHttp200: c.asHttp200 });
  const id = (name: string) => m[name] as number | null;

  const accountId = id('AccountId') as number;
  const account = s.accounts.get(accountId);
  if (!account) return refuse(`Account ${accountId} does not exist.`);
  const belongs = (what: string, row: { accountId: number } | undefined, value: number | null) =>
    value === null || row?.accountId === accountId ? null : `${what} ${value} does not belong to account ${accountId}.`;
  const contractId = id('ContractId');
  const ownership =
    belongs('Location', s.locations.get(id('LocationId') as number), id('LocationId')) ??
    belongs('Contact', id('ContactId') === null ? undefined : s.contacts.get(id('ContactId')!), id('ContactId')) ??
    belongs('Hardware asset', id('HardwareAssetId') === null ? undefined : s.assets.get(id('HardwareAssetId')!), id('HardwareAssetId')) ??
    belongs('Contract', contractId === null ? undefined : s.contracts.get(contractId), contractId);
  if (ownership) return refuse(ownership);

  const known: [string, string, readonly { id: number }[]][] = [
    ['StatusId', 'Status', STATUSES],
    ['PriorityId', 'Priority', PRIORITIES],
    ['TypeId', 'Ticket type', TICKET_TYPES],
    ['IssueTypeId', 'Issue type', ISSUE_TYPES],
    ['QueueId', 'Queue', QUEUES],
    ['AssigneeId', 'Assignee', EMPLOYEES],
    ['WorkTypeId', 'Work type', WORK_TYPES],
    ['SLAId', 'SLA', SLAS],
  ];
  for (const [name, what, list] of known) {
    const value = id(name);
    if (value !== null && !list.some((row) => row.id === value)) return refuse(`${what} ${value} does not exist.`);
  }
  const sourceId = id('SourceId') as number;
  if (!SOURCES[sourceId]) return refuse(`Ticket source ${sourceId} does not exist.`);
  // Not in the spec; every integrator enforces it (Helpdesk Buttons, openclaw-bms).
  if (id('QueueId') === null && id('AssigneeId') === null) return refuse('Either a queue or an assignee is required.');

  const contract =
    contractId !== null
      ? s.contracts.get(contractId)
      : m.UseDefaultContract === true
        ? s.contracts.children(accountId).find((k) => k.isDefault && k.status === 'Active')
        : undefined;
  const priority = PRIORITIES.find((p) => p.id === id('PriorityId'))!;
  const status = STATUSES.find((x) => x.id === id('StatusId'))!;
  const open = parseBmsDate(m.OpenDate as string);
  const hours = (h: number) => bmsDate(open + h * 3_600_000);
  const row = c.mutator.add('ticket', {
    accountId,
    createdBy: c.user.userId,
    modifiedBy: c.user.userId,
    title: (m.Title as string).trim(),
    details: m.Details as string,
    locationId: id('LocationId'),
    contactId: id('ContactId'),
    hardwareAssetId: id('HardwareAssetId'),
    statusId: status.id,
    priorityId: priority.id,
    typeId: id('TypeId'),
    issueTypeId: id('IssueTypeId'),
    queueId: id('QueueId'),
    assigneeId: id('AssigneeId'),
    contractId: contract?.id ?? null,
    workTypeId: id('WorkTypeId'),
    sourceId,
    slaId: id('SLAId') ?? contract?.slaId ?? SLAS.find((x) => x.isDefault)?.id ?? null,
    openDate: m.OpenDate,
    dueDate: m.DueDate,
    firstResponseTargetTime: hours(priority.responseHours),
    resolutionTargetTime: hours(priority.resolveHours),
  }) as BmsTicket;
  if (status.completed) row.completedDate = row.createdOn;
  return ok(c.ser.ticket(row));
}

/** `GET /v2/system/lookup/{tableName}` [G: table names beyond ContactType are unconfirmed]. */
export function systemLookup(tableName: string, asHttp200: boolean): EmuResponse {
  const rows = (list: readonly { id: number; name: string }[], defaultId?: number) =>
    ok(list.map((x) => ({ id: x.id, name: x.name, isDefault: x.id === defaultId, isActive: true })));
  switch (tableName.toLowerCase()) {
    case 'tickettype':
      return rows(TICKET_TYPES, TICKET_TYPES[0].id);
    case 'ticketsource':
      return rows(SOURCES.map((name, i) => ({ id: i, name })));
    case 'contacttype':
      return rows(
        ['Decision Maker', 'End User', 'Billing', 'Technical'].map((name, i) => ({ id: 1 + i, name })),
        2,
      );
    default:
      return fail(400, `Lookup table '${tableName}' does not exist.`, { asHttp200 });
  }
}
