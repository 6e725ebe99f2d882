import { describe, expect, it } from 'vitest';
import { applyMatches } from '@/lib/match/company-match';
import { HALO } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';
import { DETAILS_REFRESH_MS } from '@/lib/sync/plan';

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
 * records give it, a request each, read once when matched and again after a week (at most
 * DETAILS_PER_RUN a run), and later list passes keep it.
 */
describe('HaloPSA websites from full client records', () => {
  const clientRecordCalls = () => h.emu.raw.control.requests().filter((request) => /\/api\/Client\/\d+$/i.test(request.path));
  const websiteOf = async (id: number) => (await h.record('company', id))?.data as { website?: string; unlistedFields?: string[] };
  /** As if the record had been read a week ago. */
  const ageRead = (id: number) => h.db.records.update([ID, 'company', String(id)], { detailsReadAt: Date.now() - DETAILS_REFRESH_MS });

  it('reads a newly matched client’s record once, keeps the website through list passes, and follows Halo a week later', async () => {
    const halo = h.emu.raw;
    const [acorn, other] = halo.data.clients.rows.filter((row) => !row.inactive);
    const website = acorn!.website as string;
    await h.synced('schedule');
    // Nothing matched yet: no client record is read, and no website is known.
    expect(clientRecordCalls()).toEqual([]);
    expect(await websiteOf(acorn!.id)).toMatchObject({ unlistedFields: ['website'] });
    expect((await websiteOf(acorn!.id)).website).toBeUndefined();

    await applyMatches(h.db, ID, [{ companyRemoteId: String(acorn!.id), action: 'create' }]);
    halo.control.resetRequestLog();
    const run = await h.synced('schedule');
    // One request for the one matched client, after its children; the list's counts are not doubled.
    expect(clientRecordCalls().map((call) => call.path)).toEqual([`/api/Client/${acorn!.id}`]);
    expect(run.steps.at(-1)).toMatchObject({ entity: 'company', mode: 'details', scope: [String(acorn!.id)] });
    expect(run.counts.company?.fetched).toBe(halo.data.clients.rows.length);
    expect(await websiteOf(acorn!.id)).toMatchObject({ website, unlistedFields: ['website'] });
    expect((await websiteOf(other!.id)).website).toBeUndefined();

    // Later syncs within the week, manual ones included, read the list only, and the list write keeps the website.
    halo.control.mutate.update('client', acorn!.id, { website: 'https://acorn.example.net' });
    halo.control.resetRequestLog();
    await h.synced('manual');
    await h.synced('schedule');
    expect(clientRecordCalls()).toEqual([]);
    expect((await websiteOf(acorn!.id)).website).toBe(website);

    // A week on, the record is read again: the new website, then none when Halo clears it.
    await ageRead(acorn!.id);
    await h.synced('schedule');
    expect((await websiteOf(acorn!.id)).website).toBe('https://acorn.example.net');
    halo.control.mutate.update('client', acorn!.id, { website: '' });
    await ageRead(acorn!.id);
    await h.synced('schedule');
    expect(await websiteOf(acorn!.id)).not.toHaveProperty('website');
  });
});
