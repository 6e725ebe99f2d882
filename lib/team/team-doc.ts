import { z } from 'zod';

/**
 * The document that makes a CouchDB database a Sidecar team (#15), id `sidecar:team`, written once
 * by the first member. It holds no secret: the team key (AES-GCM-256, random) is stored wrapped
 * under a key derived from the team passphrase (PBKDF2-SHA-256, at least 600,000 iterations), so
 * the server and its admins never see the key, and a wrong passphrase fails to unwrap it (AES-GCM's
 * tag) before anything is written. Documentation credentials replicate sealed under the team key.
 */

export const TEAM_DOC_ID = 'sidecar:team';
export const TEAM_KDF_MIN_ITERATIONS = 600_000;

const base64 = z.base64().min(1).max(200);

export const teamDocSchema = z.looseObject({
  _id: z.literal(TEAM_DOC_ID),
  _rev: z.string().optional(),
  kind: z.literal('team'),
  schema: z.literal(1),
  /** Names the team key (`team:<teamId>` in sealed boxes), the same for every member. */
  teamId: z.uuid(),
  kdf: z.object({
    name: z.literal('PBKDF2'),
    hash: z.literal('SHA-256'),
    iterations: z.number().int().min(TEAM_KDF_MIN_ITERATIONS).max(10_000_000),
    salt: base64,
  }),
  /** The team key, sealed (AES-GCM) under the passphrase's key. */
  wrappedKey: z.object({ iv: base64, data: base64 }),
  createdAt: z.number().int().nonnegative(),
  createdBy: z.object({ installId: z.string().min(1).max(100), name: z.string().max(200) }),
});

export type TeamDoc = z.infer<typeof teamDocSchema>;

/** The `keyId` of boxes sealed under a team's key. */
export const teamKeyId = (teamId: string): string => `team:${teamId}`;
