import { describe, expect, it } from 'vitest';
import { applyMatches } from '@/lib/match/company-match';
import { CONNECTWISE } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/** The real ConnectWise adapter and the engine against the emulator: what a user's syncs do. */

const h = useSyncHarness(CONNECTWISE, { adapter: { retries: 0 } });

describe('ConnectWise sync end to end (engine + adapter + emulator)', () => {
  it('first sync brings companies; children arrive for matched companies only, equal to the PSA', async () => {
    const emulator = h.emu.raw;
    await h.synced();
    // Inactive companies arrive archived (the Museum says why), the rest live.
    const inactive = h.emu.companies().filter((row) => row.inactive);
    expect(inactive.length).toBeGreaterThan(0);
    expect(await h.liveIds('company')).toEqual(h.emu.truth().company);
    for (const company of inactive) {
      expect(await h.record('company', company.id)).toMatchObject({ archivedAt: expect.any(Number), archivedReason: 'inactive' });
    }
    expect(await h.db.records.filter((row) => row.entity !== 'company').count()).toBe(0);

    const [first, second] = emulator.data.companies.rows;
    await applyMatches(h.db, ID, [
      { companyRemoteId: String(first!.id), action: 'create' },
      { companyRemoteId: String(second!.id), action: 'unmatched' },
    ]);
    await h.synced();
    expect(await h.local()).toEqual(h.emu.truth([first!.id]));
    expect((await h.liveRecords('configuration')).every((row) => row.layoutId === 'layout-configurations')).toBe(true);
    expect((await h.liveRecords('site')).every((row) => row.layoutId === 'layout-locations')).toBe(true);
  });

  it('resyncs pick up renames incrementally, archive deletions, and fetch newly matched companies in full', async () => {
    const emulator = h.emu.raw;
    await h.synced();
    const [first, second] = emulator.data.companies.rows;
    await applyMatches(h.db, ID, [{ companyRemoteId: String(first!.id), action: 'create' }]);
    await h.synced();

    const configuration = emulator.data.configurations.children(first!.id)[0]!;
    const gone = emulator.data.contacts.children(first!.id)[0]!;
    h.emu.renameConfiguration(configuration.id, 'Renamed Server');
    emulator.control.mutate.remove('contact', gone.id);
    emulator.control.resetRequestLog();
    const scheduled = await h.synced('schedule');
    expect((await h.record('configuration', configuration.id))?.data).toMatchObject({ name: 'Renamed Server' });
    // Incremental: the changed configuration, plus at most the newest one again (the cursor overlap).
    expect(scheduled.counts.configuration?.written).toBeGreaterThanOrEqual(1);
    expect(scheduled.counts.configuration?.written).toBeLessThan(emulator.data.configurations.children(first!.id).length);
    expect(h.emu.requests().some((request) => /lastUpdated >= \[/.test(request.query.conditions ?? ''))).toBe(true);
    expect((await h.record('contact', gone.id))?.archivedAt).toBeUndefined();

    await h.synced('manual'); // a manual resync includes the deletion pass
    const archived = await h.record('contact', gone.id);
    expect(archived?.archivedAt).toBeTypeOf('number');
    expect(await h.liveIds('contact')).toEqual(h.emu.truth([first!.id]).contact);

    // A company matched later gets all its children, though they are older than the cursor.
    await applyMatches(h.db, ID, [{ companyRemoteId: String(second!.id), action: 'create' }]);
    await h.synced('schedule');
    const both = h.emu.truth([first!.id, second!.id]);
    expect(await h.liveIds('contact')).toEqual(both.contact);
    expect(await h.liveIds('configuration')).toEqual(both.configuration);
  });

  it('a company soft-deleted in ConnectWise is archived, its match kept', async () => {
    await h.synced();
    const company = h.emu.raw.data.companies.rows[2]!;
    await applyMatches(h.db, ID, [{ companyRemoteId: String(company.id), action: 'create' }]);
    h.emu.removeCompany(String(company.id));
    await h.synced('schedule');
    expect((await h.record('company', company.id))?.archivedAt).toBeTypeOf('number');
    expect(await h.db.matches.get([ID, String(company.id)])).toMatchObject({ state: 'matched' });
  });

  it('a failing page is retried from where it stopped and the run still completes', async () => {
    await h.synced();
    await applyMatches(
      h.db,
      ID,
      h.emu.companies().map((row) => ({ companyRemoteId: String(row.id), action: 'create' as const })),
    );
    h.emu.injectFault({ path: /company\/configurations$/i, status: 503, times: 1 });
    const waiting = await h.sync();
    expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: 'server' } });
    expect((await h.alarm(waiting.id)).status).toBe('succeeded');
    // Every live (active) company's configurations; inactive companies are archived, their records not read.
    expect(await h.liveIds('configuration')).toEqual(h.emu.truth().configuration);
  });

  it('a one-company resync refreshes that company only and leaves cursors and "last synced" alone', async () => {
    const emulator = h.emu.raw;
    await h.synced();
    const [first, second] = emulator.data.companies.rows;
    await applyMatches(h.db, ID, [{ companyRemoteId: String(first!.id), action: 'create' }]);
    await h.synced();
    const cursorsBefore = await h.db.cursors.toArray();
    const lastSyncBefore = (await h.db.integrations.get(ID))?.lastSyncAt;
    const contact = emulator.data.contacts.children(first!.id)[0]!;
    h.emu.renameContact(String(contact.id), 'Fresh Name');

    const { runId } = await h.scheduler.requestCompanySync(ID, String(first!.id));
    await h.scheduler.kick();
    const run = await h.db.runs.get(runId);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.every((step) => step.scope?.length === 1 && step.scope[0] === String(first!.id))).toBe(true);
    expect((await h.record('contact', contact.id))?.data).toMatchObject({ name: 'Fresh Name' });
    expect(await h.db.cursors.toArray()).toEqual(cursorsBefore);
    expect((await h.db.integrations.get(ID))?.lastSyncAt).toBe(lastSyncBefore);
    await expect(h.scheduler.requestCompanySync(ID, String(second!.id))).rejects.toThrow(/match it first/);
  });
});
