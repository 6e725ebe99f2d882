import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';

/**
 * v13 -> v14/v15 (#17): what a run saw moves from the record rows (`seenRunId`) and the preview's
 * own table into `seen`, so a sync open across the update sweeps nothing it had seen.
 */
describe('upgrading to the seen table', () => {
  it('keeps the marks of a running and a stopped sync and of a running preview; drops those of finished runs', async () => {
    const name = `seen-upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(13).stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], *words',
      runs: 'id, [integrationId+status], status, startedAt',
      previewSeen: '[runId+entity+remoteId], runId',
    });
    const run = (id: string, status: string, dryRun = false) => ({
      id,
      integrationId: 'cw',
      status,
      trigger: 'manual',
      startedAt: 1,
      ...(dryRun ? { dryRun } : {}),
    });
    await old.table('runs').bulkAdd([run('running', 'running'), run('stopped', 'stopped'), run('done', 'succeeded'), run('preview', 'running', true)]);
    const row = (entity: string, remoteId: string, seenRunId: string) => ({
      integrationId: 'cw',
      entity,
      remoteId,
      companyRemoteId: '9',
      data: { remoteId },
      sortName: remoteId,
      syncedAt: 1,
      seenRunId,
    });
    await old
      .table('records')
      .bulkAdd([row('contact', '1', 'running'), row('configuration', '2', 'running'), row('contact', '3', 'stopped'), row('contact', '4', 'done')]);
    await old.table('previewSeen').add({ runId: 'preview', entity: 'site', remoteId: '5' });
    old.close();

    const db = new SidecarDb(name);
    await db.open();
    expect(db.verno).toBe(15);
    const keys = (await db.seen.toCollection().primaryKeys()).map((key) => key.join('/')).sort();
    expect(keys).toEqual(['preview/site/5', 'running/configuration/2', 'running/contact/1', 'stopped/contact/3']);
    expect(db.tables.map((table) => table.name)).not.toContain('previewSeen');
    // The records themselves are left as they were (rewriting 150,000 rows on an update is what #17 avoids).
    expect(await db.records.count()).toBe(4);
    db.close();
    await Dexie.delete(name);
  });
});
