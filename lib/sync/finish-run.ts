import type { RunRow, SidecarDb } from '../db/schema';
import { forgetSeen } from './mark-sweep';

/**
 * A run past its last step: saved as succeeded, with a summary in the log, its marks of what it
 * saw dropped. A real sync also moves the integration's "last synced".
 */
export async function finishRun(db: SidecarDb, run: RunRow, now: number): Promise<void> {
  run.status = 'succeeded';
  run.finishedAt = now;
  run.pageToken = null;
  delete run.progress;
  await db.runs.put(run);
  await forgetSeen(db, [run.id]);
  if (run.dryRun) {
    await db.log.add({
      at: now,
      integrationId: run.integrationId,
      runId: run.id,
      level: 'info',
      message: 'Preview finished: nothing was written. Apply it to sync.',
    });
    return;
  }
  // "Synced N min ago" speaks for the whole integration: a one-company run does not move it.
  if (!run.companyRemoteId) await db.integrations.update(run.integrationId, { lastSyncAt: now });
  const summary = Object.entries(run.counts)
    .map(([entity, counts]) => `${entity}: ${counts.written} written, ${counts.archived} archived${counts.rejected ? `, ${counts.rejected} skipped` : ''}`)
    .join('; ');
  await db.log.add({ at: now, integrationId: run.integrationId, runId: run.id, level: 'info', message: `Sync finished. ${summary || 'Nothing to do.'}` });
}
