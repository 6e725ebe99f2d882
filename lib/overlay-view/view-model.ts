import { z } from 'zod';
import { overlayItemSchema } from '../items/item-model';

/**
 * What the overlay shows for one page: the view the background builds (./view.ts) and the
 * overlay draws. Domain types, kept beside the code that builds them; the message protocol
 * (lib/messaging/protocol.ts) only carries them.
 */

/** A pinned note as the overlay shows it (lib/overlay-view/notes.ts picks them). */
export const overlayNoteSchema = z.object({
  id: z.string(),
  /** The revision shown: an edit from the overlay is refused if someone saved since. */
  rev: z.string(),
  text: z.string(),
  by: z.string(),
  at: z.number(),
  /** The record it is about (e.g. "FS01"); absent for a note on the client space. */
  about: z.string().optional(),
  /** Edited on two computers at once: who wrote each other edit (kept in its history), and when. */
  conflictKept: z
    .array(z.object({ by: z.string(), at: z.number() }))
    .max(100)
    .optional(),
});
export type OverlayNote = z.infer<typeof overlayNoteSchema>;

/**
 * A credential as the overlay lists it (lib/overlay-view/credentials.ts): its name, never a sealed
 * box or a secret. Copy asks the background, which writes the clipboard itself.
 */
export const overlayCredentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string().optional(),
  /** The record it is about (e.g. "FS01"); absent for one on the client space. */
  about: z.string().optional(),
  /** The vault is locked: it cannot be copied until it is unlocked in Sidecar's options. */
  locked: z.boolean(),
});
export type OverlayCredential = z.infer<typeof overlayCredentialSchema>;

export const overlayViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('not-configured'), message: z.string() }),
  z.object({ state: z.literal('not-synced'), message: z.string() }),
  z.object({ state: z.literal('not-found'), message: z.string() }),
  /** `retryAfterMs`: asked again by the overlay after that long (a tab held to its lookup budget). */
  z.object({ state: z.literal('error'), message: z.string(), retryAfterMs: z.number().int().min(0).max(600_000).optional() }),
  z.object({
    state: z.literal('not-matched'),
    company: z.object({ remoteId: z.string(), name: z.string() }),
    lastSyncAt: z.number().optional(),
    /** What one click on "Match" would do: the best suggestion, or (empty) a new client space. */
    offer: z.object({ clientSpaceName: z.string().optional(), confidence: z.number().optional(), detail: z.string().optional() }).optional(),
    /** Archived in Sidecar (e.g. inactive in the PSA): restored from the Museum before matching. */
    archived: z.boolean().optional(),
  }),
  z.object({
    state: z.literal('ready'),
    company: overlayItemSchema,
    clientSpaceName: z.string(),
    /** Pinned notes, shown first: the page's own record's, then the client's, then its other records'. */
    notes: z.array(overlayNoteSchema),
    /** The client's articles and the MSP's own procedures: titles only (they open in Sidecar). */
    articles: z.array(z.object({ id: z.string(), title: z.string(), global: z.boolean() })),
    /** Credentials of the client and its records, by name: the page's own record's first. */
    credentials: z.array(overlayCredentialSchema),
    lastSyncAt: z.number().optional(),
    /** The record a record page shows (configuration, contact, site, agreement), expanded at the top. */
    focus: overlayItemSchema.optional(),
    /** The data is older than two sync intervals. */
    stale: z.string().optional(),
    /** The last sync failed. */
    failed: z.string().optional(),
    /**
     * A running sync has not imported some of this company's lists yet: what it is doing about it.
     * The overlay asks again until it is gone, often while some are being read for this company
     * (`fetching`), less often while they only wait for the sync.
     */
    importing: z.object({ message: z.string(), fetching: z.boolean() }).optional(),
    ticket: z
      .object({
        id: z.string(),
        summary: z.string().optional(),
        /** The ticket's contact, then its configurations. */
        items: z.array(overlayItemSchema),
        coverage: z.object({ kind: z.enum(['named', 'active', 'expired', 'none']), message: z.string(), agreement: overlayItemSchema.optional() }),
        /** The PSA could not be reached: the ticket's details are from this time. */
        cachedAt: z.number().optional(),
        offline: z.string().optional(),
      })
      .optional(),
    /** Tickets made in Sidecar for this company from this browser, newest first (#16). */
    madeTickets: z
      .array(
        z.object({
          id: z.string(),
          title: z.string(),
          state: z.enum(['waiting', 'sending', 'created', 'failed']),
          number: z.string().optional(),
          url: z.string().optional(),
          createdAt: z.number(),
        }),
      )
      .optional(),
    contacts: z.array(overlayItemSchema),
    configurations: z.array(z.object({ layout: z.string(), items: z.array(overlayItemSchema) })),
    agreements: z.array(overlayItemSchema),
    sites: z.array(overlayItemSchema),
  }),
]);
export type OverlayView = z.infer<typeof overlayViewSchema>;
