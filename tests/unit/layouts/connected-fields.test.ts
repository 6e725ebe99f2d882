import { beforeEach, describe, expect, it } from 'vitest';
import type { SidecarDb } from '@/lib/db/schema';
import { saveConnectedFields } from '@/lib/layouts/connected-fields';
import { importedFacts } from '@/lib/layouts/imported-facts';
import { saveLayout } from '@/lib/layouts/service';
import { itemMatches } from '@/lib/items/filter';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import type { PsaAdapter } from '@/lib/psa/types';
import { CONNECTWISE } from '../../support/psa-cases/index.ts';
import { ID, useSyncHarness } from '../../support/sync-harness.ts';

/** Connected fields against a real sync from the ConnectWise emulator, read back through the overlay. */
const h = useSyncHarness(CONNECTWISE, { adapter: { retries: 0 }, integration: { connection: { ok: true, companyName: 'MSP', testedAt: 0 } } });
let db: SidecarDb;
let adapter: PsaAdapter;

beforeEach(async () => {
  ({ db, adapter } = h);
  await h.syncAndMatch();
  await h.synced();
});

async function configurationWithFields() {
  const rows = await db.records.filter((row) => row.entity === 'configuration').toArray();
  const row = rows.find((candidate) => Object.keys(candidate.data.fields ?? {}).length > 0);
  expect(row, 'the emulator serves configurations with PSA fields').toBeDefined();
  return row!;
}

describe('what the options page offers from imported records', () => {
  it('configuration types, company types and PSA fields, each once and sorted, from one pass', async () => {
    const rows = (await db.records.toArray()).filter((row) => row.integrationId === ID);
    const of = (entity: string) => rows.filter((row) => row.entity === entity);
    const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
    const facts = await importedFacts(db, ID);
    expect(facts.configurationTypes).toEqual(sorted(of('configuration').map((row) => (row.data as { typeName: string }).typeName)));
    expect(facts.companyTypes).toEqual(sorted(of('company').flatMap((row) => (row.data as { types: string[] }).types)));
    expect(facts.fieldSources).toEqual(
      sorted(rows.filter((row) => row.entity !== 'company' && row.entity !== 'agreement').flatMap((row) => Object.keys(row.data.fields ?? {}))),
    );
    expect(facts.configurationTypes.length).toBeGreaterThan(1);
    expect(facts.fieldSources.length).toBeGreaterThan(1);
    expect(await importedFacts(db, 'other')).toEqual({ configurationTypes: [], companyTypes: [], fieldSources: [] });
  });
});

describe('connected fields', () => {
  it('offers the PSA fields seen in the import, and a connected one shows in the overlay list, no resync needed', async () => {
    const row = await configurationWithFields();
    const [source, value] = Object.entries(row.data.fields!)[0]!;
    expect((await importedFacts(db, ID)).fieldSources).toContain(source);

    const { layoutId } = await saveLayout(db, { id: 'layout-configurations', name: 'Configurations', active: true, fields: [{ name: 'From the PSA' }] });
    const fieldId = (await db.layouts.get(layoutId))!.fields![0]!.id;
    expect(await saveConnectedFields(db, ID, [{ layoutId, fieldId, source }])).toEqual({ connected: 1 });

    const view = await buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache() }, h.emu.baseUrl, {
      psa: 'connectwise',
      kind: 'configuration',
      id: row.remoteId,
    });
    expect(view.state).toBe('ready');
    if (view.state !== 'ready') return;
    const items = view.configurations.flatMap((group) => group.items);
    const shown = items.find((item) => item.remoteId === row.remoteId)!;
    expect(shown.fields).toContainEqual({ label: 'From the PSA', value, copy: true });
    // A configuration without that PSA field shows no empty column.
    const without = (await db.records.filter((row) => row.entity === 'configuration').toArray()).find((other) => !other.data.fields?.[source]);
    if (without) expect(items.find((item) => item.remoteId === without.remoteId)?.fields.some((field) => field.label === 'From the PSA')).toBe(false);

    // Disconnecting (an empty choice) removes it.
    expect(await saveConnectedFields(db, ID, [{ layoutId, fieldId, source: '' }])).toEqual({ connected: 0 });
    const after = await buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache() }, h.emu.baseUrl, {
      psa: 'connectwise',
      kind: 'configuration',
      id: row.remoteId,
    });
    if (after.state !== 'ready') throw new Error(after.state);
    expect(
      after.configurations
        .flatMap((group) => group.items)
        .find((item) => item.remoteId === row.remoteId)!
        .fields.some((field) => field.label === 'From the PSA'),
    ).toBe(false);
  });

  it('refuses a field that does not exist, a field connected twice, and an over-long name, saving nothing', async () => {
    const { layoutId } = await saveLayout(db, { id: 'layout-configurations', name: 'Configurations', active: true, fields: [{ name: 'Warranty' }] });
    const fieldId = (await db.layouts.get(layoutId))!.fields![0]!.id;
    await saveConnectedFields(db, ID, [{ layoutId, fieldId, source: 'Warranty Expiration' }]);
    const before = (await db.integrations.get(ID))!.options;

    await expect(saveConnectedFields(db, ID, [{ layoutId, fieldId: 'nope', source: 'Tag Number' }])).rejects.toMatchObject({
      fields: { [`${layoutId}:nope`]: 'That layout field no longer exists.' },
    });
    await expect(
      saveConnectedFields(db, ID, [
        { layoutId, fieldId, source: 'Tag Number' },
        { layoutId, fieldId, source: 'Notes' },
      ]),
    ).rejects.toMatchObject({ fields: { [`${layoutId}:${fieldId}`]: expect.stringMatching(/connected twice/) } });
    // An empty choice first still counts: the same field twice is refused, whatever the order.
    await expect(
      saveConnectedFields(db, ID, [
        { layoutId, fieldId, source: '' },
        { layoutId, fieldId, source: 'Notes' },
      ]),
    ).rejects.toMatchObject({ fields: { [`${layoutId}:${fieldId}`]: expect.stringMatching(/connected twice/) } });
    await expect(saveConnectedFields(db, ID, [{ layoutId, fieldId, source: 'x'.repeat(201) }])).rejects.toThrow(/not valid: nothing was saved/);
    await expect(saveConnectedFields(db, 'nobody', [])).rejects.toThrow(/no longer exists/);
    expect((await db.integrations.get(ID))!.options).toEqual(before);
  });

  it('the overlay search matches connected field values, word by word, ignoring case', () => {
    const item = { remoteId: '1', title: 'SRV01', subtitle: 'Server · Active', fields: [{ label: 'Rack', value: 'Row B / U12', copy: true }] };
    expect(itemMatches(item, 'row b')).toBe(true);
    expect(itemMatches(item, 'srv01 u12')).toBe(true);
    expect(itemMatches(item, '  ')).toBe(true);
    expect(itemMatches(item, 'row z')).toBe(false);
  });
});
