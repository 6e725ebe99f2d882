import { z } from 'zod';

/**
 * One record as Sidecar shows it (the overlay's lists, the palette's results): title, subtitle
 * and the fields a technician reads or copies. Below both the overlay's view and the search, which
 * each turn stored records into items (./to-item.ts).
 */

const field = z.object({ label: z.string(), value: z.string(), copy: z.boolean().optional() });
export const overlayItemSchema = z.object({
  remoteId: z.string(),
  title: z.string(),
  subtitle: z.string().optional(),
  fields: z.array(field),
  url: z.string().optional(),
  inactive: z.boolean().optional(),
  focused: z.boolean().optional(),
  /** Named on the ticket the page shows (its contact or one of its configurations). */
  onTicket: z.boolean().optional(),
  /** A contact or configuration of the page's own company: its row offers "New ticket" (#16). */
  ticketAs: z.enum(['contact', 'configuration']).optional(),
  /** The integration a record came from, when a client space has several. */
  source: z.string().optional(),
  /** Custom fields a technician fills by hand on this record (not connected to a PSA field): editable in the overlay. */
  editable: z
    .object({
      entity: z.enum(['contact', 'configuration', 'site']),
      fields: z.array(
        z.object({
          fieldId: z.string(),
          label: z.string(),
          type: z.enum(['text', 'multiline', 'number', 'date', 'url', 'yesno', 'choice']),
          options: z.array(z.string()).optional(),
          value: z.object({ type: z.string(), v: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
          /** The value's revision (also when cleared): a save names it. */
          rev: z.string().optional(),
        }),
      ),
    })
    .optional(),
});
export type OverlayItem = z.infer<typeof overlayItemSchema>;
