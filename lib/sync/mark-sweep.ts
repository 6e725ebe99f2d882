import Dexie from 'dexie';
import type { RecordRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import type { EntityKind } from '../psa/types';
import type { EffectiveOptions } from './options';

/**
 * Deletions by mark-and-sweep: every record a run reads is marked seen by the run in
 * `seenBatches`, a row per page (so a row that did not change is not rewritten just to be
 * marked, #17); a row it writes also carries the run's id (`seenRunId`). Once a complete pass over
 * a scope ends, rows in it with neither are gone from the PSA. A preview writes no row, and it
 * counts instead of archiving (lib/sync/dry-run.ts). A run's marks go when it ends.
 */

const runRange = (runId: string, entity: EntityKind): [[string, EntityKind, unknown], [string, EntityKind, unknown]] => [
  [runId, entity, Dexie.minKey],
  [runId, entity, Dexie.maxKey],
];

/** Marks what a run read (a page's records, written or not; set aside; ids only; anything in a preview): one row for the page. */
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

/** Rows read at once while sweeping (the records a sweep reads are those not marked seen: few but after deletions). */
const SWEEP_CHUNK = 2000;

/**
 * The live rows in a step's scope that the run has not seen: after a complete pass, gone from
 * the PSA. The entity's keys alone are compared with the run's marks (a whole entity's keys read
 * at once), and only the rows left are read: a sweep no longer reads every row of its entity (#17).
 */
export async function unseenInScope(db: SidecarDb, run: RunRow, step: RunStep): Promise<RecordRow[]> {
  const seen = await seenIds(db, run.id, step.entity);
  const scope = step.scope ? new Set(step.scope) : null;
  const keys = (await db.records
    .where(':id')
    .between([run.integrationId, step.entity, Dexie.minKey], [run.integrationId, step.entity, Dexie.maxKey])
    .primaryKeys()) as [string, EntityKind, string][];
  const unmarked = keys.filter((key) => !seen.has(key[2]));
  const unseen: RecordRow[] = [];
  for (let at = 0; at < unmarked.length; at += SWEEP_CHUNK) {
    for (const row of await db.records.bulkGet(unmarked.slice(at, at + SWEEP_CHUNK))) {
      // A row written by this run carries its id (a run begun before marks covered written rows too).
      if (row && row.seenRunId !== run.id && row.archivedAt === undefined && row.goneFromPsaAt === undefined && (!scope || scope.has(row.companyRemoteId)))
        unseen.push(row);
    }
  }
  return unseen;
}

/** Only after a complete pass over the scope may unseen rows be archived (R7). Returns how many. */
export async function sweepUnseen(db: SidecarDb, run: RunRow, step: RunStep, now: number, options: EffectiveOptions): Promise<number> {
  // With auto-archive off, deleted configurations stay where they are, flagged.
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  const gone = await unseenInScope(db, run, step);
  const change = flagOnly ? { goneFromPsaAt: now } : { archivedAt: now, archivedReason: 'deleted' as const };
  if (gone.length) await db.records.bulkPut(gone.map((row) => ({ ...row, ...change })));
  return gone.length;
}
