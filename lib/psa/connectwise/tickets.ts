import { PsaError } from '../errors';
import type { CreatedTicket, TicketDraft, TicketFormChoices, TicketRequestPreview, TicketWriter } from '../ticket-writer';
import type { ConnectwiseClient } from './client';
import { CW_TICKET_FIELDS, loadTicketForm, type CwTicketFieldKey } from './ticket-form';
import { cwAttachedSchema, cwTicketIdSchema, cwTicketIdsSchema, cwValidationErrorSchema } from './ticket-schemas';

/**
 * Creating a service ticket in ConnectWise (docs/psa/connectwise.md#creating-tickets):
 * `POST /service/tickets`, then one `POST /service/tickets/{id}/configurations` per configuration
 * (a Ticket has no configurations property). The draft's marker goes in `externalXRef`, which
 * the API can filter on, so a retry finds what a lost answer created.
 */

/** `Ticket.summary` and `Ticket.externalXRef` are at most 100 characters (contract 2025.8). */
export const CW_SUMMARY_MAX = 100;
export const CW_EXTERNAL_XREF_MAX = 100;

const PATH = 'service/tickets';

/** A created ticket, plus what did not go through after the ticket existed (configurations). */
export interface ConnectwiseCreatedTicket extends CreatedTicket {
  /** For the technician: the ticket exists, but these parts of the draft are missing from it. */
  warnings?: string[];
}

/** ConnectWise's field names in a 400 → the draft's keys, so a refusal lands on the right form field. */
const DRAFT_KEY: Record<string, string> = {
  summary: 'title',
  initialdescription: 'details',
  externalxref: 'marker',
  company: 'company',
  contact: 'contact',
  ...Object.fromEntries(Object.keys(CW_TICKET_FIELDS).map((key) => [key.toLowerCase(), key])),
};

const isId = (value: string | undefined): value is string => !!value && /^\d{1,10}$/.test(value.trim()) && Number(value) > 0;
const ref = (id: string) => ({ id: Number(id) });

/** Draft problems no list is needed to see; also what `create` refuses to send. */
function draftProblems(draft: TicketDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  const title = draft.title.trim();
  if (!title) problems.title = 'Enter a summary: ConnectWise requires one.';
  else if (title.length > CW_SUMMARY_MAX)
    problems.title = `ConnectWise allows at most ${CW_SUMMARY_MAX} characters in a ticket summary; this one has ${title.length}.`;
  if (!isId(draft.companyRemoteId)) problems.company = 'Choose the ticket’s company: this one has no ConnectWise company id.';
  if (draft.contactRemoteId !== undefined && !isId(draft.contactRemoteId)) problems.contact = 'This contact has no ConnectWise contact id.';
  const badConfiguration = draft.configurationRemoteIds.find((id) => !isId(id));
  if (badConfiguration !== undefined) problems.configurations = `"${badConfiguration}" is not a ConnectWise configuration id.`;
  // The marker is matched inside a quoted condition, and externalXRef holds 100 characters.
  if (!draft.marker || draft.marker.length > CW_EXTERNAL_XREF_MAX || /["\\]/.test(draft.marker))
    problems.marker = `The ticket marker must be 1 to ${CW_EXTERNAL_XREF_MAX} characters without quotes or backslashes.`;
  for (const [key, value] of Object.entries(draft.fields))
    if (key in CW_TICKET_FIELDS && value && !isId(value)) problems[key] = `"${value}" is not a ConnectWise id.`;
  return problems;
}

/** Form checks: required fields, choices from ConnectWise's lists, statuses and types of the chosen board. */
function formProblems(draft: TicketDraft, form: TicketFormChoices): Record<string, string> {
  const problems: Record<string, string> = {};
  const board = draft.fields.board;
  for (const field of form.fields) {
    const value = draft.fields[field.key];
    if (!value) {
      if (field.required) problems[field.key] = `Choose a ${field.label.toLowerCase()}: ConnectWise puts every ticket on one.`;
      continue;
    }
    const listed = (form.choices[field.key] ?? []).find((choice) => choice.id === value);
    if (!listed) problems[field.key] = `This ${field.label.toLowerCase()} is not in ConnectWise's list (any more); choose another.`;
    else if (field.dependsOn && listed.parentId !== draft.fields[field.dependsOn]) {
      const boardName = form.choices.board?.find((choice) => choice.id === board)?.name;
      problems[field.key] = boardName
        ? `"${listed.name}" is not a ${field.label.toLowerCase()} of the board "${boardName}"; choose one of that board's.`
        : `Choose the board before its ${field.label.toLowerCase()}.`;
    }
  }
  for (const key of Object.keys(CW_TICKET_FIELDS) as CwTicketFieldKey[])
    if (draft.fields[key] && !form.fields.some((field) => field.key === key))
      problems[key] = `ConnectWise's ${CW_TICKET_FIELDS[key].label.toLowerCase()} list could not be read with this API member; leave it empty.`;
  return problems;
}

/** A 400 `InvalidObject` as one message for the technician, on the field ConnectWise named. */
function refusal(what: string) {
  return (status: number, body: unknown): PsaError | undefined => {
    if (status !== 400) return undefined;
    const parsed = cwValidationErrorSchema.safeParse(body);
    const items = parsed.success ? parsed.data.errors : [];
    const messages = items.map((item) => item.message).filter((message): message is string => !!message);
    const detail = messages.length ? messages.join(' ') : (parsed.success && parsed.data.message) || 'no reason given';
    const field = items.map((item) => DRAFT_KEY[item.field?.toLowerCase() ?? '']).find(Boolean);
    return new PsaError('config', `ConnectWise refused ${what} (400): ${detail}`, { status, ...(field ? { field } : {}) });
  };
}

export class ConnectwiseTicketWriter implements TicketWriter {
  private readonly client: ConnectwiseClient;

  constructor(client: ConnectwiseClient) {
    this.client = client;
  }

  formChoices(): Promise<TicketFormChoices> {
    return loadTicketForm(this.client);
  }

  validate(draft: TicketDraft, form: TicketFormChoices): Record<string, string> {
    return { ...formProblems(draft, form), ...draftProblems(draft) };
  }

  /** The ticket POST; configurations follow it, one request each (see create). */
  preview(draft: TicketDraft): TicketRequestPreview {
    const body: Record<string, unknown> = { summary: draft.title.trim(), company: ref(draft.companyRemoteId) };
    if (draft.contactRemoteId) body.contact = ref(draft.contactRemoteId);
    for (const key of Object.keys(CW_TICKET_FIELDS)) {
      const value = draft.fields[key];
      if (value) body[key] = ref(value);
    }
    body.initialDescription = draft.details;
    body.externalXRef = draft.marker;
    return { method: 'POST', path: PATH, body };
  }

  async create(draft: TicketDraft): Promise<ConnectwiseCreatedTicket> {
    const problems = Object.values(draftProblems(draft));
    if (problems.length) throw new PsaError('config', `The ticket was not sent: ${problems.join(' ')}`);
    const request = this.preview(draft);
    const answer = await this.client.post(request.path, request.body, refusal('the ticket'));
    const created = cwTicketIdSchema.safeParse(answer);
    let ticketId: string;
    if (created.success) ticketId = String(created.data.id);
    else {
      // 201 with an unreadable body: the ticket exists; its marker tells us which it is.
      const found = await this.lookUp(draft);
      if (!found) throw new PsaError('bad-response', 'ConnectWise accepted the ticket but its answer has no ticket number, and no ticket carries its marker.');
      ticketId = found;
    }
    return this.withConfigurations(ticketId, draft, []);
  }

  /**
   * The ticket an earlier attempt created, found by its marker (`externalXRef`) within the draft's
   * company. A ticket whose answer was lost never got its configurations: they are attached now,
   * so a retried draft ends as a first-time success would.
   */
  async findByMarker(draft: TicketDraft): Promise<ConnectwiseCreatedTicket | null> {
    const problems = draftProblems(draft);
    if (problems.company || problems.marker) throw new PsaError('config', problems.company ?? problems.marker ?? '');
    const ticketId = await this.lookUp(draft);
    if (!ticketId) return null;
    if (!draft.configurationRemoteIds.length) return { ticketId };
    let attached: string[];
    try {
      const body = await this.client.get(`${PATH}/${ticketId}/configurations`, { fields: 'id', pageSize: 1000 });
      attached = cwAttachedSchema.parse(body).map((row) => String(row.id));
    } catch (error) {
      return { ticketId, warnings: [`Could not check the ticket's configurations: ${messageOf(error)}`] };
    }
    return this.withConfigurations(ticketId, draft, attached);
  }

  /** `externalXRef="<marker>" AND company/id=<id>`: one indexed lookup, ids only. */
  private async lookUp(draft: TicketDraft): Promise<string | null> {
    const body = await this.client.get(PATH, {
      conditions: `externalXRef="${draft.marker}" AND company/id=${Number(draft.companyRemoteId)}`,
      fields: 'id',
      orderBy: 'id asc',
      pageSize: 1,
    });
    const rows = cwTicketIdsSchema.safeParse(body);
    if (!rows.success) throw new PsaError('bad-response', 'ConnectWise sent an unreadable ticket search result.');
    const first = rows.data[0];
    return first ? String(first.id) : null;
  }

  /**
   * Attach the draft's configurations not yet `attached`. The ticket exists whatever happens here,
   * so a failure is a warning, never an error (an error would make the caller create it again).
   */
  private async withConfigurations(ticketId: string, draft: TicketDraft, attached: string[]): Promise<ConnectwiseCreatedTicket> {
    const warnings: string[] = [];
    for (const id of [...new Set(draft.configurationRemoteIds)]) {
      if (attached.includes(id)) continue;
      try {
        await this.client.post(`${PATH}/${ticketId}/configurations`, ref(id), refusal(`configuration ${id}`));
      } catch (error) {
        warnings.push(`Ticket #${ticketId} was created, but configuration ${id} was not attached: ${messageOf(error)}`);
      }
    }
    return warnings.length ? { ticketId, warnings } : { ticketId };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
