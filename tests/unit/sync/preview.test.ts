import { beforeEach, describe, expect, it } from 'vitest';
import type { SidecarDb } from '@/lib/db/schema';
import { latestPreview, latestRun, PREVIEW_ID_PREFIX } from '@/lib/db/queries';
import { previewSortRules, saveLayout, saveSortRules } from '@/lib/layouts/service';
import { dismissPreview } from '@/lib/sync/dry-run';
import { DEFAULT_SKIP } from '@/lib/sync/options';
import { previewSyncOptions, saveSyncOptions } from '@/lib/sync/options-service';
import type { SyncScheduler } from '@/lib/sync/scheduler';
import type { RunningEmulator } from '../../emulator/index.ts';
import { CONNECTWISE } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/** Previews read like the real thing and write nothing; applying does what the preview said. */
const h = useSyncHarness(CONNECTWISE, { adapter: { retries: 0 } });
let cw: RunningEmulator;
let db: SidecarDb;
let scheduler: SyncScheduler;

beforeEach(async () => {
  ({ db, scheduler } = h);
  cw = h.emu.raw;
  await h.syncAndMatch();
  await run({});
});

const run = ({ dryRun = false }) => h.synced('manual', { dryRun });

/** Everything a preview must leave alone. */
async function snapshot() {
  return {
    records: await db.records.toArray(),
    cursors: await db.cursors.toArray(),
    integration: await db.integrations.get(ID),
    sortRules: await db.sortRules.toArray(),
  };
}

describe('sync preview', () => {
  it('counts what a sync would create, update, move and archive, writes nothing, and the sync then does exactly that', async () => {
    const [contact] = cw.data.contacts.rows.filter((row) => (row.company as { id: number }).id === cw.data.companies.rows[0]!.id);
    const [gone, retyped] = cw.data.configurations.rows.filter((row) => (row.company as { id: number }).id === cw.data.companies.rows[0]!.id);
    cw.control.mutate.rename('contact', contact!.id, 'Renamed Person');
    cw.control.mutate.remove('configuration', gone!.id);
    const added = cw.control.mutate.add('configuration', { company: { id: cw.data.companies.rows[0]!.id }, name: 'BRAND-NEW-01' });
    // A type with a rule elsewhere: the configuration would move to another layout.
    const { layoutId } = await saveLayout(db, { name: 'Firewalls', active: true, fields: [] });
    await saveSortRules(db, ID, [{ typeName: 'Firewall Appliance', layoutId }]);
    cw.control.mutate.changeConfigurationType(retyped!.id, 'Firewall Appliance');

    const before = await snapshot();
    const preview = await run({ dryRun: true });
    expect(await snapshot()).toEqual(before);
    expect(await db.seenBatches.count()).toBe(0);
    expect(preview.preview?.counts).toMatchObject({ create: 1, archive: 1, move: 1 });
    expect(preview.preview?.counts.update).toBeGreaterThanOrEqual(2); // the rename, the retyped configuration
    const samples = preview.preview!.samples;
    expect(samples).toContainEqual(expect.objectContaining({ entity: 'configuration', name: 'BRAND-NEW-01', change: 'create' }));
    expect(samples).toContainEqual({ entity: 'configuration', name: String(gone!.name), change: 'archive', detail: 'deleted in the PSA' });
    expect(samples).toContainEqual({ entity: 'contact', name: 'Renamed Person', change: 'update' });
    expect(samples).toContainEqual(expect.objectContaining({ entity: 'configuration', change: 'move', detail: 'Configurations → Firewalls' }));
    expect(await latestRun(db, ID)).not.toMatchObject({ id: preview.id }); // status shows the last real sync
    expect((await latestPreview(db, ID))?.id).toBe(preview.id);
    // Previews are read by their own key range, not by scanning every run.
    expect(preview.id.startsWith(PREVIEW_ID_PREFIX)).toBe(true);

    // Apply: the real sync does what the preview said.
    const synced = await run({});
    expect(synced.counts.configuration?.archived).toBe(1);
    expect((await db.records.get([ID, 'configuration', String(gone!.id)]))?.archivedAt).toBeTypeOf('number');
    expect((await db.records.get([ID, 'configuration', String(added.id)]))?.data).toMatchObject({ name: 'BRAND-NEW-01' });
    expect((await db.records.get([ID, 'configuration', String(retyped!.id)]))?.layoutId).toBe(layoutId);
    expect((await db.records.get([ID, 'contact', String(contact!.id)]))?.data).toMatchObject({ name: 'Renamed Person' });

    // Nothing changed since: a second preview finds nothing to do.
    expect((await run({ dryRun: true })).preview?.counts).toEqual({ create: 0, update: 0, move: 0, archive: 0 });
  });

  it('cancel drops the preview; a manual sync asked for during a preview replaces it', async () => {
    const preview = await run({ dryRun: true });
    expect(await dismissPreview(db, preview.id)).toBe(true);
    expect(await db.runs.get(preview.id)).toBeUndefined();
    expect(await latestPreview(db, ID)).toBeNull();

    const { runId: previewId } = await scheduler.requestSync(ID, 'manual', { dryRun: true });
    const { runId, alreadyRunning } = await scheduler.requestSync(ID, 'manual');
    expect(alreadyRunning).toBe(false);
    expect(runId).not.toBe(previewId);
    expect(await db.runs.get(previewId)).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
    await scheduler.kick();
    expect((await db.runs.get(runId))?.status).toBe('succeeded');

    const real = await run({});
    await expect(dismissPreview(db, real.id)).rejects.toThrow(/not a preview/);
  });
});

describe('rule and option previews', () => {
  it('a rule preview lists the moves saving would make, and saving makes those moves', async () => {
    const type = (cw.data.configurations.rows.find((row) => (row.company as { id: number }).id === cw.data.companies.rows[0]!.id)!.type as { name: string })
      .name;
    const { layoutId } = await saveLayout(db, { name: 'Special', active: true, fields: [] });
    const before = await snapshot();
    const preview = await previewSortRules(db, ID, [{ typeName: type, layoutId }]);
    expect(await snapshot()).toEqual(before);
    const ofType = (await db.records.filter((row) => row.entity === 'configuration').toArray()).filter(
      (row) => (row.data as { typeName: string }).typeName === type,
    );
    expect(preview.counts.move).toBe(ofType.length);
    expect(preview.samples.every((sample) => sample.detail === 'Configurations → Special')).toBe(true);
    expect(await saveSortRules(db, ID, [{ typeName: type, layoutId }])).toEqual({ moved: preview.counts.move });
    await expect(previewSortRules(db, ID, [{ typeName: ' ', layoutId }])).rejects.toThrow(/Rule 1 has no type/);
  });

  it('an option preview lists what saving would archive and what is re-read, and saving does that', async () => {
    const options = { skip: { ...DEFAULT_SKIP, contacts: true }, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };
    const before = await snapshot();
    const preview = await previewSyncOptions(db, ID, options);
    expect(await snapshot()).toEqual(before);
    const contacts = (await db.records.filter((row) => row.entity === 'contact').toArray()).filter((row) => row.archivedAt === undefined);
    expect(contacts.length).toBeGreaterThan(0);
    expect(preview.counts).toEqual({ create: 0, update: 0, move: 0, archive: contacts.length });
    expect(preview.notes.join(' ')).toMatch(/contacts again in full/);
    expect(await saveSyncOptions(db, ID, options)).toEqual({ archived: contacts.length });
  });
});
