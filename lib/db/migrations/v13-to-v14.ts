import type { Transaction } from 'dexie';

/**
 * v14: what a run saw moves out of the record rows into `seen` (#17: a resync no longer rewrites
 * a record that did not change just to mark it). A sync running or stopped across the update
 * keeps what it had marked (rows carrying its id in `seenRunId`), so its sweep archives nothing it
 * saw; a running preview keeps its `previewSeen` rows. Frozen: the row shapes as v13 shipped.
 */

interface V13Run {
  id: string;
  status: string;
  dryRun?: boolean;
}
interface V13Record {
  entity: string;
  remoteId: string;
  seenRunId?: string;
}
interface V13PreviewSeen {
  runId: string;
  entity: string;
  remoteId: string;
}

export async function moveSeenMarks(tx: Transaction): Promise<void> {
  const runs = (await tx.table('runs').toArray()) as V13Run[];
  const open = new Set(runs.filter((run) => !run.dryRun && (run.status === 'running' || run.status === 'stopped')).map((run) => run.id));
  const marks: V13PreviewSeen[] = [];
  if (open.size) {
    await tx.table('records').each((row: V13Record) => {
      if (row.seenRunId && open.has(row.seenRunId)) marks.push({ runId: row.seenRunId, entity: row.entity, remoteId: row.remoteId });
    });
  }
  marks.push(...((await tx.table('previewSeen').toArray()) as V13PreviewSeen[]));
  await tx.table('seen').bulkPut(marks.map(({ runId, entity, remoteId }) => ({ runId, entity, remoteId })));
}
