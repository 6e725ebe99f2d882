import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { saveLayout, saveSortRules } from '@/lib/layouts/service';
import { exportSetup } from '@/lib/setup/export';
import { importSetup } from '@/lib/setup/import';

let source: SidecarDb;
let target: SidecarDb;
const integration = { id: 'cw', psa: 'connectwise' as const, label: 'ConnectWise (na.myconnectwise.net)', settings: { host: 'na.myconnectwise.net' }, uiOrigin: 'https://na.myconnectwise.net', origins: [], createdAt: 0 };

beforeEach(async () => {
  source = new SidecarDb(`setup-a-${Math.random()}`);
  target = new SidecarDb(`setup-b-${Math.random()}`);
  await Promise.all([source.open(), target.open()]);
  await source.integrations.add(integration);
  await source.secrets.add({ integrationId: 'cw', credentials: { publicKey: 'pub', privateKey: 'TOP-SECRET-KEY', clientId: 'x' } });
  await target.integrations.add({ ...integration, id: 'other-id' });
});
afterEach(async () => {
  await Promise.all([source.delete(), target.delete()]);
});

describe('setup export and import', () => {
  it('round-trips layouts, rules, matches and options to the same PSA on another install, without secrets', async () => {
    const { layoutId } = await saveLayout(source, { name: 'Network Gear', active: true, fields: [{ name: 'Firmware' }] });
    await saveSortRules(source, 'cw', [{ typeName: 'Firewall', layoutId }]);
    await source.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 1 });
    await source.matches.add({ integrationId: 'cw', companyRemoteId: '250', state: 'matched', clientSpaceId: 'space-1', decidedAt: 1 });
    const fieldId = (await source.layouts.get(layoutId))!.fields![0]!.id;
    await source.integrations.update('cw', {
      options: {
        syncLocations: { people: 'layout-people', locations: 'layout-locations', configurations: layoutId },
        autoUpdateNames: false,
        connectedFields: [{ layoutId, fieldId, source: 'Firmware Version' }],
      },
    });

    const text = JSON.stringify(await exportSetup(source));
    expect(text).not.toContain('TOP-SECRET-KEY');
    expect(text).not.toContain('"pub"');

    const summary = await importSetup(target, text);
    expect(summary).toMatchObject({ layouts: 4, clientSpaces: 1, integrations: 1, notConfigured: [] });
    expect(await target.layouts.get(layoutId)).toMatchObject({ name: 'Network Gear', fields: [{ name: 'Firmware' }] });
    expect(await target.sortRules.where('integrationId').equals('other-id').toArray()).toMatchObject([{ typeName: 'Firewall', layoutId }]);
    expect(await target.matches.get(['other-id', '250'])).toMatchObject({ state: 'matched', clientSpaceId: 'space-1' });
    expect((await target.integrations.get('other-id'))?.options).toMatchObject({
      autoUpdateNames: false,
      syncLocations: { configurations: layoutId },
      connectedFields: [{ layoutId, fieldId, source: 'Firmware Version' }],
    });
  });

  it('reports integrations not configured here instead of inventing them', async () => {
    await target.integrations.clear();
    const summary = await importSetup(target, JSON.stringify(await exportSetup(source)));
    expect(summary.notConfigured).toEqual(['ConnectWise (na.myconnectwise.net)']);
    expect(await target.integrations.count()).toBe(0);
  });

  it.each([
    ['not JSON', '{"format": ', /not JSON/],
    ['another tool’s settings', JSON.stringify({ hudu: { apiKey: 'x' } }), /not a Sidecar setup file/],
    ['a newer version', JSON.stringify({ format: 'sidecar-setup', version: 9 }), /version 9/],
    ['a field of the wrong type', JSON.stringify({ format: 'sidecar-setup', version: 1, layouts: [{ id: 'a', name: 3, active: true }], clientSpaces: [], integrations: [] }), /layouts\.0\.name/],
    ['an empty layout name', JSON.stringify({ format: 'sidecar-setup', version: 1, layouts: [{ id: 'a', name: '   ', active: true }], clientSpaces: [], integrations: [] }), /layouts\.0\.name: is empty/],
  ])('refuses %s with a clear message and writes nothing', async (_case, text, message) => {
    const before = await target.layouts.count();
    await expect(importSetup(target, text)).rejects.toThrow(message);
    expect(await target.layouts.count()).toBe(before);
  });

  it('refuses dangling references and writes nothing', async () => {
    const setup = await exportSetup(source);
    setup.integrations[0]!.sortRules = [{ typeName: 'Firewall', layoutId: 'missing-layout' }];
    setup.integrations[0]!.matches = [{ companyRemoteId: '1', state: 'matched', clientSpaceId: 'missing-space' }];
    setup.clientSpaces = [{ id: 'new-space', name: 'New' }];
    setup.integrations[0]!.options = { syncLocations: { people: 'layout-people', locations: 'layout-locations', configurations: 'layout-configurations' }, connectedFields: [{ layoutId: 'layout-people', fieldId: 'no-such-field', source: 'VIP' }] };
    await expect(importSetup(target, JSON.stringify(setup))).rejects.toThrow(/missing-layout[\s\S]*connectedFields\.0: field no-such-field of layout layout-people[\s\S]*missing-space/);
    expect(await target.clientSpaces.count()).toBe(0);
  });
});
