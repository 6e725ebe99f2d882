// Over 300 lines on purpose: sync options (skips, scopes, API share) on the two token PSAs, sharing one harness.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SidecarDb } from '@/lib/db/schema';
import { saveConnectedFields } from '@/lib/layouts/connected-fields';
import { saveLayout } from '@/lib/layouts/service';
import { applyMatches } from '@/lib/match/company-match';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import type { EntityKind } from '@/lib/psa/types';
import { archivedRecords, restoreRecord } from '@/lib/sync/museum';
import { DEFAULT_SKIP } from '@/lib/sync/options';
import { saveSyncOptions, type SyncOptionsInput } from '@/lib/sync/options-service';
import type { Emulator, PsaCase } from '../../support/psa-case.ts';
import { BMS, HALO } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/**
 * Issue #4 for HaloPSA and Kaseya BMS: each sync option changes what a real sync against the
 * emulator does (options.test.ts covers ConnectWise). The shared PSA cases (tests/support) start
 * the emulator and build the adapter; one row per PSA here reads or changes what only these
 * tests need; the tests are shared.
 */

interface Child {
  id: number;
  companyId: number;
}
interface Configuration extends Child {
  name: string;
  typeName: string;
  inactive: boolean;
}

/** What these tests read and change beyond the shared PSA case, per PSA. */
interface OptionsView {
  contacts(): Child[];
  configurations(): Configuration[];
  /** Renames the company in the PSA and changes its phone (where the list carries one) and website. */
  changeCompanyDetails(id: number): void;
  /** A PSA field configurations carry (`data.fields`), and the emulator's value of it. */
  field: { source: string; value(configurationId: number): string | undefined };
}

interface OptionsCase {
  name: string;
  psa: PsaCase;
  view(emu: Emulator): OptionsView;
}
const optionsCase = <Raw>(psa: PsaCase<Raw>, view: (raw: Raw) => OptionsView): OptionsCase => ({
  name: psa.name,
  psa: psa as PsaCase,
  view: (emu) => view(emu.raw as Raw),
});

const PSAS = [
  optionsCase(HALO, (halo) => {
    const data = halo.data;
    return {
      contacts: () => data.users.rows.map((row) => ({ id: row.id, companyId: Number(row.client_id) })),
      configurations: () =>
        data.assets.rows.map((row) => ({
          id: row.id,
          companyId: Number(row.client_id),
          name: String(row.key_field),
          typeName: String(data.assetType(Number(row.assettype_id))?.name),
          inactive: row.inactive === true,
        })),
      // The Client list carries no phone number (only the detail row does): name and website change.
      changeCompanyDetails: (id) => void halo.control.mutate.update('client', id, { name: 'New Name Ltd', website: 'https://new-name.example.com' }),
      field: { source: 'Serial Number', value: (id) => (data.assets.get(id)?._values as { serial?: string } | undefined)?.serial },
    };
  }),
  optionsCase(BMS, (bms) => {
    const data = bms.data;
    return {
      contacts: () => data.contacts.rows.map((row) => ({ id: row.id, companyId: row.accountId })),
      configurations: () =>
        data.assets.rows.map((row) => ({
          id: row.id,
          companyId: row.accountId,
          name: row.name,
          typeName: String(data.categories.get(row.categoryId)),
          inactive: row.isActive === false,
        })),
      changeCompanyDetails: (id) => {
        bms.control.mutate.update('account', id, { accountName: 'New Name Ltd', website: 'https://new-name.example.com' });
        // The account's phone is its main location's main address phone.
        const main = data.locations.children(id).find((location) => location.isMain)!;
        bms.control.mutate.update('location', main.id, { addresses: main.addresses.map((address) => ({ ...address, phone: '555-000-0000' })) });
      },
      field: { source: 'Machine Group', value: (id) => data.assets.get(id)?.machineGroupId ?? undefined },
    };
  }),
];

const defaults: SyncOptionsInput = { skip: DEFAULT_SKIP, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };
const byId = (a: number, b: number) => a - b;

describe.each(PSAS)('$name: sync options change what a real sync does', ({ psa: psaCase, view }) => {
  const kind = psaCase.kind;
  const h = useSyncHarness(psaCase, { adapter: { retries: 0 }, integration: { connection: { ok: true, companyName: 'MSP', testedAt: 0 } } });
  let psa: OptionsView;
  let db: SidecarDb;
  beforeEach(() => {
    psa = view(h.emu);
    db = h.db;
  });

  const sync = (trigger: 'manual' | 'schedule' = 'manual', { dryRun = false } = {}) => h.synced(trigger, { dryRun });
  /** The first sync, then every live company matched (a client space created for each), then a sync of their records. */
  async function syncAndMatch() {
    await h.syncAndMatch();
    expect((await live('company')).length).toBeGreaterThan(0);
    await sync();
  }
  const live = (entity: EntityKind) => h.liveRecords(entity);
  const liveIds = async (entity: EntityKind) => (await h.liveIds(entity)).map(Number);
  const record = (entity: EntityKind, id: number) => h.record(entity, id);
  const activeCompanyIds = () =>
    new Set(
      h.emu
        .companies()
        .filter((row) => !row.inactive)
        .map((row) => row.id),
    );
  /** Only live (active, matched) companies' records are imported. */
  const ofActive = <T extends Child>(rows: T[]) => rows.filter((row) => activeCompanyIds().has(row.companyId));
  const ids = (rows: { id: number }[]) => rows.map((row) => row.id).sort(byId);

  describe('inactive companies', () => {
    it('arrive archived as inactive; the skip leaves them out; a restored one stays live through syncs and brings its records once matched', async () => {
      const inactive = h.emu.companies().filter((row) => row.inactive);
      expect(inactive.length).toBeGreaterThan(0);

      // Skipped from the start: they never arrive.
      await saveSyncOptions(db, ID, { ...defaults, skip: { ...DEFAULT_SKIP, inactiveCompanies: true } });
      const skippedRun = await sync();
      expect(skippedRun.counts.company?.skipped).toBe(inactive.length);
      for (const company of inactive) expect(await record('company', company.id)).toBeUndefined();
      expect(await liveIds('company')).toEqual([...activeCompanyIds()].sort(byId));

      // Without the skip they arrive, archived as inactive, in the Museum.
      await saveSyncOptions(db, ID, defaults);
      await sync('schedule');
      for (const company of inactive) expect(await record('company', company.id)).toMatchObject({ archivedReason: 'inactive', archivedAt: expect.any(Number) });
      expect(
        (await archivedRecords(db, ID))
          .filter((row) => row.entity === 'company')
          .map((row) => Number(row.remoteId))
          .sort(byId),
      ).toEqual(ids(inactive));
      expect(await liveIds('company')).toEqual([...activeCompanyIds()].sort(byId));

      // Matching an archived (inactive) company imports nothing of it.
      const [restored] = inactive;
      const itsContacts = ids(psa.contacts().filter((row) => row.companyId === restored!.id));
      expect(itsContacts.length).toBeGreaterThan(0);
      await applyMatches(db, ID, [{ companyRemoteId: String(restored!.id), action: 'create' }]);
      await sync();
      expect((await live('contact')).filter((row) => row.companyRemoteId === String(restored!.id))).toEqual([]);

      // Restored from the Museum: live through later syncs (still inactive in the PSA), not flagged as deleted, and its records come in.
      await restoreRecord(db, ID, 'company', String(restored!.id));
      await sync('manual');
      await sync('schedule');
      const row = await record('company', restored!.id);
      expect(row?.archivedAt).toBeUndefined();
      expect(row?.archivedReason).toBeUndefined();
      expect(row?.goneFromPsaAt).toBeUndefined();
      expect(row?.restoredAt).toBeTypeOf('number');
      expect(
        (await live('contact'))
          .filter((contact) => contact.companyRemoteId === String(restored!.id))
          .map((contact) => Number(contact.remoteId))
          .sort(byId),
      ).toEqual(itsContacts);
      // The other inactive companies stay in the Museum.
      for (const company of inactive.slice(1)) expect((await record('company', company.id))?.archivedReason).toBe('inactive');
    });
  });

  describe('skip options', () => {
    it('skipping contacts archives them at once, imports none, and brings them back when turned off', async () => {
      await syncAndMatch();
      const contacts = ids(ofActive(psa.contacts()));
      expect(contacts.length).toBeGreaterThan(0);
      expect(await liveIds('contact')).toEqual(contacts);

      const { archived } = await saveSyncOptions(db, ID, { ...defaults, skip: { ...DEFAULT_SKIP, contacts: true } });
      expect(archived).toBe(contacts.length);
      expect(await live('contact')).toEqual([]);
      for (const id of contacts) expect((await record('contact', id))?.archivedReason).toBe('skipped');

      const run = await sync();
      expect(run.steps.some((step) => step.entity === 'contact')).toBe(false);
      expect(run.counts.contact).toBeUndefined();
      expect(await live('contact')).toEqual([]);

      await saveSyncOptions(db, ID, defaults);
      await sync('schedule');
      expect(await liveIds('contact')).toEqual(contacts);
    });

    it('skipping inactive configurations and a chosen type archives them, leaves them out of the sync, and lifting the skip brings them back', async () => {
      await syncAndMatch();
      const read = ofActive(psa.configurations());
      expect(await liveIds('configuration')).toEqual(ids(read));
      // A type no inactive configuration has, so that each skip leaves out records of its own.
      const type = read.find((row) => !row.inactive && !read.some((other) => other.inactive && other.typeName === row.typeName))!.typeName;
      const expected = read.filter((row) => !row.inactive && row.typeName !== type);
      expect(read.filter((row) => row.inactive).length).toBeGreaterThan(0);
      expect(read.filter((row) => row.typeName === type).length).toBeGreaterThan(0);
      expect(expected.length).toBeGreaterThan(0);

      // A type is matched whatever its case.
      const { archived } = await saveSyncOptions(db, ID, {
        ...defaults,
        skip: { ...DEFAULT_SKIP, inactiveConfigurations: true, configurationTypes: [type.toUpperCase()] },
      });
      expect(archived).toBe(read.length - expected.length);
      expect(await liveIds('configuration')).toEqual(ids(expected));

      const run = await sync();
      expect(await liveIds('configuration')).toEqual(ids(expected));
      expect(run.counts.configuration?.skipped).toBe(read.length - expected.length);

      await saveSyncOptions(db, ID, defaults);
      await sync('schedule');
      expect(await liveIds('configuration')).toEqual(ids(read));
    });
  });

  describe('additional options', () => {
    it('auto-update names off keeps the local configuration name after a rename in the PSA; on renames', async () => {
      await syncAndMatch();
      const configuration = ofActive(psa.configurations())[0]!;
      await saveSyncOptions(db, ID, { ...defaults, autoUpdateNames: false });
      h.emu.renameConfiguration(configuration.id, 'Renamed In PSA');
      const run = await sync('schedule');
      // Read again, the name kept: only the renamed row may be written (where the PSA moved its change time), no other.
      expect(run.counts.configuration?.fetched).toBeGreaterThan(1);
      expect(run.counts.configuration?.written).toBeLessThanOrEqual(1);
      expect((await record('configuration', configuration.id))?.data).toMatchObject({ name: configuration.name });

      await saveSyncOptions(db, ID, defaults);
      h.emu.renameConfiguration(configuration.id, 'Renamed Again');
      await sync('schedule');
      expect((await record('configuration', configuration.id))?.data).toMatchObject({ name: 'Renamed Again' });
    });

    it('auto-archive deleted devices off leaves a configuration removed in the PSA in place, flagged; on archives it', async () => {
      await syncAndMatch();
      const [flagged, archived] = ofActive(psa.configurations());
      await saveSyncOptions(db, ID, { ...defaults, autoArchiveDeletedDevices: false });
      h.emu.removeConfiguration(flagged!.id);
      const run = await sync('manual');
      expect(run.counts.configuration?.archived).toBe(1); // counted by the sweep
      const row = await record('configuration', flagged!.id);
      expect(row?.archivedAt).toBeUndefined();
      expect(row?.goneFromPsaAt).toBeTypeOf('number');
      expect(await liveIds('configuration')).toContain(flagged!.id);
      // A later sync leaves it where it is.
      await sync('manual');
      expect((await record('configuration', flagged!.id))?.archivedAt).toBeUndefined();

      await saveSyncOptions(db, ID, defaults);
      h.emu.removeConfiguration(archived!.id);
      await sync('manual');
      expect(await record('configuration', archived!.id)).toMatchObject({ archivedAt: expect.any(Number), archivedReason: 'deleted' });
      expect((await record('configuration', flagged!.id))?.archivedAt).toBeUndefined();
    });

    it('do not update company details keeps name, phone and website when the PSA changes them', async () => {
      await syncAndMatch();
      const company = h.emu.companies().find((row) => !row.inactive)!;
      const before = (await record('company', company.id))!.data as { name: string; phone?: string; website?: string };
      await saveSyncOptions(db, ID, { ...defaults, keepCompanyDetails: true });
      psa.changeCompanyDetails(company.id);
      await sync('schedule');
      const kept = (await record('company', company.id))!.data as { name: string; phone?: string; website?: string };
      expect(kept.name).toBe(before.name);
      expect(kept.phone).toBe(before.phone);
      expect(kept.website).toBe(before.website);

      // The change did reach the sync: with the option off, the next change is taken.
      await saveSyncOptions(db, ID, defaults);
      psa.changeCompanyDetails(company.id);
      await sync('schedule');
      const taken = (await record('company', company.id))!.data as { name: string; phone?: string; website?: string };
      expect(taken.name).toBe('New Name Ltd');
      // Halo's client list (2025-04 schema) carries no website (docs/psa/halo.md#clients); BMS's does, and its phone.
      if (kind === 'kaseya-bms') expect(taken).toMatchObject({ website: 'https://new-name.example.com', phone: '555-000-0000' });
    });
  });

  describe('sync preview', () => {
    it('counts a rename and a deletion, writes nothing, and the real sync then applies them', async () => {
      await syncAndMatch();
      const [renamed, gone] = ofActive(psa.configurations());
      h.emu.renameConfiguration(renamed!.id, 'Renamed In PSA');
      h.emu.removeConfiguration(gone!.id);

      const snapshot = async () => ({ records: await db.records.toArray(), cursors: await db.cursors.toArray(), integration: await db.integrations.get(ID) });
      const before = await snapshot();
      const preview = await sync('manual', { dryRun: true });
      expect(await snapshot()).toEqual(before);
      expect(await db.seenBatches.count()).toBe(0);
      expect(preview.preview?.counts).toEqual({ create: 0, update: 1, move: 0, archive: 1 });
      expect(preview.preview?.samples).toContainEqual({ entity: 'configuration', name: 'Renamed In PSA', change: 'update' });
      expect(preview.preview?.samples).toContainEqual({ entity: 'configuration', name: gone!.name, change: 'archive', detail: 'deleted in the PSA' });

      const synced = await sync('manual');
      expect(synced.counts.configuration?.archived).toBe(1);
      expect((await record('configuration', renamed!.id))?.data).toMatchObject({ name: 'Renamed In PSA' });
      expect(await record('configuration', gone!.id)).toMatchObject({ archivedAt: expect.any(Number), archivedReason: 'deleted' });

      // Nothing changed since: a second preview finds nothing to do.
      expect((await sync('manual', { dryRun: true })).preview?.counts).toEqual({ create: 0, update: 0, move: 0, archive: 0 });
    });
  });

  describe('connected fields', () => {
    it('a connected PSA field shows its value in the overlay list of a synced configuration', async () => {
      await syncAndMatch();
      expect((await db.integrations.get(ID))?.lastSyncAt).toBeTypeOf('number');
      const { source } = psa.field;
      const rows = await live('configuration');
      const row = rows.find((candidate) => candidate.data.fields?.[source] !== undefined);
      expect(row, `configurations carry "${source}"`).toBeDefined();
      const value = psa.field.value(Number(row!.remoteId));
      expect(value).toBeTruthy();
      expect(row!.data.fields![source]).toBe(value);

      const { layoutId } = await saveLayout(db, { id: 'layout-configurations', name: 'Configurations', active: true, fields: [{ name: 'From the PSA' }] });
      const fieldId = (await db.layouts.get(layoutId))!.fields![0]!.id;
      expect(await saveConnectedFields(db, ID, [{ layoutId, fieldId, source }])).toEqual({ connected: 1 });

      const view = await buildOverlayView({ db, adapterFor: async () => h.adapter, tickets: new TicketCache() }, h.emu.baseUrl, {
        psa: kind,
        kind: 'configuration',
        id: row!.remoteId,
      });
      expect(view.state).toBe('ready');
      if (view.state !== 'ready') return;
      const items = view.configurations.flatMap((group) => group.items);
      const shown = items.find((item) => item.remoteId === row!.remoteId);
      expect(shown?.focused).toBe(true);
      expect(shown?.fields).toContainEqual({ label: 'From the PSA', value, copy: true });
      // A configuration without that PSA field shows no empty column.
      const without = rows.find((other) => other.companyRemoteId === row!.companyRemoteId && !other.data.fields?.[source]);
      if (without) expect(items.find((item) => item.remoteId === without.remoteId)?.fields.some((field) => field.label === 'From the PSA')).toBe(false);
    });
  });
});
