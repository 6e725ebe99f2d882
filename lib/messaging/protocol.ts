import { z } from 'zod';
import { MAX_LAYOUT_FIELDS } from '../layouts/limits';
import { choicesSchema, fieldTypeSchema } from '../layouts/field-types';
import { ENTITY_KINDS, PSA_KINDS } from '../psa/types';
import { apiSharePercentSchema, skipOptionsSchema } from '../sync/options-schema';
import type { SenderClass } from './sender';
import { overlayItemSchema as item } from '../items/item-model';
import { overlayViewSchema } from '../overlay-view/view-model';
import { matchDecisionSchema } from '../match/decision';
import { DOCUMENTED_ENTITIES } from '../documents/entities';
import { DOCUMENT_KINDS } from '../search/document-kinds';
import { ticketInputSchema } from '../tickets/input';
import { billingSettingsSchema } from '../billing/settings';
import { billingLogSchema, billingOutcomeSchema, billingPlanSchema, billingViewSchema } from '../billing/view-model';
import { ticketSettingsSchema } from '../tickets/settings';
import { outboxItemSchema, ticketFormViewSchema, ticketPreviewSchema, ticketSettingsViewSchema } from '../tickets/view-model';

/**
 * The one message protocol (Read Frog's single ProtocolMap, hardened the Bitwarden way):
 * every channel names the sender classes it accepts and zod schemas for its request and
 * response. Content scripts get exactly one channel, and it never carries credentials.
 */

const id = z.string().min(1).max(100);

export const pageSchema = z.object({
  psa: z.enum(PSA_KINDS),
  kind: z.enum(['company', 'ticket', 'contact', 'configuration', 'agreement', 'site', 'other']),
  id: z.string().min(1).max(64).optional(),
  /** What a ticket page shows of its company and contact (names), for when the PSA cannot be asked. */
  hints: z.object({ companyName: z.string().max(200).optional(), contactName: z.string().max(200).optional() }).optional(),
});

const vaultStatusSchema = z.union([z.object({ protected: z.literal(false) }), z.object({ protected: z.literal(true), locked: z.boolean() })]);

const rulesRequest = z.object({ integrationId: id, rules: z.array(z.object({ typeName: z.string().max(200), layoutId: id })).max(500) });

const syncOptionsRequest = z.object({
  integrationId: id,
  options: z.object({
    skip: skipOptionsSchema,
    autoUpdateNames: z.boolean(),
    autoArchiveDeletedDevices: z.boolean(),
    keepCompanyDetails: z.boolean(),
    apiSharePercent: apiSharePercentSchema.optional(),
  }),
});

const changeKind = z.enum(['create', 'update', 'move', 'archive']);
/** What a sync or a rule/option change would do (its type: lib/db/change-preview.ts). */
export const changePreviewSchema = z.object({
  counts: z.record(changeKind, z.number()),
  samples: z.array(z.object({ entity: z.enum(ENTITY_KINDS), name: z.string(), change: changeKind, detail: z.string().optional() })),
  notes: z.array(z.string()),
});

/** Form values as typed; each PSA's form spec validates them in the background. */
export const formValuesSchema = z.record(z.string().max(40), z.string().max(2000)).refine((values) => Object.keys(values).length <= 20, 'Too many fields.');

interface Channel<Req extends z.ZodType, Res extends z.ZodType> {
  allowed: readonly SenderClass[];
  request: Req;
  response: Res;
}
const channel = <Req extends z.ZodType, Res extends z.ZodType>(allowed: readonly SenderClass[], request: Req, response: Res): Channel<Req, Res> => ({
  allowed,
  request,
  response,
});

const PAGES = ['extension-page'] as const;
const teamSettingsRequest = z.object({
  serverUrl: z.string().max(2_000),
  database: z.string().max(1_000),
  username: z.string().max(1_000),
  password: z.string().max(10_000),
});
const teamTestSchema = z.union([
  z.object({ ok: z.literal(true), state: z.enum(['empty', 'joined-team']), message: z.string() }),
  z.object({ ok: z.literal(false), message: z.string(), field: z.string().optional() }),
]);

/** Where a new note or credential goes, as a page names it: a client space, or a record of one of this browser's integrations. */
const placeRequest = (what: string) =>
  z.union([z.object({ spaceId: id }), z.object({ integrationId: id, entity: z.enum(DOCUMENTED_ENTITIES), remoteId: id })], {
    error: `A ${what} belongs to a client space, or to a configuration, contact or site.`,
  });

const savedSchema = z.object({ id: z.string(), rev: z.string(), changed: z.boolean() });

export const channels = {
  'integration.save': channel(
    PAGES,
    z.object({ integrationId: id.optional(), psa: z.enum(PSA_KINDS), form: formValuesSchema }),
    z.object({ integrationId: id, note: z.string().optional() }),
  ),
  'integration.test': channel(
    PAGES,
    z.object({ integrationId: id }),
    z.object({
      companyName: z.string(),
      version: z.string().optional(),
      /** The rights Sidecar's writes need (#16): allowed null when the PSA cannot say without a write. */
      writeRights: z.array(z.object({ what: z.string(), usedFor: z.string(), allowed: z.boolean().nullable() })).optional(),
    }),
  ),
  'integration.remove': channel(PAGES, z.object({ integrationId: id }), z.object({ removed: z.boolean() })),
  'sync.start': channel(
    PAGES,
    z.object({ integrationId: id.optional() }),
    z.object({ runs: z.array(z.object({ integrationId: id, runId: id, alreadyRunning: z.boolean() })) }),
  ),
  /** Stops the integration's running sync; the next start resumes it from its last commit. */
  'sync.stop': channel(PAGES, z.object({ integrationId: id }), z.object({ stopped: z.boolean() })),
  /** Turns an integration off (nothing syncs from it or is written to it) or on again, without removing it. */
  'integration.enable': channel(PAGES, z.object({ integrationId: id, enabled: z.boolean() }), z.object({ enabled: z.boolean() })),
  'sync.preview': channel(PAGES, z.object({ integrationId: id }), z.object({ runId: id, alreadyRunning: z.boolean() })),
  'sync.preview.dismiss': channel(PAGES, z.object({ runId: id }), z.object({ dismissed: z.boolean() })),
  'match.apply': channel(
    PAGES,
    z.object({ integrationId: id, decisions: z.array(matchDecisionSchema).min(1).max(10_000) }),
    z.object({ matched: z.number(), created: z.number(), unmatched: z.number() }),
  ),
  'layouts.save': channel(
    PAGES,
    z.object({
      layout: z.object({
        id: id.optional(),
        name: z.string().max(200),
        active: z.boolean(),
        fields: z
          .array(z.object({ id: id.optional(), name: z.string().max(200), type: fieldTypeSchema.optional(), options: choicesSchema.optional() }))
          .max(MAX_LAYOUT_FIELDS),
      }),
    }),
    z.object({ layoutId: id, moved: z.number() }),
  ),
  'integration.locations': channel(
    PAGES,
    z.object({ integrationId: id, syncLocations: z.object({ people: id, locations: id, configurations: id }) }),
    z.object({ moved: z.number() }),
  ),
  'integration.configurationTypes': channel(PAGES, z.object({ integrationId: id }), z.object({ types: z.array(z.string()), note: z.string().optional() })),
  'rules.save': channel(PAGES, rulesRequest, z.object({ moved: z.number() })),
  'integration.syncOptions': channel(PAGES, syncOptionsRequest, z.object({ archived: z.number() })),
  'integration.syncOptions.preview': channel(PAGES, syncOptionsRequest, changePreviewSchema),
  'rules.preview': channel(PAGES, rulesRequest, changePreviewSchema),
  'fields.connect': channel(
    PAGES,
    z.object({ integrationId: id, connections: z.array(z.object({ layoutId: id, fieldId: id, source: z.string().max(1000) })).max(2000) }),
    z.object({ connected: z.number() }),
  ),
  'vault.status': channel(PAGES, z.object({}), vaultStatusSchema),
  'vault.unlock': channel(PAGES, z.object({ passphrase: z.string().min(1, 'Enter the passphrase.').max(1000) }), vaultStatusSchema),
  'vault.lock': channel(PAGES, z.object({}), vaultStatusSchema),
  /** Set, change (with `current`) or remove (`next` null) the passphrase. */
  'vault.passphrase': channel(PAGES, z.object({ next: z.string().max(1000).nullable(), current: z.string().max(1000).optional() }), vaultStatusSchema),
  'records.link': channel(PAGES, z.object({ integrationId: id, entity: z.enum(ENTITY_KINDS), remoteId: id }), z.object({ url: z.string().optional() })),
  /** The palette's "New ticket for <client>" and the options page: any synced company of this browser's integrations (#16). */
  'tickets.form': channel(PAGES, z.object({ integrationId: id, companyRemoteId: id, refresh: z.boolean().optional() }), ticketFormViewSchema),
  'tickets.preview': channel(PAGES, z.object({ integrationId: id, companyRemoteId: id, input: ticketInputSchema }), ticketPreviewSchema),
  'tickets.create': channel(PAGES, z.object({ integrationId: id, companyRemoteId: id, input: ticketInputSchema }), outboxItemSchema),
  /** The outbox as the popup shows it. */
  'tickets.outbox': channel(PAGES, z.object({}), z.object({ items: z.array(outboxItemSchema) })),
  'tickets.retry': channel(PAGES, z.object({ id }), z.object({ retried: z.boolean() })),
  'tickets.discard': channel(PAGES, z.object({ id }), z.object({ discarded: z.boolean() })),
  /** Ticket defaults, catch-all contact and rules of one integration, with the PSA's lists to pick from. */
  'tickets.settings': channel(PAGES, z.object({ integrationId: id, refresh: z.boolean().optional() }), ticketSettingsViewSchema),
  'tickets.settings.save': channel(PAGES, z.object({ integrationId: id, settings: ticketSettingsSchema }), z.object({ saved: z.literal(true) })),
  /** Billing counts (#16): settings with the PSA's products and each matched company's agreements and outcome. */
  'billing.settings': channel(PAGES, z.object({ integrationId: id }), billingViewSchema),
  'billing.settings.save': channel(PAGES, z.object({ integrationId: id, settings: billingSettingsSchema }), z.object({ saved: z.literal(true) })),
  /** Per company: product, quantity from -> to; nothing is written. */
  'billing.preview': channel(PAGES, z.object({ integrationId: id }), billingPlanSchema),
  /** "Sync now": writes the changed quantities (refused while the integration status is off). */
  'billing.run': channel(PAGES, z.object({ integrationId: id }), billingOutcomeSchema),
  'billing.log': channel(PAGES, z.object({ integrationId: id }), z.object({ entries: billingLogSchema })),
  /** The palette: search every client space (answered from the background's index, lib/search/service.ts). */
  'records.search': channel(
    PAGES,
    z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(100).default(30) }),
    z.object({
      // Records and the documents technicians write, ranked together (lib/search/results.ts); a document's href is always an extension page.
      results: z.array(
        z.discriminatedUnion('type', [
          z.object({
            type: z.literal('record'),
            key: z.string(),
            integrationId: z.string(),
            entity: z.enum(ENTITY_KINDS),
            remoteId: z.string(),
            kind: z.string(),
            clientSpace: z.string().optional(),
            source: z.string(),
            item,
          }),
          z.object({
            type: z.literal('document'),
            key: z.string(),
            id: z.string(),
            documentKind: z.enum(DOCUMENT_KINDS),
            kind: z.string(),
            title: z.string(),
            snippet: z.string().optional(),
            record: z.string().optional(),
            clientSpace: z.string(),
            href: z.string().regex(/^\/space\.html#\//),
          }),
        ]),
      ),
      indexed: z.boolean(),
    }),
  ),
  'records.restore': channel(PAGES, z.object({ integrationId: id, entity: z.enum(ENTITY_KINDS), remoteId: id }), z.object({ restored: z.boolean() })),
  'setup.import': channel(
    PAGES,
    z.object({
      text: z.string().max(20_000_000, 'The file is larger than 20 MB.'),
      /** The passphrase typed for the file's credentials (lib/setup/documents.ts). */
      passphrase: z.string().max(1000, 'The passphrase is too long: at most 1,000 characters.').optional(),
    }),
    z.object({
      layouts: z.number(),
      clientSpaces: z.number(),
      integrations: z.number(),
      notConfigured: z.array(z.string()),
      moved: z.number(),
      documents: z.number(),
      documentsUnchanged: z.number(),
    }),
  ),
  /** The setup file with documentation; credentials only with `credentials` (opened and sealed again in the background). */
  'setup.export': channel(
    PAGES,
    z.strictObject({
      credentials: z.strictObject({ passphrase: z.string().max(1000, 'The passphrase is too long: at most 1,000 characters.') }).optional(),
    }),
    z.object({ text: z.string(), fileName: z.string(), documents: z.number(), credentials: z.number() }),
  ),
  'author.save': channel(PAGES, z.object({ name: z.string().max(1000) }), z.object({ name: z.string() })),
  /**
   * The team (lib/team, #15): test settings against the server (writes nothing), join (or set up
   * an empty team database), leave, restart the replication. Generous limits: the background's
   * own parser gives the precise message at the field.
   */
  'team.test': channel(PAGES, teamSettingsRequest, teamTestSchema),
  /** After a person allowed a PSA site the team brought: its pages get the overlay (content scripts registered anew). */
  'integration.refreshPages': channel(PAGES, z.object({}), z.object({ refreshed: z.boolean() })),
  'team.join': channel(PAGES, teamSettingsRequest.extend({ passphrase: z.string().max(10_000) }), z.object({ created: z.boolean(), teamId: z.string() })),
  'team.leave': channel(PAGES, z.object({}), z.object({ left: z.boolean() })),
  'team.restart': channel(PAGES, z.object({}), z.object({ restarted: z.boolean() })),
  /** Who holds each PSA tenant's sync lease (lib/team/lease.ts), with this browser's integration's name for it. */
  'team.leases': channel(
    PAGES,
    z.object({}),
    z.object({ leases: z.array(z.object({ label: z.string(), holder: z.string(), mine: z.boolean(), live: z.boolean(), expiresAt: z.number() })) }),
  ),
  /** Client spaces by hand (lib/match/spaces.ts): create, rename (the name then stays), archive or restore, merge one into another. */
  'spaces.create': channel(PAGES, z.object({ name: z.string().max(10_000) }), z.object({ spaceId: z.string(), name: z.string() })),
  'spaces.rename': channel(PAGES, z.object({ spaceId: id, name: z.string().max(10_000) }), z.object({ name: z.string() })),
  'spaces.archive': channel(PAGES, z.object({ spaceId: id, archived: z.boolean() }), z.object({ archived: z.boolean() })),
  'spaces.merge': channel(PAGES, z.object({ fromId: id, intoId: id }), z.object({ matches: z.number(), documents: z.number() })),
  /** Technicians' documentation (lib/documents): a pinned note on a client space or a record. */
  'docs.note.save': channel(
    PAGES,
    z.object({
      id: z.string().max(300).optional(),
      baseRev: z.string().max(200).optional(),
      place: placeRequest('note').optional(),
      // Generous here: the store's schema gives the precise limit at the field.
      text: z.string().max(2_000_000),
    }),
    savedSchema,
  ),
  'docs.article.save': channel(
    PAGES,
    z.object({
      id: z.string().max(300).optional(),
      baseRev: z.string().max(200).optional(),
      spaceId: id.nullable(),
      title: z.string().max(1000),
      body: z.string().max(5_000_000),
    }),
    savedSchema,
  ),
  /** A hand-filled value of a layout's custom field on a record (null clears it). */
  'docs.field.save': channel(
    PAGES,
    z.object({
      integrationId: id,
      entity: z.enum(DOCUMENTED_ENTITIES),
      remoteId: id,
      layoutId: id,
      fieldId: id,
      baseRev: z.string().max(200).optional(),
      value: z.object({ type: z.string().max(20), v: z.union([z.string().max(100_000), z.number(), z.boolean()]) }).nullable(),
    }),
    savedSchema,
  ),
  /** Into the bin (restorable for 30 days), out of it, and back to an earlier version. */
  'docs.bin': channel(PAGES, z.object({ id: z.string().max(300), baseRev: z.string().max(200) }), savedSchema),
  'docs.unbin': channel(PAGES, z.object({ id: z.string().max(300), baseRev: z.string().max(200) }), savedSchema),
  'docs.history': channel(
    PAGES,
    z.object({ id: z.string().max(300) }),
    z.object({
      entries: z.array(
        z.object({
          rev: z.string(),
          current: z.boolean(),
          reason: z.enum(['edit', 'restore', 'conflict', 'bin']).optional(),
          updatedAt: z.number(),
          updatedBy: z.object({ installId: z.string(), name: z.string() }),
          content: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
  ),
  'docs.version.restore': channel(PAGES, z.object({ id: z.string().max(300), rev: z.string().max(200), baseRev: z.string().max(200) }), savedSchema),
  /**
   * A credential (lib/documents/credentials.ts): name, user name and URL in the clear, the rest
   * sealed. On an edit a blank or absent secret keeps the current one, an absent seed or notes too
   * (blank removes them).
   */
  'docs.credential.save': channel(
    PAGES,
    z.object({
      id: z.string().max(300).optional(),
      baseRev: z.string().max(200).optional(),
      place: placeRequest('credential').optional(),
      // Generous here: the store's schema and the sealing give the precise limits at the field.
      name: z.string().max(1000),
      username: z.string().max(1000).optional(),
      url: z.string().max(5000).optional(),
      secret: z.string().max(20_000).optional(),
      otpSeed: z.string().max(1000).optional(),
      notes: z.string().max(40_000).optional(),
    }),
    savedSchema,
  ),
  /** A credential's sealed parts, opened for the client-space page's Reveal (never for a content script). */
  'docs.credential.reveal': channel(
    PAGES,
    z.object({ id: z.string().max(300) }),
    z.object({ secret: z.string(), otpSeed: z.string().optional(), notes: z.string().optional() }),
  ),
  'schedule.save': channel(
    PAGES,
    z.object({
      intervalHours: z.number().int().min(1).max(24),
      quiet: z.object({ fromHour: z.number().int().min(0).max(23), toHour: z.number().int().min(0).max(23) }).nullable(),
    }),
    z.object({ intervalHours: z.number() }),
  ),
  'sync.company': channel(
    PAGES,
    z.object({ integrationId: id, companyRemoteId: id }),
    // `readFirst`: the integration's sync was running and reads these lists of the company first.
    z.object({ runId: id, alreadyRunning: z.boolean(), readFirst: z.array(z.enum(ENTITY_KINDS)).optional() }),
  ),
  /** "Refresh now" in the overlay: resync the page's (matched) company on the sender's own PSA. */
  'overlay.refresh': channel(
    ['content-script'],
    z.object({ companyRemoteId: id }),
    z.object({ status: z.enum(['running', 'succeeded', 'failed']), message: z.string().optional() }),
  ),
  /** "Match" in the overlay: the page's company, to its best suggestion or a new client space (decided in the background). */
  'overlay.match': channel(
    ['content-script'],
    z.object({ companyRemoteId: id }),
    z.object({ clientSpaceName: z.string(), created: z.boolean(), status: z.enum(['running', 'succeeded', 'failed']), message: z.string().optional() }),
  ),
  /** Which PSA the sender's own origin is configured as (custom domains carry no PSA name). */
  'overlay.context': channel(['content-script'], z.object({}), z.object({ psa: z.enum(PSA_KINDS).nullable() })),
  'overlay.forPage': channel(['content-script'], z.object({ page: pageSchema }), overlayViewSchema),
  /**
   * A pinned note from the overlay: on the page's own (served, matched) company's client space, or
   * on one of that company's records. Names no space: the background works it out.
   */
  'overlay.note.save': channel(
    ['content-script'],
    z.object({
      companyRemoteId: id,
      about: z.union([z.object({ kind: z.literal('space') }), z.object({ kind: z.literal('record'), entity: z.enum(DOCUMENTED_ENTITIES), remoteId: id })]),
      noteId: z.string().max(300).optional(),
      baseRev: z.string().max(200).optional(),
      text: z.string().max(100_000),
    }),
    savedSchema,
  ),
  /** A hand-filled custom field value from the overlay, on a record of the page's own (served) company. */
  'overlay.field.save': channel(
    ['content-script'],
    z.object({
      companyRemoteId: id,
      entity: z.enum(DOCUMENTED_ENTITIES),
      remoteId: id,
      fieldId: id,
      baseRev: z.string().max(200).optional(),
      value: z.object({ type: z.string().max(20), v: z.union([z.string().max(100_000), z.number(), z.boolean()]) }).nullable(),
    }),
    savedSchema,
  ),
  /** "Open in Sidecar": the client-space page of the page's own (served, matched) company, in a new tab. */
  'overlay.openSpace': channel(
    ['content-script'],
    z.object({ companyRemoteId: id, articleId: z.string().max(300).optional() }),
    z.object({ opened: z.boolean() }),
  ),
  /**
   * "Copy" in the overlay: a credential of the page's own (served, matched) company's client, put on
   * the clipboard by the background. The answer never holds the secret; the request names no space.
   */
  'overlay.credential.copy': channel(
    ['content-script'],
    z.strictObject({ companyRemoteId: id, credentialId: z.string().min(1).max(300) }),
    z.object({ copied: z.literal(true), clearsInSeconds: z.number().int().min(0) }),
  ),
  /** The ticket form for the page's own (served) company: the PSA's lists and the company's records (#16). */
  'overlay.ticket.form': channel(['content-script'], z.strictObject({ companyRemoteId: id, refresh: z.boolean().optional() }), ticketFormViewSchema),
  /** What a ticket for the page's company would be, and why (rules, defaults): nothing is sent. */
  'overlay.ticket.preview': channel(['content-script'], z.strictObject({ companyRemoteId: id, input: ticketInputSchema }), ticketPreviewSchema),
  /** "Create ticket" in the overlay: into the outbox for the page's own company, sent at once when the PSA answers. */
  'overlay.ticket.create': channel(['content-script'], z.strictObject({ companyRemoteId: id, input: ticketInputSchema }), outboxItemSchema),
  /** "Open Sidecar’s options" from the overlay (content scripts cannot open it themselves). */
  'overlay.openOptions': channel(['content-script'], z.object({}), z.object({ opened: z.boolean() })),
  /**
   * The overlay's host (this tab's content script) says which secret its frame must be handed
   * with its port; the frame (an extension page in that tab) asks for it. A frame the PSA page
   * loaded or re-navigated itself can never be handed a port of the page's making.
   */
  'overlay.frame.register': channel(['content-script'], z.object({ secret: z.string().regex(/^[0-9a-f]{48}$/) }), z.object({ registered: z.boolean() })),
  'overlay.frame.secret': channel(PAGES, z.object({}), z.object({ secret: z.string().nullable() })),
  /** The page shows no record any more (single-page navigation): its tab's badge goes. */
  'overlay.left': channel(['content-script'], z.object({}), z.object({ cleared: z.boolean() })),
} as const;

export type ChannelName = keyof typeof channels;
export type RequestOf<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;

/** What travels: {channel, payload} one way, an envelope back. */
export const envelopeSchema = z.object({ channel: z.string().max(100), payload: z.unknown() });

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type WireError = z.infer<typeof errorSchema>;

export const replySchema = z.union([z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), error: errorSchema })]);
export type Reply = z.infer<typeof replySchema>;
