import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidecarDb, type SecretRow, type VaultRow } from '@/lib/db/schema';
import { fromBase64 } from '@/lib/secrets/codec';
import { DOC_SECRET_LIMITS, KEY_ROW_PREFIX, openDocSecret, sealDocSecret, type DocSealed } from '@/lib/secrets/doc-key';
import { memoryKeyStore } from '@/lib/secrets/session';
import { readCredentials, sealLegacySecrets } from '@/lib/secrets/store';
import { Vault, VaultError, type SessionKeyStore } from '@/lib/secrets/vault';

/**
 * The documentation key (lib/secrets/doc-key.ts): credentials in documents are sealed under it, it
 * is a sealed `secrets` row, and a passphrase change re-wraps it without touching any box.
 *
 * Checked by hand to fail without their guards (each removed, run, restored):
 * - without the re-check for a key written meanwhile in localKey's transaction, the concurrent
 *   first seals make two keys;
 * - without the vault-row check there, the passphrase-set-while-creating case fails (the key row is
 *   sealed under a data key that no longer exists);
 * - with key rows left out of Vault.setPassphrase's re-seal, the passphrase cases fail;
 * - with the key row written in the clear, the dump case fails;
 * - without the `key:` guard in readCredentials, it hands the key out as credentials;
 * - without input validation (or with it after the key is made), the bad-input case fails.
 */

const FIREWALL = { secret: 'FIREWALL-ADMIN-PASSWORD', otpSeed: 'jbsw y3dp ehpk 3pxp', notes: 'Rack 4, label on the left' };
const PASSPHRASE = 'correct horse battery staple';

let db: SidecarDb;
let session: SessionKeyStore;
let vault: Vault;

beforeEach(() => {
  db = new SidecarDb(`doc-key-${Math.random()}`);
  session = memoryKeyStore();
  vault = new Vault({ db, session, iterations: 1000 });
});
afterEach(() => db.delete());

/** Everything Sidecar keeps in IndexedDB, as text. */
async function dump(): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()]));
  return JSON.stringify(tables);
}

const keyRows = async (): Promise<SecretRow[]> => (await db.secrets.toArray()).filter((row) => row.integrationId.startsWith(KEY_ROW_PREFIX));

async function onlyKeyRow(): Promise<SecretRow & { sealed: { iv: string; data: string } }> {
  const rows = await keyRows();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.sealed).toBeDefined();
  return rows[0] as SecretRow & { sealed: { iv: string; data: string } };
}

async function decryptWith(rawKey: string, sealed: { iv: string; data: string }): Promise<unknown> {
  const key = await crypto.subtle.importKey('raw', fromBase64(rawKey), 'AES-GCM', false, ['decrypt']);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
  return JSON.parse(new TextDecoder().decode(plain));
}

/** The vault's data key as a copy of the profile plus the passphrase gives it, by WebCrypto alone. */
async function dataKey(passphrase?: string): Promise<string> {
  const row: VaultRow = (await db.vault.get('vault'))!;
  if (row.rawKey) return row.rawKey;
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

/** The raw documentation key, opened from its row with the data key (not through doc-key.ts). */
async function rawDocKey(passphrase?: string): Promise<string> {
  const content = (await decryptWith(await dataKey(passphrase), (await onlyKeyRow()).sealed)) as { key: string };
  expect(fromBase64(content.key)).toHaveLength(32);
  return content.key;
}

describe('sealing credentials for documents', () => {
  it('round-trips; the seed is normalised; one key, a fresh IV per box; the box is AES-GCM under the raw key', async () => {
    const box = await sealDocSecret(db, vault, FIREWALL);
    expect(box).toEqual({ keyId: expect.stringMatching(/^local:.+/), iv: expect.any(String), data: expect.any(String) });
    expect(await openDocSecret(db, vault, box)).toStrictEqual({ ...FIREWALL, otpSeed: 'JBSWY3DPEHPK3PXP' });
    expect(await dump()).not.toMatch(/FIREWALL-ADMIN|Rack 4|JBSW/);

    const bare = await sealDocSecret(db, vault, { secret: 'only-this', otpSeed: '   ' });
    expect(bare.keyId).toBe(box.keyId);
    expect(bare.iv).not.toBe(box.iv);
    expect(await openDocSecret(db, vault, bare)).toStrictEqual({ secret: 'only-this' }); // a blank seed is none
    expect((await onlyKeyRow()).integrationId).toBe(KEY_ROW_PREFIX + box.keyId);
    expect(await decryptWith(await rawDocKey(), box)).toEqual({ ...FIREWALL, otpSeed: 'JBSWY3DPEHPK3PXP' });
    // At the limits exactly: accepted.
    const full = {
      secret: 's'.repeat(DOC_SECRET_LIMITS.secretChars),
      otpSeed: 'A'.repeat(DOC_SECRET_LIMITS.otpSeedChars),
      notes: 'n'.repeat(DOC_SECRET_LIMITS.notesChars),
    };
    expect(await openDocSecret(db, vault, await sealDocSecret(db, vault, full))).toStrictEqual(full);
  });

  it('two first seals at once (two contexts) end with one key, and both boxes open', async () => {
    const other = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
    const [a, b, c] = await Promise.all([
      sealDocSecret(db, vault, { secret: 'A' }),
      sealDocSecret(db, other, { secret: 'B' }),
      sealDocSecret(db, vault, { secret: 'C' }),
    ]);
    expect(new Set([a.keyId, b.keyId, c.keyId]).size).toBe(1);
    expect((await onlyKeyRow()).integrationId).toBe(KEY_ROW_PREFIX + a.keyId);
    expect(await openDocSecret(db, other, a)).toEqual({ secret: 'A' });
    expect(await openDocSecret(db, vault, b)).toEqual({ secret: 'B' });
    expect(await openDocSecret(db, vault, c)).toEqual({ secret: 'C' });
  });

  it('setting, changing and removing the passphrase re-wrap the key (its row re-sealed) and leave every box as it was, still opening', async () => {
    const boxes: DocSealed[] = [await sealDocSecret(db, vault, FIREWALL)];
    const copies = () => boxes.map((box) => structuredClone(box));
    const raw = await rawDocKey();
    const keyRow = await onlyKeyRow();
    let frozen = copies();

    await vault.setPassphrase(PASSPHRASE);
    let row = await onlyKeyRow();
    expect(row.integrationId).toBe(keyRow.integrationId);
    expect(row.sealed.iv).not.toBe(keyRow.sealed.iv);
    expect(await rawDocKey(PASSPHRASE)).toBe(raw); // the same key, wrapped anew
    expect(boxes).toEqual(frozen);
    expect(await openDocSecret(db, vault, boxes[0]!)).toMatchObject({ secret: FIREWALL.secret });
    boxes.push(await sealDocSecret(db, vault, { secret: 'SEALED-WHILE-PROTECTED' }));
    frozen = copies();

    let previousIv = row.sealed.iv;
    await vault.setPassphrase('another passphrase, longer', PASSPHRASE);
    row = await onlyKeyRow();
    expect(row.sealed.iv).not.toBe(previousIv);
    expect(await rawDocKey('another passphrase, longer')).toBe(raw);
    expect(boxes).toEqual(frozen);
    for (const box of boxes) expect(await openDocSecret(db, vault, box)).toBeDefined();

    previousIv = row.sealed.iv;
    await vault.setPassphrase(null, 'another passphrase, longer');
    row = await onlyKeyRow();
    expect(row.sealed.iv).not.toBe(previousIv);
    expect(await rawDocKey()).toBe(raw);
    expect(boxes).toEqual(frozen);
    expect(await openDocSecret(db, vault, boxes[0]!)).toMatchObject({ secret: FIREWALL.secret });
    expect(await openDocSecret(db, vault, boxes[1]!)).toEqual({ secret: 'SEALED-WHILE-PROTECTED' });
    // And a restarted worker (a new Vault on the same profile) opens them too.
    expect(await openDocSecret(db, new Vault({ db, session: memoryKeyStore() }), boxes[1]!)).toEqual({ secret: 'SEALED-WHILE-PROTECTED' });
  });

  it('a passphrase set while the key is being made: the key is made again under the new data key, and opens', async () => {
    await vault.seal({}); // the data key exists: only the change below can spoil the first attempt
    const seal = vault.seal.bind(vault);
    const spy = vi.spyOn(vault, 'seal').mockImplementationOnce(async (credentials) => {
      const sealed = await seal(credentials);
      await new Vault({ db, session, iterations: 1000 }).setPassphrase(PASSPHRASE); // another window, same session
      return sealed;
    });
    let box: DocSealed;
    try {
      box = await sealDocSecret(db, vault, { secret: 'MADE-DURING-A-CHANGE' });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect(await vault.status()).toEqual({ protected: true, locked: false });
    expect(await openDocSecret(db, vault, box)).toEqual({ secret: 'MADE-DURING-A-CHANGE' });
    expect(await decryptWith(await rawDocKey(PASSPHRASE), box)).toEqual({ secret: 'MADE-DURING-A-CHANGE' });
  });

  it('locked: sealing and opening say so (VaultError locked), and a locked first seal makes no key', async () => {
    await vault.setPassphrase(PASSPHRASE);
    await vault.lock();
    await expect(sealDocSecret(db, vault, { secret: 'x' })).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/locked/) });
    expect(await keyRows()).toHaveLength(0);

    await vault.unlock(PASSPHRASE);
    const box = await sealDocSecret(db, vault, FIREWALL);
    await vault.lock();
    const sealError = await sealDocSecret(db, vault, { secret: 'y' }).catch((error: unknown) => error);
    expect(sealError).toBeInstanceOf(VaultError);
    expect(sealError).toMatchObject({ code: 'locked' });
    await expect(openDocSecret(db, vault, box)).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/locked/) });
    await vault.unlock(PASSPHRASE);
    expect(await openDocSecret(db, vault, box)).toMatchObject({ secret: FIREWALL.secret });
  });

  it('a box under a key this browser lacks says "another key"; a damaged box or key says corrupt', async () => {
    const box = await sealDocSecret(db, vault, FIREWALL);
    for (const keyId of ['local:a-teammates-key', 'team:acme']) {
      await expect(openDocSecret(db, vault, { ...box, keyId })).rejects.toMatchObject({
        code: 'other-key',
        message: 'This credential was sealed with another key, which this browser does not hold.',
      });
    }
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const damaged: unknown[] = [
      { ...box, data: flip(box.data) },
      { ...box, iv: flip(box.iv) },
      { ...box, data: '!!! not base64 !!!' },
      { ...box, data: '' },
      { keyId: box.keyId, iv: box.iv },
    ];
    for (const sealed of damaged) {
      await expect(openDocSecret(db, vault, sealed as DocSealed), JSON.stringify(sealed)).rejects.toMatchObject({
        code: 'corrupt',
        message: 'This credential is damaged and cannot be opened: enter it again.',
      });
    }
    // Sealed under the right key but not what a box holds: damaged too.
    const key = await crypto.subtle.importKey('raw', fromBase64(await rawDocKey()), 'AES-GCM', false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const wrong = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify({ secret: 42 })));
    await expect(
      openDocSecret(db, vault, { keyId: box.keyId, iv: btoa(String.fromCharCode(...iv)), data: btoa(String.fromCharCode(...new Uint8Array(wrong))) }),
    ).rejects.toMatchObject({ code: 'corrupt' });
    expect(await openDocSecret(db, vault, box)).toMatchObject({ secret: FIREWALL.secret }); // the real one still opens

    const row = await onlyKeyRow();
    await db.secrets.put({ ...row, sealed: { ...row.sealed, data: flip(row.sealed.data) } });
    await expect(openDocSecret(db, vault, box)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/documentation key is damaged/) });
    await expect(sealDocSecret(db, vault, { secret: 'x' })).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('with a passphrase, the key is nowhere in the clear in any table (nor is it without one: the data key seals it)', async () => {
    const box = await sealDocSecret(db, vault, FIREWALL);
    const raw = await rawDocKey();
    expect(await dump()).not.toContain(raw);
    await vault.setPassphrase(PASSPHRASE);
    const after = await sealDocSecret(db, vault, { secret: 'AFTER-THE-PASSPHRASE' });
    expect(await rawDocKey(PASSPHRASE)).toBe(raw);
    const everything = await dump();
    expect(everything).not.toContain(raw);
    expect(everything).not.toContain(await dataKey(PASSPHRASE));
    expect(everything).not.toMatch(/FIREWALL-ADMIN|AFTER-THE-PASSPHRASE/);
    // The raw key found above is the one that seals the boxes (so the search was for the right text).
    expect(await decryptWith(raw, box)).toMatchObject({ secret: FIREWALL.secret });
    expect(await decryptWith(raw, after)).toEqual({ secret: 'AFTER-THE-PASSPHRASE' });
  });

  it("the integrations' readers leave the key row alone: readCredentials never hands it out, sealLegacySecrets keeps it", async () => {
    const box = await sealDocSecret(db, vault, FIREWALL);
    const row = await onlyKeyRow();
    expect(await readCredentials(db, vault, row.integrationId)).toBeUndefined();
    await db.secrets.put({ integrationId: 'legacy', credentials: { password: 'LEGACY-PLAINTEXT' } });
    expect(await sealLegacySecrets(db, vault)).toBe(1);
    expect(await readCredentials(db, vault, 'legacy')).toEqual({ password: 'LEGACY-PLAINTEXT' });
    expect(await onlyKeyRow()).toEqual(row);
    expect(await openDocSecret(db, vault, box)).toMatchObject({ secret: FIREWALL.secret });
  });

  it('bad input is refused at its field before anything is made: no key, no data key', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ secret: 'x', otpSeed: 'JBSW Y3DP 1890' }, 'otpSeed', /base32/],
      [{ secret: 'x', otpSeed: 'otpauth://totp/x?secret=JBSW' }, 'otpSeed', /base32/],
      [{ secret: 'x', otpSeed: 'A'.repeat(DOC_SECRET_LIMITS.otpSeedChars + 1) }, 'otpSeed', /at most 200 characters/],
      [{ secret: 's'.repeat(DOC_SECRET_LIMITS.secretChars + 1) }, 'secret', /secret is too long: at most 10,000 characters/],
      [{ secret: 'x', notes: 'n'.repeat(DOC_SECRET_LIMITS.notesChars + 1) }, 'notes', /at most 20,000 characters/],
      [{ secret: 42 }, 'secret', /must be text/],
      [{ otpSeed: 'JBSWY3DP' }, 'secret', /must be text/],
      [{ secret: 'x', password: 'hunter2' }, 'password', /Unknown field: password/],
    ];
    for (const [plain, field, message] of cases) {
      const error = await sealDocSecret(db, vault, plain as { secret: string }).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(plain).slice(0, 80)).toBeInstanceOf(VaultError);
      expect(error, JSON.stringify(plain).slice(0, 80)).toMatchObject({ code: 'invalid', field, message: expect.stringMatching(message) });
    }
    expect(await db.secrets.count()).toBe(0);
    expect(await db.vault.count()).toBe(0);
  });
});
