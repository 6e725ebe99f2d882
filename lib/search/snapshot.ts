import { changesStamp } from '../db/record-stamps';
import type { SidecarDb } from '../db/schema';
import { MemoryIndex, type MemoryIndexSnapshot } from './memory';

/**
 * The palette's index saved after each build (#17): a worker stopped when idle loads it in a
 * fraction of a build's time (a large tenant's build reads 200,000 rows) and answers at once.
 * Saved with the record and document versions it was built at (lib/db/record-changes.ts): loaded
 * under other versions, it serves as a stale index does (results read fresh) until a rebuild.
 */

/** The saved layout's version: a snapshot of another is ignored (and replaced by the next build). */
export const SNAPSHOT_FORMAT = 1;

export interface LoadedIndex {
  index: MemoryIndex;
  /** The records or documents changed since it was built. */
  stale: boolean;
}

export async function saveIndex(db: SidecarDb, index: MemoryIndex, stamp: string, now = Date.now()): Promise<void> {
  await db.searchIndex.put({ id: 'palette', format: SNAPSHOT_FORMAT, stamp, savedAt: now, index: index.snapshot() });
}

export async function loadIndex(db: SidecarDb): Promise<LoadedIndex | undefined> {
  const [saved, stamp] = await Promise.all([db.searchIndex.get('palette'), changesStamp(db)]);
  if (saved?.format !== SNAPSHOT_FORMAT || !isSnapshot(saved.index)) return undefined;
  return { index: MemoryIndex.restore(saved.index), stale: saved.stamp !== stamp };
}

/** Enough of the shape to restore from (the row is Sidecar's own, written by `saveIndex`). */
function isSnapshot(value: unknown): value is MemoryIndexSnapshot {
  const snapshot = value as Partial<MemoryIndexSnapshot> | undefined;
  return (
    snapshot?.docWords instanceof Int32Array &&
    snapshot.docOffsets instanceof Int32Array &&
    snapshot.postings instanceof Int32Array &&
    snapshot.postingOffsets instanceof Int32Array &&
    typeof snapshot.entries === 'object' &&
    typeof snapshot.vocabulary === 'object'
  );
}
