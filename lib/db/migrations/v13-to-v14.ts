import type { Transaction } from 'dexie';

/**
 * v14: what a run reads without writing is marked in `seen` (#17: a resync no longer rewrites a
 * record that did not change just to mark it), for syncs and previews alike; a preview running
 * across the update keeps its marks. A sync's marks on the rows it wrote (`seenRunId`) stay
 * where they are. Frozen: the row shape as v13 shipped.
 */

interface V13PreviewSeen {
  runId: string;
  entity: string;
  remoteId: string;
}

export async function movePreviewMarks(tx: Transaction): Promise<void> {
  const marks = (await tx.table('previewSeen').toArray()) as V13PreviewSeen[];
  await tx.table('seen').bulkPut(marks.map(({ runId, entity, remoteId }) => ({ runId, entity, remoteId })));
}
