import Dexie, { type Collection } from 'dexie';
import type { RecordRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import type { EntityKind } from '../psa/types';
import type { EffectiveOptions } from './options';

/**
 * Deletions by mark-and-sweep: every record a run reads is marked seen by the run: a row it writes
 * carries the run's id (`seenRunId`), those it reads unchanged get a mark in `seenBatches`, a row
 * per page (so they are not rewritten just to be marked, #17). Once a complete pass over a scope ends, rows in it with
 * neither are gone from the PSA. A preview writes no row, so all it reads is marked in `seen`,
 * and it counts instead of archiving (lib/sync/dry-run.ts). A run's `seen` marks go when it ends.
 */

const runRange = (runId: string, entity: EntityKind): [[string, EntityKind, unknown], [string, EntityKind, unknown]] => [
  [runId, entity, Dexie.minKey],
  [runId, entity, Dexie.maxKey],
];

/** Marks what a run read without writing (unchanged, set aside, or anything in a preview): one row for the page. */
export async function markRead(db: SidecarDb, run: RunRow, entity: EntityKind, remoteIds: string[]): Promise<void> {
  // A batch of its own each time: a page applied twice marks its records twice, which is harmless.
  if (remoteIds.length) await db.seenBatches.put({ runId: run.id, entity, batch: crypto.randomUUID(), remoteIds });
}

/** The remote ids of an entity the run has read so far. */
export async function seenIds(db: SidecarDb, runId: string, entity: EntityKind): Promise<Set<string>> {
  const [lower, upper] = runRange(runId, entity);
  const seen = new Set<string>();
  for (const batch of await db.seenBatches.where('[runId+entity+batch]').between(lower, upper).toArray())
    for (const remoteId of batch.remoteIds) seen.add(remoteId);
  return seen;
}

/** A finished, failed or cancelled run leaves no marks behind. */
export async function forgetSeen(db: SidecarDb, runIds: string[]): Promise<void> {
  // [runId] sorts before every key of the run and [runId, []] after them (an array sorts after any
  // string); Dexie.maxKey twice in one key is the same array twice, which IndexedDB refuses.
  for (const runId of runIds) await db.seenBatches.where('[runId+entity+batch]').between([runId], [runId, []]).delete();
}

/**
 * Marks records an ids pass saw. It reads no data: ids Sidecar lacks, or has archived as gone
 * although the PSA lists them, mean an earlier pass missed them, so the run reads the entity in
 * full right after (lib/sync/step-end.ts). Records the PSA itself flags deleted are not that.
 */
export async function markIdsSeen(db: SidecarDb, run: RunRow, entity: EntityKind, remoteIds: string[]): Promise<void> {
  if (!remoteIds.length) return;
  await markRead(db, run, entity, remoteIds);
  if (run.dryRun || run.refetch?.includes(entity)) return;
  const rows = await db.records.bulkGet(remoteIds.map((id) => [run.integrationId, entity, id] as [string, EntityKind, string]));
  const missed = rows.some((row) => !row || (row.archivedReason === 'deleted' && !row.data.deleted));
  if (missed) run.refetch = [...(run.refetch ?? []), entity];
}

/** The live rows in a step's scope that the run has not seen: after a complete pass, gone from the PSA. */
export async function unseenInScope(db: SidecarDb, run: RunRow, step: RunStep): Promise<Collection<RecordRow>> {
  const seen = await seenIds(db, run.id, step.entity);
  const scope = step.scope ? new Set(step.scope) : null;
  return db.records
    .where('[integrationId+entity+companyRemoteId]')
    .between([run.integrationId, step.entity, Dexie.minKey], [run.integrationId, step.entity, Dexie.maxKey])
    .filter(
      (row) =>
        row.seenRunId !== run.id &&
        !seen.has(row.remoteId) &&
        row.archivedAt === undefined &&
        row.goneFromPsaAt === undefined &&
        (!scope || scope.has(row.companyRemoteId)),
    );
}

/** Only after a complete pass over the scope may unseen rows be archived (R7). Returns how many. */
export async function sweepUnseen(db: SidecarDb, run: RunRow, step: RunStep, now: number, options: EffectiveOptions): Promise<number> {
  // With auto-archive off, deleted configurations stay where they are, flagged.
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  return (await unseenInScope(db, run, step)).modify(flagOnly ? { goneFromPsaAt: now } : { archivedAt: now, archivedReason: 'deleted' });
}
