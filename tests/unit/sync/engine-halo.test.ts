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
