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
  /** The integration a record came from, when a client space has several. */
  source: z.string().optional(),
});
export type OverlayItem = z.infer<typeof overlayItemSchema>;
