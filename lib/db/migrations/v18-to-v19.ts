import type { Transaction } from 'dexie';

/**
 * v19: v18 first shipped without `seenBatches` (1a3dfe3, only the words indexes went); the table
 * and its upgrade (./v17-to-v18.ts) came with v19 (1e792b8). A browser that held that first v18
 * kept what a running sync or preview read in `seen`, and is never upgraded to 18 again, so v18's
 * move never runs for it: the marks move here, before v19 drops `seen` (the run's sweep would
 * otherwise archive what it read unchanged). A database that came through v18's upgrade gets the
 * same batches again (same keys, same ids), not a second copy. Frozen: the row shapes as that
 * first v18 shipped them.
 */

interface FirstV18Seen {
  runId: string;
  entity: string;
  remoteId: string;
}

interface V19SeenBatch {
  runId: string;
  entity: string;
  batch: string;
  remoteIds: string[];
}

export async function batchMarksLeftInSeen(tx: Transaction): Promise<void> {
  const batches = new Map<string, V19SeenBatch>();
  await tx.table('seen').each((mark: FirstV18Seen) => {
    const key = JSON.stringify([mark.runId, mark.entity]);
    let batch = batches.get(key);
    if (!batch) batches.set(key, (batch = { runId: mark.runId, entity: mark.entity, batch: 'from-v17', remoteIds: [] }));
    batch.remoteIds.push(mark.remoteId);
  });
  await tx.table('seenBatches').bulkPut([...batches.values()]);
}
