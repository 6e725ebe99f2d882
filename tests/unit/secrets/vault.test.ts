import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
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

  it('changing needs the current passphrase; removing it puts the same key back, so saved credentials still open', async () => {
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
