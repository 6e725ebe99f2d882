import { z } from 'zod';

/**
 * HaloPSA shapes of ticket creation (docs/psa/halo.md#creating-tickets): the reference lists the
 * form reads, the created ticket and the rows a marker search returns. Only the fields used are
 * declared; a list row that does not parse is left out of the choices, never the whole list.
 */

const id = z.number().int().positive();
const name = z.string().trim().min(1);
/** A flag Halo may leave out or null; anything malformed reads as absent. */
const flag = z.boolean().nullish().catch(undefined);

/** `GET /api/TicketType` row (spec `RequestType`). */
export const haloTicketTypeSchema = z.object({ id, name, visible: flag, agentscanselect: flag, inactive: flag });

/** `GET /api/Team` row (spec `SectionDetail`); tickets name their team by `name`. */
export const haloTeamSchema = z.object({ id: z.number().int(), name, inactive: flag, forrequests: flag });

/** `GET /api/Agent` row (spec `Uname`); id 0 is Halo's "Unassigned". */
export const haloAgentSchema = z.object({ id, name, isdisabled: flag, isapiagent: flag });

/** `GET /api/Priority` row (spec `Policy`): one per SLA and priority; tickets take its `priorityid`. */
export const haloPrioritySchema = z.object({ priorityid: id, name, slaid: z.number().int().nullish().catch(undefined), ishidden: flag });

/** `GET /api/Status` row (spec `TStatus`). */
export const haloStatusSchema = z.object({ id, name });

/** The created ticket (`Faults`): a bare object for one ticket sent (observed), an array tolerated. */
const createdTicket = z.object({ id, client_id: z.number().nullish().catch(undefined) });
export const haloCreatedTicketSchema = z.union([
  createdTicket,
  z
    .array(createdTicket)
    .min(1)
    .transform((rows) => rows[0]!),
]);

/** A `Faults_List` row of the marker search, and a full `Faults` record when a row must be read again. */
export const haloMarkerRowSchema = z.object({
  id,
  client_id: z.number().nullish().catch(undefined),
  summary: z.string().nullish().catch(undefined),
  details: z.string().nullish().catch(undefined),
});

/**
 * A list as Halo sends it: these reference lists are bare arrays (HaloAPI, n8n); a wrapper with
 * the rows under a known key is tolerated.
 */
export function listRows(body: unknown, keys: readonly string[]): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of keys) {
    const rows = (body as Record<string, unknown>)[key];
    if (Array.isArray(rows)) return rows;
  }
  return undefined;
}
