import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_LOCATIONS, type SidecarDb } from '@/lib/db/schema';
import { saveLayout } from '@/lib/layouts/service';
import { parseSetup } from '@/lib/setup/format';
import { importSetup } from '@/lib/setup/import';
import { newDb, snapshot } from '../../support/bad-input.ts';

/**
 * Issue #6, bad input: a setup file from anywhere. Every case names the message a user reads and the field it is
 * shown at; where a write is involved, nothing is half-saved (the stored tables are compared
 * before and after; fixtures in tests/support/bad-input.ts).
 */

describe('setup import: a clear message naming where, and nothing written', () => {
  const ORIGIN = 'https://na.myconnectwise.net';
  const LABEL = 'ConnectWise (na.myconnectwise.net)';
  type Setup = Record<string, unknown> & {
    layouts: Record<string, unknown>[];
    clientSpaces: Record<string, unknown>[];
    integrations: (Record<string, unknown> & { sortRules: Record<string, unknown>[]; matches: Record<string, unknown>[]; options: Record<string, unknown> })[];
  };
  const base = (): Setup => ({
    format: 'sidecar-setup',
    version: 1,
    exportedAt: '2026-05-01T10:00:00.000Z',
    layouts: [
      { id: 'layout-gear', name: 'Network Gear', active: true, fields: [{ id: 'field-firmware', name: 'Firmware' }] },
      { id: 'layout-old', name: 'Old Gear', active: false, fields: [] },
    ],
    clientSpaces: [{ id: 'space-1', name: 'Northwind' }],
    integrations: [
      {
        psa: 'connectwise',
        uiOrigin: ORIGIN,
        label: LABEL,
        options: {
          syncLocations: { ...DEFAULT_SYNC_LOCATIONS },
          autoUpdateNames: false,
          connectedFields: [{ layoutId: 'layout-gear', fieldId: 'field-firmware', source: 'Firmware Version' }],
        },
        sortRules: [{ typeName: 'Firewall', layoutId: 'layout-gear' }],
        matches: [{ companyRemoteId: '250', state: 'matched', clientSpaceId: 'space-1' }],
      },
    ],
  });
  const file = (change: (setup: Setup) => void) => {
    const setup = base();
    change(setup);
    return JSON.stringify(setup, null, 2);
  };

  let db: SidecarDb;
  beforeEach(async () => {
    db = await newDb('bad-import');
    // What is already here, and must survive a refused import untouched.
    await db.integrations.add({
      id: 'cw',
      psa: 'connectwise',
      label: LABEL,
      settings: { host: 'na.myconnectwise.net' },
      uiOrigin: ORIGIN,
      origins: [ORIGIN],
      createdAt: 1,
      options: { syncLocations: { ...DEFAULT_SYNC_LOCATIONS }, autoUpdateNames: true },
    });
    await db.clientSpaces.add({ id: 'space-home', name: 'Contoso', createdAt: 1 });
    await db.sortRules.add({ id: 'rule-home', integrationId: 'cw', order: 0, typeName: 'Server', layoutId: 'layout-configurations' });
    await db.matches.add({ integrationId: 'cw', companyRemoteId: '19', state: 'matched', clientSpaceId: 'space-home', decidedAt: 1 });
  });
  afterEach(async () => {
    await db.delete();
  });

  it('(control) the base file imports, so each case below fails for its one bad part', async () => {
    await expect(
      importSetup(
        db,
        file(() => {}),
      ),
    ).resolves.toMatchObject({ layouts: 2, clientSpaces: 1, integrations: 1, notConfigured: [] });
  });

  const hudu = JSON.stringify({
    companies: [{ id: 12, name: 'Northwind', slug: 'northwind', url: 'https://docs.example.com/c/northwind' }],
    assets: [],
    api_key: 'hudu_xxx',
  });
  const itGlue = JSON.stringify({
    data: [{ id: '1', type: 'organizations', attributes: { name: 'Northwind', 'organization-type-name': 'Customer' } }],
    meta: { 'total-count': 1 },
  });
  const packageJson = JSON.stringify({ name: 'sidecar', version: '0.1.0', type: 'module', scripts: { build: 'wxt build' } });
  const NOT_JSON = /^This is not a Sidecar setup file: it is not JSON\.$/;
  const OTHER_TOOL = /^This is not a Sidecar setup file \(it has no "format": "sidecar-setup"\)\. Settings files of other tools cannot be imported\.$/;
  const where = `integrations\\.0 \\(${LABEL.replace(/[().]/g, '\\$&')}\\)`;

  const refusedImport = async (text: string) => {
    const before = await snapshot(db);
    const error = (await importSetup(db, text).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { code: string; message: string } | undefined;
    expect(error, 'the import was accepted').toBeDefined();
    expect(error!.code).toBe('invalid-file');
    expect(error!.message.split('\n')).toHaveLength(1);
    expect(await snapshot(db)).toBe(before);
    return error!.message;
  };

  it.each<[string, string, RegExp]>([
    ['an empty file', '', NOT_JSON],
    ['a file of blank lines', '\n  \r\n\t', NOT_JSON],
    ['a file cut off half-way', file(() => {}).slice(0, 200), NOT_JSON],
    ['an IT Glue CSV export', 'id,name,organization_type_name\n1,Northwind,Customer\n', NOT_JSON],
    ['a Hudu export (JSON of another tool)', hudu, OTHER_TOOL],
    ['an IT Glue JSON:API export', itGlue, OTHER_TOOL],
    ['a package.json', packageJson, OTHER_TOOL],
    ['a JSON list', '[]', OTHER_TOOL],
    ['JSON null', 'null', OTHER_TOOL],
    ['a newer version', file((setup) => void (setup.version = 2)), /^This setup file is version 2; this Sidecar reads version 1\. Update Sidecar first\.$/],
    ['version 0', file((setup) => void (setup.version = 0)), /^This Sidecar setup file has no valid "version" \(a whole number such as 1\)\.$/],
    ['no layouts', file((setup) => void delete (setup as Partial<Setup>).layouts), /^layouts: Invalid input: expected array, received undefined$/],
    [
      'layouts as an object instead of a list',
      file((setup) => void ((setup as Record<string, unknown>).layouts = { 'layout-gear': { name: 'Network Gear' } })),
      /^layouts: Invalid input: expected array, received object$/,
    ],
    [
      'a layout "active" of the wrong type',
      file((setup) => void (setup.layouts[0]!.active = 'yes')),
      /^layouts\.0\.active: Invalid input: expected boolean, received string$/,
    ],
    [
      'a layout name over 200 characters',
      file((setup) => void (setup.layouts[0]!.name = 'N'.repeat(201))),
      /^layouts\.0\.name: Too big: expected string to have <=200 characters$/,
    ],
    [
      'a layout with 101 custom fields',
      file((setup) => void (setup.layouts[0]!.fields = Array.from({ length: 101 }, (_, index) => ({ id: `f${index}`, name: `Field ${index}` })))),
      /^layouts\.0\.fields: Too big: expected array to have <=100 items$/,
    ],
    [
      'a client space id over 100 characters',
      file((setup) => void (setup.clientSpaces[0]!.id = 'x'.repeat(101))),
      /^clientSpaces\.0\.id: Too big: expected string to have <=100 characters$/,
    ],
    [
      '51 integrations',
      file((setup) => void (setup.integrations = Array.from({ length: 51 }, () => ({ ...base().integrations[0]! })))),
      /^integrations: Too big: expected array to have <=50 items$/,
    ],
    [
      'a PSA this version does not have',
      file((setup) => void (setup.integrations[0]!.psa = 'autotask')),
      /^integrations\.0\.psa: Invalid option: expected one of "connectwise"\|"halo"\|"kaseya-bms"$/,
    ],
    [
      'a domain where a web address is expected',
      file((setup) => void (setup.integrations[0]!.uiOrigin = 'na.myconnectwise.net')),
      /^integrations\.0\.uiOrigin: Invalid URL$/,
    ],
    [
      'a skip option of the wrong type',
      file(
        (setup) =>
          void (setup.integrations[0]!.options.skip = {
            contacts: 'no',
            agreements: false,
            configurations: false,
            sites: false,
            inactiveConfigurations: false,
            configurationTypes: [],
          }),
      ),
      /^integrations\.0\.options\.skip\.contacts: Invalid input: expected boolean, received string$/,
    ],
    [
      'a match state it does not know',
      file((setup) => void (setup.integrations[0]!.matches[0]!.state = 'maybe')),
      /^integrations\.0\.matches\.0\.state: Invalid option: expected one of "matched"\|"unmatched"$/,
    ],
  ])('refuses %s (the file alone says so: parseSetup gives the same message)', async (_case, text, message) => {
    const refused = await refusedImport(text);
    expect(refused).toMatch(message);
    expect(parseSetup(text)).toEqual({ ok: false, errors: [refused] });
  });

  it.each<[string, string, RegExp]>([
    ['a blank layout name', file((setup) => void (setup.layouts[1]!.name = ' \t ')), /^layouts\.1\.name: Give the layout a name\.$/],
    [
      'a rule for a layout that is nowhere',
      file((setup) => void (setup.integrations[0]!.sortRules[0]!.layoutId = 'missing-layout')),
      new RegExp(`^${where}\\.sortRules\\.0: layout missing-layout is neither in the file nor here\\.$`),
    ],
    [
      'a rule for an inactive layout',
      file((setup) => void (setup.integrations[0]!.sortRules[0]!.layoutId = 'layout-old')),
      new RegExp(`^${where}\\.sortRules\\.0: Rule 1: "Old Gear" is inactive\\.$`),
    ],
    [
      'a sync location that is nowhere',
      file((setup) => void ((setup.integrations[0]!.options.syncLocations as Record<string, string>).configurations = 'gone')),
      new RegExp(`^${where}\\.options\\.syncLocations\\.configurations: layout gone is neither in the file nor here\\.$`),
    ],
    [
      'a connected field that is nowhere',
      file((setup) => void (setup.integrations[0]!.options.connectedFields = [{ layoutId: 'layout-gear', fieldId: 'no-such-field', source: 'VIP' }])),
      new RegExp(`^${where}\\.options\\.connectedFields\\.0: field no-such-field of layout layout-gear is neither in the file nor here\\.$`),
    ],
    [
      'a match to a client space that is nowhere',
      file((setup) => void (setup.integrations[0]!.matches[0]!.clientSpaceId = 'missing-space')),
      new RegExp(`^${where}\\.matches\\.0: client space missing-space is neither in the file nor here\\.$`),
    ],
    [
      'a match without a client space',
      file((setup) => void delete setup.integrations[0]!.matches[0]!.clientSpaceId),
      new RegExp(`^${where}\\.matches\\.0: a matched company needs its client space \\("clientSpaceId"\\)\\.$`),
    ],
    [
      'two layouts with the same name (case and spaces aside)',
      file((setup) => void setup.layouts.push({ id: 'layout-gear-2', name: '  network GEAR ', active: true, fields: [] })),
      /^layouts\.2 \(network GEAR\)\.name: A layout named "Network Gear" already exists\.$/,
    ],
  ])('refuses %s (the options page’s rules, checked against what is here: the file’s shape is fine)', async (_case, text, message) => {
    expect(parseSetup(text).ok).toBe(true);
    expect(await refusedImport(text)).toMatch(message);
  });

  it('reports every dangling reference at once, and writes none of the rest', async () => {
    const before = await snapshot(db);
    const text = file((setup) => {
      setup.integrations[0]!.sortRules[0]!.layoutId = 'missing-layout';
      setup.integrations[0]!.matches[0]!.clientSpaceId = 'missing-space';
    });
    await expect(importSetup(db, text)).rejects.toThrow(/sortRules\.0: layout missing-layout[^\n]*\n[^\n]*matches\.0: client space missing-space/);
    expect(await snapshot(db)).toBe(before);
  });

  it.each<[string, string]>([
    ['no version', JSON.stringify({ ...base(), version: undefined })],
    ['the version as a string', JSON.stringify({ ...base(), version: '1' })],
  ])('a Sidecar file with %s is told about its version, not that it is another tool’s', async (_case, text) => {
    const before = await snapshot(db);
    const error = (await importSetup(db, text).catch((caught: unknown) => caught)) as Error;
    expect(await snapshot(db)).toBe(before);
    expect(error.message).toMatch(/version/);
    expect(error.message).not.toMatch(/has no "format"/);
  });

  it('refuses a layout named like one already here (another id), so no name ends up twice', async () => {
    await saveLayout(db, { name: 'Network Gear', active: true, fields: [] });
    const text = file((setup) => void (setup.layouts[0]!.name = 'network gear'));
    expect(await refusedImport(text)).toBe('layouts.0 (network gear).name: A layout named "Network Gear" already exists.');
    const names = (await db.layouts.toArray()).map((layout) => layout.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});
