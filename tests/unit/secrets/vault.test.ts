import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidecarDb, type SecretRow, type VaultRow } from '@/lib/db/schema';
import { fromBase64 } from '@/lib/secrets/codec';
import { PBKDF2_ITERATIONS } from '@/lib/secrets/kdf';
import { memoryKeyStore } from '@/lib/secrets/session';
import { readCredentials, sealLegacySecrets } from '@/lib/secrets/store';
import { Vault, VaultError, type SessionKeyStore } from '@/lib/secrets/vault';

const SECRET = { publicKey: 'PUB-KEY-1234', privateKey: 'TOP-SECRET-PRIVATE-KEY', clientId: 'c1' };
let db: SidecarDb;
let session: SessionKeyStore;
let vault: Vault;

beforeEach(async () => {
  db = new SidecarDb(`vault-${Math.random()}`);
  session = memoryKeyStore();
  vault = new Vault({ db, session, iterations: 1000 });
});
afterEach(() => db.delete());

/** Everything Sidecar keeps in IndexedDB, as text. */
async function dump(): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()]));
  return JSON.stringify(tables);
}

describe('the credentials vault', () => {
  it('without a passphrase: sealed with AES-GCM, opened again, nothing in plaintext at rest', async () => {
    expect(await vault.status()).toEqual({ protected: false });
    const sealed = await vault.seal(SECRET);
    await db.secrets.put({ integrationId: 'cw', sealed });
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);
    expect(await dump()).not.toMatch(/TOP-SECRET|PUB-KEY/);
    // Each seal uses a fresh IV.
    expect((await vault.seal(SECRET)).iv).not.toBe(sealed.iv);
  });

  it('with a passphrase: the data key is stored only wrapped; locked means no credentials until unlocked', async () => {
    await db.secrets.put({ integrationId: 'cw', sealed: await vault.seal(SECRET) });
    await expect(vault.setPassphrase('short')).rejects.toMatchObject({ code: 'invalid', field: 'passphrase' });
    expect(await vault.setPassphrase('correct horse battery staple')).toEqual({ protected: true, locked: false });
    const row = await db.vault.get('vault');
    expect(row).not.toHaveProperty('rawKey');
    expect(row).toMatchObject({ iterations: 1000, salt: expect.any(String), wrapped: { iv: expect.any(String), data: expect.any(String) } });
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);

    await vault.lock();
    expect(await vault.status()).toEqual({ protected: true, locked: true });
    await expect(readCredentials(db, vault, 'cw')).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/locked/) });
    await expect(vault.unlock('wrong horse battery staple')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await vault.unlock('correct horse battery staple');
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);
    // A new context (restarted worker) sees the key in the session store, not on disk.
    expect(await readCredentials(db, new Vault({ db, session }), 'cw')).toEqual(SECRET);
    expect(await readCredentials(db, new Vault({ db, session: memoryKeyStore() }), 'cw').catch((error: unknown) => error)).toBeInstanceOf(VaultError);
  });

  it('changing needs the current passphrase; after removing it saved credentials still open', async () => {
    await db.secrets.put({ integrationId: 'cw', sealed: await vault.seal(SECRET) });
    await vault.setPassphrase('first passphrase here');
    await expect(vault.setPassphrase('second passphrase here')).rejects.toMatchObject({ code: 'wrong-passphrase', field: 'current' });
    await expect(vault.setPassphrase('second passphrase here', 'not the first one')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await vault.setPassphrase('second passphrase here', 'first passphrase here');
    await vault.lock();
    await expect(vault.unlock('first passphrase here')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await vault.unlock('second passphrase here');
    expect(await vault.setPassphrase(null, 'second passphrase here')).toEqual({ protected: false });
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);
  });

  it('uses PBKDF2-SHA-256 with at least 600,000 iterations by default', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const defaults = new Vault({ db, session: memoryKeyStore() });
    await defaults.setPassphrase('a long enough passphrase');
    expect((await db.vault.get('vault'))?.iterations).toBe(PBKDF2_ITERATIONS);
  });

  it('seals credentials an earlier version stored in plaintext, and a damaged row says what to do', async () => {
    await db.secrets.bulkPut([
      { integrationId: 'old', credentials: SECRET },
      { integrationId: 'new', sealed: await vault.seal({ key: 'v' }) },
    ]);
    expect(await readCredentials(db, vault, 'old')).toEqual(SECRET); // still usable before sealing
    expect(await sealLegacySecrets(db, vault)).toBe(1);
    expect(await db.secrets.get('old')).toEqual({ integrationId: 'old', sealed: expect.any(Object) });
    expect(await readCredentials(db, vault, 'old')).toEqual(SECRET);
    expect(await dump()).not.toMatch(/TOP-SECRET/);
    await db.secrets.put({ integrationId: 'bad', sealed: { iv: 'AAAAAAAAAAAAAAAA', data: 'AAAA' } });
    await expect(readCredentials(db, vault, 'bad')).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/enter them again/) });
  });
});

/** Opens a sealed box with a raw data key, by WebCrypto alone (not through the vault's code). */
async function openWith(rawKey: string, sealed: { iv: string; data: string }): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey('raw', fromBase64(rawKey), 'AES-GCM', false, ['decrypt']);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
  return JSON.parse(new TextDecoder().decode(plain)) as Record<string, string>;
}

/** The data key a passphrase unwraps from a copy of the vault row (what someone with that copy and the passphrase gets). */
async function unwrapCopy(row: VaultRow, passphrase: string): Promise<string> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(row.salt!), iterations: row.iterations! },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
  const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(row.wrapped!.iv) }, key, fromBase64(row.wrapped!.data));
  return btoa(String.fromCharCode(...new Uint8Array(raw)));
}

const HALO = { clientId: 'halo-id', clientSecret: 'HALO-SECRET-VALUE' };

/**
 * Issue #12: setting the first passphrase makes a new data key and re-seals every credential in
 * one transaction, so an earlier copy of the profile (whose vault row holds the old key in the
 * clear) opens nothing saved afterwards.
 *
 * Checked by hand to fail without their guards (lib/secrets/vault.ts), each removed, run, restored:
 * - with setPassphrase wrapping the old key again instead of a new one, the first two fail (the
 *   old key opens every credential);
 * - without the sameSecrets/sameRow check in the transaction, the concurrent-change case fails (the
 *   credential saved meanwhile is overwritten by a re-seal of what was read before);
 * - with the vault row written in its own transaction before the credentials, the write-error case
 *   fails (the vault holds the new key, the credentials are still under the old one);
 * - with plaintext rows left out of the re-seal, the plaintext case fails (they stay in the clear).
 */
describe('a new data key with each passphrase change', () => {
  const sealedRows = async () => (await db.secrets.toArray()) as (SecretRow & { sealed: { iv: string; data: string } })[];
  beforeEach(async () => {
    await db.secrets.bulkPut([
      { integrationId: 'cw', sealed: await vault.seal(SECRET) },
      { integrationId: 'halo', sealed: await vault.seal(HALO) },
    ]);
  });

  it('setting the first passphrase: the old raw key opens none of the credentials, saved before or after; the new key opens all', async () => {
    const oldVault = (await db.vault.get('vault'))!;
    const oldSecrets = await sealedRows();
    expect(await openWith(oldVault.rawKey!, oldSecrets[0]!.sealed)).toEqual(SECRET); // (the copy works before)

    await vault.setPassphrase('correct horse battery staple');
    const row = (await db.vault.get('vault'))!;
    expect(row).not.toHaveProperty('rawKey');
    const newKey = await unwrapCopy(row, 'correct horse battery staple');
    expect(newKey).not.toBe(oldVault.rawKey);

    await db.secrets.put({ integrationId: 'bms', sealed: await vault.seal({ password: 'SAVED-AFTERWARDS' }) });
    const after = await sealedRows();
    expect(after.map((secret) => secret.integrationId).sort()).toEqual(['bms', 'cw', 'halo']);
    for (const secret of after) {
      await expect(openWith(oldVault.rawKey!, secret.sealed), secret.integrationId).rejects.toThrow();
      expect(await openWith(newKey, secret.sealed)).toEqual(
        secret.integrationId === 'cw' ? SECRET : secret.integrationId === 'halo' ? HALO : { password: 'SAVED-AFTERWARDS' },
      );
    }
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);
    expect(await readCredentials(db, new Vault({ db, session }), 'halo')).toEqual(HALO);
  });

  it('changing and removing it make a new key too: the old passphrase and the key once wrapped open nothing saved afterwards', async () => {
    await vault.setPassphrase('first passphrase here');
    const protectedCopy = (await db.vault.get('vault'))!;
    const firstKey = await unwrapCopy(protectedCopy, 'first passphrase here');

    await vault.setPassphrase('second passphrase here', 'first passphrase here');
    for (const secret of await sealedRows()) await expect(openWith(firstKey, secret.sealed)).rejects.toThrow();
    const secondKey = await unwrapCopy((await db.vault.get('vault'))!, 'second passphrase here');

    await vault.setPassphrase(null, 'second passphrase here');
    const clear = (await db.vault.get('vault'))!;
    expect(clear).toEqual({ id: 'vault', rawKey: expect.any(String) });
    expect([firstKey, secondKey]).not.toContain(clear.rawKey);
    for (const secret of await sealedRows()) await expect(openWith(secondKey, secret.sealed)).rejects.toThrow();
    expect(await readCredentials(db, vault, 'cw')).toEqual(SECRET);
    expect(await readCredentials(db, vault, 'halo')).toEqual(HALO);
  });

  it('a credential saved while the passphrase is being set: refused with a clear message, nothing of the change written', async () => {
    const oldVault = (await db.vault.get('vault'))!;
    const savedMeanwhile = { integrationId: 'cw', sealed: await vault.seal({ ...SECRET, privateKey: 'NEW-PRIVATE-KEY' }) };
    // Another window saves the ConnectWise keys while this one derives the passphrase's key (after re-sealing, before writing).
    const deriveKey = crypto.subtle.deriveKey.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, 'deriveKey').mockImplementationOnce(async (...args: Parameters<SubtleCrypto['deriveKey']>) => {
      await db.secrets.put(savedMeanwhile);
      return deriveKey(...args);
    });
    try {
      await expect(vault.setPassphrase('correct horse battery staple')).rejects.toMatchObject({
        code: 'changed',
        message: 'Saved credentials changed while the passphrase was being set (another Sidecar window?). Nothing was changed: try again.',
      });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await db.vault.get('vault')).toEqual(oldVault);
    expect(await db.secrets.get('cw')).toEqual(savedMeanwhile);
    expect(await vault.status()).toEqual({ protected: false });
    expect(await session.get()).toBeUndefined();
    expect(await readCredentials(db, vault, 'cw')).toMatchObject({ privateKey: 'NEW-PRIVATE-KEY' });
    expect(await readCredentials(db, vault, 'halo')).toEqual(HALO);
    // Trying again works.
    await vault.setPassphrase('correct horse battery staple');
    expect(await readCredentials(db, vault, 'cw')).toMatchObject({ privateKey: 'NEW-PRIVATE-KEY' });
  });

  it('a write that fails half-way leaves the old vault and every credential as they were', async () => {
    const before = await dump();
    const oldKey = (await db.vault.get('vault'))!.rawKey!;
    const spy = vi.spyOn(db.secrets, 'bulkPut').mockRejectedValueOnce(new Error('QuotaExceededError (injected)'));
    try {
      await expect(vault.setPassphrase('correct horse battery staple')).rejects.toThrow(/injected/);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await dump()).toBe(before);
    expect(await vault.status()).toEqual({ protected: false });
    expect(await session.get()).toBeUndefined();
    for (const secret of await sealedRows()) expect(await openWith(oldKey, secret.sealed)).toBeDefined();
    expect(await readCredentials(db, vault, 'halo')).toEqual(HALO);
  });

  it('credentials an earlier version stored in plaintext are sealed under the new key in the same transaction', async () => {
    await db.secrets.put({ integrationId: 'legacy', credentials: { username: 'api', password: 'LEGACY-PLAINTEXT' } });
    const oldKey = (await db.vault.get('vault'))!.rawKey!;
    await vault.setPassphrase('correct horse battery staple');
    expect(await dump()).not.toMatch(/LEGACY-PLAINTEXT/);
    const legacy = (await db.secrets.get('legacy'))!;
    expect(legacy).toEqual({ integrationId: 'legacy', sealed: expect.any(Object) });
    await expect(openWith(oldKey, legacy.sealed!)).rejects.toThrow();
    expect(await readCredentials(db, vault, 'legacy')).toEqual({ username: 'api', password: 'LEGACY-PLAINTEXT' });
    expect(await sealLegacySecrets(db, vault)).toBe(0); // nothing left for the start-up pass
    // And the start-up pass still seals a plaintext row under the current (new) key.
    await db.secrets.put({ integrationId: 'late', credentials: { key: 'LATE-PLAINTEXT' } });
    expect(await sealLegacySecrets(db, vault)).toBe(1);
    expect(await readCredentials(db, vault, 'late')).toEqual({ key: 'LATE-PLAINTEXT' });
  });
});
