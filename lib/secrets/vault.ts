import { z } from 'zod';
import type { SecretRow, SidecarDb, VaultRow } from '../db/schema';
import { aesKey, decrypt, encrypt, type Sealed } from './aes';
import { fromBase64, randomBytes, toBase64 } from './codec';
import { MIN_PASSPHRASE_LENGTH, PBKDF2_ITERATIONS, passphraseKey } from './kdf';

export type { Sealed } from './aes';

/**
 * Credentials at rest: each integration's credentials are sealed with AES-GCM-256 under one data
 * key, and so is the documentation key that seals the credentials technicians write (a `secrets`
 * row too, id `key:<keyId>`: lib/secrets/doc-key.ts). Without a passphrase the data key sits in IndexedDB beside them: obfuscation against a
 * casual look at the profile's files, not protection from malware running as the user. With a
 * passphrase the data key is stored only wrapped by a PBKDF2-SHA-256 key, and unwrapped into
 * `storage.session` (memory, trusted contexts only, gone when the browser closes) while unlocked.
 * Setting, changing or removing the passphrase makes a new data key (setPassphrase).
 */

/** Where the unlocked data key lives: `storage.session` in the extension, memory in tests. */
export interface SessionKeyStore {
  get(): Promise<string | undefined>;
  set(rawKey: string): Promise<void>;
  clear(): Promise<void>;
}

export type VaultStatus = { protected: false } | { protected: true; locked: boolean };

export class VaultError extends Error {
  /** `other-key`: a documentation box sealed with a key this browser does not hold (lib/secrets/doc-key.ts). */
  readonly code: 'locked' | 'wrong-passphrase' | 'invalid' | 'corrupt' | 'changed' | 'other-key';
  readonly field?: string;
  constructor(code: VaultError['code'], message: string, field?: string) {
    super(message);
    this.code = code;
    if (field) this.field = field;
  }
}

const credentialsSchema = z.record(z.string().max(200), z.string().max(10_000));
const VAULT_ID = 'vault';

/**
 * Every credential sealed under `next`: sealed ones opened with `previous` first, plaintext ones
 * (saved by a version before the vault) sealed for the first time. A sealed one that `previous`
 * cannot open is left as it is: it opened under no key before, and says "enter them again".
 */
async function resealAll(secrets: readonly SecretRow[], previous: CryptoKey | undefined, next: CryptoKey): Promise<SecretRow[]> {
  const resealed: SecretRow[] = [];
  for (const secret of secrets) {
    let plain: Uint8Array<ArrayBuffer> | undefined;
    if (secret.sealed) plain = previous ? await decrypt(previous, secret.sealed).catch(() => undefined) : undefined;
    else if (secret.credentials) plain = new TextEncoder().encode(JSON.stringify(secret.credentials));
    if (plain) resealed.push({ integrationId: secret.integrationId, sealed: await encrypt(next, plain) });
  }
  return resealed;
}

const sameRow = (a: VaultRow | undefined, b: VaultRow | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The same rows with the same sealed boxes (a fresh IV each time, so any re-seal shows) or plaintext. */
function sameSecrets(now: readonly SecretRow[], read: readonly SecretRow[]): boolean {
  const key = (row: SecretRow) => JSON.stringify([row.integrationId, row.sealed?.iv ?? null, row.sealed?.data ?? null, row.credentials ?? null]);
  const before = new Set(read.map(key));
  return now.length === read.length && now.every((row) => before.has(key(row)));
}

export class Vault {
  private readonly db: SidecarDb;
  private readonly session: SessionKeyStore;
  private readonly iterations: number;

  constructor(options: { db: SidecarDb; session: SessionKeyStore; iterations?: number }) {
    this.db = options.db;
    this.session = options.session;
    this.iterations = options.iterations ?? PBKDF2_ITERATIONS;
  }

  async status(): Promise<VaultStatus> {
    const row = await this.db.vault.get(VAULT_ID);
    if (!row?.wrapped) return { protected: false };
    return { protected: true, locked: !(await this.session.get()) };
  }

  /** Seals credentials for storage (the caller writes the result). */
  async seal(credentials: Record<string, string>): Promise<Sealed> {
    return encrypt(await this.dataKey(), new TextEncoder().encode(JSON.stringify(credentials)));
  }

  async open(sealed: Sealed): Promise<Record<string, string>> {
    const key = await this.dataKey();
    let plain: Uint8Array;
    try {
      plain = await decrypt(key, sealed);
    } catch {
      throw new VaultError('corrupt', 'Saved credentials could not be decrypted: enter them again in the integration’s form.');
    }
    const parsed = credentialsSchema.safeParse(JSON.parse(new TextDecoder().decode(plain)));
    if (!parsed.success) throw new VaultError('corrupt', 'Saved credentials are damaged: enter them again in the integration’s form.');
    return parsed.data;
  }

  async unlock(passphrase: string): Promise<void> {
    const row = await this.db.vault.get(VAULT_ID);
    if (!row?.wrapped || !row.salt) return; // nothing to unlock
    const raw = await this.unwrap(row, passphrase);
    await this.session.set(toBase64(raw));
  }

  async lock(): Promise<void> {
    await this.session.clear();
  }

  /**
   * Sets, changes (give `current`) or removes (`next` null) the passphrase. Each makes a new data
   * key and re-seals every `secrets` row under it (integrations' credentials and the documentation
   * key, whose boxes in documents are therefore never rewritten): a copy of the profile taken before (with
   * the old key in the clear, or wrapped by a passphrase that may have leaked, which is why one
   * changes it) opens nothing saved afterwards, and removing the passphrase does not put into the
   * clear the key that copies taken while it was set are sealed with.
   *
   * WebCrypto runs first, outside any transaction (awaiting it inside one lets Dexie commit
   * early). One transaction then checks that the vault row and every credential are still what
   * was read, and writes the new vault row and all re-sealed credentials, or nothing.
   */
  async setPassphrase(next: string | null, current?: string): Promise<VaultStatus> {
    if (next !== null && next.length < MIN_PASSPHRASE_LENGTH) {
      throw new VaultError('invalid', `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`, 'passphrase');
    }
    const row = await this.db.vault.get(VAULT_ID);
    let oldRaw: Uint8Array<ArrayBuffer> | undefined;
    if (row?.wrapped) {
      if (current === undefined) throw new VaultError('wrong-passphrase', 'Enter the current passphrase.', 'current');
      oldRaw = await this.unwrap(row, current);
    } else {
      if (next === null) return this.status(); // no passphrase to remove
      oldRaw = row?.rawKey ? fromBase64(row.rawKey) : undefined;
    }

    const secrets = await this.db.secrets.toArray();
    const newRaw = randomBytes(32);
    const resealed = await resealAll(secrets, oldRaw && (await aesKey(oldRaw)), await aesKey(newRaw));
    let updated: VaultRow;
    if (next === null) {
      updated = { id: VAULT_ID, rawKey: toBase64(newRaw) };
    } else {
      const salt = randomBytes(16);
      updated = {
        id: VAULT_ID,
        salt: toBase64(salt),
        iterations: this.iterations,
        wrapped: await encrypt(await passphraseKey(next, salt, this.iterations), newRaw),
      };
    }

    await this.db.transaction('rw', [this.db.vault, this.db.secrets], async () => {
      const [rowNow, secretsNow] = await Promise.all([this.db.vault.get(VAULT_ID), this.db.secrets.toArray()]);
      if (!sameRow(rowNow, row) || !sameSecrets(secretsNow, secrets)) {
        throw new VaultError(
          'changed',
          'Saved credentials changed while the passphrase was being set (another Sidecar window?). Nothing was changed: try again.',
        );
      }
      await this.db.vault.put(updated);
      await this.db.secrets.bulkPut(resealed);
    });
    if (next === null) await this.session.clear();
    else await this.session.set(toBase64(newRaw));
    return this.status();
  }

  private async unwrap(row: VaultRow, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
    try {
      return await decrypt(await passphraseKey(passphrase, fromBase64(row.salt!), row.iterations ?? PBKDF2_ITERATIONS), row.wrapped!);
    } catch {
      throw new VaultError('wrong-passphrase', 'That passphrase is not right.', 'current');
    }
  }

  private async createKey(): Promise<{ raw: Uint8Array<ArrayBuffer> }> {
    const raw = randomBytes(32);
    // Two contexts may create one at the same time: the first written wins, the other re-reads.
    await this.db.vault.add({ id: VAULT_ID, rawKey: toBase64(raw) }).catch(() => undefined);
    const stored = await this.db.vault.get(VAULT_ID);
    return { raw: stored?.rawKey ? fromBase64(stored.rawKey) : raw };
  }

  private async dataKey(): Promise<CryptoKey> {
    const row = await this.db.vault.get(VAULT_ID);
    if (row?.wrapped) {
      const unlocked = await this.session.get();
      if (!unlocked) throw new VaultError('locked', 'Sidecar is locked: enter your passphrase in Sidecar’s options to sync.');
      return aesKey(fromBase64(unlocked));
    }
    return aesKey(row?.rawKey ? fromBase64(row.rawKey) : (await this.createKey()).raw);
  }
}
