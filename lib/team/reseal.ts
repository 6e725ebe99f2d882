import type { Doc } from 'pouchdb-core';
import type { SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { isLocalKeyId, openDocSecret, sealDocSecret, type DocSealed } from '../secrets/doc-key';
import type { Vault } from '../secrets/vault';

/**
 * Credentials this browser sealed under its own key before it joined a team are sealed again under
 * the team's key (which sealDocSecret uses once the membership is saved), in place, before the
 * first replication: so teammates can open them, and no box under a key only this browser holds is
 * ever sent. Kept versions of credentials hold boxes too and are re-sealed the same way. Idempotent:
 * run before every start of the replication; a box this browser cannot open is left as it is.
 */

const RANGES = [
  { startkey: 'credential:', endkey: 'credential:\ufff0' },
  { startkey: 'version:credential:', endkey: 'version:credential:\ufff0' },
];

const boxOf = (doc: Doc): DocSealed | undefined => {
  const holder = doc.kind === 'version' ? (doc.content as Record<string, unknown> | undefined) : doc;
  const sealed = holder?.sealed as DocSealed | undefined;
  return sealed && typeof sealed.keyId === 'string' ? sealed : undefined;
};

export async function resealForTeam(store: DocStore, db: SidecarDb, vault: Vault): Promise<number> {
  let resealed = 0;
  for (const range of RANGES) {
    const { rows } = await store.allDocs({ ...range, include_docs: true });
    for (const row of rows) {
      const doc = row.doc;
      const box = doc && boxOf(doc);
      if (!doc || !box || !isLocalKeyId(box.keyId)) continue;
      const plain = await openDocSecret(db, vault, box).catch(() => undefined);
      if (!plain) continue;
      const sealed = await sealDocSecret(db, vault, plain);
      if (isLocalKeyId(sealed.keyId)) return resealed; // not in a team (any more): nothing to do
      const next = doc.kind === 'version' ? { ...doc, content: { ...(doc.content as object), sealed } } : { ...doc, sealed };
      try {
        await store.put(next);
        resealed++;
      } catch (error) {
        // Edited meanwhile: the next start re-seals what is still under the local key.
        if ((error as { status?: number }).status !== 409) throw error;
      }
    }
  }
  return resealed;
}
