import type Dexie from 'dexie';
import { DEFAULT_LAYOUTS } from './defaults';
import { addSearchWords } from './migrations/v5-to-v6';
import { followCompanyNamesFromNowOn } from './migrations/v9-to-v10';
import { movePreviewMarks } from './migrations/v13-to-v14';
import { batchSeenMarks } from './migrations/v17-to-v18';
import { batchMarksLeftInSeen } from './migrations/v18-to-v19';
import { movePreviewsIntoTheirRange, projectGlobalArticlesUnderTheirKey } from './migrations/v19-to-v20';

/**
 * The database's history, oldest first. A version, once shipped, never changes: browsers upgrade
 * from whatever version they hold through each later one. Upgrades live in ./migrations, each
 * with its own frozen helpers.
 */
export function declareVersions(db: Dexie): void {
  db.version(1).stores({
    integrations: 'id, psa, uiOrigin',
    secrets: 'integrationId',
    records:
      '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], [integrationId+entity+seenRunId], entity',
    clientSpaces: 'id, name',
    matches: '[integrationId+companyRemoteId], clientSpaceId, [integrationId+state]',
    layouts: 'id, role',
    cursors: '[integrationId+entity]',
    runs: 'id, [integrationId+status], status, startedAt',
    log: '++id, at, integrationId, runId',
  });
  // v2: sort rules (#4). Layouts gained optional fields; no data migration needed.
  db.version(2).stores({ sortRules: 'id, integrationId' });
  // v3: preferences (the sync schedule).
  db.version(3).stores({ preferences: 'id' });
  // v4: what sync previews saw (emptied when each preview ends).
  db.version(4).stores({ previewSeen: '[runId+entity+remoteId], runId' });
  // v5: tickets remembered for offline ticket pages.
  db.version(5).stores({ tickets: '[integrationId+ticketId], fetchedAt' });
  // v6: search words of records, for the palette; existing records get theirs here.
  db.version(6)
    .stores({
      records:
        '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], [integrationId+entity+seenRunId], entity, *words',
    })
    .upgrade(addSearchWords);
  // v7: the credentials vault (secrets are sealed by lib/secrets/migrate.ts, outside any transaction).
  db.version(7).stores({ vault: 'id' });
  // v8: no index on seenRunId: nothing looks records up by it (the sweep filters a company range),
  // and every sync rewrote its entry for every record it saw (issue #7: IndexedDB is the bottleneck).
  db.version(8).stores({
    records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], entity, *words',
  });
  // v9: the projection of the documents technicians write (their store is PouchDB, lib/docstore):
  // each document's winning revision and its search words, and how far the projection has read.
  db.version(9).stores({ docs: 'id, kind, spaceId, recordKey, *words', docCursor: 'id' });
  // v10: client spaces created from a PSA company follow its name (no new index; existing ones learn it here).
  db.version(10).stores({}).upgrade(followCompanyNamesFromNowOn);
  // v11: the team's records documents as taken in here: the team's pull writes them straight into
  // `records` (not through the documentation store), and asks for what it lacks by these revisions.
  // And no `entity` index on records: nothing looks records up by it, and every write paid for it
  // (issue #7 and #17: IndexedDB writing sets the pace of a sync and of a first replication).
  db.version(11).stores({
    records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], *words',
    teamChunks: 'id',
  });
  // v12: tickets made in Sidecar until the PSA has them (#16), and the PSA's ticket form lists.
  db.version(12).stores({ ticketOutbox: 'id, integrationId, state', ticketForms: 'integrationId' });
  // v13: billing counts (#16): each matched company's last billing outcome, and every quantity written.
  db.version(13).stores({ billingStatus: '[integrationId+companyRemoteId]', billingLog: '++id, [integrationId+at]' });
  // v14: what a run reads without writing (sync or preview) is marked apart from the records, so
  // that a resync writes only the records that changed (#17); a running preview's marks move here.
  // No secondary index: it is written for every record a pass reads, and read by run (its key's start).
  db.version(14).stores({ seen: '[runId+entity+remoteId]' }).upgrade(movePreviewMarks);
  // v15: previews' own table, moved into `seen` by v14.
  db.version(15).stores({ previewSeen: null });
  // v16: a version per integration and entity, raised with every write to records
  // (lib/db/record-changes.ts): UI queries re-read records only when theirs change (#17).
  db.version(16).stores({ recordChanges: '[integrationId+entity]' });
  // v17: the palette's index as last built, loaded when the worker wakes instead of rebuilt (#17).
  db.version(17).stores({ searchIndex: 'id' });
  // v18: records and documents lose their `*words` index (#17): the palette answers from its
  // in-memory index only, saved after each build (v17), and that multi-entry index cost a large
  // first sync a third of its time. The words stay on each row: the index is built from them.
  // And what a run read is marked a page at a time (`seenBatches`), not a row per record: a
  // running sync's or preview's marks move there.
  db.version(18)
    .stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName]',
      docs: 'id, kind, spaceId, recordKey',
      seenBatches: '[runId+entity+batch]',
    })
    .upgrade(batchSeenMarks);
  // v19: the per-record marks' table, moved into `seenBatches` by v18. A database at the first v18
  // (no `seenBatches` yet, its marks still in `seen`) has them moved here.
  db.version(19).stores({ seen: null }).upgrade(batchMarksLeftInSeen);
  // v20 (#18): what older versions left where today's reads no longer look moves there: previews
  // kept under plain run ids (before c6870e4) go into the previews' key range, with their marks
  // and log rows; the MSP's own articles projected by v9's code (no space key) go under '*',
  // where every client's page and the overlay read them (the projection is rewritten only on a change).
  db.version(20)
    .stores({})
    .upgrade(async (tx) => {
      await movePreviewsIntoTheirRange(tx);
      await projectGlobalArticlesUnderTheirKey(tx);
    });
  // Each version adds its upgrade fixture with it: tests/fixtures/db/README.md.
  // A new database is created at the latest version, so it gets today's defaults (not a migration).
  db.on('populate', (tx) => {
    const now = Date.now();
    void tx.table('layouts').bulkAdd(DEFAULT_LAYOUTS.map((layout) => ({ ...layout, createdAt: now })));
  });
}
