import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import type { EntityKind } from '@/lib/psa/types';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';

/** HaloPSA lists carry no timestamps: every sync is a full pass, which also finds deletions. */
let halo: RunningHaloEmulator;
let db: SidecarDb;
let scheduler: SyncScheduler;

beforeEach(async () => {
  halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
  db = new SidecarDb(`halo-engine-${Math.random()}`);
  await db.integrations.add({ id: 'h', psa: 'halo', label: 'Halo', settings: {}, uiOrigin: halo.baseUrl, origins: [], createdAt: 0 });
  const creds = halo.credentials.valid;
  const adapter = new HaloAdapter({ settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! }, credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret }, retries: 0 });
  scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
});
afterEach(async () => {
  await halo.close();
  await db.delete();
});

async function sync() {
  const { runId } = await scheduler.requestSync('h', 'schedule');
  await scheduler.kick();
  const run = await db.runs.get(runId);
  expect(run?.status, run?.error?.message).toBe('succeeded');
}
const live = async (entity: EntityKind) =>
  (await db.records.where('[integrationId+entity+remoteId]').between(['h', entity, Dexie.minKey], ['h', entity, Dexie.maxKey]).filter((row) => row.archivedAt === undefined).toArray())
    .map((row) => Number(row.remoteId))
    .sort((a, b) => a - b);

describe('HaloPSA sync end to end', () => {
  it('imports clients (inactive ones archived), then the matched client’s users, assets, contracts and sites; archives deletions', async () => {
    await sync();
    const inactive = halo.data.clients.rows.filter((row) => row.inactive === true);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await live('company')).toEqual(halo.data.clients.rows.filter((row) => row.inactive !== true).map((row) => row.id));
    for (const row of inactive) expect((await db.records.get(['h', 'company', String(row.id)]))?.archivedReason).toBe('inactive');
    const acorn = halo.data.clients.rows[0]!;
    await applyMatches(db, 'h', [{ companyRemoteId: String(acorn.id), action: 'create' }]);
    await sync();
    const of = (rows: readonly { id: number; client_id?: unknown }[]) => rows.filter((row) => row.client_id === acorn.id).map((row) => row.id).sort((a, b) => a - b);
    expect(await live('contact')).toEqual(of(halo.data.users.rows));
    expect(await live('configuration')).toEqual(of(halo.data.assets.rows));
    expect(await live('site')).toEqual(of(halo.data.sites.rows));
    expect(await live('agreement')).toEqual(of(halo.data.contracts.rows));

    const asset = halo.data.assets.rows.find((row) => row.client_id === acorn.id)!;
    halo.control.mutate.remove('asset', asset.id);
    halo.control.mutate.rename('user', halo.data.users.rows.find((row) => row.client_id === acorn.id)!.id, 'Renamed Person');
    await sync();
    expect((await db.records.get(['h', 'configuration', String(asset.id)]))?.archivedAt).toBeTypeOf('number');
    expect((await db.records.where('entity').equals('contact').toArray()).some((row) => (row.data as { name: string }).name === 'Renamed Person')).toBe(true);
  });
});
