import { z } from 'zod';
import { lenient, lenientList } from '../values';

/**
 * Wire shapes the ticket writer reads (docs/psa/connectwise.md#creating-tickets): the service setup
 * lists behind the form and the answers to a create. Only the fields used are declared; a row
 * without an id or a name is dropped from its list (lenientList), never failing the form, and a
 * flag that is null or of another type reads as absent.
 */

const id = z.number().int().positive();
const flag = lenient(z.boolean());
const order = lenient(z.number());

/** `Board` (`/service/boards`). */
export const cwBoardsSchema = lenientList(z.object({ id, name: z.string().trim().min(1), inactiveFlag: flag, projectFlag: flag }));

/** `BoardStatus` (`/service/boards/{id}/statuses`): note `inactive`, not `inactiveFlag`. */
export const cwBoardStatusesSchema = lenientList(
  z.object({ id, name: z.string().trim().min(1), sortOrder: order, defaultFlag: flag, inactive: flag, closedStatus: flag }),
);

/** `BoardType` (`/service/boards/{id}/types`). */
export const cwBoardTypesSchema = lenientList(z.object({ id, name: z.string().trim().min(1), defaultFlag: flag, inactiveFlag: flag }));

/** `Priority` (`/service/priorities`). */
export const cwPrioritiesSchema = lenientList(z.object({ id, name: z.string().trim().min(1), sortOrder: order, defaultFlag: flag }));

/** `Source` (`/service/sources`). */
export const cwSourcesSchema = lenientList(z.object({ id, name: z.string().trim().min(1), defaultFlag: flag }));

/** `Member` (`/system/members`), as `fields=id,identifier,firstName,lastName` returns it. */
export const cwMembersSchema = lenientList(z.object({ id, identifier: lenient(z.string()), firstName: lenient(z.string()), lastName: lenient(z.string()) }));

/** The created `Ticket` (201), and rows of a `fields=id` ticket search: only the id matters. */
export const cwTicketIdSchema = z.object({ id });
export const cwTicketIdsSchema = z.array(z.unknown()).transform((rows) =>
  rows.flatMap((row) => {
    const parsed = cwTicketIdSchema.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  }),
);

/** `GET /service/tickets/{id}/configurations` rows (ids of the attached configurations). */
export const cwAttachedSchema = lenientList(z.object({ id }));

/** A 400 `InvalidObject` body: `{code, message, errors: [{code, message, resource, field}]}`. */
export const cwValidationErrorSchema = z.object({
  code: lenient(z.string()),
  message: lenient(z.string()),
  errors: lenientList(z.object({ code: lenient(z.string()), message: lenient(z.string()), resource: lenient(z.string()), field: lenient(z.string()) })),
});
