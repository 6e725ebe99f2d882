import { z } from 'zod';
import { PsaError } from '../errors';
import type { CreatedTicket, TicketChoice, TicketDraft, TicketFieldSpec, TicketFormChoices, TicketRequestPreview, TicketWriter } from '../ticket-writer';
import { parseEach } from '../values';
import type { HaloClient } from './client';
import { haloRefusal } from './refusal';
import { parseWrapper } from './schemas';
import {
  haloAgentSchema,
  haloCreatedTicketSchema,
  haloMarkerRowSchema,
  haloPrioritySchema,
  haloStatusSchema,
  haloTeamSchema,
  haloTicketTypeSchema,
  listRows,
} from './ticket-schemas';

/**
 * Creating HaloPSA tickets (docs/psa/halo.md#creating-tickets): `POST /api/Tickets` with an array
 * of one `Faults` object. Halo fills what the request leaves out (type, team, priority, status,
 * site) from its defaults and the ticket type's, so Sidecar requires none of those fields.
 */
export const HALO_TICKET_FIELDS: readonly TicketFieldSpec[] = [
  { key: 'ticketType', label: 'Ticket type', variable: 'ticketType', required: false, source: 'psa' },
  { key: 'team', label: 'Team', variable: 'queue', required: false, source: 'psa' },
  { key: 'agent', label: 'Agent', variable: 'assignee', required: false, source: 'psa' },
  { key: 'priority', label: 'Priority', variable: 'priority', required: false, source: 'psa' },
  { key: 'status', label: 'Status', variable: 'ticketStatus', required: false, source: 'psa' },
  // Halo's sites are synced; without one Halo takes the user's site, else the client's main site.
  { key: 'site', label: 'Site', required: false, source: 'company-sites' },
];

/** Each form field's `Faults` property; the team goes by name (spec `Faults.team`, no `team_id`), the rest by id. */
const PROPERTY: Record<string, { name: string; numeric: boolean }> = {
  ticketType: { name: 'tickettype_id', numeric: true },
  team: { name: 'team', numeric: false },
  agent: { name: 'agent_id', numeric: true },
  priority: { name: 'priority_id', numeric: true },
  status: { name: 'status_id', numeric: true },
  site: { name: 'site_id', numeric: true },
};

/** A `Faults` property named in a refusal → the draft key the form shows the message at. */
const FIELD_OF: Record<string, string> = {
  summary: 'title',
  details: 'details',
  client_id: 'company',
  user_id: 'person',
  assets: 'configurations',
  team_id: 'team',
  ...Object.fromEntries(Object.entries(PROPERTY).map(([key, property]) => [property.name, key])),
};

/** Rows a marker search reads: a Halo that ignored `search_details` still answers the newest first. */
const MARKER_PAGE_SIZE = 50;
/** Rows read again whole when the list's details lack the marker (absent or cut short). */
const MARKER_REREADS = 3;

const MAX_INT32 = 2_147_483_647;
function haloId(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 && id <= MAX_INT32 ? id : undefined;
}

/** What a refused create means for the technician; undefined leaves the status to the client's mapping. */
function describeRefusal(status: number, data: unknown): PsaError | undefined {
  if (status === 400) {
    const { text, path } = haloRefusal(data);
    // `[0].assets[0].id` → `assets`
    const property = path
      ?.replace(/^\[\d+\]\.?/, '')
      .split(/[.[]/)[0]
      ?.toLowerCase();
    const field = property ? FIELD_OF[property] : undefined;
    return new PsaError('config', text ? `HaloPSA refused the ticket: ${text}` : 'HaloPSA refused the ticket (400) without saying why.', {
      status,
      ...(field ? { field } : {}),
    });
  }
  if (status === 403) {
    return new PsaError(
      'permission',
      'HaloPSA refused to create the ticket (403). Give the API application the edit:tickets permission (Configuration › Integrations › Halo API › Applications › Permissions) and check that the agent it logs in as may log tickets for this client.',
      { status },
    );
  }
  if (status === 404) return new PsaError('config', 'HaloPSA answered 404 to POST /api/Tickets: check the resource server address.', { status });
  return undefined;
}

export class HaloTicketWriter implements TicketWriter {
  constructor(private readonly client: HaloClient) {}

  async formChoices(): Promise<TicketFormChoices> {
    const [types, teams, agents, priorities, statuses] = await Promise.all([
      this.list('TicketType', haloTicketTypeSchema, 'ticket types'),
      this.list('Team', haloTeamSchema, 'teams'),
      this.list('Agent', haloAgentSchema, 'agents'),
      this.list('Priority', haloPrioritySchema, 'priorities'),
      this.list('Status', haloStatusSchema, 'statuses'),
    ]);
    const byId = (row: { id: number; name: string }): TicketChoice => ({ id: String(row.id), name: row.name });
    return {
      fields: HALO_TICKET_FIELDS.map((field) => ({ ...field })),
      choices: {
        // Types agents may not pick on Halo's own form are left out, as are hidden ones.
        ticketType: types.filter((type) => type.visible !== false && type.agentscanselect !== false && type.inactive !== true).map(byId),
        // Teams for tickets only (not sales or project teams), by name: the ticket takes the name.
        team: unique(teams.filter((team) => team.inactive !== true && team.forrequests !== false).map((team) => ({ id: team.name, name: team.name }))),
        agent: agents.filter((agent) => agent.isdisabled !== true && agent.isapiagent !== true).map(byId),
        priority: priorityChoices(priorities),
        status: statuses.map(byId),
      },
    };
  }

  private async list<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T[]> {
    const rows = listRows(await this.client.get(path), ['records', what.replace(/\s/g, '')]);
    if (!rows) throw new PsaError('bad-response', `HaloPSA sent an unreadable list of ${what} (GET /api/${path}).`);
    return parseEach(rows, schema).rows;
  }

  validate(draft: TicketDraft, form: TicketFormChoices): Record<string, string> {
    const errors: Record<string, string> = {};
    if (!draft.title.trim()) errors.title = 'Give the ticket a title: HaloPSA needs a summary.';
    if (haloId(draft.companyRemoteId) === undefined) errors.company = `“${draft.companyRemoteId}” is not a HaloPSA client id.`;
    if (draft.contactRemoteId !== undefined && haloId(draft.contactRemoteId) === undefined)
      errors.person = `“${draft.contactRemoteId}” is not a HaloPSA user id.`;
    const badAsset = draft.configurationRemoteIds.find((id) => haloId(id) === undefined);
    if (badAsset !== undefined) errors.configurations = `“${badAsset}” is not a HaloPSA asset id.`;
    // A retry finds the ticket by this marker in its details: without it a retry could file it twice.
    if (!draft.marker.trim() || !draft.details.includes(draft.marker))
      errors.details = 'The ticket’s Sidecar reference is missing from its details, so a retry could not find it.';
    for (const field of form.fields) {
      const value = draft.fields[field.key];
      if (!value) {
        if (field.required) errors[field.key] = `Choose a ${field.label.toLowerCase()}.`;
        continue;
      }
      if (field.source === 'psa') {
        if (!(form.choices[field.key] ?? []).some((choice) => choice.id === value))
          errors[field.key] = `“${value}” is not one of HaloPSA’s ${field.label.toLowerCase()} choices any more; pick another.`;
      } else if (PROPERTY[field.key]?.numeric && haloId(value) === undefined)
        errors[field.key] = `“${value}” is not a HaloPSA ${field.label.toLowerCase()} id.`;
    }
    for (const key of Object.keys(draft.fields)) if (!PROPERTY[key]) errors[key] = `HaloPSA’s ticket has no “${key}” field.`;
    return errors;
  }

  preview(draft: TicketDraft): TicketRequestPreview {
    const ticket: Record<string, unknown> = {
      client_id: haloId(draft.companyRemoteId) ?? null,
      summary: draft.title.trim(),
      details: draft.details,
      // When the technician made it, not when the outbox sent it (spec `Faults.dateoccurred`).
      dateoccurred: draft.openDate,
    };
    if (draft.contactRemoteId) ticket.user_id = haloId(draft.contactRemoteId) ?? null;
    for (const [key, value] of Object.entries(draft.fields)) {
      const property = PROPERTY[key];
      if (property && value) ticket[property.name] = property.numeric ? (haloId(value) ?? null) : value;
    }
    // Linked assets as `Device_List` rows by id (spec `Faults.assets`).
    if (draft.configurationRemoteIds.length) ticket.assets = draft.configurationRemoteIds.map((id) => ({ id: haloId(id) ?? null }));
    return { method: 'POST', path: 'Tickets', body: [ticket] };
  }

  async create(draft: TicketDraft): Promise<CreatedTicket> {
    const ids = [draft.companyRemoteId, draft.contactRemoteId, ...draft.configurationRemoteIds].filter((id) => id !== undefined);
    const bad = ids.find((id) => haloId(id) === undefined);
    if (bad !== undefined || !draft.title.trim())
      throw new PsaError('config', `The ticket cannot go to HaloPSA: ${bad !== undefined ? `“${bad}” is not a HaloPSA id` : 'it has no title'}.`);
    const request = this.preview(draft);
    const body = await this.client.post(request.path, request.body, describeRefusal);
    const created = haloCreatedTicketSchema.safeParse(body);
    if (!created.success) throw new PsaError('bad-response', 'HaloPSA answered the new ticket without its id.');
    return { ticketId: String(created.data.id) };
  }

  /**
   * `GET /api/Tickets?client_id=&search_details=<marker>` (spec: "details matching the search"), then
   * confirmed here: a row counts only if its details carry the marker, so a Halo that ignored the
   * search or sent another client's rows finds nothing wrong. Rows whose list details lack it but
   * whose summary is this ticket's are read whole (a list may shorten long text).
   */
  async findByMarker(draft: TicketDraft): Promise<CreatedTicket | null> {
    const clientId = haloId(draft.companyRemoteId);
    const marker = draft.marker.trim();
    if (clientId === undefined || !marker) return null;
    const body = await this.client.get('Tickets', {
      client_id: clientId,
      search_details: marker,
      pageinate: true,
      page_size: MARKER_PAGE_SIZE,
      page_no: 1,
      order: 'id',
      orderdesc: true,
    });
    const wrapper = parseWrapper(body, 'tickets');
    if (!wrapper) throw new PsaError('bad-response', 'HaloPSA sent an unexpected ticket list (no record_count/tickets).');
    const rows = parseEach(wrapper.rows, haloMarkerRowSchema)
      .rows.filter((row) => typeof row.client_id !== 'number' || Math.trunc(row.client_id) === clientId)
      .sort((a, b) => a.id - b.id);
    const found = rows.find((row) => row.details?.includes(marker));
    if (found) return { ticketId: String(found.id) };
    const title = draft.title.trim();
    for (const row of rows.filter((candidate) => candidate.summary?.trim() === title).slice(0, MARKER_REREADS)) {
      const full = haloMarkerRowSchema.safeParse(await this.readTicket(row.id));
      if (full.success && full.data.details?.includes(marker)) return { ticketId: String(row.id) };
    }
    return null;
  }

  private async readTicket(id: number): Promise<unknown> {
    try {
      return await this.client.get(`Tickets/${id}`);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'not-found') return undefined;
      throw error;
    }
  }
}

function unique(choices: TicketChoice[]): TicketChoice[] {
  return choices.filter((choice, index) => choices.findIndex((other) => other.id === choice.id) === index);
}

/**
 * Halo's priorities are per SLA (`Policy` rows) and a ticket takes the `priorityid`, its SLA coming
 * from the client, contract or type: one choice per `priorityid`, named as the SLAs name it.
 */
function priorityChoices(rows: z.infer<typeof haloPrioritySchema>[]): TicketChoice[] {
  const names = new Map<number, string[]>();
  for (const row of rows) {
    if (row.ishidden === true) continue;
    const list = names.get(row.priorityid) ?? [];
    if (!list.includes(row.name)) list.push(row.name);
    names.set(row.priorityid, list);
  }
  return [...names].sort(([a], [b]) => a - b).map(([id, list]) => ({ id: String(id), name: list.join(' / ') }));
}
