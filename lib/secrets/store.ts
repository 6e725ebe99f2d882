import type { SidecarDb } from '../db/schema';
import { isKeyRowId } from './doc-key';
import type { Vault } from './vault';

/**
 * Reading and writing an integration's credentials through the vault. The `secrets` table also
 * holds key rows (`key:<keyId>`, lib/secrets/doc-key.ts): never an integration's credentials.
 */

export async function readCredentials(db: SidecarDb, vault: Vault, integrationId: string): Promise<Record<string, string> | undefined> {
  if (isKeyRowId(integrationId)) return undefined; // a key, not credentials: never handed out as such
  const row = await db.secrets.get(integrationId);
  if (!row) return undefined;
  if (row.sealed) return vault.open(row.sealed);
  return row.credentials; // not sealed yet (saved by an earlier version): sealLegacySecrets does it
}

/**
 * Seals credentials an earlier version stored in plaintext. Encryption runs outside any
 * transaction (WebCrypto would let it commit early); each row is then swapped in its own
 * transaction, only if it is still the plaintext that was sealed. Key rows are always sealed, so
 * it never touches them.
 */
export async function sealLegacySecrets(db: SidecarDb, vault: Vault): Promise<number> {
  const legacy = (await db.secrets.toArray()).filter((row) => row.credentials && !row.sealed);
  let sealed = 0;
  for (const row of legacy) {
    const box = await vault.seal(row.credentials!);
    const done = await db.transaction('rw', db.secrets, async () => {
      const current = await db.secrets.get(row.integrationId);
      if (!current?.credentials || current.sealed || JSON.stringify(current.credentials) !== JSON.stringify(row.credentials)) return false;
      await db.secrets.put({ integrationId: row.integrationId, sealed: box });
      return true;
    });
    if (done) sealed += 1;
  }
  return sealed;
}
