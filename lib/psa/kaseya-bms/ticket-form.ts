import type { z } from 'zod';
import { PsaError } from '../errors';
import type { TicketChoice, TicketFieldSpec, TicketFormChoices } from '../ticket-writer';
import { parseEach, text } from '../values';
import type { BmsClient } from './client';
import { bmsAssigneeLookupSchema, bmsLookupSchema, bmsPriorityLookupSchema, bmsStatusLookupSchema, bmsTicketRowSchema } from './ticket-schemas';

/**
 * BMS's new-ticket form as Sidecar fills it (docs/psa/kaseya-bms.md#creating-tickets): the lists
 * `TicketInputDto` takes ids from, and the Helpdesk Buttons variable each answers to.
 */
export const BMS_TICKET_FIELDS: readonly TicketFieldSpec[] = [
  // Neither is required alone: BMS needs one of the two (Helpdesk Buttons' rule, checked in validate).
  { key: 'queue', label: 'Queue', variable: 'queue', required: false, source: 'psa' },
  { key: 'assignee', label: 'Assignee', variable: 'assignee', required: false, source: 'psa' },
  { key: 'status', label: 'Status', variable: 'ticketStatus', required: true, source: 'psa' },
  { key: 'priority', label: 'Priority', variable: 'priority', required: true, source: 'psa' },
  { key: 'type', label: 'Ticket Type', variable: 'ticketType', required: true, source: 'psa' },
  { key: 'source', label: 'Source', variable: 'ticketSource', required: true, source: 'psa' },
  { key: 'issueType', label: 'Issue Type', required: false, source: 'psa' },
  // A BMS location is an account location, which Sidecar already syncs as the company's sites.
  { key: 'location', label: 'Location', required: true, source: 'company-sites' },
  { key: 'contract', label: 'Contract', required: false, source: 'company-agreements' },
];

/** Ticket sources: a system list whose ids are the same in every tenant (docs/psa/kaseya-bms.md#lookups). */
export const BMS_TICKET_SOURCES: readonly string[] = [
  'Client Portal',
  'Phone',
  'In Person',
  'On Site',
  'Email',
  'Monitoring System',
  'Voice Mail',
  'Verbal',
  'Other',
  'Recurring',
];

/** Assignees are paged; a tenant with more than this many pages of employees is not expected. */
const MAX_ASSIGNEE_PAGES = 20;
const PAGE_SIZE = 100;

function rowsOf<T>(result: unknown, schema: z.ZodType<T>, what: string): T[] {
  if (!Array.isArray(result)) throw new PsaError('bad-response', `Kaseya BMS sent something other than a list of ${what}.`);
  return parseEach(result as unknown[], schema).rows;
}

const choice = (id: number, name: string | null | undefined, isDefault?: boolean | null): TicketChoice => ({
  id: String(id),
  name: text(name ?? undefined) ?? `#${id}`,
  ...(isDefault ? { isDefault: true } : {}),
});

/** An active-flagged lookup (queues, issue types, ticket types): inactive entries are not offered. */
async function activeLookup(client: BmsClient, path: string, what: string): Promise<TicketChoice[]> {
  return rowsOf((await client.get(path)).result, bmsLookupSchema, what)
    .filter((row) => row.isActive !== false)
    .map((row) => choice(row.id, row.name, row.isDefault));
}

async function assignees(client: BmsClient): Promise<TicketChoice[]> {
  const all: TicketChoice[] = [];
  for (let page = 1; page <= MAX_ASSIGNEE_PAGES; page++) {
    const rows = rowsOf((await client.get('v2/hr/assignees/lookup', { PageSize: PAGE_SIZE, PageNumber: page })).result, bmsAssigneeLookupSchema, 'assignees');
    all.push(...rows.map((row) => choice(row.id, row.name)));
    if (rows.length < PAGE_SIZE) break;
  }
  return all;
}

/**
 * Ticket types have no lookup of their own in the spec; the generic `system/lookup/{tableName}`
 * with `TicketType` is a guess. When it fails or is empty, the types the tenant's tickets carry
 * (one page of the ticket list: `typeId`, `typeName`) are offered instead.
 */
async function ticketTypes(client: BmsClient): Promise<TicketChoice[]> {
  try {
    const types = await activeLookup(client, 'v2/system/lookup/TicketType', 'ticket types');
    if (types.length) return types;
  } catch (error) {
    if (!(error instanceof PsaError) || !['not-found', 'bad-response'].includes(error.code)) throw error;
  }
  const rows = rowsOf((await client.get('v2/servicedesk/tickets', { PageSize: PAGE_SIZE, PageNumber: 1 })).result, bmsTicketRowSchema, 'tickets');
  const seen = new Map<number, TicketChoice>();
  for (const row of rows) if (row.typeId && !seen.has(row.typeId)) seen.set(row.typeId, choice(row.typeId, row.typeName));
  return [...seen.values()];
}

/** Reads every list once; the caller caches the answer per integration. */
export async function readBmsTicketForm(client: BmsClient): Promise<TicketFormChoices> {
  const [status, priority, queue, assignee, type, issueType] = await Promise.all([
    client.get('v2/system/statuses/lookup').then((envelope) =>
      rowsOf(envelope.result, bmsStatusLookupSchema, 'statuses')
        .filter((row) => row.isActive !== false)
        .map((row) => choice(row.id, row.name)),
    ),
    client
      .get('v2/system/priorities/lookup')
      .then((envelope) => rowsOf(envelope.result, bmsPriorityLookupSchema, 'priorities').map((row) => choice(row.id, row.name, row.isDefault))),
    activeLookup(client, 'v2/system/queues/lookup', 'queues'),
    assignees(client),
    ticketTypes(client),
    activeLookup(client, 'v2/system/issuetypes/lookup', 'issue types'),
  ]);
  const source = BMS_TICKET_SOURCES.map((name, id) => ({ id: String(id), name }));
  return { fields: [...BMS_TICKET_FIELDS], choices: { queue, assignee, status, priority, type, source, issueType } };
}
