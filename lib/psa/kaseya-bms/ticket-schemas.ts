import { z } from 'zod';

/**
 * What creating a ticket reads back from BMS (docs/psa/kaseya-bms.md#creating-tickets), after
 * camelCase conversion; only the fields Sidecar uses. A list row that fails is left out of the
 * form, never failing the whole list.
 */
const id = z.number().int();
const name = z.string().nullish();
const flag = z.boolean().nullish();

/** `LookupOutputDto`, `QueueLookupOutputDto`, `IssueTypeLookupOutputDto`: `{id, name, isActive[, isDefault]}`. */
export const bmsLookupSchema = z.object({ id, name, isActive: flag, isDefault: flag });

/** `StatusLookupOutputDto`: no `isDefault`; `isActive` as elsewhere. */
export const bmsStatusLookupSchema = z.object({ id, name, isActive: flag, statusOrder: z.number().nullish() });

/** `PriorityLookupOutputDto`: `{id, name, color, isDefault}` (no `isActive`). */
export const bmsPriorityLookupSchema = z.object({ id, name, isDefault: flag });

/** `AssigneeLookupOutputDto`: `{id, name, url, emailAddress, jobTitle, …}`. */
export const bmsAssigneeLookupSchema = z.object({ id, name });

/** `TicketOutputDto` as the create answers it: clients read `result.id` and `result.ticketNumber` (CIPP). */
export const bmsCreatedTicketSchema = z.object({ id: id.positive(), ticketNumber: z.string().nullish() });

/** `TicketListDto` rows of the marker search: enough to check the match on our side. */
export const bmsTicketRowSchema = z.object({
  id: id.positive(),
  ticketNumber: z.string().nullish(),
  accountId: z.number().int().nullish(),
  details: z.string().nullish(),
  typeId: z.number().int().nullish(),
  typeName: name,
});

/** ASP.NET Core's model-binding refusal (`application/problem+json`): `errors` by property name. */
export const problemDetailsSchema = z.object({
  title: z.string().nullish(),
  errors: z.record(z.string(), z.array(z.string())).nullish(),
});
