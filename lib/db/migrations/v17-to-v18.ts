import type { Transaction } from 'dexie';

/**
 * v18: what a run reads without writing is marked a page at a time (#17). A sync or preview
 * running across the update keeps its marks: each run's and entity's move into one batch, so its
 * sweep still spares what it read. Frozen: the row shapes as v17 shipped and v18 adds.
 */

interface V17Seen {
  runId: string;
  entity: string;
  remoteId: string;
}

interface V18SeenBatch {
  runId: string;
  entity: string;
  batch: string;
  remoteIds: string[];
}

export async function batchSeenMarks(tx: Transaction): Promise<void> {
  const batches = new Map<string, V18SeenBatch>();
  await tx.table('seen').each((mark: V17Seen) => {
    const key = JSON.stringify([mark.runId, mark.entity]);
    let batch = batches.get(key);
    if (!batch) batches.set(key, (batch = { runId: mark.runId, entity: mark.entity, batch: 'from-v17', remoteIds: [] }));
    batch.remoteIds.push(mark.remoteId);
  });
  await tx.table('seenBatches').bulkPut([...batches.values()]);
}
