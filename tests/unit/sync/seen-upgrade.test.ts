import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { sweepUnseen } from '@/lib/sync/mark-sweep';
import { effectiveOptions } from '@/lib/sync/options';
import type { RunRow } from '@/lib/db/schema';

/**
 * v13 -> v14/v15 (#17): a running preview's marks move from its own table into `seen`; a sync
 * open across the update keeps its marks on the rows it wrote, so its sweep archives only what
 * it did not see. v17 -> v18/v19: the marks in `seen` move into `seenBatches`, a row per batch.
 */
describe('upgrading to the seen table', () => {
  it('keeps a running preview’s marks and a running sync’s, and drops the preview table', async () => {
    const name = `seen-upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(13).stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], *words',
      runs: 'id, [integrationId+status], status, startedAt',
      previewSeen: '[runId+entity+remoteId], runId',
    });
    const run = {
      id: 'running',
      integrationId: 'cw',
      status: 'running',
      trigger: 'manual',
      startedAt: 1,
      steps: [],
      stepIndex: 0,
      counts: {},
      maxUpdatedAt: {},
      attempts: 0,
    };
    await old.table('runs').bulkAdd([run, { ...run, id: 'preview', dryRun: true }]);
    const row = (remoteId: string, seenRunId: string) => ({
      integrationId: 'cw',
      entity: 'contact',
      remoteId,
      companyRemoteId: '9',
      data: { remoteId, companyRemoteId: '9', name: remoteId },
      sortName: remoteId,
      syncedAt: 1,
      seenRunId,
    });
    await old.table('records').bulkAdd([row('1', 'running'), row('2', 'an-earlier-run')]);
    await old.table('previewSeen').add({ runId: 'preview', entity: 'site', remoteId: '5' });
    old.close();

    const db = new SidecarDb(name);
    await db.open();
    // Upgraded to the newest version today's code declares (a probe declares it without opening).
    expect(db.verno).toBe(new SidecarDb(`probe-${Math.random()}`).verno);
    // v18: the marks are a batch per run and entity now; v20: a preview made before c6870e4, and its
    // marks, are in the previews' key range (`preview-` + its id).
    expect((await db.seenBatches.toArray()).map(({ runId, entity, remoteIds }) => `${runId}/${entity}/${remoteIds.join(',')}`)).toEqual([
      'preview-preview/site/5',
    ]);
    expect((await db.runs.toArray()).map((kept) => kept.id).sort()).toEqual(['preview-preview', 'running']);
    expect(db.tables.map((table) => table.name)).not.toContain('previewSeen');

    // The running sync's pass over the company ends: the row it wrote before the update stays, the one it never saw goes.
    const archived = await sweepUnseen(
      db,
      run as unknown as RunRow,
      { entity: 'contact', mode: 'changes', since: null, scope: ['9'], sweep: true, fullPass: false },
      2,
      effectiveOptions(undefined),
    );
    expect(archived).toBe(1);
    expect((await db.records.get(['cw', 'contact', '1']))?.archivedAt).toBeUndefined();
    expect((await db.records.get(['cw', 'contact', '2']))?.archivedReason).toBe('deleted');
    db.close();
    await Dexie.delete(name);
  });

  it('keeps a running sync’s marks of what it read unchanged: one batch per entity, and its sweep spares them', async () => {
    const name = `seen-batches-upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(17).stores({
      records: '[integrationId+entity+remoteId], [integrationId+entity+companyRemoteId], [integrationId+entity+sortName], *words',
      runs: 'id, [integrationId+status], status, startedAt',
      seen: '[runId+entity+remoteId]',
    });
    const run = {
      id: 'running',
      integrationId: 'cw',
      status: 'running',
      trigger: 'manual',
      startedAt: 1,
      steps: [],
      stepIndex: 0,
      counts: {},
      maxUpdatedAt: {},
      attempts: 0,
    };
    await old.table('runs').add(run);
    const contact = (remoteId: string) => ({
      integrationId: 'cw',
      entity: 'contact',
      remoteId,
      companyRemoteId: '9',
      data: { remoteId, companyRemoteId: '9', name: remoteId },
      sortName: remoteId,
      words: [remoteId],
      syncedAt: 1,
      seenRunId: 'an-earlier-run',
    });
    await old.table('records').bulkAdd([contact('1'), contact('2'), contact('3')]);
    // Read unchanged by the running sync before the update: contacts 1 and 3 (and a site).
    await old.table('seen').bulkAdd([
      { runId: 'running', entity: 'contact', remoteId: '1' },
      { runId: 'running', entity: 'contact', remoteId: '3' },
      { runId: 'running', entity: 'site', remoteId: '7' },
    ]);
    old.close();

    const db = new SidecarDb(name);
    await db.open();
    expect(db.tables.map((table) => table.name)).not.toContain('seen');
    expect((await db.seenBatches.toArray()).map(({ runId, entity, remoteIds }) => `${runId}/${entity}/${remoteIds.join(',')}`)).toEqual([
      'running/contact/1,3',
      'running/site/7',
    ]);
    const archived = await sweepUnseen(
      db,
      run as unknown as RunRow,
      { entity: 'contact', mode: 'changes', since: null, scope: ['9'], sweep: true, fullPass: false },
      2,
      effectiveOptions(undefined),
    );
    expect(archived).toBe(1);
    expect((await db.records.get(['cw', 'contact', '2']))?.archivedReason).toBe('deleted');
    expect((await db.records.get(['cw', 'contact', '1']))?.archivedAt).toBeUndefined();
    expect((await db.records.get(['cw', 'contact', '3']))?.archivedAt).toBeUndefined();
    db.close();
    await Dexie.delete(name);
  });
});
