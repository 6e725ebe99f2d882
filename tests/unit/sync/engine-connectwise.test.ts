import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import type { EntityKind } from '@/lib/psa/types';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { cwCompanyIsLive } from '../../emulator/connectwise/facts.ts';

/** The real ConnectWise adapter and the engine against the emulator: what a user's syncs do. */

let emulator: RunningEmulator;
let db: SidecarDb;
let scheduler: SyncScheduler;

beforeEach(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  db = new SidecarDb(`cw-engine-${Math.random()}`);
  const creds = emulator.credentials.valid;
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: emulator.baseUrl, origins: [], createdAt: 0 });
  const adapter = new ConnectwiseAdapter({
    settings: { host: new URL(emulator.baseUrl).host, scheme: 'http', companyId: creds.companyId },
    credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
    retries: 0,
  });
  scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
});
afterEach(async () => {
  await emulator.close();
  await db.delete();
});

async function sync(trigger: 'manual' | 'schedule' = 'manual') {
  const { runId } = await scheduler.requestSync('cw', trigger);
  await scheduler.kick();
  const run = await db.runs.get(runId);
  expect(run?.status, run?.error?.message).toBe('succeeded');
  return run!;
}

const live = (entity: EntityKind) =>
  db.records
    .where('[integrationId+entity+remoteId]')
    .between(['cw', entity, Dexie.minKey], ['cw', entity, Dexie.maxKey])
    .filter((row) => row.archivedAt === undefined)
    .toArray();
const ids = async (entity: EntityKind) => (await live(entity)).map((row) => Number(row.remoteId)).sort((a, b) => a - b);
const isInactive = (row: Record<string, unknown>) => !cwCompanyIsLive(row);
const childIds = (table: { rows: readonly { id: number; company?: unknown }[] }, companies: number[]) =>
  table.rows.filter((row) => companies.includes((row.company as { id: number }).id)).map((row) => row.id).sort((a, b) => a - b);

describe('ConnectWise sync end to end (engine + adapter + emulator)', () => {
  it('first sync brings companies; children arrive for matched companies only, equal to the PSA', async () => {
    await sync();
    // Inactive companies arrive archived (the Museum says why), the rest live.
    const inactive = emulator.data.companies.rows.filter(isInactive);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await ids('company')).toEqual(emulator.data.companies.rows.filter((row) => !isInactive(row)).map((row) => row.id));
    for (const company of inactive) {
      expect(await db.records.get(['cw', 'company', String(company.id)])).toMatchObject({ archivedAt: expect.any(Number), archivedReason: 'inactive' });
    }
    expect(await db.records.where('entity').notEqual('company').count()).toBe(0);

    const [first, second] = emulator.data.companies.rows;
    await applyMatches(db, 'cw', [
      { companyRemoteId: String(first!.id), action: 'create' },
      { companyRemoteId: String(second!.id), action: 'unmatched' },
    ]);
    await sync();
    const matched = [first!.id];
    expect(await ids('contact')).toEqual(childIds(emulator.data.contacts, matched));
    expect(await ids('configuration')).toEqual(childIds(emulator.data.configurations, matched));
    expect(await ids('agreement')).toEqual(childIds(emulator.data.agreements, matched));
    expect(await ids('site')).toEqual(childIds(emulator.data.sites, matched));
    expect((await live('configuration')).every((row) => row.layoutId === 'layout-configurations')).toBe(true);
    expect((await live('site')).every((row) => row.layoutId === 'layout-locations')).toBe(true);
  });

  it('resyncs pick up renames incrementally, archive deletions, and fetch newly matched companies in full', async () => {
    await sync();
    const [first, second] = emulator.data.companies.rows;
    await applyMatches(db, 'cw', [{ companyRemoteId: String(first!.id), action: 'create' }]);
    await sync();

    const configuration = emulator.data.configurations.children(first!.id)[0]!;
    const gone = emulator.data.contacts.children(first!.id)[0]!;
    emulator.control.mutate.rename('configuration', configuration.id, 'Renamed Server');
    emulator.control.mutate.remove('contact', gone.id);
    emulator.control.resetRequestLog();
    const scheduled = await sync('schedule');
    expect((await db.records.get(['cw', 'configuration', String(configuration.id)]))?.data).toMatchObject({ name: 'Renamed Server' });
    // Incremental: the changed configuration, plus at most the newest one again (the cursor overlap).
    expect(scheduled.counts.configuration?.written).toBeGreaterThanOrEqual(1);
    expect(scheduled.counts.configuration?.written).toBeLessThan(emulator.data.configurations.children(first!.id).length);
    expect(emulator.control.requests().some((request) => /lastUpdated >= \[/.test(request.query.conditions ?? ""))).toBe(true);
    expect((await db.records.get(['cw', 'contact', String(gone.id)]))?.archivedAt).toBeUndefined();

    await sync('manual'); // a manual resync includes the deletion pass
    const archived = await db.records.get(['cw', 'contact', String(gone.id)]);
    expect(archived?.archivedAt).toBeTypeOf('number');
    expect(await ids('contact')).toEqual(childIds(emulator.data.contacts, [first!.id]));

    // A company matched later gets all its children, though they are older than the cursor.
    await applyMatches(db, 'cw', [{ companyRemoteId: String(second!.id), action: 'create' }]);
    await sync('schedule');
    expect(await ids('contact')).toEqual(childIds(emulator.data.contacts, [first!.id, second!.id]));
    expect(await ids('configuration')).toEqual(childIds(emulator.data.configurations, [first!.id, second!.id]));
  });

  it('a company soft-deleted in ConnectWise is archived, its match kept', async () => {
    await sync();
    const company = emulator.data.companies.rows[2]!;
    await applyMatches(db, 'cw', [{ companyRemoteId: String(company.id), action: 'create' }]);
    emulator.control.mutate.remove('company', company.id);
    await sync('schedule');
    expect((await db.records.get(['cw', 'company', String(company.id)]))?.archivedAt).toBeTypeOf('number');
    expect(await db.matches.get(['cw', String(company.id)])).toMatchObject({ state: 'matched' });
  });

  it('a failing page is retried from where it stopped and the run still completes', async () => {
    await sync();
    await applyMatches(db, 'cw', emulator.data.companies.rows.map((row) => ({ companyRemoteId: String(row.id), action: 'create' as const })));
    emulator.control.injectFault({ path: /company\/configurations$/i, status: 503, times: 1 });
    const { runId } = await scheduler.requestSync('cw', 'manual');
    await scheduler.kick();
    const waiting = await db.runs.get(runId);
    expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: 'server' } });
    await db.runs.update(runId, { retryAt: Date.now() - 1 }); // the alarm fired
    await scheduler.kick();
    expect((await db.runs.get(runId))?.status).toBe('succeeded');
    // Every live (active) company's configurations; inactive companies are archived, their records not read.
    const active = emulator.data.companies.rows.filter((row) => !isInactive(row)).map((row) => row.id);
    expect(await ids('configuration')).toEqual(childIds(emulator.data.configurations, active));
  });

  it('a one-company resync refreshes that company only and leaves cursors and "last synced" alone', async () => {
    await sync();
    const [first, second] = emulator.data.companies.rows;
    await applyMatches(db, 'cw', [{ companyRemoteId: String(first!.id), action: 'create' }]);
    await sync();
    const cursorsBefore = await db.cursors.toArray();
    const lastSyncBefore = (await db.integrations.get('cw'))?.lastSyncAt;
    const contact = emulator.data.contacts.children(first!.id)[0]!;
    emulator.control.mutate.rename('contact', contact.id, 'Fresh Name');

    const { runId } = await scheduler.requestCompanySync('cw', String(first!.id));
    await scheduler.kick();
    const run = await db.runs.get(runId);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.every((step) => step.scope?.length === 1 && step.scope[0] === String(first!.id))).toBe(true);
    expect((await db.records.get(['cw', 'contact', String(contact.id)]))?.data).toMatchObject({ name: 'Fresh Name' });
    expect(await db.cursors.toArray()).toEqual(cursorsBefore);
    expect((await db.integrations.get('cw'))?.lastSyncAt).toBe(lastSyncBefore);
    await expect(scheduler.requestCompanySync('cw', String(second!.id))).rejects.toThrow(/match it first/);
  });
});
