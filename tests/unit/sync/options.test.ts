import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import type { EntityKind } from '@/lib/psa/types';
import { DEFAULT_SKIP } from '@/lib/sync/options';
import { archivedRecords, restoreRecord } from '@/lib/sync/museum';
import { saveSyncOptions, type SyncOptionsInput } from '@/lib/sync/options-service';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { cwCompanyIsLive } from '../../emulator/connectwise/facts.ts';

/** Each skip and additional option changes what a real sync against the emulator does. */
let cw: RunningEmulator;
let db: SidecarDb;
let scheduler: SyncScheduler;
const defaults: SyncOptionsInput = { skip: DEFAULT_SKIP, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };

beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  db = new SidecarDb(`options-${Math.random()}`);
  await db.open();
  const creds = cw.credentials.valid;
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: cw.baseUrl, origins: [], createdAt: 0 });
  const adapter = new ConnectwiseAdapter({
    settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
    credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
    retries: 0,
  });
  scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
  await sync();
  await applyMatches(db, 'cw', cw.data.companies.rows.map((row) => ({ companyRemoteId: String(row.id), action: 'create' as const })));
});
afterEach(async () => {
  await cw.close();
  await db.delete();
});

async function sync(trigger: 'manual' | 'schedule' = 'manual') {
  const { runId } = await scheduler.requestSync('cw', trigger);
  await scheduler.kick();
  const run = await db.runs.get(runId);
  expect(run?.status, run?.error?.message).toBe('succeeded');
  return run!;
}
const isInactive = (row: Record<string, unknown>) => !cwCompanyIsLive(row);
/** Inactive companies arrive archived: only active companies' records are read. */
const activeIds = () => new Set(cw.data.companies.rows.filter((row) => !isInactive(row)).map((row) => row.id));
const ofActive = <T extends Record<string, unknown>>(rows: readonly T[]) => rows.filter((row) => activeIds().has((row.company as { id: number }).id));
const live = (entity: EntityKind) =>
  db.records.where('[integrationId+entity+remoteId]').between(['cw', entity, Dexie.minKey], ['cw', entity, Dexie.maxKey]).filter((row) => row.archivedAt === undefined).toArray();

describe('skip options', () => {
  it('skipping contacts imports none, archives those already there, and brings them back when turned off', async () => {
    await sync();
    const contacts = ofActive(cw.data.contacts.rows).length;
    expect(contacts).toBeGreaterThan(0);
    expect((await live('contact')).length).toBe(contacts);
    const { archived } = await saveSyncOptions(db, 'cw', { ...defaults, skip: { ...DEFAULT_SKIP, contacts: true } });
    expect(archived).toBe(contacts);
    const run = await sync();
    expect(run.steps.some((step) => step.entity === 'contact')).toBe(false);
    expect(await live('contact')).toEqual([]);
    await saveSyncOptions(db, 'cw', defaults);
    await sync('schedule');
    expect((await live('contact')).length).toBe(contacts);
  });

  it('skipping inactive configurations and chosen types', async () => {
    const firstType = (cw.data.configurations.rows[0]!.type as { name: string }).name;
    await saveSyncOptions(db, 'cw', { ...defaults, skip: { ...DEFAULT_SKIP, inactiveConfigurations: true, configurationTypes: [firstType.toUpperCase()] } });
    const run = await sync();
    const read = ofActive(cw.data.configurations.rows);
    const expected = read.filter((row) => row.activeFlag !== false && (row.type as { name: string }).name !== firstType);
    expect((await live('configuration')).map((row) => Number(row.remoteId)).sort((a, b) => a - b)).toEqual(expected.map((row) => row.id));
    expect(run.counts.configuration?.skipped).toBe(read.length - expected.length);
  });
});

describe('company skips', () => {
  it('skipping inactive companies and a company type leaves them and their records out', async () => {
    const inactive = cw.data.companies.rows.filter(isInactive);
    const prospects = cw.data.companies.rows.filter((row) => ((row.types as { name: string }[] | undefined) ?? []).some((type) => type.name === 'Prospect'));
    expect(inactive.length + prospects.length).toBeGreaterThan(0);
    const { archived } = await saveSyncOptions(db, 'cw', { ...defaults, skip: { ...DEFAULT_SKIP, inactiveCompanies: true, companyTypes: ['prospect'] } });
    const left = new Set([...inactive, ...prospects].map((row) => String(row.id)));
    // Inactive companies were archived on arrival already: only the live ones left out are counted.
    expect(archived).toBe([...left].filter((id) => activeIds().has(Number(id))).length);
    await sync('manual');
    expect((await live('company')).map((row) => row.remoteId).filter((id) => left.has(id))).toEqual([]);
    expect((await live('contact')).filter((row) => left.has(row.companyRemoteId))).toEqual([]);
    // Lifting the skip brings them back: prospects live, inactive companies archived as inactive.
    await saveSyncOptions(db, 'cw', defaults);
    await sync('schedule');
    expect((await live('company')).length).toBe(activeIds().size);
    for (const company of inactive) expect((await db.records.get(['cw', 'company', String(company.id)]))?.archivedReason).toBe('inactive');
  });

  it('without the skip, inactive companies arrive archived; restoring one brings it and its records in; reactivated ones leave the Museum', async () => {
    const inactive = cw.data.companies.rows.filter(isInactive);
    expect(inactive.length).toBeGreaterThan(0);
    const [restoredCompany, ...others] = inactive;
    const museum = await archivedRecords(db, 'cw');
    expect(museum.filter((row) => row.entity === 'company').map((row) => [row.remoteId, row.archivedReason])).toEqual(inactive.map((row) => [String(row.id), 'inactive']));
    expect(await live('contact')).toEqual([]);

    await restoreRecord(db, 'cw', 'company', String(restoredCompany!.id));
    await sync('manual');
    const restored = await db.records.get(['cw', 'company', String(restoredCompany!.id)]);
    expect(restored?.archivedAt).toBeUndefined();
    expect(restored?.goneFromPsaAt).toBeUndefined(); // inactive is not deleted
    const itsContacts = cw.data.contacts.rows.filter((row) => (row.company as { id: number }).id === restoredCompany!.id).map((row) => String(row.id));
    expect((await live('contact')).filter((row) => row.companyRemoteId === String(restoredCompany!.id)).map((row) => row.remoteId).sort()).toEqual(itsContacts.sort());

    // Reactivated in the PSA: it comes out of the Museum on the next sync.
    for (const company of others) cw.control.mutate.update('company', company.id, { status: { id: 1, name: 'Active' } });
    await sync('schedule');
    for (const company of others) expect((await db.records.get(['cw', 'company', String(company.id)]))?.archivedAt).toBeUndefined();
  });
});

describe('additional options', () => {
  it('auto-update names off keeps the local name; on renames', async () => {
    await sync();
    const configuration = cw.data.configurations.rows[0]!;
    const localName = String(configuration.name);
    await saveSyncOptions(db, 'cw', { ...defaults, autoUpdateNames: false });
    cw.control.mutate.rename('configuration', configuration.id, 'Renamed In PSA');
    const run = await sync('schedule');
    expect(run.counts.configuration?.written).toBeGreaterThan(0); // the change was read, the name kept
    expect((await db.records.get(['cw', 'configuration', String(configuration.id)]))?.data).toMatchObject({ name: localName });
    await saveSyncOptions(db, 'cw', defaults);
    cw.control.mutate.rename('configuration', configuration.id, 'Renamed Again');
    await sync('schedule');
    expect((await db.records.get(['cw', 'configuration', String(configuration.id)]))?.data).toMatchObject({ name: 'Renamed Again' });
  });

  it('auto-archive deleted devices off flags them in place', async () => {
    await sync();
    await saveSyncOptions(db, 'cw', { ...defaults, autoArchiveDeletedDevices: false });
    const configuration = cw.data.configurations.rows[0]!;
    cw.control.mutate.remove('configuration', configuration.id);
    await sync('manual');
    const row = await db.records.get(['cw', 'configuration', String(configuration.id)]);
    expect(row?.archivedAt).toBeUndefined();
    expect(row?.goneFromPsaAt).toBeTypeOf('number');
  });

  it('do not update company details keeps name, address, phone and website', async () => {
    await sync();
    const company = cw.data.companies.rows[0]!;
    const before = (await db.records.get(['cw', 'company', String(company.id)]))!.data;
    await saveSyncOptions(db, 'cw', { ...defaults, keepCompanyDetails: true });
    cw.control.mutate.update('company', company.id, { name: 'New Name Ltd', phoneNumber: '5550000000' });
    await sync('schedule');
    expect((await db.records.get(['cw', 'company', String(company.id)]))!.data).toMatchObject({ name: (before as { name: string }).name, phone: (before as { phone?: string }).phone });
  });
});

describe('the Museum', () => {
  it('lists archived records; a restored one stays, flagged, through later syncs', async () => {
    await sync();
    const configuration = cw.data.configurations.rows[0]!;
    cw.control.mutate.remove('configuration', configuration.id);
    await sync('manual');
    const museum = (await archivedRecords(db, 'cw')).filter((row) => row.entity !== 'company');
    expect(museum.map((row) => [row.entity, row.remoteId, row.archivedReason])).toEqual([['configuration', String(configuration.id), 'deleted']]);
    await restoreRecord(db, 'cw', 'configuration', String(configuration.id));
    await sync('manual');
    const row = await db.records.get(['cw', 'configuration', String(configuration.id)]);
    expect(row?.archivedAt).toBeUndefined();
    expect(row?.goneFromPsaAt).toBeTypeOf('number');
    expect((await archivedRecords(db, 'cw')).filter((row) => row.entity !== 'company')).toEqual([]);
  });
});
