import type { SidecarDb } from '../db/schema';
import type { DocStore } from '../docstore/pouch';
import { randomDocId } from '../docstore/ids';
import { credentialDocSchema, type Author, type CredentialDoc } from '../docstore/schemas';
import { HandledError } from '../errors';
import { openDocSecret, sealDocSecret, type DocSealed, type DocSecret } from '../secrets/doc-key';
import { VaultError, type Vault } from '../secrets/vault';
import { sourceKeyOf, storedPlace, type PlaceRequest, type StoredPlace } from './places';
import { currentDoc, invalid, saveDocument, type Saved } from './write';

/**
 * Credentials technicians write (docs/design/documentation-store.md §2, "Credentials"): name, user
 * name and URL in the clear (a locked vault still lists them; the palette finds the name), the
 * secret, the one-time password seed and the notes sealed under the documentation key
 * (lib/secrets/doc-key.ts). Only the background opens a box: for an extension page that asks
 * (reveal), or to write the clipboard itself (the overlay's copy); a content script never gets
 * one, sealed or open.
 */

export interface CredentialInput {
  /** An edit: the credential's id and the revision the writer saw (its place stays). */
  id?: string | undefined;
  baseRev?: string | undefined;
  /** A new credential: where it belongs. */
  place?: PlaceRequest | undefined;
  name: string;
  /** Blank: none (an edit removes it). */
  username?: string | undefined;
  url?: string | undefined;
  /** Needed for a new credential; on an edit, blank or absent keeps the current one (a page never reads it back to rename). */
  secret?: string | undefined;
  /** Absent: kept on an edit, none on a new one; blank: removed. */
  otpSeed?: string | undefined;
  notes?: string | undefined;
}

/** What the vault said, as a page shows it: the message, at the field concerned. */
export function vaultRefusal(error: unknown): never {
  if (error instanceof VaultError) throw new HandledError(error.code, error.message, error.field ? { [error.field]: error.message } : undefined);
  throw error;
}

const clearFields = credentialDocSchema.pick({ name: true, username: true, url: true });

/** The clear fields, checked at their fields before anything is sealed (bad input makes no key). */
function clearPart(input: CredentialInput): { content: Record<string, unknown>; remove: string[] } {
  const username = input.username?.trim() || undefined;
  const url = input.url?.trim() || undefined;
  const parsed = clearFields.safeParse({ name: input.name, ...(username ? { username } : {}), ...(url ? { url } : {}) });
  if (!parsed.success) throw invalid(parsed.error.issues);
  const remove = [...(username ? [] : ['username']), ...(url ? [] : ['url'])];
  return { content: { name: parsed.data.name.trim(), ...(username ? { username } : {}), ...(url ? { url } : {}) }, remove };
}

const sameSecret = (a: DocSecret, b: DocSecret) => a.secret === b.secret && (a.otpSeed ?? '') === (b.otpSeed ?? '') && (a.notes ?? '') === (b.notes ?? '');

/**
 * The sealed box an edit stores: the current one when nothing sealed changes (no key needed, so a
 * locked vault still renames), else a new box with the kept parts taken from the current one.
 */
async function nextBox(db: SidecarDb, vault: Vault, current: CredentialDoc, input: CredentialInput): Promise<DocSealed> {
  const changesSecret = !!input.secret;
  if (!changesSecret && input.otpSeed === undefined && input.notes === undefined) return current.sealed;
  const keepsPart = !changesSecret || input.otpSeed === undefined || input.notes === undefined;
  // Opened to keep a part, or (all given) only to see whether anything changes; another key is then no obstacle.
  const old = await openDocSecret(db, vault, current.sealed).catch((error: unknown) => (keepsPart ? vaultRefusal(error) : undefined));
  const next: DocSecret = {
    secret: changesSecret ? input.secret! : old!.secret,
    ...((input.otpSeed ?? old?.otpSeed) ? { otpSeed: input.otpSeed ?? old!.otpSeed! } : {}),
    ...((input.notes ?? old?.notes) ? { notes: input.notes ?? old!.notes! } : {}),
  };
  if (old && sameSecret(old, normalised(next))) return current.sealed;
  return sealDocSecret(db, vault, next).catch(vaultRefusal);
}

/** As sealDocSecret stores it: the seed's spaces stripped and upper-cased (to compare with an opened box). */
const normalised = (plain: DocSecret): DocSecret => ({ ...plain, ...(plain.otpSeed ? { otpSeed: plain.otpSeed.replace(/\s+/g, '').toUpperCase() } : {}) });

/** Saves a new credential or an edit of one; the caller runs it in the documentation store's write queue. */
export async function saveCredential(db: SidecarDb, store: DocStore, vault: Vault, author: Author, input: CredentialInput): Promise<Saved> {
  if (input.id && !input.id.startsWith('credential:')) throw new HandledError('invalid', 'That is not a credential.');
  if (!input.id && !input.place) throw new HandledError('invalid', 'Say where the credential goes: a client space or a record.');
  const { content, remove } = clearPart(input);
  if (!input.id) {
    if (!input.secret) throw new HandledError('invalid', 'A secret is needed (a password, a key, a PIN).', { secret: 'A secret is needed.' });
    const place = await storedPlace(db, input.place!);
    const sealed = await sealDocSecret(db, vault, {
      secret: input.secret,
      ...(input.otpSeed ? { otpSeed: input.otpSeed } : {}),
      ...(input.notes ? { notes: input.notes } : {}),
    }).catch(vaultRefusal);
    return saveDocument(store, author, { kind: 'credential', id: randomDocId('credential'), content: { ...content, place, sealed } });
  }
  const current = await liveCredential(store, input.id);
  if (input.baseRev !== current._rev) {
    // saveDocument says who changed it; nothing is opened or sealed for a stale edit.
    return saveDocument(store, author, { kind: 'credential', id: input.id, ...(input.baseRev ? { baseRev: input.baseRev } : {}), content });
  }
  const sealed = await nextBox(db, vault, current, input);
  return saveDocument(store, author, { kind: 'credential', id: input.id, baseRev: input.baseRev, content: { ...content, sealed }, remove });
}

/** A version's content as a page sees it: a sealed box only says which key it is under. */
export function withoutBox(content: Record<string, unknown>): Record<string, unknown> {
  if (!('sealed' in content)) return content;
  const { sealed, ...rest } = content;
  const keyId = (sealed as { keyId?: unknown } | null)?.keyId;
  return { ...rest, sealed: { keyId: typeof keyId === 'string' ? keyId : 'unknown' } };
}

/** The current credential, refused when it is gone, damaged or in the bin. */
export async function liveCredential(store: DocStore, id: string): Promise<CredentialDoc> {
  const raw = id.startsWith('credential:') ? await currentDoc(store, id) : undefined;
  if (!raw) throw new HandledError('gone', 'This credential was deleted for good or never existed here.');
  const parsed = credentialDocSchema.safeParse(raw);
  if (!parsed.success) throw new HandledError('invalid', 'This credential is damaged and cannot be opened here.');
  if (parsed.data.binnedAt !== undefined) throw new HandledError('binned', 'This credential is in the bin: restore it first.');
  return parsed.data;
}

/** A live credential's sealed parts, opened (extension pages only: the client-space page's Reveal). */
export async function revealCredential(db: SidecarDb, store: DocStore, vault: Vault, id: string): Promise<DocSecret> {
  const credential = await liveCredential(store, id);
  return openDocSecret(db, vault, credential.sealed).catch(vaultRefusal);
}

/**
 * The secret of a live credential that belongs to `spaceId` (checked before its box is touched):
 * what the overlay's Copy writes to the clipboard from the background.
 */
export async function secretForSpace(db: SidecarDb, store: DocStore, vault: Vault, id: string, spaceId: string): Promise<string> {
  const credential = await liveCredential(store, id).catch(() => undefined);
  if (!credential || !(await placeInSpace(db, credential.place, spaceId))) {
    throw new HandledError('forbidden', 'That credential is not one of this client’s.');
  }
  return (await openDocSecret(db, vault, credential.sealed).catch(vaultRefusal)).secret;
}

/**
 * Whether a place is in a client space: the space itself, or a live record (any integration whose
 * PSA tenant it names) of a company matched to it, as the overlay lists them.
 */
export async function placeInSpace(db: SidecarDb, place: StoredPlace, spaceId: string): Promise<boolean> {
  if ('spaceId' in place) return place.spaceId === spaceId;
  const { record } = place;
  for (const integration of await db.integrations.toArray()) {
    let source: string;
    try {
      source = sourceKeyOf(integration);
    } catch {
      continue;
    }
    if (source !== record.source) continue;
    const row = await db.records.get([integration.id, record.entity, record.remoteId]);
    if (!row || row.archivedAt !== undefined) continue;
    const match = await db.matches.get([integration.id, row.companyRemoteId]);
    if (match?.state === 'matched' && match.clientSpaceId === spaceId) return true;
  }
  return false;
}
