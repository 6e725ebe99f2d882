import { HandledError } from '../errors';
import type { SidecarDb } from '../db/schema';
import { authorForWriting } from '../docstore/author';
import { randomDocId } from '../docstore/ids';
import type { DocStore } from '../docstore/pouch';
import { binDocument, historyOf, purgeBin, restoreVersion, unbinDocument, type HistoryEntry } from './history';
import { settleConflicts } from './conflicts';
import { storedPlace, type PlaceRequest } from './places';
import { checkFieldValue, type FieldValueRequest } from './field-values';
import { projectChanges } from './projector';
import { saveDocument, type Saved, type SaveRequest, type WritableKind } from './write';
import { resolveSpaceId } from '../match/spaces';
import { revealCredential, saveCredential, secretForSpace, withoutBox, type CredentialInput } from './credentials';
import type { DocSecret } from '../secrets/doc-key';
import type { Vault } from '../secrets/vault';
import type { Author } from '../docstore/schemas';
import { publishSpaces } from './space-docs';
import { publishSharedSetup } from './shared-setup';
import { sharedContext } from './shared-context';
import { publishTickets } from './team-tickets';

/**
 * What the background does with technicians' documents: every write goes to the documentation
 * store, then the projector brings Dexie up to it before the caller is answered, so the page that
 * asked sees its own write. One at a time (writes and projections share one queue), as the
 * projector requires.
 */
export class DocumentService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: SidecarDb,
    private readonly store: () => DocStore,
    /** Seals and opens credentials (./credentials.ts); without it, credentials cannot be written or opened. */
    private readonly vault?: Vault,
    /** Why nothing may be written now (a removed team member's copy is read-only, lib/team), or undefined. */
    private readonly readOnlyReason: () => Promise<string | undefined> = () => Promise.resolve(undefined),
  ) {}

  /** Brings the projection up to the store (at start-up, and after anything else wrote to it). */
  catchUp(): Promise<void> {
    return this.serial(async () => {
      await projectChanges(this.store(), this.db);
    });
  }

  /** A new note (with its place) or an edit of one (its id and the revision the writer saw; its place stays). */
  async saveNote(request: { id?: string | undefined; baseRev?: string | undefined; place?: PlaceRequest | undefined; text: string }): Promise<Saved> {
    if (request.id && !request.id.startsWith('note:')) throw new HandledError('invalid', 'That is not a note.');
    if (!request.id && !request.place) throw new HandledError('invalid', 'Say where the note goes: a client space or a record.');
    const place = request.id ? undefined : await storedPlace(this.db, request.place!);
    return this.write((author) =>
      saveDocument(this.store(), author, {
        kind: 'note',
        id: request.id ?? randomDocId('note'),
        ...(request.baseRev ? { baseRev: request.baseRev } : {}),
        // A note stays where it was written: an edit changes only its text.
        content: { text: request.text, ...(place ? { place } : {}) },
      }),
    );
  }

  async saveArticle(request: { id?: string; baseRev?: string; spaceId: string | null; title: string; body: string }): Promise<Saved> {
    if (request.id && !request.id.startsWith('article:')) throw new HandledError('invalid', 'That is not an article.');
    if (request.spaceId !== null) await storedPlace(this.db, { spaceId: request.spaceId });
    return this.write((author) =>
      saveDocument(this.store(), author, {
        kind: 'article',
        id: request.id ?? randomDocId('article'),
        ...(request.baseRev ? { baseRev: request.baseRev } : {}),
        content: { spaceId: request.spaceId, title: request.title.trim(), body: request.body },
      }),
    );
  }

  /** A hand-filled custom field value on a record; `value: null` clears it (to the bin). */
  async saveFieldValue(request: FieldValueRequest & { baseRev?: string | undefined }): Promise<Saved | { id: string; rev: string; changed: boolean }> {
    const checked = await checkFieldValue(this.db, request);
    if (checked.value === null) {
      if (!request.baseRev) throw new HandledError('invalid', 'There is no value to clear.');
      return this.bin(checked.id, request.baseRev);
    }
    const value = checked.value;
    return this.write((author) =>
      saveDocument(this.store(), author, {
        kind: 'field',
        id: checked.id,
        ...(request.baseRev ? { baseRev: request.baseRev } : {}),
        // A value cleared before is in the bin: filling it again takes it out.
        content: { record: checked.record, layoutId: request.layoutId, fieldId: request.fieldId, value },
        remove: ['binnedAt', 'binnedBy'],
      }),
    );
  }

  /** A new credential or an edit (a blank secret keeps the current one): ./credentials.ts. */
  saveCredential(request: CredentialInput): Promise<Saved> {
    const vault = this.requireVault();
    return this.write((author) => saveCredential(this.db, this.store(), vault, author, request));
  }

  /** A credential's sealed parts, opened: for extension pages only. */
  revealCredential(id: string): Promise<DocSecret> {
    return revealCredential(this.db, this.store(), this.requireVault(), id);
  }

  /** The secret of a credential of that client space, for the background to put on the clipboard. */
  credentialSecret(id: string, spaceId: string): Promise<string> {
    return secretForSpace(this.db, this.store(), this.requireVault(), id, spaceId);
  }

  private requireVault(): Vault {
    if (!this.vault) throw new HandledError('unavailable', 'Credentials cannot be opened here.');
    return this.vault;
  }

  /** A generic save, for kinds whose page-facing checks ran already (e.g. setup import). */
  save(request: SaveRequest): Promise<Saved> {
    return this.write((author) => saveDocument(this.store(), author, request));
  }

  /**
   * Work on the store itself (setup export and import: many documents read, or written in one
   * `bulkDocs`), in the write queue, with this browser's author and the vault (absent: none here).
   * The projection is brought up to the store afterwards, whether the work succeeded or not.
   */
  exclusive<T>(work: (context: { store: DocStore; author: Author; vault: Vault | undefined }) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const { installId, name } = await authorForWriting(this.db);
      try {
        return await work({ store: this.store(), author: { installId, name }, vault: this.vault });
      } finally {
        await projectChanges(this.store(), this.db);
      }
    });
  }

  bin(id: string, baseRev: string): Promise<Saved> {
    return this.write((author) => binDocument(this.store(), author, id, baseRev));
  }

  unbin(id: string, baseRev: string): Promise<Saved> {
    return this.write((author) => unbinDocument(this.store(), author, id, baseRev));
  }

  restoreVersion(id: string, rev: string, baseRev: string): Promise<Saved> {
    return this.write((author) => restoreVersion(this.store(), author, id, rev, baseRev));
  }

  /** Every version, newest first; a credential's sealed box is left out (pages show its clear fields only). */
  async history(id: string): Promise<HistoryEntry[]> {
    return (await historyOf(this.store(), id)).map((entry) => ({ ...entry, content: withoutBox(entry.content) }));
  }

  /**
   * Documents written in client spaces that were merged away move to where those spaces lead now
   * (after a merge, at start-up for one cut off midway, and for what a teammate wrote there
   * offline). Idempotent; no version is kept, since no one's words change. Returns how many moved.
   */
  moveStragglers(): Promise<number> {
    return this.serial(async () => {
      const merged = await this.db.clientSpaces.filter((space) => space.mergedInto !== undefined).toArray();
      if (!merged.length) return 0;
      await projectChanges(this.store(), this.db);
      const rows = await this.db.docs
        .where('spaceId')
        .anyOf(merged.map((space) => space.id))
        .toArray();
      const author = await authorForWriting(this.db);
      let moved = 0;
      for (const row of rows) {
        const target = await resolveSpaceId(this.db, row.spaceId!);
        // Only what is written in a space moves; the space's own document stays its own.
        if (row.kind !== 'note' && row.kind !== 'article' && row.kind !== 'credential') continue;
        if (!target || target === row.spaceId || row.invalid) continue;
        const content = row.kind === 'article' ? { spaceId: target } : { place: { spaceId: target } };
        try {
          await saveDocument(
            this.store(),
            { installId: author.installId, name: author.name },
            { kind: row.kind as WritableKind, id: row.id, baseRev: row.rev, content, keepVersion: false },
          );
          moved++;
        } catch (error) {
          // Changed meanwhile (a teammate's edit arrived): the next pass moves it.
          if (!(error instanceof HandledError && error.code === 'changed')) throw error;
        }
      }
      await projectChanges(this.store(), this.db);
      return moved;
    });
  }

  /**
   * Client spaces created or changed here become (or update) their documents, which the team's
   * replication carries (./space-docs.ts). Nothing while this copy is read-only.
   */
  publishSpaces(): Promise<number> {
    return this.serial(async () => {
      if (await this.readOnlyReason()) return 0;
      await projectChanges(this.store(), this.db);
      const { installId, name } = await authorForWriting(this.db);
      const written = await publishSpaces(this.db, this.store(), { installId, name });
      if (written) await projectChanges(this.store(), this.db);
      return written;
    });
  }

  /**
   * The team's shared setup (sources, matches, layouts: ./shared-setup.ts) and ticket answers as
   * changed here (the PSA records go to the team's database directly: TeamService.publishRecords).
   * Nothing while this copy is read-only.
   */
  publishShared(): Promise<number> {
    return this.serial(async () => {
      if (await this.readOnlyReason()) return 0;
      await projectChanges(this.store(), this.db);
      const { installId, name } = await authorForWriting(this.db);
      const context = await sharedContext(this.db);
      const written = (await publishSharedSetup(this.db, this.store(), { installId, name }, context)) + (await publishTickets(this.db, this.store(), context));
      if (written) await projectChanges(this.store(), this.db);
      return written;
    });
  }

  /** Empties the bin of what has been there over 30 days (a daily alarm). */
  purge(now = Date.now()): Promise<number> {
    return this.serial(async () => {
      const purged = await purgeBin(this.store(), now);
      await projectChanges(this.store(), this.db);
      return purged;
    });
  }

  /**
   * Settles what replication left in conflict (./conflicts.ts): the given documents, or every one
   * in the store. Returns how many documents were settled.
   */
  settleConflicts(ids?: readonly string[]): Promise<number> {
    return this.serial(async () => {
      const { installId, name } = await authorForWriting(this.db);
      const settled = await settleConflicts(this.store(), { installId, name }, ids);
      await projectChanges(this.store(), this.db);
      return settled;
    });
  }

  private write(work: (author: { installId: string; name: string }) => Promise<Saved>): Promise<Saved> {
    return this.serial(async () => {
      const readOnly = await this.readOnlyReason();
      if (readOnly) throw new HandledError('read-only', readOnly);
      const { installId, name } = await authorForWriting(this.db);
      const saved = await work({ installId, name });
      await projectChanges(this.store(), this.db);
      return saved;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
