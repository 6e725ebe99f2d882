import { z } from 'zod';
import { choicesSchema, fieldTypeSchema } from '../layouts/field-types';
import { MAX_LAYOUT_FIELDS } from '../layouts/limits';
import { clientSpaceNameSchema } from '../match/client-space-name';
import { PSA_KINDS } from '../psa/types';
import { apiSharePercentSchema, skipOptionsSchema } from '../sync/options-schema';

/**
 * The setup file: layouts, client spaces, and per integration its options, sort rules and company
 * matches; with them, the documentation technicians wrote (notes, articles, hand-filled field
 * values: `documents`, lib/setup/documents.ts) and, only when asked, the credentials, their secret
 * parts sealed under a passphrase typed for the file (`credentialsKey`). Never the PSA credentials. Integrations are identified by PSA and web address, so a file
 * exported on one computer applies to the same PSAs configured on another.
 *
 * This schema checks the file's shape and bounds its size. What the options page would refuse
 * (layout names, repeated fields, rules, sync locations, connected fields) is checked by
 * lib/setup/import.ts with the options page's own rules (lib/layouts/validate.ts), against what
 * is already here.
 */
export const SETUP_FORMAT = 'sidecar-setup';
export const SETUP_VERSION = 1;

const id = z.string().min(1).max(100);
const fieldName = z.string().trim().min(1, 'A custom field needs a name.').max(200);

export const setupSchema = z.object({
  format: z.literal(SETUP_FORMAT),
  version: z.literal(SETUP_VERSION),
  exportedAt: z.string().optional(),
  layouts: z
    .array(
      z.object({
        id,
        name: z.string().max(200),
        active: z.boolean(),
        role: z.enum(['people', 'locations', 'configurations']).optional(),
        primary: z.boolean().optional(),
        fields: z
          .array(z.object({ id, name: fieldName, type: fieldTypeSchema.optional(), options: choicesSchema.optional() }))
          .max(MAX_LAYOUT_FIELDS)
          .default([]),
      }),
    )
    .max(1000),
  clientSpaces: z.array(z.object({ id, name: clientSpaceNameSchema })).max(100_000),
  integrations: z
    .array(
      z.object({
        psa: z.enum(PSA_KINDS),
        uiOrigin: z.string().url(),
        label: z.string().max(300).optional(),
        options: z
          .object({
            syncLocations: z.object({ people: id, locations: id, configurations: id }),
            skip: skipOptionsSchema.optional(),
            autoUpdateNames: z.boolean().optional(),
            autoArchiveDeletedDevices: z.boolean().optional(),
            keepCompanyDetails: z.boolean().optional(),
            apiSharePercent: apiSharePercentSchema.optional(),
            connectedFields: z
              .array(z.object({ layoutId: id, fieldId: id, source: z.string().max(1000) }))
              .max(2000)
              .optional(),
          })
          .optional(),
        sortRules: z.array(z.object({ typeName: z.string().max(200), layoutId: id })).max(500),
        matches: z.array(z.object({ companyRemoteId: id, state: z.enum(['matched', 'unmatched']), clientSpaceId: id.optional() })).max(100_000),
      }),
    )
    .max(50),
  /** Each checked against the documentation store's schema and its references by lib/setup/documents.ts. */
  documents: z
    .array(z.looseObject({ id: z.string().min(1).max(300), kind: z.enum(['note', 'article', 'field', 'credential']) }))
    .max(100_000)
    .optional(),
  /** How the file passphrase becomes the key of the credentials' `fileSealed` boxes: PBKDF2-SHA-256. */
  credentialsKey: z.object({ salt: z.base64().min(16).max(200), iterations: z.number().int().min(100_000).max(5_000_000) }).optional(),
});
export type SetupFile = z.infer<typeof setupSchema>;

/** Parses a setup file's text into a SetupFile or one message per problem, each naming where. */
export function parseSetup(text: string): { ok: true; setup: SetupFile } | { ok: false; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, errors: ['This is not a Sidecar setup file: it is not JSON.'] };
  }
  const format = z.object({ format: z.literal(SETUP_FORMAT) }).safeParse(raw);
  if (!format.success) {
    return { ok: false, errors: ['This is not a Sidecar setup file (it has no "format": "sidecar-setup"). Settings files of other tools cannot be imported.'] };
  }
  const head = z.object({ version: z.number().int().positive() }).safeParse(raw);
  if (!head.success) return { ok: false, errors: [`This Sidecar setup file has no valid "version" (a whole number such as ${SETUP_VERSION}).`] };
  if (head.data.version > SETUP_VERSION) {
    return { ok: false, errors: [`This setup file is version ${head.data.version}; this Sidecar reads version ${SETUP_VERSION}. Update Sidecar first.`] };
  }
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`) };
  }
  return { ok: true, setup: parsed.data };
}
