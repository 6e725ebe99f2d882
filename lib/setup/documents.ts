import type { Doc } from 'pouchdb-core';
import { z } from 'zod';
import type { IntegrationRow, LayoutRow, SidecarDb } from '../db/schema';
import { fieldDocId } from '../docstore/ids';
import type { DocStore } from '../docstore/pouch';
import { articleDocSchema, credentialDocSchema, fieldDocSchema, noteDocSchema, type Author, type CredentialDoc } from '../docstore/schemas';
import { vaultRefusal } from '../documents/credentials';
import { prepareSave } from '../documents/write';
import { HandledError } from '../errors';
import { decrypt, encrypt } from '../secrets/aes';
import { fromBase64, randomBytes, toBase64 } from '../secrets/codec';
import { DOC_SECRET_LIMITS, openDocSecret, sealDocSecret, type DocSecret } from '../secrets/doc-key';
import { MIN_PASSPHRASE_LENGTH, PBKDF2_ITERATIONS, passphraseKey } from '../secrets/kdf';
import type { Vault } from '../secrets/vault';
import type { SetupFile } from './format';

/**
 * The documentation in a setup file (issue #14, docs/design/documentation-store.md §6 item 12):
 * live notes, articles and hand-filled field values as their content (id, kind, the kind's own
 * fields, who wrote them and when; never a revision), and, only when the person asks and types a
 * passphrase for the file, the credentials: name, user name and URL as they are, the sealed parts
 * opened in the background and sealed again as `fileSealed` under a key derived from that
 * passphrase (PBKDF2 with the file's random salt, `credentialsKey`; AES-GCM, one IV per box).
 * Without that option no credential is in the file at all, not even its name.
 */

export const FILE_DOC_KINDS = ['note', 'article', 'field', 'credential'] as const;
export type FileDocKind = (typeof FILE_DOC_KINDS)[number];

/** Each kind's own fields: what the file carries and an import writes (nothing else is taken). */
const CONTENT_FIELDS: Record<FileDocKind, readonly string[]> = {
  note: ['place', 'text'],
  article: ['spaceId', 'title', 'body'],
  field: ['record', 'layoutId', 'fieldId', 'value'],
  credential: ['place', 'name', 'url', 'username'],
};
const OPTIONAL_FIELDS: Partial<Record<FileDocKind, readonly string[]>> = { credential: ['url', 'username'] };
const SCHEMAS = { note: noteDocSchema, article: articleDocSchema, field: fieldDocSchema, credential: credentialDocSchema } as const;
const STAMPS = ['createdAt', 'createdBy', 'updatedAt', 'updatedBy'] as const;

export type FileDocument = { id: string; kind: FileDocKind } & Record<string, unknown>;

const pick = (source: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));

/** The file passphrase, refused at its field when too short (the vault's own minimum). */
function checkedPassphrase(passphrase: string): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    const message = `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the file’s passphrase.`;
    throw new HandledError('invalid', message, { passphrase: message });
  }
  return passphrase;
}

export interface ExportedDocuments {
  documents: FileDocument[];
  credentialsKey?: { salt: string; iterations: number };
  credentials: number;
}

/**
 * The live documents of the projection (`db.docs`, brought up to the store by the caller), by id.
 * With `credentials`, the credentials too, their boxes opened with this browser's documentation
 * key (`vault`) and sealed again under the file passphrase's key. Background only.
 */
export async function exportDocuments(
  db: SidecarDb,
  options: { credentials?: { passphrase: string; vault: Vault; iterations?: number } } = {},
): Promise<ExportedDocuments> {
  const credentials = options.credentials;
  const passphrase = credentials ? checkedPassphrase(credentials.passphrase) : undefined;
  const kinds: FileDocKind[] = credentials ? [...FILE_DOC_KINDS] : ['note', 'article', 'field'];
  const rows = (await db.docs.where('kind').anyOf(kinds).toArray())
    .filter((row) => !row.invalid && row.doc.binnedAt === undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const documents: FileDocument[] = rows.map((row) => {
    const kind = row.kind as FileDocKind;
    return { id: row.id, kind, ...pick(row.doc, CONTENT_FIELDS[kind]), ...pick(row.doc, STAMPS) };
  });
  if (!credentials || !passphrase) return { documents, credentials: 0 };

  const salt = randomBytes(16);
  const iterations = credentials.iterations ?? PBKDF2_ITERATIONS;
  const fileKey = await passphraseKey(passphrase, salt, iterations);
  let count = 0;
  for (const [index, row] of rows.entries()) {
    if (row.kind !== 'credential') continue;
    const secret = await openDocSecret(db, credentials.vault, (row.doc as CredentialDoc).sealed).catch(vaultRefusal);
    documents[index]!.fileSealed = await encrypt(fileKey, new TextEncoder().encode(JSON.stringify(secret)));
    count += 1;
  }
  return { documents, credentialsKey: { salt: toBase64(salt), iterations }, credentials: count };
}

/** What an import checks documents against: the setup as it will be once the file is applied. */
export interface DocumentsHere {
  spaceIds: ReadonlySet<string>;
  layouts: ReadonlyMap<string, Pick<LayoutRow, 'id' | 'name' | 'fields'>>;
  /** `layoutId fieldId` of every field connected to a PSA field (their values come from the PSA). */
  connected: ReadonlySet<string>;
}

/** Here's layouts, spaces and connections with the file's replacing or joining them (as planImport applies them). */
export function documentsHere(setup: SetupFile, here: { layouts: LayoutRow[]; clientSpaces: { id: string }[]; integrations: IntegrationRow[] }): DocumentsHere {
  const layouts = new Map<string, Pick<LayoutRow, 'id' | 'name' | 'fields'>>(here.layouts.map((layout) => [layout.id, layout]));
  for (const layout of setup.layouts) layouts.set(layout.id, layout);
  const connected = new Set<string>();
  for (const integration of here.integrations) {
    const entry = setup.integrations.find((candidate) => candidate.psa === integration.psa && candidate.uiOrigin === integration.uiOrigin);
    const connections = entry?.options ? (entry.options.connectedFields ?? []) : (integration.options?.connectedFields ?? []);
    for (const connection of connections) connected.add(`${connection.layoutId} ${connection.fieldId}`);
  }
  return { spaceIds: new Set([...here.clientSpaces, ...setup.clientSpaces].map((space) => space.id)), layouts, connected };
}

/** A document of the file, checked: what to write, and for a credential its box still under the file's key. */
export interface CheckedDocument {
  at: string;
  id: string;
  kind: FileDocKind;
  content: Record<string, unknown>;
  stamps: { createdAt: number; createdBy: Author; updatedAt: number; updatedBy: Author };
  fileSealed?: { iv: string; data: string };
}

const fileSealedSchema = z.object({ iv: z.string().min(1).max(100), data: z.string().min(1).max(200_000) }, { error: 'A credential needs its sealed box.' });
/** Placeholder box: the file's credentials are checked by the schema before they are sealed here. */
const CHECK_BOX = { keyId: 'file', iv: 'file', data: 'file' };

/**
 * Every document of the file against the store's schema (the message names the document and the
 * field: `documents[3] (note): text: …`) and every reference against the setup as it will be:
 * a client space in the file or here; for a field value, a field of a layout in the file or here,
 * of that type and not connected to a PSA field. A record (`source`) of a PSA not configured here
 * is kept: valid data that shows once that PSA is added. Pure but for the ids' hashing.
 */
export async function checkDocuments(documents: readonly FileDocument[], here: DocumentsHere): Promise<{ problems: string[]; checked: CheckedDocument[] }> {
  const problems: string[] = [];
  const checked: CheckedDocument[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of documents.entries()) {
    const kind = entry.kind;
    const at = `documents[${index}] (${kind})`;
    const before = problems.length;
    const first = seen.get(entry.id);
    if (first !== undefined) problems.push(`${at}: ${entry.id} is also documents[${first}].`);
    else seen.set(entry.id, index);
    if (kind !== 'field' && !entry.id.startsWith(`${kind}:`)) problems.push(`${at}: id: a ${kind}’s id starts with “${kind}:”.`);

    const content = pick(entry, CONTENT_FIELDS[kind]);
    const stamps = pick(entry, STAMPS);
    const candidate = { _id: entry.id, schema: 1, kind, ...content, ...stamps, ...(kind === 'credential' ? { sealed: CHECK_BOX } : {}) };
    const parsed = SCHEMAS[kind].safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) problems.push(`${at}: ${issue.path.join('.') || 'document'}: ${issue.message}`);
      continue;
    }
    const doc = parsed.data as Record<string, unknown>;
    let fileSealed: CheckedDocument['fileSealed'];
    if (kind === 'credential') {
      const box = fileSealedSchema.safeParse(entry.fileSealed);
      if (box.success) fileSealed = box.data;
      else problems.push(`${at}: fileSealed: ${box.error.issues[0]!.message}`);
    }
    const place = doc.place as { spaceId?: string } | undefined;
    if (place?.spaceId !== undefined && !here.spaceIds.has(place.spaceId)) {
      problems.push(`${at}: place.spaceId: client space ${place.spaceId} is neither in the file nor here.`);
    }
    if (kind === 'article' && typeof doc.spaceId === 'string' && !here.spaceIds.has(doc.spaceId)) {
      problems.push(`${at}: spaceId: client space ${doc.spaceId} is neither in the file nor here.`);
    }
    if (kind === 'field') problems.push(...(await fieldProblems(at, entry.id, doc, here)));
    if (problems.length === before) {
      checked.push({
        at,
        id: entry.id,
        kind,
        // As parsed: a note's text and a title trimmed as a save trims them.
        content: pick(doc, CONTENT_FIELDS[kind]),
        stamps: pick(doc, STAMPS) as CheckedDocument['stamps'],
        ...(fileSealed ? { fileSealed } : {}),
      });
    }
  }
  return { problems, checked };
}

async function fieldProblems(at: string, id: string, doc: Record<string, unknown>, here: DocumentsHere): Promise<string[]> {
  const { record, layoutId, fieldId, value } = doc as {
    record: Parameters<typeof fieldDocId>[0];
    layoutId: string;
    fieldId: string;
    value: { type: string; v: unknown };
  };
  const layout = here.layouts.get(layoutId);
  if (!layout) return [`${at}: layoutId: layout ${layoutId} is neither in the file nor here.`];
  const field = layout.fields?.find((candidate) => candidate.id === fieldId);
  if (!field) return [`${at}: fieldId: field ${fieldId} is not in layout “${layout.name}”.`];
  if (here.connected.has(`${layoutId} ${fieldId}`)) return [`${at}: fieldId: “${field.name}” shows a PSA field, so it holds no value of its own.`];
  const type = field.type ?? 'text';
  if (value.type !== type) return [`${at}: value: “${field.name}” holds ${type} values, not ${value.type}.`];
  if (value.type === 'choice' && !(field.options ?? []).includes(String(value.v)))
    return [`${at}: value: “${String(value.v)}” is not one of the choices of “${field.name}”.`];
  if (id !== (await fieldDocId(record, layoutId, fieldId))) return [`${at}: id: not the id of this record’s value of “${field.name}”.`];
  return [];
}

const fileSecretSchema = z.object({
  secret: z.string().max(DOC_SECRET_LIMITS.secretChars),
  otpSeed: z.string().max(DOC_SECRET_LIMITS.otpSeedChars).optional(),
  notes: z.string().max(DOC_SECRET_LIMITS.notesChars).optional(),
});

const atPassphrase = (message: string) => new HandledError('invalid', message, { passphrase: message });

/**
 * Opens the file's credential boxes with the passphrase typed for it, before anything is written:
 * none or a wrong one is refused at the passphrase field; a box that will not open when others do,
 * or holds what a credential cannot, is named.
 */
export async function openFileCredentials(
  setup: Pick<SetupFile, 'credentialsKey'>,
  checked: readonly CheckedDocument[],
  passphrase: string | undefined,
): Promise<{ problems: string[]; secrets: Map<string, DocSecret> }> {
  const secrets = new Map<string, DocSecret>();
  const sealed = checked.filter((doc) => doc.fileSealed);
  if (!sealed.length) return { problems: [], secrets };
  if (!setup.credentialsKey) return { problems: ['credentialsKey: the file holds credentials but not how its passphrase opens them.'], secrets };
  if (!passphrase)
    throw atPassphrase(`This file holds ${sealed.length} credential${sealed.length === 1 ? '' : 's'}: type the passphrase it was exported with.`);
  const key = await passphraseKey(passphrase, fromBase64(setup.credentialsKey.salt), setup.credentialsKey.iterations);
  const problems: string[] = [];
  for (const [index, doc] of sealed.entries()) {
    let plain: unknown;
    try {
      plain = JSON.parse(new TextDecoder().decode(await decrypt(key, doc.fileSealed!)));
    } catch {
      // The first box decides whether the passphrase is the file's; after that, a box that fails is damaged.
      if (index === 0) throw atPassphrase('That passphrase does not open this file’s credentials.');
      problems.push(`${doc.at}: fileSealed: this box does not open (damaged).`);
      continue;
    }
    const parsed = fileSecretSchema.safeParse(plain);
    if (parsed.success) secrets.set(doc.id, parsed.data);
    else problems.push(`${doc.at}: fileSealed: ${parsed.error.issues[0]!.path.join('.') || 'secret'}: ${parsed.error.issues[0]!.message}`);
  }
  return { problems, secrets };
}

const sameSecret = (a: DocSecret, b: DocSecret) => a.secret === b.secret && (a.otpSeed ?? '') === (b.otpSeed ?? '') && (a.notes ?? '') === (b.notes ?? '');

/**
 * Writes the checked documents, then runs `thenSetup` (the Dexie setup transaction), so that both
 * land or neither does:
 *
 * 1. Everything is prepared before anything is written: each document's current revision is read,
 *    its save worked out with saveDocument's own checks (prepareSave: the file's content as an edit
 *    of the current revision, its replaced revision kept as a version; nothing when the content is
 *    the same), and the credentials sealed under this browser's documentation key. A refusal here
 *    (a document of another kind under that id, a locked vault) writes nothing; at most the
 *    documentation key is made, as on the first credential saved.
 * 2. One `bulkDocs` writes them all. PouchDB may refuse some (a teammate's edit replicated since
 *    step 1): then those it took are put back (step 4) and the import is refused.
 * 3. `thenSetup` writes layouts, spaces and integrations in one Dexie transaction (all or nothing).
 * 4. If it fails, the documents are put back: those created are deleted (tombstoned), those edited
 *    get their previous content again as a new revision, the versions this import kept are deleted.
 *    Nothing of the import stays. A worker stopped between steps 2 and 4 leaves a `_local` marker
 *    (what was written, what it replaced); at start-up recoverSetupImport puts those back unless the
 *    setup's own transaction recorded this import as done.
 */
export async function writeDocuments<T>(
  context: { db: SidecarDb; store: DocStore; author: Author; vault: Vault | undefined },
  checked: readonly CheckedDocument[],
  secrets: ReadonlyMap<string, DocSecret>,
  thenSetup: (importId?: string) => Promise<T>,
  now: number,
): Promise<{ result: T; written: number; unchanged: number }> {
  const { db, store, author, vault } = context;
  const found = await store.allDocs({ keys: checked.map((doc) => doc.id), include_docs: true });
  const currents = new Map<string, Doc>();
  for (const row of found.rows) if ('doc' in row && row.doc) currents.set(row.id, row.doc as Doc);

  const writes: Doc[] = [];
  const previous = new Map<string, Doc | undefined>();
  let unchanged = 0;
  for (const doc of checked) {
    const current = currents.get(doc.id);
    const content = { ...doc.content };
    if (doc.kind === 'credential') {
      const plain = secrets.get(doc.id)!;
      if (!vault) throw new HandledError('unavailable', 'Credentials cannot be imported here.');
      const box = (current as Partial<CredentialDoc> | undefined)?.sealed;
      // The same secret already here keeps its box (a new box would make an edit of nothing).
      const kept = box ? await openDocSecret(db, vault, box).catch(() => undefined) : undefined;
      content.sealed = kept && sameSecret(kept, plain) ? box : await sealDocSecret(db, vault, plain).catch(vaultRefusal);
    }
    let prepared;
    try {
      prepared = prepareSave(
        current,
        author,
        {
          kind: doc.kind,
          id: doc.id,
          ...(current ? { baseRev: current._rev } : {}),
          content,
          remove: ['binnedAt', 'binnedBy', ...(OPTIONAL_FIELDS[doc.kind] ?? []).filter((field) => content[field] === undefined)],
          stamps: doc.stamps,
        },
        now,
      );
    } catch (error) {
      if (error instanceof HandledError) throw new HandledError('invalid-file', `${doc.at}: ${error.message}`);
      throw error;
    }
    if (!prepared.changed) {
      unchanged += 1;
      continue;
    }
    previous.set(doc.id, current);
    writes.push(...prepared.writes);
  }
  if (!writes.length) return { result: await thenSetup(), written: 0, unchanged };

  // The marker says what this import is about to write and what each document was before, so a
  // worker stopped before the setup part committed puts it all back at start-up (recoverSetupImport).
  const importId = crypto.randomUUID();
  const entries = writes.map((write) => ({ id: write._id, previous: previous.get(write._id) ?? null }));
  const marker = await store.put({ _id: IMPORT_MARKER, importId, entries, taken: [] });
  const results = await store.bulkDocs(writes);
  const taken: { id: string; rev: string }[] = [];
  let refused: string | undefined;
  for (const [index, result] of results.entries()) {
    const id = writes[index]!._id;
    if ('ok' in result && result.ok) taken.push({ id, rev: result.rev });
    // A version already kept (409) is harmless; any other refusal stops the import.
    else if (!(id.startsWith('version:') && (result as { status?: number }).status === 409)) refused ??= id;
  }
  if (refused) {
    await putBack(store, taken, previous);
    await removeMarker(store);
    throw new HandledError('changed', `${refused} changed in the documentation store during the import (a teammate’s edit?). Nothing was imported: try again.`);
  }
  await store.put({ _id: IMPORT_MARKER, _rev: marker.rev, importId, entries, taken });
  let result: T;
  try {
    result = await thenSetup(importId);
  } catch (error) {
    await putBack(store, taken, previous);
    await removeMarker(store);
    throw error;
  }
  await removeMarker(store);
  return { result, written: previous.size, unchanged };
}

/** A local (never replicated) document: the import in progress. */
const IMPORT_MARKER = '_local/setup-import';

async function removeMarker(store: DocStore): Promise<void> {
  const marker = await store.get(IMPORT_MARKER).catch(() => undefined);
  if (marker) await store.remove({ _id: IMPORT_MARKER, _rev: marker._rev! });
}

/**
 * At start-up: an import whose worker stopped after writing its documents but before its setup
 * part committed (no `setup-import` row with its id) is undone, as a failed import is: created
 * documents deleted, edited ones given back their previous content. One whose setup committed only
 * loses its marker. Returns whether an import was undone.
 */
export async function recoverSetupImport(db: SidecarDb, store: DocStore): Promise<boolean> {
  const marker = (await store.get(IMPORT_MARKER).catch(() => undefined)) as
    (Doc & { importId: string; entries: { id: string; previous: Doc | null }[]; taken: { id: string; rev: string }[] }) | undefined;
  if (!marker) return false;
  const done = await db.preferences.get('setup-import');
  if (done?.id === 'setup-import' && done.importId === marker.importId) {
    await removeMarker(store);
    return false;
  }
  const previous = new Map(marker.entries.map((entry) => [entry.id, entry.previous ?? undefined]));
  let taken = marker.taken;
  if (!taken.length) {
    // Stopped before the revisions were noted: the one bulkDocs either wrote every document or none.
    const found = await store.allDocs({ keys: marker.entries.map((entry) => entry.id) });
    taken = found.rows.flatMap((row) => {
      const before = previous.get(row.id);
      const rev = row.value && !row.value.deleted ? row.value.rev : undefined;
      return rev && rev !== before?._rev ? [{ id: row.id, rev }] : [];
    });
  }
  await putBack(store, taken, previous);
  await removeMarker(store);
  await db.log.add({
    at: Date.now(),
    level: 'warn',
    message: 'A setup import was interrupted before it finished: its documents were taken back out. Import the file again.',
  });
  return true;
}

/** Step 4 of writeDocuments: what the import wrote goes, what it replaced comes back. */
async function putBack(store: DocStore, taken: readonly { id: string; rev: string }[], previous: ReadonlyMap<string, Doc | undefined>): Promise<void> {
  const undo = taken.map(({ id, rev }): Doc => {
    const before = previous.get(id);
    if (!before) return { _id: id, _rev: rev, _deleted: true } as Doc; // created by the import, or a version it kept
    const { _rev: _replaced, _conflicts: _c, ...content } = before as Doc & { _conflicts?: unknown };
    return { ...content, _id: id, _rev: rev } as Doc;
  });
  const results = await store.bulkDocs(undo);
  const failed = results.filter((result) => !('ok' in result && result.ok)).length;
  if (failed) console.error(`Sidecar could not undo ${failed} document writes of a failed setup import`);
}
