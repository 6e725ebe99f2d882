import { beforeEach, describe, expect, it } from 'vitest';
import type { EntityKind } from '@/lib/psa/types';
import { applyMatches } from '@/lib/match/company-match';
import { DEFAULT_SKIP } from '@/lib/sync/options';
import { archivedRecords, restoreRecord } from '@/lib/sync/museum';
import { saveSyncOptions, type SyncOptionsInput } from '@/lib/sync/options-service';
import { CONNECTWISE } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/** Each skip and additional option changes what a real sync against the emulator does. */
const defaults: SyncOptionsInput = { skip: DEFAULT_SKIP, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };

const h = useSyncHarness(CONNECTWISE, { adapter: { retries: 0 } });
/** The running emulator's own handle (its data and control). */
let cw: typeof h.emu.raw;
beforeEach(async () => {
  cw = h.emu.raw;
  await sync();
  // Every company matched, inactive ones too (restoring one from the Museum brings its records).
  await applyMatches(
    h.db,
    ID,
    h.emu.companies().map((row) => ({ companyRemoteId: String(row.id), action: 'create' as const })),
  );
});

const sync = (trigger: 'manual' | 'schedule' = 'manual') => h.synced(trigger);
/** Inactive companies arrive archived: only active companies' records are read. */
const activeIds = () => new Set(h.emu.truth().company.map(Number));
const ofActive = <T extends Record<string, unknown>>(rows: readonly T[]) => rows.filter((row) => activeIds().has((row.company as { id: number }).id));
const live = (entity: EntityKind) => h.liveRecords(entity);

describe('skip options', () => {
  it('skipping contacts imports none, archives those already there, and brings them back when turned off', async () => {
    await sync();
    const contacts = h.emu.truth().contact.length;
    expect(contacts).toBeGreaterThan(0);
    expect((await live('contact')).length).toBe(contacts);
    const { archived } = await saveSyncOptions(h.db, ID, { ...defaults, skip: { ...DEFAULT_SKIP, contacts: true } });
    expect(archived).toBe(contacts);
    const run = await sync();
    expect(run.steps.some((step) => step.entity === 'contact')).toBe(false);
    expect(await live('contact')).toEqual([]);
    await saveSyncOptions(h.db, ID, defaults);
    await sync('schedule');
    expect((await live('contact')).length).toBe(contacts);
  });

  it('skipping inactive configurations and chosen types', async () => {
    const firstType = (cw.data.configurations.rows[0]!.type as { name: string }).name;
    await saveSyncOptions(h.db, ID, { ...defaults, skip: { ...DEFAULT_SKIP, inactiveConfigurations: true, configurationTypes: [firstType.toUpperCase()] } });
    const run = await sync();
    const read = ofActive(cw.data.configurations.rows);
    const expected = read.filter((row) => row.activeFlag !== false && (row.type as { name: string }).name !== firstType);
    expect((await live('configuration')).map((row) => Number(row.remoteId)).sort((a, b) => a - b)).toEqual(expected.map((row) => row.id));
    expect(run.counts.configuration?.skipped).toBe(read.length - expected.length);
  });
});

describe('company skips', () => {
  it('skipping inactive companies and a company type leaves them and their records out', async () => {
    const inactive = h.emu.companies().filter((row) => row.inactive);
    const prospects = cw.data.companies.rows.filter((row) => ((row.types as { name: string }[] | undefined) ?? []).some((type) => type.name === 'Prospect'));
    expect(inactive.length + prospects.length).toBeGreaterThan(0);
    const { archived } = await saveSyncOptions(h.db, ID, { ...defaults, skip: { ...DEFAULT_SKIP, inactiveCompanies: true, companyTypes: ['prospect'] } });
    const left = new Set([...inactive, ...prospects].map((row) => String(row.id)));
    // Inactive companies were archived on arrival already: only the live ones left out are counted.
    expect(archived).toBe([...left].filter((id) => activeIds().has(Number(id))).length);
    await sync('manual');
    expect((await live('company')).map((row) => row.remoteId).filter((id) => left.has(id))).toEqual([]);
    expect((await live('contact')).filter((row) => left.has(row.companyRemoteId))).toEqual([]);
    // Lifting the skip brings them back: prospects live, inactive companies archived as inactive.
    await saveSyncOptions(h.db, ID, defaults);
    await sync('schedule');
    expect((await live('company')).length).toBe(activeIds().size);
    for (const company of inactive) expect((await h.record('company', company.id))?.archivedReason).toBe('inactive');
  });

  it('without the skip, inactive companies arrive archived; restoring one brings it and its records in; reactivated ones leave the Museum', async () => {
    const inactive = h.emu.companies().filter((row) => row.inactive);
    expect(inactive.length).toBeGreaterThan(0);
    const [restoredCompany, ...others] = inactive;
    const museum = await archivedRecords(h.db, ID);
    expect(museum.filter((row) => row.entity === 'company').map((row) => [row.remoteId, row.archivedReason])).toEqual(
      inactive.map((row) => [String(row.id), 'inactive']),
    );
    expect(await live('contact')).toEqual([]);

    await restoreRecord(h.db, ID, 'company', String(restoredCompany!.id));
    await sync('manual');
    const restored = await h.record('company', restoredCompany!.id);
    expect(restored?.archivedAt).toBeUndefined();
    expect(restored?.goneFromPsaAt).toBeUndefined(); // inactive is not deleted
    const itsContacts = cw.data.contacts.rows.filter((row) => (row.company as { id: number }).id === restoredCompany!.id).map((row) => String(row.id));
    expect(
      (await live('contact'))
        .filter((row) => row.companyRemoteId === String(restoredCompany!.id))
        .map((row) => row.remoteId)
        .sort(),
    ).toEqual(itsContacts.sort());

    // Reactivated in the PSA: it comes out of the Museum on the next sync.
    for (const company of others) cw.control.mutate.update('company', company.id, { status: { id: 1, name: 'Active' } });
    await sync('schedule');
    for (const company of others) expect((await h.record('company', company.id))?.archivedAt).toBeUndefined();
  });
});

describe('additional options', () => {
  it('auto-update names off keeps the local name; on renames', async () => {
    await sync();
    const configuration = cw.data.configurations.rows[0]!;
    const localName = String(configuration.name);
    await saveSyncOptions(h.db, ID, { ...defaults, autoUpdateNames: false });
    h.emu.renameConfiguration(configuration.id, 'Renamed In PSA');
    const run = await sync('schedule');
    expect(run.counts.configuration?.written).toBeGreaterThan(0); // the change was read, the name kept
    expect((await h.record('configuration', configuration.id))?.data).toMatchObject({ name: localName });
    await saveSyncOptions(h.db, ID, defaults);
    h.emu.renameConfiguration(configuration.id, 'Renamed Again');
    await sync('schedule');
    expect((await h.record('configuration', configuration.id))?.data).toMatchObject({ name: 'Renamed Again' });
  });

  it('auto-archive deleted devices off flags them in place', async () => {
    await sync();
    await saveSyncOptions(h.db, ID, { ...defaults, autoArchiveDeletedDevices: false });
    const configuration = cw.data.configurations.rows[0]!;
    h.emu.removeConfiguration(configuration.id);
    await sync('manual');
    const row = await h.record('configuration', configuration.id);
    expect(row?.archivedAt).toBeUndefined();
    expect(row?.goneFromPsaAt).toBeTypeOf('number');
  });

  it('do not update company details keeps name, address, phone and website', async () => {
    await sync();
    const company = cw.data.companies.rows[0]!;
    const before = (await h.record('company', company.id))!.data;
    await saveSyncOptions(h.db, ID, { ...defaults, keepCompanyDetails: true });
    cw.control.mutate.update('company', company.id, { name: 'New Name Ltd', phoneNumber: '5550000000' });
    await sync('schedule');
    expect((await h.record('company', company.id))!.data).toMatchObject({
      name: (before as { name: string }).name,
      phone: (before as { phone?: string }).phone,
    });
  });
});

describe('the Museum', () => {
  it('lists archived records; a restored one stays, flagged, through later syncs', async () => {
    await sync();
    const configuration = cw.data.configurations.rows[0]!;
    h.emu.removeConfiguration(configuration.id);
    await sync('manual');
    const museum = (await archivedRecords(h.db, ID)).filter((row) => row.entity !== 'company');
    expect(museum.map((row) => [row.entity, row.remoteId, row.archivedReason])).toEqual([['configuration', String(configuration.id), 'deleted']]);
    await restoreRecord(h.db, ID, 'configuration', String(configuration.id));
    await sync('manual');
    const row = await h.record('configuration', configuration.id);
    expect(row?.archivedAt).toBeUndefined();
    expect(row?.goneFromPsaAt).toBeTypeOf('number');
    expect((await archivedRecords(h.db, ID)).filter((row) => row.entity !== 'company')).toEqual([]);
  });
});
