import { describe, expect, it } from 'vitest';
import { applyMatches } from '@/lib/match/company-match';
import { HALO } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/** HaloPSA lists carry no timestamps: every sync is a full pass, which also finds deletions. */
const h = useSyncHarness(HALO, { adapter: { retries: 0 } });

describe('HaloPSA sync end to end', () => {
  it('imports clients (inactive ones archived), then the matched client’s users, assets, contracts and sites; archives deletions', async () => {
    const halo = h.emu.raw;
    await h.synced('schedule');
    const inactive = h.emu.companies().filter((row) => row.inactive);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await h.liveIds('company')).toEqual(h.emu.truth().company);
    for (const row of inactive) expect((await h.record('company', row.id))?.archivedReason).toBe('inactive');
    const acorn = halo.data.clients.rows[0]!;
    await applyMatches(h.db, ID, [{ companyRemoteId: String(acorn.id), action: 'create' }]);
    await h.synced('schedule');
    expect(await h.local()).toEqual(h.emu.truth([acorn.id]));

    const asset = halo.data.assets.rows.find((row) => row.client_id === acorn.id)!;
    h.emu.removeConfiguration(asset.id);
    h.emu.renameContact(String(halo.data.users.rows.find((row) => row.client_id === acorn.id)!.id), 'Renamed Person');
    await h.synced('schedule');
    expect((await h.record('configuration', asset.id))?.archivedAt).toBeTypeOf('number');
    expect(
      (await h.db.records.filter((row) => row.entity === 'contact').toArray()).some((row) => (row.data as { name: string }).name === 'Renamed Person'),
    ).toBe(true);
  });
});

/**
 * The April 2025 client list has no website (docs/psa/halo.md#clients): matched clients' full
 * records give it, a request each, on reconcile passes (manual syncs, daily), and later list
 * passes keep it.
 */
describe('HaloPSA websites from full client records', () => {
  const clientRecordCalls = () => h.emu.raw.control.requests().filter((request) => /\/api\/Client\/\d+$/i.test(request.path));
  const websiteOf = async (id: number) => (await h.record('company', id))?.data as { website?: string; unlistedFields?: string[] };

  it('reads matched clients’ records on a manual sync, keeps the website through scheduled list passes, and clears it when Halo does', async () => {
    const halo = h.emu.raw;
    const [acorn, other] = halo.data.clients.rows.filter((row) => !row.inactive);
    await h.synced('schedule');
    // Nothing matched yet: no client record is read, and no website is known.
    expect(clientRecordCalls()).toEqual([]);
    expect(await websiteOf(acorn!.id)).toMatchObject({ unlistedFields: ['website'] });
    expect((await websiteOf(acorn!.id)).website).toBeUndefined();

    await applyMatches(h.db, ID, [{ companyRemoteId: String(acorn!.id), action: 'create' }]);
    halo.control.resetRequestLog();
    const run = await h.synced('manual');
    // One request for the one matched client, after its children; the list's counts are not doubled.
    expect(clientRecordCalls().map((call) => call.path)).toEqual([`/api/Client/${acorn!.id}`]);
    expect(run.steps.at(-1)).toMatchObject({ entity: 'company', mode: 'details', scope: [String(acorn!.id)] });
    expect(run.counts.company?.fetched).toBe(halo.data.clients.rows.length);
    expect(await websiteOf(acorn!.id)).toMatchObject({ website: acorn!.website, unlistedFields: ['website'] });
    expect((await websiteOf(other!.id)).website).toBeUndefined();

    // A scheduled sync within the day reads the list only, and the list write keeps the website.
    halo.control.resetRequestLog();
    await h.synced('schedule');
    expect(clientRecordCalls()).toEqual([]);
    expect((await websiteOf(acorn!.id)).website).toBe(acorn!.website);

    // Halo's website changes, then goes: the next reconcile follows it both times.
    halo.control.mutate.update('client', acorn!.id, { website: 'https://acorn.example.net' });
    await h.synced('manual');
    expect((await websiteOf(acorn!.id)).website).toBe('https://acorn.example.net');
    halo.control.mutate.update('client', acorn!.id, { website: '' });
    await h.synced('manual');
    expect(await websiteOf(acorn!.id)).not.toHaveProperty('website');
  });

  it('a scheduled sync reads the records once a day', async () => {
    const acorn = h.emu.raw.data.clients.rows.find((row) => !row.inactive)!;
    await h.synced('schedule');
    await applyMatches(h.db, ID, [{ companyRemoteId: String(acorn.id), action: 'create' }]);
    h.emu.raw.control.resetRequestLog();
    // Never read before: the first scheduled sync after matching reads it.
    await h.synced('schedule');
    expect(clientRecordCalls()).toHaveLength(1);
    const cursor = (await h.db.cursors.get([ID, 'company']))!;
    expect(cursor.lastDetailsAt).toBeTypeOf('number');
    // A day later it is due again.
    await h.db.cursors.update([ID, 'company'], { lastDetailsAt: cursor.lastDetailsAt! - 24 * 60 * 60_000 });
    h.emu.raw.control.resetRequestLog();
    await h.synced('schedule');
    expect(clientRecordCalls()).toHaveLength(1);
  });
});
