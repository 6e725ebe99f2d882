import type { ClientSpaceRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { clientSpaceNameSchema, fitClientSpaceName } from './client-space-name';

/**
 * Managing client spaces by hand (issue #14): create, rename, archive and merge, and a space
 * created from a PSA company following that company's name until a person renames it. Merging
 * moves the matches here, in one transaction; the documents written in the merged-away space
 * follow through lib/documents (a space id that redirects is resolved with `resolveSpaceId`).
 */

const MAX_HOPS = 10;

function parseName(typed: string): string {
  const parsed = clientSpaceNameSchema.safeParse(typed);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'That name cannot be used.';
    throw new HandledError('invalid', message, { name: message });
  }
  return parsed.data;
}

export async function createSpace(db: SidecarDb, typed: string, now = Date.now()): Promise<ClientSpaceRow> {
  const space: ClientSpaceRow = { id: crypto.randomUUID(), name: parseName(typed), createdAt: now };
  await db.clientSpaces.add(space);
  return space;
}

async function liveSpace(db: SidecarDb, spaceId: string): Promise<ClientSpaceRow> {
  const space = await db.clientSpaces.get(spaceId);
  if (!space) throw new HandledError('not-found', 'That client space does not exist (any more).');
  if (space.mergedInto !== undefined) throw new HandledError('invalid', 'That client space was merged into another one.');
  return space;
}

/** A person's name stays: the space stops following its PSA company's name. */
export async function renameSpace(db: SidecarDb, spaceId: string, typed: string): Promise<ClientSpaceRow> {
  const name = parseName(typed);
  return db.transaction('rw', db.clientSpaces, async () => {
    const space = await liveSpace(db, spaceId);
    const renamed: ClientSpaceRow = { ...space, name };
    delete renamed.nameFollows;
    await db.clientSpaces.put(renamed);
    return renamed;
  });
}

export async function archiveSpace(db: SidecarDb, spaceId: string, archived: boolean, now = Date.now()): Promise<ClientSpaceRow> {
  return db.transaction('rw', db.clientSpaces, async () => {
    const space = await liveSpace(db, spaceId);
    const next: ClientSpaceRow = { ...space };
    if (archived) next.archivedAt = space.archivedAt ?? now;
    else delete next.archivedAt;
    await db.clientSpaces.put(next);
    return next;
  });
}

/**
 * Merges `fromId` into `intoId`: every match of the first now points at the second (its records
 * follow their matches), and the first redirects there for good. Nothing is deleted.
 */
export async function mergeSpaces(db: SidecarDb, fromId: string, intoId: string, now = Date.now()): Promise<{ matches: number }> {
  if (fromId === intoId) throw new HandledError('invalid', 'Choose another client space to merge into.', { into: 'Choose another client space.' });
  return db.transaction('rw', db.clientSpaces, db.matches, async () => {
    const from = await liveSpace(db, fromId);
    const into = await liveSpace(db, intoId);
    const matches = await db.matches.where('clientSpaceId').equals(from.id).toArray();
    await db.matches.bulkPut(matches.map((match) => ({ ...match, clientSpaceId: into.id, decidedAt: now })));
    await db.clientSpaces.put({ ...from, mergedInto: into.id, mergedAt: now });
    // The survivor keeps its own name (and follows its company's, if it did).
    return { matches: matches.length };
  });
}

/** Where a space id leads now: itself, or the space it was merged into (followed a few hops at most). */
export async function resolveSpaceId(db: SidecarDb, spaceId: string): Promise<string | undefined> {
  let id = spaceId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const space = await db.clientSpaces.get(id);
    if (!space) return undefined;
    if (space.mergedInto === undefined) return space.id;
    id = space.mergedInto;
  }
  return undefined;
}

/**
 * After a sync of `integrationId`: every space that follows one of its companies takes that
 * company's current name. Returns the spaces renamed.
 */
export async function followCompanyNames(db: SidecarDb, integrationId: string, now = Date.now()): Promise<string[]> {
  return db.transaction('rw', db.clientSpaces, db.records, db.log, async () => {
    const following = await db.clientSpaces.filter((space) => space.nameFollows?.integrationId === integrationId && space.mergedInto === undefined).toArray();
    const renamed: string[] = [];
    for (const space of following) {
      const company = await db.records.get([integrationId, 'company', space.nameFollows!.companyRemoteId]);
      const companyName = (company?.data as { name?: string } | undefined)?.name;
      if (!companyName) continue;
      const name = fitClientSpaceName(companyName, space.name);
      if (name === space.name) continue;
      await db.clientSpaces.update(space.id, { name });
      await db.log.add({
        at: now,
        integrationId,
        level: 'info',
        message: `Client space “${space.name}” is now “${name}”, as its company is named in the PSA.`,
      });
      renamed.push(name);
    }
    return renamed;
  });
}
