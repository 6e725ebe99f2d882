import { PsaError } from '../errors';
import type { CreatedTicket, TicketDraft, TicketFormChoices, TicketRequestPreview, TicketWriter } from '../ticket-writer';
import { parseEach } from '../values';
import type { BmsClient } from './client';
import { BMS_TICKET_FIELDS, BMS_TICKET_SOURCES, readBmsTicketForm } from './ticket-form';
import { bmsCreatedTicketSchema, bmsTicketRowSchema, problemDetailsSchema } from './ticket-schemas';
import { errorMessage } from './wire';

/**
 * Creating a ticket in Kaseya BMS (docs/psa/kaseya-bms.md#creating-tickets):
 * `POST /v2/servicedesk/tickets` with a `TicketInputDto` in camelCase, as CIPP sends it.
 */
export const BMS_TICKETS_PATH = 'v2/servicedesk/tickets';

export const QUEUE_OR_ASSIGNEE = 'Kaseya BMS needs a queue, an assignee, or both.';

/** `TicketInputDto` id property of each draft field (and of the draft's own ids, for refusals). */
const BODY_PROPERTY: Record<string, string> = {
  location: 'locationId',
  queue: 'queueId',
  assignee: 'assigneeId',
  status: 'statusId',
  priority: 'priorityId',
  type: 'typeId',
  issueType: 'issueTypeId',
  contract: 'contractId',
  source: 'sourceId',
};
const DRAFT_PROPERTY: Record<string, string> = {
  title: 'title',
  details: 'details',
  company: 'accountId',
  contact: 'contactId',
  configuration: 'hardwareAssetId',
  openDate: 'openDate',
};
/** Lower-cased `TicketInputDto` property → Sidecar's key, to name the field of a refusal. */
const KEY_OF_PROPERTY = new Map(Object.entries({ ...BODY_PROPERTY, ...DRAFT_PROPERTY }).map(([key, property]) => [property.toLowerCase(), key]));

const MAX_INT32 = 2_147_483_647;
const isId = (value: string) => /^\d{1,10}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_INT32;
const filled = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';
const label = (key: string) => (BMS_TICKET_FIELDS.find((field) => field.key === key)?.label ?? key).toLowerCase();

/** The checks that need no lists: what BMS would refuse, and the ids it could not read. */
function checkDraft(draft: TicketDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.title.trim()) errors.title = 'Kaseya BMS needs a title.';
  if (!draft.details.trim()) errors.details = 'Kaseya BMS needs the details.';
  if (!isId(draft.companyRemoteId)) errors.company = `"${draft.companyRemoteId}" is not a Kaseya BMS account id.`;
  if (filled(draft.contactRemoteId) && !isId(draft.contactRemoteId)) errors.contact = `"${draft.contactRemoteId}" is not a Kaseya BMS contact id.`;
  const asset = draft.configurationRemoteIds[0];
  if (filled(asset) && !isId(asset)) errors.configuration = `"${asset}" is not a Kaseya BMS hardware asset id.`;
  if (Number.isNaN(Date.parse(draft.openDate))) errors.openDate = `"${draft.openDate}" is not a date Kaseya BMS can take as the open date.`;
  for (const field of BMS_TICKET_FIELDS) {
    const value = draft.fields[field.key];
    if (!filled(value)) {
      if (field.required) errors[field.key] = `Kaseya BMS needs a ${label(field.key)}.`;
      continue;
    }
    // Sources are the system list 0–9, where 0 (Client Portal) is a real id; every other id starts at 1.
    const valid = field.key === 'source' ? /^\d+$/.test(value.trim()) && Number(value) < BMS_TICKET_SOURCES.length : isId(value.trim());
    if (!valid) errors[field.key] = `"${value}" is not a Kaseya BMS ${label(field.key)}.`;
  }
  if (!filled(draft.fields.queue) && !filled(draft.fields.assignee)) errors.queue ??= QUEUE_OR_ASSIGNEE;
  return errors;
}

/** Ids the lists no longer hold (a default or rule saved before the PSA changed): refused with the field. */
function checkChoices(draft: TicketDraft, form: TicketFormChoices): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    const value = draft.fields[field.key]?.trim();
    const choices = form.choices[field.key];
    if (field.source !== 'psa' || !value || !choices?.length) continue;
    if (!choices.some((choice) => choice.id === value)) errors[field.key] = `Kaseya BMS has no ${label(field.key)} with id ${value} (any more): pick another.`;
  }
  return errors;
}

const NEEDS_RIGHT = "the API user's security role needs Service Desk › Tickets, View and Modify";

/** The field a refusal's message is about: a form field's label, else the draft's own records. */
function fieldIn(message: string): string | undefined {
  const lower = message.toLowerCase();
  if (/queue|assignee/.test(lower) && !/location/.test(lower)) return 'queue';
  const named = BMS_TICKET_FIELDS.find((spec) => lower.includes(spec.label.toLowerCase()))?.key;
  if (named) return named;
  if (lower.includes('contact')) return 'contact';
  if (lower.includes('asset')) return 'configuration';
  return lower.includes('account') ? 'company' : undefined;
}

/** What BMS said when it refused the ticket, with the field it is about when it names one. */
function refusedTicket(status: number, body: unknown): PsaError | undefined {
  const message = errorMessage(body);
  if (status === 403 || (message && /access|permission|denied|authori/i.test(message))) {
    return new PsaError('permission', `Kaseya BMS refused to create the ticket${status === 200 ? '' : ` (${status})`}: ${NEEDS_RIGHT}.`, { status });
  }
  if (![200, 400, 409, 422].includes(status)) return undefined;
  const problem = problemDetailsSchema.safeParse(body);
  const errors = problem.success ? Object.entries(problem.data.errors ?? {}) : [];
  if (errors.length) {
    // Model binding names the property (`Title`, or `$.accountId` for a value of the wrong type).
    const keys = errors.map(([property]) => KEY_OF_PROPERTY.get(property.replace(/^\$\./, '').toLowerCase())).filter(Boolean);
    const said = errors.flatMap(([, messages]) => messages).join(' ');
    return new PsaError('config', `Kaseya BMS refused the ticket: ${said}`, { status, ...(keys[0] ? { field: keys[0] } : {}) });
  }
  if (!message) {
    // A 4xx to a create is a refusal, never worth sending again as it is.
    const title = problem.success ? problem.data.title : undefined;
    return status === 200 ? undefined : new PsaError('config', `Kaseya BMS refused the ticket (HTTP ${status})${title ? `: ${title}` : '.'}`, { status });
  }
  const field = fieldIn(message);
  return new PsaError('config', `Kaseya BMS refused the ticket: ${message}`, { status, ...(field ? { field } : {}) });
}

export class BmsTicketWriter implements TicketWriter {
  constructor(private readonly client: BmsClient) {}

  formChoices(): Promise<TicketFormChoices> {
    return readBmsTicketForm(this.client);
  }

  validate(draft: TicketDraft, form: TicketFormChoices): Record<string, string> {
    return { ...checkChoices(draft, form), ...checkDraft(draft) };
  }

  preview(draft: TicketDraft): TicketRequestPreview {
    const asNumber = (value: string) => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : value);
    const ids: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(BODY_PROPERTY)) {
      const value = draft.fields[key];
      if (filled(value)) ids[property] = asNumber(value);
    }
    const asset = draft.configurationRemoteIds[0];
    // Key order of TicketInputDto; fields the draft leaves out are not sent (BMS applies its own defaults).
    const body = {
      title: draft.title.trim(),
      details: draft.details,
      accountId: asNumber(draft.companyRemoteId),
      locationId: ids.locationId,
      ...(filled(draft.contactRemoteId) ? { contactId: asNumber(draft.contactRemoteId) } : {}),
      ...(filled(asset) ? { hardwareAssetId: asNumber(asset) } : {}),
      ...(ids.queueId !== undefined ? { queueId: ids.queueId } : {}),
      statusId: ids.statusId,
      priorityId: ids.priorityId,
      typeId: ids.typeId,
      ...(ids.issueTypeId !== undefined ? { issueTypeId: ids.issueTypeId } : {}),
      ...(ids.contractId !== undefined ? { contractId: ids.contractId } : {}),
      ...(ids.assigneeId !== undefined ? { assigneeId: ids.assigneeId } : {}),
      sourceId: ids.sourceId,
      openDate: draft.openDate,
    };
    return { method: 'POST', path: BMS_TICKETS_PATH, body };
  }

  async create(draft: TicketDraft): Promise<CreatedTicket> {
    // The caller validated with the lists; the list-free checks run again so nothing BMS cannot read is sent.
    const [field, message] = Object.entries(checkDraft(draft))[0] ?? [];
    if (field && message) throw new PsaError('config', message, { field });
    const { path, body } = this.preview(draft);
    const envelope = await this.client.post(path, body, refusedTicket);
    const created = bmsCreatedTicketSchema.safeParse(envelope.result);
    // 'bad-response' may be retried: the caller looks for the ticket by its marker first.
    if (!created.success) throw new PsaError('bad-response', 'Kaseya BMS answered the new ticket without its id.');
    return { ticketId: String(created.data.id), ...(created.data.ticketNumber ? { ticketNumber: created.data.ticketNumber } : {}) };
  }

  /**
   * The ticket list filtered by `Filter.Details` (the marker) and `Filter.AccountIds` (the
   * company); each row is checked again here, so a server that ignored or loosened a filter
   * cannot hand back another ticket. The oldest match wins (the first attempt's).
   */
  async findByMarker(draft: TicketDraft): Promise<CreatedTicket | null> {
    const marker = draft.marker.trim();
    if (!marker || !isId(draft.companyRemoteId)) return null;
    const envelope = await this.client.get(BMS_TICKETS_PATH, {
      'Filter.Details': marker,
      'Filter.AccountIds': draft.companyRemoteId,
      PageSize: 25,
      PageNumber: 1,
    });
    if (!Array.isArray(envelope.result)) throw new PsaError('bad-response', 'Kaseya BMS sent something other than a list of tickets.');
    const account = Number(draft.companyRemoteId);
    const match = parseEach(envelope.result as unknown[], bmsTicketRowSchema)
      // The marker as sent: BMS may wrap details in HTML (its web editor's), which leaves a plain token intact.
      .rows.filter((row) => row.accountId === account && (row.details ?? '').includes(marker))
      .sort((a, b) => a.id - b.id)[0];
    return match ? { ticketId: String(match.id), ...(match.ticketNumber ? { ticketNumber: match.ticketNumber } : {}) } : null;
  }
}
