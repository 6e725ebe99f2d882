import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { latestPreview, latestRun } from '@/lib/db/queries';
import { previewSortRules, saveLayout, saveSortRules } from '@/lib/layouts/service';
import { applyMatches } from '@/lib/match/company-match';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { dismissPreview } from '@/lib/sync/dry-run';
import { DEFAULT_SKIP } from '@/lib/sync/options';
import { previewSyncOptions, saveSyncOptions } from '@/lib/sync/options-service';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';

/** Previews read like the real thing and write nothing; applying does what the preview said. */
let cw: RunningEmulator;
let db: SidecarDb;
let scheduler: SyncScheduler;

beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  db = new SidecarDb(`preview-${Math.random()}`);
  await db.open();
  const creds = cw.credentials.valid;
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: cw.baseUrl, origins: [], createdAt: 0 });
  const adapter = new ConnectwiseAdapter({
    settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
    credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
    retries: 0,
  });
  scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
  await run({});
  const live = (await db.records.where('entity').equals('company').toArray()).filter((row) => row.archivedAt === undefined);
  await applyMatches(db, 'cw', live.map((row) => ({ companyRemoteId: row.remoteId, action: 'create' as const })));
  await run({});
});
afterEach(async () => {
  await cw.close();
  await db.delete();
});

async function run({ dryRun = false }) {
  const { runId } = await scheduler.requestSync('cw', 'manual', { dryRun });
  await scheduler.kick();
  const row = await db.runs.get(runId);
  expect(row?.status, row?.error?.message).toBe('succeeded');
  return row!;
}

/** Everything a preview must leave alone. */
async function snapshot() {
  return {
    records: await db.records.toArray(),
    cursors: await db.cursors.toArray(),
    integration: await db.integrations.get('cw'),
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
    await saveSortRules(db, 'cw', [{ typeName: 'Firewall Appliance', layoutId }]);
    cw.control.mutate.changeConfigurationType(retyped!.id, 'Firewall Appliance');

    const before = await snapshot();
    const preview = await run({ dryRun: true });
    expect(await snapshot()).toEqual(before);
    expect(await db.previewSeen.count()).toBe(0);
    expect(preview.preview?.counts).toMatchObject({ create: 1, archive: 1, move: 1 });
    expect(preview.preview?.counts.update).toBeGreaterThanOrEqual(2); // the rename, the retyped configuration
    const samples = preview.preview!.samples;
    expect(samples).toContainEqual(expect.objectContaining({ entity: 'configuration', name: 'BRAND-NEW-01', change: 'create' }));
    expect(samples).toContainEqual({ entity: 'configuration', name: String(gone!.name), change: 'archive', detail: 'deleted in the PSA' });
    expect(samples).toContainEqual({ entity: 'contact', name: 'Renamed Person', change: 'update' });
    expect(samples).toContainEqual(expect.objectContaining({ entity: 'configuration', change: 'move', detail: 'Configurations → Firewalls' }));
    expect(await latestRun(db, 'cw')).not.toMatchObject({ id: preview.id }); // status shows the last real sync
    expect((await latestPreview(db, 'cw'))?.id).toBe(preview.id);

    // Apply: the real sync does what the preview said.
    const synced = await run({});
    expect(synced.counts.configuration?.archived).toBe(1);
    expect((await db.records.get(['cw', 'configuration', String(gone!.id)]))?.archivedAt).toBeTypeOf('number');
    expect((await db.records.get(['cw', 'configuration', String(added.id)]))?.data).toMatchObject({ name: 'BRAND-NEW-01' });
    expect((await db.records.get(['cw', 'configuration', String(retyped!.id)]))?.layoutId).toBe(layoutId);
    expect((await db.records.get(['cw', 'contact', String(contact!.id)]))?.data).toMatchObject({ name: 'Renamed Person' });

    // Nothing changed since: a second preview finds nothing to do.
    expect((await run({ dryRun: true })).preview?.counts).toEqual({ create: 0, update: 0, move: 0, archive: 0 });
  });

  it('cancel drops the preview; a manual sync asked for during a preview replaces it', async () => {
    const preview = await run({ dryRun: true });
    expect(await dismissPreview(db, preview.id)).toBe(true);
    expect(await db.runs.get(preview.id)).toBeUndefined();
    expect(await latestPreview(db, 'cw')).toBeNull();

    const { runId: previewId } = await scheduler.requestSync('cw', 'manual', { dryRun: true });
    const { runId, alreadyRunning } = await scheduler.requestSync('cw', 'manual');
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
    const type = (cw.data.configurations.rows.find((row) => (row.company as { id: number }).id === cw.data.companies.rows[0]!.id)!.type as { name: string }).name;
    const { layoutId } = await saveLayout(db, { name: 'Special', active: true, fields: [] });
    const before = await snapshot();
    const preview = await previewSortRules(db, 'cw', [{ typeName: type, layoutId }]);
    expect(await snapshot()).toEqual(before);
    const ofType = (await db.records.where('entity').equals('configuration').toArray()).filter((row) => (row.data as { typeName: string }).typeName === type);
    expect(preview.counts.move).toBe(ofType.length);
    expect(preview.samples.every((sample) => sample.detail === 'Configurations → Special')).toBe(true);
    expect(await saveSortRules(db, 'cw', [{ typeName: type, layoutId }])).toEqual({ moved: preview.counts.move });
    await expect(previewSortRules(db, 'cw', [{ typeName: ' ', layoutId }])).rejects.toThrow(/Rule 1 has no type/);
  });

  it('an option preview lists what saving would archive and what is re-read, and saving does that', async () => {
    const options = { skip: { ...DEFAULT_SKIP, contacts: true }, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };
    const before = await snapshot();
    const preview = await previewSyncOptions(db, 'cw', options);
    expect(await snapshot()).toEqual(before);
    const contacts = (await db.records.where('entity').equals('contact').toArray()).filter((row) => row.archivedAt === undefined);
    expect(contacts.length).toBeGreaterThan(0);
    expect(preview.counts).toEqual({ create: 0, update: 0, move: 0, archive: contacts.length });
    expect(preview.notes.join(' ')).toMatch(/contacts again in full/);
    expect(await saveSyncOptions(db, 'cw', options)).toEqual({ archived: contacts.length });
  });
});
