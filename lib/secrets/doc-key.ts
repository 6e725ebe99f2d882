import { z } from 'zod';
import type { SecretRow, SidecarDb } from '../db/schema';
import { aesKey, decrypt, encrypt } from './aes';
import { fromBase64, randomBytes, toBase64 } from './codec';
import { VaultError, type Vault } from './vault';

/**
 * The documentation key (DK): credentials technicians write into documents (which replicate to
 * the team) are sealed with AES-GCM-256 under a random DK, not under the vault's data key, so a
 * change of this browser's passphrase never rewrites a document. The DK is itself a sealed row of
 * the `secrets` table, id `key:<keyId>`, so `Vault.setPassphrase`, which re-seals every `secrets`
 * row in one transaction, re-wraps it with the integrations' credentials. Locked vault, locked DK.
 *
 * `keyId` says which key opens a box: `local:<random id>` for this browser's own key (made once,
 * on the first seal); a team key arrives with #15 under its own `keyId`.
 * docs/design/documentation-store.md §2, "Credentials".
 */

/**
 * `secrets` rows whose id starts with this hold a key, not an integration's credentials. Integration
 * ids are `crypto.randomUUID()` (lib/integrations/service.ts), which never contains a colon.
 */
export const KEY_ROW_PREFIX = 'key:';
export const isKeyRowId = (id: string): boolean => id.startsWith(KEY_ROW_PREFIX);

const LOCAL_KEY_ID_PREFIX = 'local:';
/** A team's key (#15), `team:<teamId>`: while this browser is in a team, new boxes are sealed under it. */
const TEAM_KEY_ID_PREFIX = 'team:';
export const isLocalKeyId = (keyId: string): boolean => keyId.startsWith(LOCAL_KEY_ID_PREFIX);
/** Attempts at creating the DK when the vault's data key changes meanwhile (a passphrase set in another window). */
const CREATE_ATTEMPTS = 3;

export const DOC_SECRET_LIMITS = { secretChars: 10_000, otpSeedChars: 200, notesChars: 20_000 } as const;

/** What a credential document seals. */
export interface DocSecret {
  secret: string;
  otpSeed?: string;
  notes?: string;
}

/** A sealed box as a credential document carries it (`credentialDocSchema.sealed`). */
export interface DocSealed {
  keyId: string;
  iv: string;
  data: string;
}

const count = (n: number) => n.toLocaleString('en-US');
/** An otpauth seed: RFC 4648 base32, optional padding. */
const BASE32 = /^[A-Z2-7]+=*$/;
const OTP_NOT_BASE32 = 'The one-time password seed must be base32: letters A to Z and digits 2 to 7 (spaces are ignored).';
const LOCKED = 'Sidecar is locked: enter your passphrase in Sidecar’s options to open or save credentials.';
const DAMAGED_BOX = 'This credential is damaged and cannot be opened: enter it again.';
const DAMAGED_KEY = 'This browser’s documentation key is damaged: credentials sealed with it cannot be opened here.';

const secretText = z
  .string({ error: 'The secret must be text.' })
  .max(DOC_SECRET_LIMITS.secretChars, `The secret is too long: at most ${count(DOC_SECRET_LIMITS.secretChars)} characters.`);
const notesText = z
  .string({ error: 'The notes must be text.' })
  .max(DOC_SECRET_LIMITS.notesChars, `The notes are too long: at most ${count(DOC_SECRET_LIMITS.notesChars)} characters.`);

/** What a caller gives: the seed's spaces are stripped and it is upper-cased; a blank seed is none. */
const inputSchema = z.strictObject(
  {
    secret: secretText,
    otpSeed: z
      .string({ error: 'The one-time password seed must be text.' })
      .max(DOC_SECRET_LIMITS.otpSeedChars, `The one-time password seed is too long: at most ${count(DOC_SECRET_LIMITS.otpSeedChars)} characters.`)
      .transform((seed) => seed.replace(/\s+/g, '').toUpperCase())
      .refine((seed) => seed === '' || BASE32.test(seed), OTP_NOT_BASE32)
      .optional(),
    notes: notesText.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown field: ${issue.keys.join(', ')}.` : undefined) },
);

/** What a box holds once opened (fields a newer version may add are dropped). */
const contentSchema = z.object({
  secret: secretText,
  otpSeed: z.string().max(DOC_SECRET_LIMITS.otpSeedChars).regex(BASE32).optional(),
  notes: notesText.optional(),
});

/** The DK row's content, sealed by the vault (`Vault.seal` takes a record of strings). */
const keyContentSchema = z.object({ key: z.base64() });

const boxSchema = z.object({ keyId: z.string().min(1).max(200), iv: z.string().min(1), data: z.string().min(1) });

function validInput(plain: DocSecret): DocSecret {
  const parsed = inputSchema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    throw new VaultError('invalid', issue.message, field);
  }
  const { secret, otpSeed, notes } = parsed.data;
  return { secret, ...(otpSeed ? { otpSeed } : {}), ...(notes !== undefined ? { notes } : {}) };
}

/** The vault's errors, said for documentation: locked (the vault's own message speaks of syncing) and damaged. */
function keyFailure(error: unknown): never {
  if (error instanceof VaultError && error.code === 'locked') throw new VaultError('locked', LOCKED);
  if (error instanceof VaultError && error.code === 'corrupt') throw new VaultError('corrupt', DAMAGED_KEY);
  throw error;
}

async function openKeyRow(vault: Vault, row: SecretRow): Promise<CryptoKey> {
  if (!row.sealed) throw new VaultError('corrupt', DAMAGED_KEY); // a key row is never written in the clear
  const parsed = keyContentSchema.safeParse(await vault.open(row.sealed).catch(keyFailure));
  const raw = parsed.success ? fromBase64(parsed.data.key) : undefined;
  if (raw?.length !== 32) throw new VaultError('corrupt', DAMAGED_KEY);
  return aesKey(raw);
}

/** This browser's own DK row: the first by id, should two ever exist (the creation below makes one). */
const localKeyRow = (db: SidecarDb) =>
  db.secrets
    .where('integrationId')
    .startsWith(KEY_ROW_PREFIX + LOCAL_KEY_ID_PREFIX)
    .first();

/**
 * This browser's DK, made on first use. The new key is sealed outside any transaction (WebCrypto
 * inside one lets Dexie commit early); one transaction then writes it only if no other context
 * wrote one meanwhile (that one is used instead, so two first seals end with one key) and the
 * vault row is still the one read before sealing: a passphrase set meanwhile made a new data key,
 * and a DK sealed under the old one would open nowhere (then it is made again under the new one).
 */
async function localKey(db: SidecarDb, vault: Vault): Promise<{ keyId: string; key: CryptoKey }> {
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
    const existing = await localKeyRow(db);
    if (existing) return { keyId: existing.integrationId.slice(KEY_ROW_PREFIX.length), key: await openKeyRow(vault, existing) };

    const vaultRow = await db.vault.get('vault');
    const raw = randomBytes(32);
    const keyId = `${LOCAL_KEY_ID_PREFIX}${crypto.randomUUID()}`;
    const sealed = await vault.seal({ key: toBase64(raw) }).catch(keyFailure);
    const outcome = await db.transaction('rw', [db.vault, db.secrets], async () => {
      const other = await localKeyRow(db);
      if (other) return other;
      if (JSON.stringify((await db.vault.get('vault')) ?? null) !== JSON.stringify(vaultRow ?? null)) return 'again';
      await db.secrets.add({ integrationId: KEY_ROW_PREFIX + keyId, sealed });
      return 'added';
    });
    if (outcome === 'added') return { keyId, key: await aesKey(raw) };
    if (outcome !== 'again') return { keyId: outcome.integrationId.slice(KEY_ROW_PREFIX.length), key: await openKeyRow(vault, outcome) };
  }
  throw new VaultError('changed', 'The passphrase changed while the credential was being saved (another Sidecar window?). Save it again.');
}

/** The team key row, when this browser is in a team (one team at a time: joining replaces it). */
const teamKeyRow = (db: SidecarDb) =>
  db.secrets
    .where('integrationId')
    .startsWith(KEY_ROW_PREFIX + TEAM_KEY_ID_PREFIX)
    .first();

/**
 * A team's key (`keyId` `team:<teamId>`) as a `secrets` row sealed by the vault, for the caller to
 * put in its own transaction with `TEAM_KEY_ROWS` deleted first (one team at a time). Sealed here,
 * outside any transaction (see localKey).
 */
export async function sealTeamKeyRow(vault: Vault, keyId: string, raw: Uint8Array<ArrayBuffer>): Promise<SecretRow> {
  if (!keyId.startsWith(TEAM_KEY_ID_PREFIX)) throw new Error(`Not a team key id: ${keyId}`);
  const sealed = await vault.seal({ key: toBase64(raw) }).catch(keyFailure);
  return { integrationId: KEY_ROW_PREFIX + keyId, sealed };
}

/** The id prefix of team key rows, for `where('integrationId').startsWith(…)`. */
export const TEAM_KEY_ROWS = KEY_ROW_PREFIX + TEAM_KEY_ID_PREFIX;

/** The key new boxes are sealed under: the team's while in a team, else this browser's own. */
async function sealingKey(db: SidecarDb, vault: Vault): Promise<{ keyId: string; key: CryptoKey }> {
  const team = await teamKeyRow(db);
  if (team) return { keyId: team.integrationId.slice(KEY_ROW_PREFIX.length), key: await openKeyRow(vault, team) };
  return localKey(db, vault);
}

/**
 * Seals a credential's secret parts for a document: `plain` is checked first (bad input creates
 * no key), then sealed under the team's key in a team, else this browser's DK, made on first use. Throws VaultError: `invalid`
 * (with the field), `locked`, `corrupt` (the DK is damaged), `changed` (see localKey).
 */
export async function sealDocSecret(db: SidecarDb, vault: Vault, plain: DocSecret): Promise<DocSealed> {
  const content = validInput(plain);
  const { keyId, key } = await sealingKey(db, vault);
  return { keyId, ...(await encrypt(key, new TextEncoder().encode(JSON.stringify(content)))) };
}

/**
 * Opens a box `sealDocSecret` made. Throws VaultError: `other-key` (a key this browser does not
 * hold, e.g. a teammate's), `locked`, `corrupt` (the box or the DK is damaged).
 */
export async function openDocSecret(db: SidecarDb, vault: Vault, sealed: DocSealed): Promise<DocSecret> {
  const box = boxSchema.safeParse(sealed);
  if (!box.success) throw new VaultError('corrupt', DAMAGED_BOX);
  const row = await db.secrets.get(KEY_ROW_PREFIX + box.data.keyId);
  if (!row) throw new VaultError('other-key', 'This credential was sealed with another key, which this browser does not hold.');
  const key = await openKeyRow(vault, row);
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder().decode(await decrypt(key, box.data)));
  } catch {
    throw new VaultError('corrupt', DAMAGED_BOX);
  }
  const parsed = contentSchema.safeParse(content);
  if (!parsed.success) throw new VaultError('corrupt', DAMAGED_BOX);
  const { secret, otpSeed, notes } = parsed.data;
  return { secret, ...(otpSeed !== undefined ? { otpSeed } : {}), ...(notes !== undefined ? { notes } : {}) };
}
