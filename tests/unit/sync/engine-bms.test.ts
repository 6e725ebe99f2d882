import { describe, expect, it } from 'vitest';
import { applyMatches } from '@/lib/match/company-match';
import { BMS } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

const h = useSyncHarness(BMS, { adapter: { retries: 0 } });

describe('Kaseya BMS sync end to end', () => {
  it('accounts, then the matched account’s locations, contacts, assets and contracts; incremental contacts; deletions archived', async () => {
    const bms = h.emu.raw;
    await h.synced('manual');
    const inactive = h.emu.companies().filter((row) => row.inactive);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await h.liveIds('company')).toEqual(h.emu.truth().company);
    for (const row of inactive) expect((await h.record('company', row.id))?.archivedReason).toBe('inactive');
    const account = bms.data.accounts.rows[0]!;
    await applyMatches(h.db, ID, [{ companyRemoteId: String(account.id), action: 'create' }]);
    await h.synced('manual');
    expect(await h.local()).toEqual(h.emu.truth([account.id]));

    const contact = bms.data.contacts.rows.find((row) => row.accountId === account.id)!;
    h.emu.renameContact(String(contact.id), 'Renamed Contact');
    const run = await h.synced('schedule');
    expect(run.steps.find((step) => step.entity === 'contact')?.since).not.toBeNull();
    expect((await h.record('contact', contact.id))?.data).toMatchObject({ name: 'Renamed Contact' });

    const asset = bms.data.assets.rows.find((row) => row.accountId === account.id)!;
    h.emu.removeConfiguration(asset.id);
    await h.synced('schedule');
    expect((await h.record('configuration', asset.id))?.archivedAt).toBeTypeOf('number');
  });
});
