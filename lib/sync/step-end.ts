import type { RunRow, RunStep, SidecarDb } from '../db/schema';
import { advanceCursor } from './cursor';
import { previewSweep } from './dry-run';
import { sweepUnseen } from './mark-sweep';
import type { EffectiveOptions } from './options';
import { countsFor } from './run-progress';
import { resumeStep } from './company-first';

/**
 * After a step's last page, inside the same transaction as that page: archive what the step did
 * not see, schedule a full read if an ids pass found gaps, move the cursor, go to the next step.
 */
export async function endStep(db: SidecarDb, run: RunRow, step: RunStep, now: number, options: EffectiveOptions): Promise<void> {
  if (step.sweep && run.unstable) {
    // Pages shifted under us: some records may be unread, so absence proves nothing this time.
    await db.log.add({
      at: now,
      integrationId: run.integrationId,
      runId: run.id,
      level: 'info',
      entity: step.entity,
      message: `The PSA's ${step.entity} list changed while it was read: deletions are checked on the next full pass.`,
    });
  } else if (step.sweep) {
    countsFor(run, step.entity).archived += run.dryRun ? await previewSweep(db, run, step, options) : await sweepUnseen(db, run, step, now, options);
  }
  delete run.unstable;
  // The ids pass found records Sidecar missed: read the entity in full now, within this run.
  if (step.mode === 'ids' && run.refetch?.includes(step.entity)) {
    run.steps.splice(run.stepIndex + 1, 0, { entity: step.entity, mode: 'changes', since: null, scope: step.scope, sweep: false, fullPass: false });
    run.refetch = run.refetch.filter((entity) => entity !== step.entity);
  }
  // A one-company run or step read only part of the data, a preview wrote nothing: the cursors stay where they are.
  if (!run.companyRemoteId && !run.dryRun && !step.first && !run.steps.slice(run.stepIndex + 1).some((later) => later.entity === step.entity)) {
    await advanceCursor(db, run, step.entity, now);
  }
  run.stepIndex += 1;
  resumeStep(run);
}
