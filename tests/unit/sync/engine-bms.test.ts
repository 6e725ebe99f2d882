import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import type { EntityKind } from '@/lib/psa/types';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';

let bms: RunningKaseyaBms;
let db: SidecarDb;
let scheduler: SyncScheduler;

beforeEach(async () => {
  bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
  db = new SidecarDb(`bms-engine-${Math.random()}`);
  await db.integrations.add({ id: 'b', psa: 'kaseya-bms', label: 'BMS', settings: {}, uiOrigin: bms.baseUrl, origins: [], createdAt: 0 });
  const creds = bms.credentials.valid;
  const adapter = new BmsAdapter({ settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant }, credentials: { username: creds.userName, password: creds.password }, retries: 0 });
  scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
});
afterEach(async () => {
  await bms.close();
  await db.delete();
});

async function sync(trigger: 'manual' | 'schedule') {
  const { runId } = await scheduler.requestSync('b', trigger);
  await scheduler.kick();
  const run = await db.runs.get(runId);
  expect(run?.status, run?.error?.message).toBe('succeeded');
  return run!;
}
const live = async (entity: EntityKind) =>
  (await db.records.where('[integrationId+entity+remoteId]').between(['b', entity, Dexie.minKey], ['b', entity, Dexie.maxKey]).filter((row) => row.archivedAt === undefined).toArray())
    .map((row) => Number(row.remoteId))
    .sort((a, b) => a - b);

describe('Kaseya BMS sync end to end', () => {
  it('accounts, then the matched account’s locations, contacts, assets and contracts; incremental contacts; deletions archived', async () => {
    await sync('manual');
    const inactive = bms.data.accounts.rows.filter((row) => row.isActive === false);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await live('company')).toEqual(bms.data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id).sort((a, b) => a - b));
    for (const row of inactive) expect((await db.records.get(['b', 'company', String(row.id)]))?.archivedReason).toBe('inactive');
    const account = bms.data.accounts.rows[0]!;
    await applyMatches(db, 'b', [{ companyRemoteId: String(account.id), action: 'create' }]);
    await sync('manual');
    const of = (rows: readonly { id: number; accountId: number }[]) => rows.filter((row) => row.accountId === account.id).map((row) => row.id).sort((a, b) => a - b);
    expect(await live('site')).toEqual(of(bms.data.locations.rows));
    expect(await live('contact')).toEqual(of(bms.data.contacts.rows));
    expect(await live('configuration')).toEqual(of(bms.data.assets.rows));
    expect(await live('agreement')).toEqual(of(bms.data.contracts.rows));

    const contact = bms.data.contacts.rows.find((row) => row.accountId === account.id)!;
    bms.control.mutate.rename('contact', contact.id, 'Renamed Contact');
    const run = await sync('schedule');
    expect(run.steps.find((step) => step.entity === 'contact')?.since).not.toBeNull();
    expect((await db.records.get(['b', 'contact', String(contact.id)]))?.data).toMatchObject({ name: 'Renamed Contact' });

    const asset = bms.data.assets.rows.find((row) => row.accountId === account.id)!;
    bms.control.mutate.remove('asset', asset.id);
    await sync('schedule');
    expect((await db.records.get(['b', 'configuration', String(asset.id)]))?.archivedAt).toBeTypeOf('number');
  });
});
