import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_LOCATIONS, SidecarDb, type RecordRow } from '@/lib/db/schema';
import { loadPlacementContext } from '@/lib/layouts/context';
import { placeConfigurationType } from '@/lib/layouts/placement';
import { saveLayout, saveSortRules, saveSyncLocations } from '@/lib/layouts/service';

let db: SidecarDb;
const config = (remoteId: string, typeName: string): RecordRow => ({
  integrationId: 'cw',
  entity: 'configuration',
  remoteId,
  companyRemoteId: '1',
  data: { remoteId, companyRemoteId: '1', name: `${typeName} ${remoteId}`, typeName },
  sortName: remoteId,
  layoutId: 'layout-configurations',
  syncedAt: 0,
});

beforeEach(async () => {
  db = new SidecarDb(`layouts-${Math.random()}`);
  await db.open(); // populate: People, Locations, Configurations
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: 'https://x', origins: [], createdAt: 0 });
  await db.records.bulkAdd([config('1', 'Firewall'), config('2', 'Managed Server'), config('3', 'firewall ')]);
});
afterEach(async () => {
  await db.delete();
});

describe('sort rules', () => {
  it('file configurations by the first matching rule, re-sorting synced records without the PSA', async () => {
    const { layoutId: network } = await saveLayout(db, { name: 'Network Gear', active: true, fields: [{ name: 'Firmware' }] });
    const { layoutId: servers } = await saveLayout(db, { name: 'Servers', active: true, fields: [] });
    const { moved } = await saveSortRules(db, 'cw', [
      { typeName: 'Firewall', layoutId: network },
      { typeName: 'Managed Server', layoutId: servers },
    ]);
    expect(moved).toBe(3);
    expect((await db.records.get(['cw', 'configuration', '1']))?.layoutId).toBe(network);
    expect((await db.records.get(['cw', 'configuration', '3']))?.layoutId).toBe(network); // case and spaces do not matter
    expect((await db.records.get(['cw', 'configuration', '2']))?.layoutId).toBe(servers);

    const context = await loadPlacementContext(db, 'cw');
    expect(placeConfigurationType('FIREWALL', context)).toMatchObject({ layoutId: network, reason: { kind: 'rule', position: 1 } });
    expect(placeConfigurationType('Printer', context)).toEqual({ layoutId: 'layout-configurations', reason: { kind: 'location', location: 'configurations' } });

    // Removing the rules sends everything back to the primary location.
    expect((await saveSortRules(db, 'cw', [])).moved).toBe(3);
    expect((await db.records.get(['cw', 'configuration', '1']))?.layoutId).toBe('layout-configurations');
  });

  it('refuse rules for a missing or inactive layout, and duplicate types, writing nothing', async () => {
    const { layoutId: network } = await saveLayout(db, { name: 'Network Gear', active: true, fields: [] });
    await saveSortRules(db, 'cw', [{ typeName: 'Firewall', layoutId: network }]);
    await expect(saveSortRules(db, 'cw', [{ typeName: 'Switch', layoutId: 'nope' }])).rejects.toThrow(/no longer exists/);
    await expect(
      saveSortRules(db, 'cw', [
        { typeName: 'Switch', layoutId: network },
        { typeName: ' switch', layoutId: network },
      ]),
    ).rejects.toThrow(/both for " switch"|both for "switch"/);
    const { layoutId: archive } = await saveLayout(db, { name: 'Old', active: false, fields: [] });
    await expect(saveSortRules(db, 'cw', [{ typeName: 'Switch', layoutId: archive }])).rejects.toThrow(/inactive/);
    expect((await db.sortRules.toArray()).map((rule) => rule.typeName)).toEqual(['Firewall']);
  });
});

describe('layouts and sync locations', () => {
  it('rename, add fields, and refuse duplicate names or deactivating a sync location', async () => {
    const { layoutId } = await saveLayout(db, { name: ' Network  Gear ', active: true, fields: [{ name: 'Firmware' }, { name: '' }] });
    expect(await db.layouts.get(layoutId)).toMatchObject({ name: 'Network Gear', fields: [{ name: 'Firmware' }] });
    await expect(saveLayout(db, { name: 'network gear', active: true, fields: [] })).rejects.toThrow(/already exists/);
    await expect(saveLayout(db, { id: 'layout-people', name: 'People', active: false, fields: [] })).rejects.toThrow(/files contacts/);
    await expect(saveLayout(db, { name: 'X', active: true, fields: [{ name: 'A' }, { name: 'a' }] })).rejects.toThrow(/appears twice/);
  });

  it('move the primary location: unruled configurations follow', async () => {
    const { layoutId: devices } = await saveLayout(db, { name: 'Devices', active: true, fields: [] });
    const { moved } = await saveSyncLocations(db, 'cw', { ...DEFAULT_SYNC_LOCATIONS, configurations: devices });
    expect(moved).toBe(3);
    const { layoutId: inactive } = await saveLayout(db, { name: 'Inactive', active: false, fields: [] });
    await expect(saveSyncLocations(db, 'cw', { ...DEFAULT_SYNC_LOCATIONS, people: inactive })).rejects.toThrow(/active layouts/);
    expect((await db.integrations.get('cw'))?.options?.syncLocations.configurations).toBe(devices);
  });
});
