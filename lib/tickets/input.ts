import { z } from 'zod';

const remoteId = z.string().min(1).max(100);

/** Who the ticket is for, as the technician said it in the form. */
export const ticketPersonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('contact'), remoteId }),
  /** Not a contact in the PSA: filed under the integration's catch-all contact (the guide's "Unregistered User"). */
  z.object({
    kind: z.literal('outsider'),
    name: z.string().trim().min(1, 'Give the person’s name.').max(200),
    email: z.union([z.literal(''), z.email('That is not an e-mail address.').max(300)]),
  }),
]);
export type TicketPerson = z.infer<typeof ticketPersonSchema>;

/**
 * What the technician typed and picked in the ticket form. The company is never part of it: the
 * background takes it from the page (overlay) or the chosen client (palette).
 */
export const ticketInputSchema = z.object({
  title: z.string().max(500, 'At most 500 characters.'),
  message: z.string().max(20_000, 'At most 20,000 characters.'),
  person: ticketPersonSchema,
  configurationRemoteIds: z.array(remoteId).max(20, 'At most 20 configurations a ticket.'),
  /** Choice ids by field key, only for the fields the technician set themselves. */
  picks: z.record(z.string().min(1).max(40), remoteId).refine((map) => Object.keys(map).length <= 30, 'Too many fields.'),
});
export type TicketInput = z.infer<typeof ticketInputSchema>;
