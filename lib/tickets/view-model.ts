import { z } from 'zod';
import { TICKET_FIELD_VARIABLES } from '../psa/ticket-writer';
import { ticketSettingsSchema } from './settings';

/**
 * What the ticket channels carry (lib/messaging/protocol.ts): the form, a preview, and outbox rows
 * as pages show them. zod only, so the overlay (in the PSA tab) may check them.
 */

const text = z.string().max(2_000);
const remoteId = z.string().min(1).max(100);

const choiceSchema = z.object({ id: remoteId, name: text, parentId: remoteId.optional(), isDefault: z.boolean().optional() });

export const ticketFormSchema = z.object({
  fields: z
    .array(
      z.object({
        key: z.string().min(1).max(40),
        label: z.string().max(100),
        variable: z.enum(TICKET_FIELD_VARIABLES).optional(),
        required: z.boolean(),
        source: z.enum(['psa', 'company-sites', 'company-agreements']),
        dependsOn: z.string().max(40).optional(),
      }),
    )
    .max(30),
  choices: z.record(z.string().max(40), z.array(choiceSchema).max(5_000)),
});

export const ticketFormViewSchema = z.object({
  form: ticketFormSchema,
  fetchedAt: z.number(),
  companyName: text,
  contacts: z.array(z.object({ remoteId, name: text, email: text.optional() })).max(5_000),
  configurations: z.array(z.object({ remoteId, name: text, typeName: text })).max(20_000),
  sites: z.array(z.object({ remoteId, name: text, primary: z.boolean().optional() })).max(5_000),
  agreements: z.array(z.object({ remoteId, name: text })).max(5_000),
  defaults: z.record(z.string().max(40), remoteId),
  catchAll: z.boolean(),
});
export type TicketFormViewWire = z.infer<typeof ticketFormViewSchema>;

export const ticketPreviewSchema = z.object({
  fields: z.array(
    z.object({
      key: z.string().max(40),
      label: z.string().max(100),
      required: z.boolean(),
      choiceId: remoteId.optional(),
      choiceName: text.optional(),
      reason: z.enum(['picked', 'rule', 'default', 'psa-default', 'primary-site', 'unset']),
      because: text.optional(),
    }),
  ),
  appended: z.array(z.object({ text: text, because: text })),
  errors: z.record(z.string().max(40), text),
  filedUnderCatchAll: z.object({ companyRemoteId: remoteId, contactRemoteId: remoteId, person: text }).optional(),
  title: z.string().max(500),
  details: z.string().max(30_000),
  /** Exactly what will be sent (method, API path, JSON body). */
  request: z.object({ method: z.literal('POST'), path: z.string().max(500), body: z.unknown() }),
});
export type TicketPreviewWire = z.infer<typeof ticketPreviewSchema>;

export const outboxItemSchema = z.object({
  id: remoteId,
  integrationId: remoteId,
  companyRemoteId: remoteId,
  companyName: text,
  title: z.string().max(500),
  state: z.enum(['waiting', 'sending', 'created', 'failed']),
  attempts: z.number().int().nonnegative(),
  createdAt: z.number(),
  by: text.optional(),
  nextAttemptAt: z.number().optional(),
  lastError: z.object({ code: z.string().max(50), message: text }).optional(),
  ticket: z.object({ ticketId: remoteId, ticketNumber: text.optional() }).optional(),
  /** Opens the ticket in the PSA. */
  url: z.string().max(2_000).optional(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

export const ticketSettingsViewSchema = z.object({
  settings: ticketSettingsSchema,
  /** Null when the PSA's lists could not be read (the message says why). */
  form: ticketFormSchema.nullable(),
  formError: text.optional(),
  fetchedAt: z.number().optional(),
  supported: z.boolean(),
  rights: z.array(z.object({ what: text, usedFor: text, allowed: z.boolean().nullable() })).optional(),
});
