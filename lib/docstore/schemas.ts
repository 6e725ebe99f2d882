import { z } from 'zod';
import { ENTITY_KINDS } from '../psa/types';
import { DOC_LIMITS } from './limits';
import { refusedLink } from './links';

/**
 * The documents technicians write, as stored in the documentation store and replicated to the
 * team (docs/design/documentation-store.md §2). Loose objects: an install that edits a document a
 * newer teammate wrote keeps the fields it does not know. Each is parsed where it is read and
 * before it is written; a failure names the field.
 */

const stamp = z.number().int().nonnegative();
export const authorSchema = z.object({ installId: z.string().min(1).max(100), name: z.string().max(DOC_LIMITS.nameChars) });

/** A PSA tenant, the same on every install (e.g. "connectwise:na.myconnectwise.net:acme"). */
const sourceKey = z.string().min(1).max(300);
export const recordRefSchema = z.object({ source: sourceKey, entity: z.enum(ENTITY_KINDS), remoteId: z.string().min(1).max(100) });
const placeSchema = z.union([z.object({ spaceId: z.string().min(1).max(100) }), z.object({ record: recordRefSchema })]);

/**
 * On a document whose two (or more) edits met as a replication conflict: each losing revision kept
 * as a version (reason 'conflict'), by whom and when it was written, so the page can say so.
 * Derived from the losing revisions only, so every replica writes the same marker
 * (lib/documents/conflicts.ts); the next save by a person drops it (lib/documents/write.ts).
 */
export const MAX_CONFLICT_KEPT = 100;
export const conflictKeptSchema = z
  .array(z.looseObject({ versionId: z.string().min(1).max(400), updatedBy: authorSchema, updatedAt: stamp }))
  .max(MAX_CONFLICT_KEPT);

const base = {
  _id: z.string().min(1).max(300),
  _rev: z.string().optional(),
  schema: z.literal(1),
  createdAt: stamp,
  createdBy: authorSchema,
  updatedAt: stamp,
  updatedBy: authorSchema,
  binnedAt: stamp.optional(),
  binnedBy: authorSchema.optional(),
  conflictKept: conflictKeptSchema.optional(),
};

const name = z.string().trim().min(1, 'A name is needed.').max(DOC_LIMITS.nameChars, `At most ${DOC_LIMITS.nameChars} characters.`);

export const spaceDocSchema = z.looseObject({
  ...base,
  kind: z.literal('space'),
  name,
  nameFollows: z.object({ source: sourceKey, companyRemoteId: z.string().min(1).max(100) }).optional(),
  archivedAt: stamp.optional(),
  mergedInto: z.string().min(1).max(100).optional(),
  mergedAt: stamp.optional(),
  mergedBy: authorSchema.optional(),
});

export const noteDocSchema = z.looseObject({
  ...base,
  kind: z.literal('note'),
  place: placeSchema,
  text: z
    .string()
    .trim()
    .min(1, 'A note needs some text.')
    .superRefine((text, context) => {
      // Lines first: a pasted log is long in both ways, and lines are what the person can see.
      if (text.split('\n').length > DOC_LIMITS.noteLines) {
        context.addIssue({ code: 'custom', message: `A note holds at most ${DOC_LIMITS.noteLines} lines; write an article for more.` });
      } else if (text.length > DOC_LIMITS.noteChars) {
        context.addIssue({
          code: 'custom',
          message: `A note holds at most ${DOC_LIMITS.noteChars.toLocaleString('en')} characters; write an article for more.`,
        });
      }
    }),
});

export const articleDocSchema = z.looseObject({
  ...base,
  kind: z.literal('article'),
  /** null: the MSP's own procedures, shown for every client. */
  spaceId: z.string().min(1).max(100).nullable(),
  title: name,
  body: z
    .string()
    .refine((body) => new TextEncoder().encode(body).length <= DOC_LIMITS.articleBytes, 'An article holds at most 1 MB of text.')
    .superRefine((body, context) => {
      const link = refusedLink(body);
      if (link !== undefined) context.addIssue({ code: 'custom', message: `Links may only be http(s) or mailto: "${link.slice(0, 60)}" is not.` });
    }),
});

const text = (max: number) => z.string().max(max, `At most ${max.toLocaleString('en')} characters.`);
export const fieldValueSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), v: text(DOC_LIMITS.fieldTextChars).refine((value) => !value.includes('\n'), 'One line only.') }),
  z.object({ type: z.literal('multiline'), v: text(DOC_LIMITS.fieldMultilineChars) }),
  z.object({ type: z.literal('url'), v: z.url({ protocol: /^https?$/, error: 'Enter a web address starting with http:// or https://.' }) }),
  z.object({ type: z.literal('choice'), v: text(DOC_LIMITS.nameChars) }),
  z.object({ type: z.literal('number'), v: z.number({ error: 'Enter a number.' }).finite() }),
  z.object({ type: z.literal('date'), v: z.iso.date({ error: 'Enter a date as YYYY-MM-DD.' }) }),
  z.object({ type: z.literal('yesno'), v: z.boolean({ error: 'Yes or no.' }) }),
]);

export const fieldDocSchema = z.looseObject({
  ...base,
  kind: z.literal('field'),
  record: recordRefSchema,
  layoutId: z.string().min(1).max(100),
  fieldId: z.string().min(1).max(100),
  value: fieldValueSchema,
});

/** AES-GCM box under a documentation key (`keyId`); opened only in the background. */
const sealedSchema = z.object({ keyId: z.string().min(1).max(200), iv: z.string().min(1), data: z.string().min(1) });
export const credentialDocSchema = z.looseObject({
  ...base,
  kind: z.literal('credential'),
  place: placeSchema,
  name,
  url: z.url({ protocol: /^https?$/, error: 'Enter a web address starting with http:// or https://.' }).optional(),
  username: text(DOC_LIMITS.nameChars).optional(),
  sealed: sealedSchema,
});

/**
 * The team's shared setup (#15): what one member decides reaches every member. A PSA tenant an
 * integration syncs (settings without secrets, sync options, sort rules), a company's match to a
 * client space, a layout. Keyed by the tenant (`source`), never by an install's integration id.
 */
export const sourceDocSchema = z.looseObject({
  ...base,
  kind: z.literal('source'),
  source: sourceKey,
  psa: z.enum(['connectwise', 'halo', 'kaseya-bms']),
  label: z.string().min(1).max(300),
  settings: z.record(z.string(), z.unknown()),
  uiOrigin: z.string().min(1).max(300),
  origins: z.array(z.string().min(1).max(300)).max(10),
  options: z.record(z.string(), z.unknown()).optional(),
  sortRules: z.array(z.object({ typeName: z.string().min(1).max(300), layoutId: z.string().min(1).max(100) })).max(1_000),
  lastSyncAt: stamp.optional(),
});

export const matchDocSchema = z.looseObject({
  ...base,
  kind: z.literal('match'),
  source: sourceKey,
  companyRemoteId: z.string().min(1).max(100),
  state: z.enum(['matched', 'unmatched']),
  clientSpaceId: z.string().min(1).max(100).optional(),
  decidedAt: stamp,
});

export const layoutDocSchema = z.looseObject({
  ...base,
  kind: z.literal('layout'),
  name: z.string().min(1).max(DOC_LIMITS.nameChars),
  role: z.enum(['people', 'locations', 'configurations']).optional(),
  active: z.boolean(),
  primary: z.boolean().optional(),
  fields: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(100),
        name: z.string().min(1).max(DOC_LIMITS.nameChars),
        type: z.enum(['text', 'multiline', 'number', 'date', 'url', 'yesno', 'choice']).optional(),
        options: z.array(z.string().max(DOC_LIMITS.nameChars)).max(200).optional(),
      }),
    )
    .max(200)
    .optional(),
});

export const DOC_KINDS = ['space', 'note', 'article', 'field', 'credential', 'version', 'source', 'match', 'layout'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const versionDocSchema = z.looseObject({
  ...base,
  kind: z.literal('version'),
  of: z.string().min(1).max(300),
  ofKind: z.enum(DOC_KINDS),
  rev: z.string().min(1),
  content: z.record(z.string(), z.unknown()),
  reason: z.enum(['edit', 'restore', 'conflict', 'bin']),
});

export const documentSchema = z.discriminatedUnion('kind', [
  sourceDocSchema,
  matchDocSchema,
  layoutDocSchema,
  spaceDocSchema,
  noteDocSchema,
  articleDocSchema,
  fieldDocSchema,
  credentialDocSchema,
  versionDocSchema,
]);
export type SpaceDoc = z.infer<typeof spaceDocSchema>;
export type SourceDoc = z.infer<typeof sourceDocSchema>;
export type MatchDoc = z.infer<typeof matchDocSchema>;
export type LayoutDoc = z.infer<typeof layoutDocSchema>;
export type NoteDoc = z.infer<typeof noteDocSchema>;
export type ArticleDoc = z.infer<typeof articleDocSchema>;
export type FieldDoc = z.infer<typeof fieldDocSchema>;
export type CredentialDoc = z.infer<typeof credentialDocSchema>;
export type VersionDoc = z.infer<typeof versionDocSchema>;
export type DocumentDoc = z.infer<typeof documentSchema>;
export type RecordRef = z.infer<typeof recordRefSchema>;
export type Author = z.infer<typeof authorSchema>;
export type ConflictKept = z.infer<typeof conflictKeptSchema>[number];
