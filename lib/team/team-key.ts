import { aesKey, decrypt, encrypt } from '../secrets/aes';
import { fromBase64, randomBytes, toBase64 } from '../secrets/codec';
import { passphraseKey } from '../secrets/kdf';
import { TEAM_DOC_ID, TEAM_KDF_MIN_ITERATIONS, type TeamDoc } from './team-doc';

/**
 * The team key: random, made by the first member, wrapped under the team passphrase's key in the
 * team document. Members unwrap it with the passphrase; AES-GCM's tag tells a wrong passphrase
 * apart before anything is written (lib/team/team-doc.ts).
 */

export const MIN_TEAM_PASSPHRASE = 12;

export class TeamPassphraseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamPassphraseError';
  }
}

/** Checks a new team passphrase; the message is the person's to read. */
export function teamPassphraseProblem(passphrase: string): string | undefined {
  if (passphrase.trim().length < MIN_TEAM_PASSPHRASE) return `The team passphrase must be at least ${MIN_TEAM_PASSPHRASE} characters.`;
  if (passphrase.length > 1_000) return 'The team passphrase is too long: at most 1,000 characters.';
  return undefined;
}

/** A new team: its document (to put on the server) and the raw team key (to keep sealed in this browser's vault). */
export async function newTeam(
  passphrase: string,
  createdBy: TeamDoc['createdBy'],
  iterations = TEAM_KDF_MIN_ITERATIONS,
  now = Date.now(),
): Promise<{ doc: TeamDoc; rawKey: Uint8Array<ArrayBuffer> }> {
  const problem = teamPassphraseProblem(passphrase);
  if (problem) throw new TeamPassphraseError(problem);
  const salt = randomBytes(16);
  const rawKey = randomBytes(32);
  const wrappedKey = await encrypt(await passphraseKey(passphrase, salt, iterations), rawKey);
  const doc: TeamDoc = {
    _id: TEAM_DOC_ID,
    kind: 'team',
    schema: 1,
    teamId: crypto.randomUUID(),
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) },
    wrappedKey,
    createdAt: now,
    createdBy,
  };
  return { doc, rawKey };
}

/** The team key from the team document and the passphrase; a wrong passphrase throws TeamPassphraseError. */
export async function unwrapTeamKey(doc: TeamDoc, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await passphraseKey(passphrase, fromBase64(doc.kdf.salt), doc.kdf.iterations);
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = await decrypt(key, doc.wrappedKey);
  } catch {
    throw new TeamPassphraseError('The team passphrase is wrong: it does not open this team’s key. Nothing was changed.');
  }
  if (raw.length !== 32) throw new TeamPassphraseError('This team’s key is damaged: ask the member who set the team up.');
  // Importing proves it is a usable AES key before anything is stored.
  await aesKey(raw);
  return raw;
}
