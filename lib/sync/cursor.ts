import type { CursorRow, RunRow, SidecarDb } from '../db/schema';
import type { EntityKind } from '../psa/types';

/**
 * When a run has read the last of an entity's steps: the next sync of the entity asks only for
 * changes after the newest one seen, for the companies these steps covered.
 */
export async function advanceCursor(db: SidecarDb, run: RunRow, entity: EntityKind, now: number): Promise<void> {
  const key: [string, EntityKind] = [run.integrationId, entity];
  const previous = await db.cursors.get(key);
  // One company's lists read first (lib/sync/company-first.ts) say nothing of what the run covered.
  const steps = run.steps.filter((step) => step.entity === entity && !step.first);
  const seen = run.maxUpdatedAt[entity];
  const highWater = [previous?.highWater, seen]
    .filter((value): value is string => !!value)
    .sort()
    .at(-1);
  const covered = new Set<string>();
  for (const step of steps) for (const id of step.scope ?? []) covered.add(id);
  if (steps.every((step) => step.extendsCoverage)) for (const id of previous?.coveredCompanyIds ?? []) covered.add(id);
  const cursor: CursorRow = {
    integrationId: run.integrationId,
    entity,
    coveredCompanyIds: [...covered],
    ...(highWater ? { highWater } : {}),
  };
  const fullPass = steps.some((step) => step.fullPass);
  const fullPassAt = fullPass ? now : previous?.lastFullPassAt;
  if (fullPassAt) cursor.lastFullPassAt = fullPassAt;
  const fullPassRecords = fullPass ? (run.counts[entity]?.fetched ?? 0) : previous?.lastFullPassRecords;
  if (fullPassRecords !== undefined) cursor.lastFullPassRecords = fullPassRecords;
  await db.cursors.put(cursor);
}
