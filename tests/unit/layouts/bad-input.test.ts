import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_LOCATIONS, type SidecarDb } from '@/lib/db/schema';
import { saveConnectedFields } from '@/lib/layouts/connected-fields';
import { saveLayout, saveSortRules, saveSyncLocations } from '@/lib/layouts/service';
import { saveSyncOptions } from '@/lib/sync/options-service';
import { saveSchedule } from '@/lib/sync/schedule';
import { newDb, snapshot } from '../../support/bad-input.ts';

/**
 * Issue #6, bad input: layouts, sort rules, connected fields and sync locations (lib/layouts), with the schedule
 * and sync options (lib/sync) that the same forms save beside them. Every case names the message a user reads and the field it is
 * shown at; where a write is involved, nothing is half-saved (the stored tables are compared
 * before and after; fixtures in tests/support/bad-input.ts).
 */

describe('layouts, rules, connected fields, schedule and sync options: refused at the field, nothing written', () => {
  let db: SidecarDb;
  let gear: string;
  let firmware: string;
  let old: string;
  beforeEach(async () => {
    db = await newDb('bad-services');
    await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: 'https://na.myconnectwise.net', origins: [], createdAt: 1 });
    gear = (await saveLayout(db, { name: 'Network Gear', active: true, fields: [{ name: 'Firmware' }] })).layoutId;
    firmware = (await db.layouts.get(gear))!.fields![0]!.id;
    old = (await saveLayout(db, { name: 'Old Gear', active: false, fields: [] })).layoutId;
    await saveSortRules(db, 'cw', [{ typeName: 'Firewall', layoutId: gear }]);
    await saveConnectedFields(db, 'cw', [{ layoutId: gear, fieldId: firmware, source: 'Firmware Version' }]);
    await saveSchedule(db, { intervalHours: 6, quiet: { fromHour: 22, toHour: 6 } });
  });
  afterEach(async () => {
    await db.delete();
  });

  const noSkip = { contacts: false, agreements: false, configurations: false, sites: false, inactiveConfigurations: false, configurationTypes: [] };
  type Ids = { gear: string; firmware: string; old: string };
  it.each<[string, (db: SidecarDb, ids: Ids) => Promise<unknown>, string, RegExp, Record<string, RegExp> | undefined]>([
    [
      'a layout without a name',
      (d) => saveLayout(d, { name: '', active: true, fields: [] }),
      'invalid',
      /^Give the layout a name\.$/,
      { name: /^Give the layout a name\.$/ },
    ],
    [
      'a layout named only with spaces and a tab',
      (d) => saveLayout(d, { name: ' \t  ', active: true, fields: [] }),
      'invalid',
      /^Give the layout a name\.$/,
      { name: /Give the layout a name/ },
    ],
    [
      'a layout name of 61 characters',
      (d) => saveLayout(d, { name: 'L'.repeat(61), active: true, fields: [] }),
      'invalid',
      /^Layout names are at most 60 characters\.$/,
      { name: /^At most 60 characters\.$/ },
    ],
    [
      'a layout whose field appears twice (case and spaces aside)',
      (d) => saveLayout(d, { name: 'Printers', active: true, fields: [{ name: 'Toner' }, { name: ' toner ' }] }),
      'invalid',
      /^The field "toner" appears twice\.$/,
      { fields: /^"toner" appears twice\.$/ },
    ],
    [
      'a new layout with the name of another (case and spaces aside)',
      (d) => saveLayout(d, { name: ' network   GEAR ', active: true, fields: [] }),
      'invalid',
      /^A layout named "Network Gear" already exists\.$/,
      { name: /^That name is taken\.$/ },
    ],
    [
      'an edit of a layout removed meanwhile',
      (d) => saveLayout(d, { id: 'gone', name: 'Gone', active: true, fields: [] }),
      'not-found',
      /^That layout no longer exists\.$/,
      undefined,
    ],
    [
      'turning off a layout in use as a sync location',
      async (d) => saveLayout(d, { id: 'layout-people', name: 'People', active: false, fields: [] }),
      'invalid',
      /^"People" is where CW files contacts: choose another sync location first\.$/,
      { active: /^In use as a sync location\.$/ },
    ],
    [
      'a sort rule without a type',
      (d, ids) =>
        saveSortRules(d, 'cw', [
          { typeName: 'Switch', layoutId: ids.gear },
          { typeName: '   ', layoutId: ids.gear },
        ]),
      'invalid',
      /^Rule 2 has no type\.$/,
      { 'rule-1': /^Enter a type\.$/ },
    ],
    [
      'a sort rule to a layout that no longer exists',
      (d) => saveSortRules(d, 'cw', [{ typeName: 'Switch', layoutId: 'gone' }]),
      'invalid',
      /^Rule 1 points to a layout that no longer exists\.$/,
      { 'rule-0': /^Choose a layout\.$/ },
    ],
    [
      'a sort rule to an inactive layout',
      (d, ids) => saveSortRules(d, 'cw', [{ typeName: 'Switch', layoutId: ids.old }]),
      'invalid',
      /^Rule 1: "Old Gear" is inactive\.$/,
      { 'rule-0': /^Choose an active layout\.$/ },
    ],
    [
      'two sort rules for one type (case and spaces aside)',
      (d, ids) =>
        saveSortRules(d, 'cw', [
          { typeName: 'Access Point', layoutId: ids.gear },
          { typeName: ' access   POINT', layoutId: 'layout-configurations' },
        ]),
      'invalid',
      /^Rules 1 and 2 are both for "access {3}POINT": the first would always win\.$/,
      { 'rule-1': /^Same type as rule 1\.$/ },
    ],
    [
      'sort rules for an integration removed meanwhile',
      (d, ids) => saveSortRules(d, 'gone', [{ typeName: 'Switch', layoutId: ids.gear }]),
      'not-found',
      /^That integration no longer exists\.$/,
      undefined,
    ],
    [
      'a connection to a layout field that no longer exists',
      (d, ids) =>
        saveConnectedFields(d, 'cw', [
          { layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' },
          { layoutId: ids.gear, fieldId: 'gone', source: 'Serial' },
        ]),
      'invalid',
      /^One connection is not valid: nothing was saved\.$/,
      { '{gear}:gone': /^That layout field no longer exists\.$/ },
    ],
    [
      'one layout field connected twice',
      (d, ids) =>
        saveConnectedFields(d, 'cw', [
          { layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' },
          { layoutId: ids.gear, fieldId: ids.firmware, source: 'BIOS' },
        ]),
      'invalid',
      /nothing was saved/,
      { '{gear}:{firmware}': /^"Firmware" is connected twice: keep one\.$/ },
    ],
    [
      'a PSA field name over 200 characters',
      (d, ids) => saveConnectedFields(d, 'cw', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'F'.repeat(201) }]),
      'invalid',
      /nothing was saved/,
      { '{gear}:{firmware}': /^At most 200 characters\.$/ },
    ],
    [
      'connected fields for an integration removed meanwhile',
      (d, ids) => saveConnectedFields(d, 'gone', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' }]),
      'not-found',
      /^That integration no longer exists\.$/,
      undefined,
    ],
    [
      'a quiet window that starts and ends at one hour',
      (d) => saveSchedule(d, { intervalHours: 3, quiet: { fromHour: 8, toHour: 8 } }),
      'invalid',
      /^The quiet window starts and ends at the same hour: choose different hours, or no quiet window\.$/,
      { quiet: /^Start and end are the same\.$/ },
    ],
    [
      'an inactive layout as sync location',
      (d, ids) => saveSyncLocations(d, 'cw', { ...DEFAULT_SYNC_LOCATIONS, configurations: ids.old }),
      'invalid',
      /^Choose active layouts for every sync location\.$/,
      { configurations: /^"Old Gear" is inactive: only active layouts can be sync locations\.$/ },
    ],
    [
      'sync options for an integration removed meanwhile',
      (d) => saveSyncOptions(d, 'gone', { skip: noSkip, autoUpdateNames: true, autoArchiveDeletedDevices: false, keepCompanyDetails: false }),
      'not-found',
      /^That integration no longer exists\.$/,
      undefined,
    ],
  ])('refuses %s', async (_case, run, code, message, fields) => {
    const ids = { gear, firmware, old };
    const before = await snapshot(db);
    const error = (await run(db, ids).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { code: string; message: string; fields?: Record<string, string> } | undefined;
    expect(error).toBeDefined();
    expect(error!.code).toBe(code);
    expect(error!.message).toMatch(message);
    if (fields) {
      const wanted = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.replace('{gear}', gear).replace('{firmware}', firmware), value]));
      expect(Object.keys(error!.fields ?? {}).sort()).toEqual(Object.keys(wanted).sort());
      for (const [key, value] of Object.entries(wanted)) expect(error!.fields![key], key).toMatch(value);
    } else {
      expect(error!.fields).toBeUndefined();
    }
    expect(await snapshot(db)).toBe(before);
  });
});
