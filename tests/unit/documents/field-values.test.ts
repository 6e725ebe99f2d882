import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { destroyDocStore, docStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { spaceRecords } from '@/lib/documents/space-records';
import { saveLayout } from '@/lib/layouts/service';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import { HandledError } from '@/lib/errors';
import type { PsaAdapter } from '@/lib/psa/types';

const ORIGIN = 'https://na.myconnectwise.net';
let db: SidecarDb;
let storeName: string;
let docs: DocumentService;
let layoutId: string;
let fieldIds: Record<string, string>;

const device: RecordRow = {
  integrationId: 'cw',
  entity: 'configuration',
  remoteId: '20',
  companyRemoteId: '1',
  data: { remoteId: '20', companyRemoteId: '1', name: 'FS01', fields: { 'Warranty Ends': '2027-01-31' } } as never,
  sortName: 'fs01',
  syncedAt: 1,
};

beforeEach(async () => {
  db = new SidecarDb(`fields-${crypto.randomUUID()}`);
  storeName = `docs-${crypto.randomUUID()}`;
  docs = new DocumentService(db, () => docStore(storeName));
  const { layoutId: id } = await saveLayout(db, {
    name: 'Servers',
    active: true,
    fields: [
      { name: 'Rack', type: 'text' },
      { name: 'Disks', type: 'number' },
      { name: 'Installed', type: 'date' },
      { name: 'Console', type: 'url' },
      { name: 'Backed up', type: 'yesno' },
      { name: 'Tier', type: 'choice', options: [' Gold ', 'Silver', ''] },
      { name: 'Warranty', type: 'text' },
    ],
  });
  layoutId = id;
  fieldIds = Object.fromEntries(((await db.layouts.get(id))?.fields ?? []).map((field) => [field.name, field.id]));
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' },
    uiOrigin: ORIGIN,
    origins: [ORIGIN],
    createdAt: 0,
    connection: { ok: true, companyName: 'MSP', testedAt: 0 },
    lastSyncAt: 1000,
    options: {
      syncLocations: { people: 'layout-people', locations: 'layout-locations', configurations: id },
      connectedFields: [{ layoutId: id, fieldId: fieldIds.Warranty!, source: 'Warranty Ends' }],
    },
  });
  await db.records.bulkAdd([
    {
      integrationId: 'cw',
      entity: 'company',
      remoteId: '1',
      companyRemoteId: '1',
      data: { remoteId: '1', name: 'Northwind', types: [] } as never,
      sortName: 'northwind',
      syncedAt: 1,
    },
    { ...device, layoutId: id },
  ]);
  await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
  await db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const at = (field: string) => ({ integrationId: 'cw', entity: 'configuration' as const, remoteId: '20', layoutId, fieldId: fieldIds[field]! });
const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HandledError);
  return error as HandledError;
};
const overlayFields = async () => {
  const adapter = { recordUrl: () => undefined } as unknown as PsaAdapter;
  const view = await buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache() }, ORIGIN, {
    psa: 'connectwise',
    kind: 'company',
    id: '1',
  });
  if (view.state !== 'ready') throw new Error(view.state);
  return view.configurations[0]!.items[0]!.fields.map((field) => `${field.label}=${field.value}`);
};

describe('hand-filled custom field values', () => {
  it('saves a value of each type, shows it in the overlay beside the connected PSA field, and a resync leaves it', async () => {
    await docs.saveFieldValue({ ...at('Rack'), value: { type: 'text', v: 'Rack 2, U14' } });
    await docs.saveFieldValue({ ...at('Disks'), value: { type: 'number', v: 4 } });
    await docs.saveFieldValue({ ...at('Installed'), value: { type: 'date', v: '2024-03-01' } });
    await docs.saveFieldValue({ ...at('Console'), value: { type: 'url', v: 'https://fs01.example/ilo' } });
    await docs.saveFieldValue({ ...at('Backed up'), value: { type: 'yesno', v: true } });
    await docs.saveFieldValue({ ...at('Tier'), value: { type: 'choice', v: 'Gold' } });
    const shown = await overlayFields();
    expect(shown).toEqual(
      expect.arrayContaining([
        'Warranty=2027-01-31',
        'Rack=Rack 2, U14',
        'Disks=4',
        'Installed=2024-03-01',
        'Console=https://fs01.example/ilo',
        'Backed up=Yes',
        'Tier=Gold',
      ]),
    );
    // A resync rewrites the record: the hand-filled values live apart and stay.
    await db.records.put({ ...device, layoutId, syncedAt: 2, data: { ...device.data, name: 'FS01-new' } as never });
    expect(await overlayFields()).toEqual(shown);
  });

  it('refuses a value that does not fit its field, at the field, and writes nothing', async () => {
    expect((await refusal(docs.saveFieldValue({ ...at('Disks'), value: { type: 'number', v: 'four' } }))).fields).toEqual({ value: 'Enter a number.' });
    expect((await refusal(docs.saveFieldValue({ ...at('Installed'), value: { type: 'date', v: '31/01/2027' } }))).fields).toEqual({
      value: 'Enter a date as YYYY-MM-DD.',
    });
    expect((await refusal(docs.saveFieldValue({ ...at('Console'), value: { type: 'url', v: 'javascript:alert(1)' } }))).fields?.value).toMatch(/http/);
    expect((await refusal(docs.saveFieldValue({ ...at('Tier'), value: { type: 'choice', v: 'Platinum' } }))).fields).toEqual({
      value: 'Choose one from the list.',
    });
    expect((await refusal(docs.saveFieldValue({ ...at('Rack'), value: { type: 'number', v: 2 } }))).message).toMatch(/holds text values/);
    expect((await refusal(docs.saveFieldValue({ ...at('Rack'), value: { type: 'text', v: 'two\nlines' } }))).fields).toEqual({ value: 'One line only.' });
    // A field connected to a PSA field shows the PSA's value: no hand value.
    expect((await refusal(docs.saveFieldValue({ ...at('Warranty'), value: { type: 'text', v: 'never' } }))).fields).toEqual({ value: 'Filled from the PSA.' });
    expect(await db.docs.count()).toBe(0);
  });

  it('clears a value to the bin, and fills it again', async () => {
    const saved = await docs.saveFieldValue({ ...at('Rack'), value: { type: 'text', v: 'Rack 2' } });
    const cleared = await docs.saveFieldValue({ ...at('Rack'), baseRev: saved.rev, value: null });
    expect(await overlayFields()).not.toContain('Rack=Rack 2');
    const groups = await spaceRecords(db, 'space-1');
    const rack = groups
      .flatMap((group) => group.records)
      .flatMap((record) => record.fields)
      .find((field) => field.name === 'Rack')!;
    expect(rack.hand).toMatchObject({ binned: true, rev: cleared.rev });
    await docs.saveFieldValue({ ...at('Rack'), baseRev: cleared.rev, value: { type: 'text', v: 'Rack 3' } });
    expect(await overlayFields()).toContain('Rack=Rack 3');
  });

  it('the client-space page lists the records by layout with their fields, connected ones marked as from the PSA', async () => {
    await docs.saveFieldValue({ ...at('Tier'), value: { type: 'choice', v: 'Silver' } });
    const groups = await spaceRecords(db, 'space-1');
    expect(groups.map((group) => group.title)).toEqual(['Servers']);
    const fields = groups[0]!.records[0]!.fields;
    expect(fields.find((field) => field.name === 'Warranty')).toMatchObject({ fromPsa: '2027-01-31' });
    expect(fields.find((field) => field.name === 'Tier')).toMatchObject({ type: 'choice', options: ['Gold', 'Silver'], hand: { value: { v: 'Silver' } } });
  });
});

describe('field types on layouts', () => {
  it('refuses a list field without choices, choices on another type, and repeated choices', async () => {
    const problem = async (fields: { name: string; type?: 'text' | 'choice'; options?: string[] }[]) =>
      (await refusal(saveLayout(db, { name: `L-${crypto.randomUUID()}`, active: true, fields }))).message;
    expect(await problem([{ name: 'Tier', type: 'choice', options: [' ', ''] }])).toBe('Give "Tier" at least one choice.');
    expect(await problem([{ name: 'Tier', type: 'text', options: ['a'] }])).toBe('Only a "one from a list" field has choices ("Tier").');
    expect(await problem([{ name: 'Tier', type: 'choice', options: ['Gold', 'gold'] }])).toBe('"gold" is listed twice in "Tier".');
  });
});
