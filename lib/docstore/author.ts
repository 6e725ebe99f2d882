import { HandledError } from '../errors';
import { loadAuthor } from '../db/queries';
import type { AuthorPreference, SidecarDb } from '../db/schema';
import { DOC_LIMITS } from './limits';

/**
 * Who this installation writes as (docs/design/documentation-store.md §2): a random install id,
 * made once, and the name the person chose on the options page, stamped on what they write.
 */
export async function saveAuthorName(db: SidecarDb, typed: string): Promise<AuthorPreference> {
  const name = typed.trim().replace(/\s+/g, ' ');
  if (!name) throw new HandledError('invalid', 'Enter the name your team knows you by.', { name: 'A name is needed.' });
  if (name.length > DOC_LIMITS.nameChars) {
    throw new HandledError('invalid', `A name holds at most ${DOC_LIMITS.nameChars} characters.`, { name: `At most ${DOC_LIMITS.nameChars} characters.` });
  }
  return db.transaction('rw', db.preferences, async () => {
    const current = await loadAuthor(db);
    const author: AuthorPreference = { id: 'author', installId: current?.installId ?? crypto.randomUUID(), name };
    await db.preferences.put(author);
    return author;
  });
}

/** The author a write is stamped with: the saved one, or a new install id with no name yet (the options page asks for one). */
export async function authorForWriting(db: SidecarDb): Promise<AuthorPreference> {
  const saved = await loadAuthor(db);
  if (saved) return saved;
  return db.transaction('rw', db.preferences, async () => {
    const current = await loadAuthor(db);
    if (current) return current;
    const author: AuthorPreference = { id: 'author', installId: crypto.randomUUID(), name: '' };
    await db.preferences.put(author);
    return author;
  });
}
