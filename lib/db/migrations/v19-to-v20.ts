import type { Transaction } from 'dexie';

/**
 * v20 (#18, found by the upgrade fixtures): what older versions left where today's reads no
 * longer look, moved to where they do.
 *
 * Previews were kept under plain run ids until c6870e4; since, a preview's id starts `preview-`
 * and the preview panel reads that key range alone (lib/db/queries.ts `latestPreview`: scanning
 * every run for one made the options page re-read months of runs on every page a sync commits).
 * An older preview, finished and waiting to be applied or cut off by the update, was never shown
 * again. Each moves into the range under `preview-` + its id, with what names it: the marks of
 * what it read (`seenBatches`, keyed by run) and its log rows. Nothing else stored holds a
 * preview's id: previews write no records (a record's `seenRunId` is a sync's). Pages that were
 * told an old id (`sync.preview`) are closed by the update and read the new one from the panel.
 *
 * The MSP's own articles (a document with `spaceId: null`) were projected without a space key
 * until 852b6c0; since, the projector puts them under '*', and the client-space page, the overlay
 * and opening an article from the overlay read them by that key alone. The projection is written
 * again only when a document changes, so an article projected by v9's code (and not edited since,
 * whatever version the browser went through) was missing from every client's page. The documents
 * themselves (PouchDB) have not changed shape: `spaceId: null` then and now, so only their
 * projected rows move. Invalid rows have no place, then and now.
 *
 * Frozen: the row shapes as v19 holds them, the previews' prefix as lib/db/queries.ts had it and
 * '*' as the projector's key for every client (lib/documents/entities.ts) when v20 shipped.
 */

const PREVIEW_PREFIX = 'preview-';
const EVERY_CLIENT = '*';

interface V19Run {
  id: string;
  dryRun?: boolean;
}

interface V19SeenBatch {
  runId: string;
  entity: string;
  batch: string;
  remoteIds: string[];
}

interface V19DocRow {
  id: string;
  kind: string;
  doc: { spaceId?: unknown };
  spaceId?: string;
  invalid?: string;
}

export async function projectGlobalArticlesUnderTheirKey(tx: Transaction): Promise<void> {
  await tx
    .table('docs')
    .where('kind')
    .equals('article')
    .modify((row: V19DocRow) => {
      if (row.invalid === undefined && row.spaceId === undefined && (row.doc.spaceId === null || row.doc.spaceId === undefined)) row.spaceId = EVERY_CLIENT;
    });
}

export async function movePreviewsIntoTheirRange(tx: Transaction): Promise<void> {
  const runs = tx.table('runs');
  const old = (await runs.filter((run: V19Run) => !!run.dryRun && !run.id.startsWith(PREVIEW_PREFIX)).toArray()) as V19Run[];
  for (const run of old) {
    const id = `${PREVIEW_PREFIX}${run.id}`;
    // A key does not change in place: the row goes under its new one. (Put, not add: an upgrade
    // that throws leaves the database unopened; run ids are UUIDs, none is another's `preview-` + id.)
    await runs.delete(run.id);
    await runs.put({ ...run, id });
    await tx.table('log').where('runId').equals(run.id).modify({ runId: id });
    // [runId] sorts before every key of the run and [runId, []] after them (lib/sync/mark-sweep.ts).
    const marks = tx.table('seenBatches').where('[runId+entity+batch]').between([run.id], [run.id, []]);
    const batches = (await marks.toArray()) as V19SeenBatch[];
    await marks.delete();
    await tx.table('seenBatches').bulkPut(batches.map((batch) => ({ ...batch, runId: id })));
  }
}
