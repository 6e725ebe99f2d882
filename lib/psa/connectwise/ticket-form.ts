import type { z } from 'zod';
import { PsaError } from '../errors';
import type { TicketChoice, TicketFieldSpec, TicketFormChoices } from '../ticket-writer';
import type { ConnectwiseClient } from './client';
import { cwBoardsSchema, cwBoardStatusesSchema, cwBoardTypesSchema, cwMembersSchema, cwPrioritiesSchema, cwSourcesSchema } from './ticket-schemas';

/**
 * The ConnectWise new-ticket form (docs/psa/connectwise.md#creating-tickets): the ticket's board
 * (Helpdesk Buttons' queue), the board's own statuses and types, priority, source and owner.
 * Only the board is required: ConnectWise gives a ticket without status or priority the board's
 * default status and the default priority.
 */
export const CW_TICKET_FIELDS = {
  board: { key: 'board', label: 'Board', variable: 'queue', required: true, source: 'psa' },
  status: { key: 'status', label: 'Status', variable: 'ticketStatus', required: false, source: 'psa', dependsOn: 'board' },
  type: { key: 'type', label: 'Type', variable: 'ticketType', required: false, source: 'psa', dependsOn: 'board' },
  priority: { key: 'priority', label: 'Priority', variable: 'priority', required: false, source: 'psa' },
  source: { key: 'source', label: 'Source', variable: 'ticketSource', required: false, source: 'psa' },
  owner: { key: 'owner', label: 'Ticket Owner', variable: 'assignee', required: false, source: 'psa' },
} as const satisfies Record<string, TicketFieldSpec>;

export type CwTicketFieldKey = keyof typeof CW_TICKET_FIELDS;

const PAGE = 1000;
/** Setup lists have dozens of rows; this bounds a runaway list, not a real one. */
const MAX_PAGES = 10;

/** Every page of a setup list, each row checked by `schema` (rows it refuses are dropped). */
async function readAll<T>(client: ConnectwiseClient, path: string, params: Record<string, string>, schema: z.ZodType<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const body = await client.get(path, { ...params, pageSize: PAGE, page });
    if (!Array.isArray(body)) throw new PsaError('bad-response', `ConnectWise sent something other than a list for ${path}.`);
    all.push(...schema.parse(body));
    if (body.length < PAGE) break;
  }
  return all;
}

/** A list the form can do without: refused (security role) or unknown to this server → absent. */
async function optional<T>(read: () => Promise<T[]>): Promise<T[] | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PsaError && (error.code === 'permission' || error.code === 'not-found')) return undefined;
    throw error;
  }
}

const choice = (row: { id: number; name: string; defaultFlag?: boolean | null }, parentId?: number): TicketChoice => ({
  id: String(row.id),
  name: row.name.trim(),
  ...(parentId !== undefined ? { parentId: String(parentId) } : {}),
  ...(row.defaultFlag ? { isDefault: true } : {}),
});

export async function loadTicketForm(client: ConnectwiseClient): Promise<TicketFormChoices> {
  await client.resolveCodebase(); // once, before the reads below run side by side
  // Inactive rows are filtered by the server and again here (a server that ignored the condition
  // must not offer them); project boards hold project tickets, not service tickets.
  const boards = (await readAll(client, 'service/boards', { conditions: 'inactiveFlag=false', orderBy: 'name asc' }, cwBoardsSchema)).filter(
    (board) => !board.inactiveFlag && !board.projectFlag,
  );
  const [perBoard, priorities, sources, members] = await Promise.all([
    Promise.all(
      boards.map(async (board) => {
        const [statuses, types] = await Promise.all([
          readAll(client, `service/boards/${board.id}/statuses`, { conditions: 'inactive=false', orderBy: 'sortOrder asc' }, cwBoardStatusesSchema),
          readAll(client, `service/boards/${board.id}/types`, { conditions: 'inactiveFlag=false', orderBy: 'name asc' }, cwBoardTypesSchema),
        ]);
        return {
          statuses: statuses.filter((status) => !status.inactive).map((status) => choice(status, board.id)),
          types: types.filter((type) => !type.inactiveFlag).map((type) => choice(type, board.id)),
        };
      }),
    ),
    readAll(client, 'service/priorities', { orderBy: 'sortOrder asc' }, cwPrioritiesSchema),
    // `/service/sources` is in the full contract only, and members need the System module:
    // without them the form simply has no Source / Ticket Owner.
    optional(() => readAll(client, 'service/sources', { orderBy: 'name asc' }, cwSourcesSchema)),
    optional(() =>
      readAll(
        client,
        'system/members',
        // API members (license class A) cannot own tickets.
        { conditions: 'inactiveFlag=false AND licenseClass!="A"', fields: 'id,identifier,firstName,lastName', orderBy: 'lastName asc' },
        cwMembersSchema,
      ),
    ),
  ]);

  const fields: TicketFieldSpec[] = [CW_TICKET_FIELDS.board, CW_TICKET_FIELDS.status, CW_TICKET_FIELDS.type, CW_TICKET_FIELDS.priority];
  const choices: Record<string, TicketChoice[]> = {
    board: boards.map((board) => choice(board)),
    status: perBoard.flatMap((board) => board.statuses),
    type: perBoard.flatMap((board) => board.types),
    priority: priorities.map((priority) => choice(priority)),
  };
  if (sources) {
    fields.push(CW_TICKET_FIELDS.source);
    choices.source = sources.map((source) => choice(source));
  }
  if (members) {
    fields.push(CW_TICKET_FIELDS.owner);
    choices.owner = members.map((member) => ({
      id: String(member.id),
      name: [member.firstName, member.lastName].filter(Boolean).join(' ').trim() || member.identifier || `Member ${member.id}`,
    }));
  }
  return { fields, choices };
}
