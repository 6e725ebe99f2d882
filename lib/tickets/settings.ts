import { z } from 'zod';
import { ticketRulesSchema } from './rules';

const remoteId = z.string().min(1).max(100);

/**
 * One integration's ticket settings (#16), kept in its options: the field defaults (choice ids by
 * field key), where tickets for people who are not contacts in the PSA go (the guide's
 * "Unregistered User": a catch-all contact in a catch-all company), and the custom rules.
 */
export const ticketSettingsSchema = z.object({
  defaults: z.record(z.string().min(1).max(40), remoteId).refine((map) => Object.keys(map).length <= 30, 'Too many defaults.'),
  catchAll: z.object({ companyRemoteId: remoteId, contactRemoteId: remoteId }).optional(),
  rules: ticketRulesSchema,
});
export type TicketSettings = z.infer<typeof ticketSettingsSchema>;

export const EMPTY_TICKET_SETTINGS: TicketSettings = { defaults: {}, rules: [] };

/** Stored settings are untrusted (an older or hand-edited row): unreadable ones count as none. */
export function readTicketSettings(stored: unknown): TicketSettings {
  const parsed = ticketSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : EMPTY_TICKET_SETTINGS;
}
