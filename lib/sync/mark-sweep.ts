import Dexie from 'dexie';
import type { RecordRow, RunRow, RunStep, SidecarDb } from '../db/schema';
import type { EntityKind } from '../psa/types';
import type { EffectiveOptions } from './options';

/**
 * Deletions by mark-and-sweep: every record a run reads is marked with the run's id; once a
 * complete pass over a scope ends, rows in it without the mark are gone from the PSA. A preview
 * marks and sweeps its own way, writing nothing (lib/sync/dry-run.ts).
 */

/**
 * Marks records a pass saw without writing them. An ids pass reads no data: ids Sidecar lacks,
 * or has archived as gone although the PSA lists them, mean an earlier pass missed them, so the
 * run reads the entity in full right after (lib/sync/step-end.ts). Records the PSA itself flags
 * deleted are not that.
 */
export async function markSeen(db: SidecarDb, run: RunRow, entity: EntityKind, remoteIds: string[], fromIdsPass = false): Promise<void> {
  if (!remoteIds.length) return;
  const rows = await db.records.bulkGet(remoteIds.map((id) => [run.integrationId, entity, id] as [string, EntityKind, string]));
  const seen = rows.filter((row): row is RecordRow => !!row).map((row) => ({ ...row, seenRunId: run.id }));
  await db.records.bulkPut(seen);
  const missed = rows.some((row) => !row || (row.archivedReason === 'deleted' && !row.data.deleted));
  if (fromIdsPass && missed && !run.refetch?.includes(entity)) run.refetch = [...(run.refetch ?? []), entity];
}

/** Only after a complete pass over the scope may unseen rows be archived (R7). Returns how many. */
export async function sweepUnseen(db: SidecarDb, run: RunRow, step: RunStep, now: number, options: EffectiveOptions): Promise<number> {
  const scope = step.scope ? new Set(step.scope) : null;
  // With auto-archive off, deleted configurations stay where they are, flagged.
  const flagOnly = step.entity === 'configuration' && !options.autoArchiveDeletedDevices;
  return db.records
    .where('[integrationId+entity+companyRemoteId]')
    .between([run.integrationId, step.entity, Dexie.minKey], [run.integrationId, step.entity, Dexie.maxKey])
    .filter((row) => row.seenRunId !== run.id && row.archivedAt === undefined && row.goneFromPsaAt === undefined && (!scope || scope.has(row.companyRemoteId)))
    .modify(flagOnly ? { goneFromPsaAt: now } : { archivedAt: now, archivedReason: 'deleted' });
}
