// Over 300 lines on purpose: export, import and every refusal of a bad setup file, sharing one fixture database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_LOCATIONS, SidecarDb, type RecordRow } from '@/lib/db/schema';
import { saveConnectedFields } from '@/lib/layouts/connected-fields';
import { saveLayout, saveSortRules } from '@/lib/layouts/service';
import { applyMatches } from '@/lib/match/company-match';
import { exportSetup } from '@/lib/setup/export';
import { importSetup } from '@/lib/setup/import';
import { saveSyncOptions } from '@/lib/sync/options-service';

let source: SidecarDb;
let target: SidecarDb;
const LABEL = 'ConnectWise (na.myconnectwise.net)';
const ORIGIN = 'https://na.myconnectwise.net';
const integration = {
  id: 'cw',
  psa: 'connectwise' as const,
  label: LABEL,
  settings: { host: 'na.myconnectwise.net' },
  uiOrigin: ORIGIN,
  origins: [],
  createdAt: 0,
};

const contact = (integrationId: string, remoteId: string): RecordRow => ({
  integrationId,
  entity: 'contact',
  remoteId,
  companyRemoteId: '250',
  data: { remoteId, companyRemoteId: '250', name: `Contact ${remoteId}` },
  sortName: `contact ${remoteId}`,
  layoutId: 'layout-people',
  syncedAt: 1,
});

/** Everything in the database, as text: a refused import must leave every table as it was. */
async function dump(db: SidecarDb): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()]));
  return JSON.stringify(tables);
}

beforeEach(async () => {
  source = new SidecarDb(`setup-a-${Math.random()}`);
  target = new SidecarDb(`setup-b-${Math.random()}`);
  await Promise.all([source.open(), target.open()]);
  await source.integrations.add(integration);
  await source.secrets.add({ integrationId: 'cw', credentials: { publicKey: 'pub', privateKey: 'TOP-SECRET-KEY', clientId: 'x' } });
  // What is already on the importing computer: an integration using the default sync locations,
  // a client space, a rule, a match, a synced contact and its cursor.
  await target.integrations.add({ ...integration, id: 'other-id' });
  await target.clientSpaces.add({ id: 'space-home', name: 'Contoso', createdAt: 1 });
  await target.sortRules.add({ id: 'rule-home', integrationId: 'other-id', order: 0, typeName: 'Server', layoutId: 'layout-configurations' });
  await target.matches.add({ integrationId: 'other-id', companyRemoteId: '19', state: 'matched', clientSpaceId: 'space-home', decidedAt: 1 });
  await target.records.add(contact('other-id', 'c1'));
  await target.cursors.add({ integrationId: 'other-id', entity: 'contact', highWater: '2026-01-01T00:00:00Z', coveredCompanyIds: ['250'] });
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
    expect(summary.notConfigured).toEqual([LABEL]);
    expect(await target.integrations.count()).toBe(0);
  });

  it.each([
    ['not JSON', '{"format": ', /not JSON/],
    ['another tool’s settings', JSON.stringify({ hudu: { apiKey: 'x' } }), /not a Sidecar setup file/],
    ['a newer version', JSON.stringify({ format: 'sidecar-setup', version: 9 }), /version 9/],
    [
      'a field of the wrong type',
      JSON.stringify({ format: 'sidecar-setup', version: 1, layouts: [{ id: 'a', name: 3, active: true }], clientSpaces: [], integrations: [] }),
      /layouts\.0\.name/,
    ],
    [
      'an empty layout name',
      JSON.stringify({ format: 'sidecar-setup', version: 1, layouts: [{ id: 'a', name: '   ', active: true }], clientSpaces: [], integrations: [] }),
      /^layouts\.0\.name: Give the layout a name\.$/,
    ],
  ])('refuses %s with a clear message and writes nothing', async (_case, text, message) => {
    const before = await dump(target);
    await expect(importSetup(target, text)).rejects.toThrow(message);
    expect(await dump(target)).toBe(before);
  });

  it('refuses dangling references and writes nothing', async () => {
    const setup = await exportSetup(source);
    setup.integrations[0]!.sortRules = [{ typeName: 'Firewall', layoutId: 'missing-layout' }];
    setup.integrations[0]!.matches = [{ companyRemoteId: '1', state: 'matched', clientSpaceId: 'missing-space' }];
    setup.clientSpaces = [{ id: 'new-space', name: 'New' }];
    setup.integrations[0]!.options = {
      syncLocations: { people: 'layout-people', locations: 'layout-locations', configurations: 'layout-configurations' },
      connectedFields: [{ layoutId: 'layout-people', fieldId: 'no-such-field', source: 'VIP' }],
    };
    const before = await dump(target);
    await expect(importSetup(target, JSON.stringify(setup))).rejects.toThrow(
      /connectedFields\.0: field no-such-field of layout layout-people[\s\S]*missing-layout[\s\S]*missing-space/,
    );
    expect(await dump(target)).toBe(before);
  });
});

/**
 * Issue #12: setup import applies the options page's own rules (lib/layouts/validate.ts and the
 * sync options' tidying), inside the transaction that writes. Each case is one bad part of an
 * otherwise good file (the control imports), refused with its place in the file and the options
 * page's sentence, and every table is as it was afterwards.
 *
 * Each case was checked to fail without its guard, by removing the guard's call in planImport
 * (lib/setup/import.ts) or the check itself in lib/layouts/validate.ts, running this file and
 * restoring it: the import then resolved (or reported something else) and the case failed. The
 * guard is named after each case.
 */
describe('setup import refuses what the options page refuses, and writes nothing', () => {
  type Entry = {
    psa: string;
    uiOrigin: string;
    label?: string;
    options?: {
      syncLocations: Record<string, string>;
      connectedFields?: { layoutId: string; fieldId: string; source: string }[];
      skip?: Record<string, unknown>;
    } & Record<string, unknown>;
    sortRules: { typeName: string; layoutId: string }[];
    matches: { companyRemoteId: string; state: string; clientSpaceId?: string }[];
  };
  type Setup = {
    format: string;
    version: number;
    layouts: { id: string; name: string; active: boolean; fields: { id: string; name: string }[] }[];
    clientSpaces: { id: string; name: string }[];
    integrations: Entry[];
  };
  const base = (): Setup => ({
    format: 'sidecar-setup',
    version: 1,
    layouts: [
      { id: 'layout-gear', name: 'Network Gear', active: true, fields: [{ id: 'field-firmware', name: 'Firmware' }] },
      { id: 'layout-printers', name: 'Printers', active: true, fields: [{ id: 'field-toner', name: 'Toner' }] },
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
    return JSON.stringify(setup);
  };
  const at = `integrations.0 (${LABEL})`;

  it('(control) the base file imports, so each case below is refused for its one bad part', async () => {
    await expect(
      importSetup(
        target,
        file(() => {}),
      ),
    ).resolves.toMatchObject({ layouts: 3, clientSpaces: 1, integrations: 1, notConfigured: [] });
  });

  it.each<[string, (setup: Setup) => void, string]>([
    // Guard: layoutProblems' length check (the options page allows 60 characters).
    [
      'a 200-character layout name',
      (setup) => void (setup.layouts[0]!.name = 'N'.repeat(200)),
      `layouts.0 (${'N'.repeat(39)}…).name: Layout names are at most 60 characters.`,
    ],
    // Guard: layoutProblems' repeated-field check.
    [
      'fields "Toner" and "toner" in one layout',
      (setup) => void setup.layouts[1]!.fields.push({ id: 'field-toner-2', name: 'toner' }),
      'layouts.1 (Printers).fields.1: The field "toner" appears twice.',
    ],
    // Guard: sortRuleProblems' same-type check.
    [
      'two sort rules for "Firewall" and "firewall"',
      (setup) => void setup.integrations[0]!.sortRules.push({ typeName: 'firewall', layoutId: 'layout-configurations' }),
      `${at}.sortRules.1: Rules 1 and 2 are both for "firewall": the first would always win.`,
    ],
    // Guard: deactivationProblem in planImport (the integration here keeps its default locations: the file has no options for it).
    [
      'deactivating the layout a configured integration files contacts into',
      (setup) => {
        setup.layouts.push({ id: 'layout-people', name: 'People', active: false, fields: [] });
        delete setup.integrations[0]!.options;
      },
      `layouts.3 (People).active: "People" is where ${LABEL} files contacts: choose another sync location first.`,
    ],
    // Guard: deactivationProblem in planImport (an integration the file does not mention at all).
    [
      'deactivating a sync location of an integration the file does not mention',
      (setup) => {
        setup.layouts.push({ id: 'layout-locations', name: 'Locations', active: false, fields: [] });
        setup.integrations = [];
      },
      `layouts.3 (Locations).active: "Locations" is where ${LABEL} files sites: choose another sync location first.`,
    ],
    // Guard: syncLocationProblems in planImport (the file's own locations).
    [
      'a sync location the file turns inactive',
      (setup) => void setup.layouts.push({ id: 'layout-people', name: 'People', active: false, fields: [] }),
      `${at}.options.syncLocations.people: "People" is inactive: only active layouts can be sync locations.`,
    ],
    // Guard: layoutProblems' name clash, compared as the options page does (inner spaces made one).
    [
      'a layout named like one here, case and spaces aside',
      (setup) => void (setup.layouts[0]!.name = '  LOCATIONS '),
      'layouts.0 (LOCATIONS).name: A layout named "Locations" already exists.',
    ],
    // (inner spaces too: the import used to compare names only trimmed, and let this one in)
    [
      'two layouts of the file named alike',
      (setup) => void setup.layouts.push({ id: 'layout-gear-2', name: ' network   GEAR ', active: true, fields: [] }),
      'layouts.3 (network GEAR).name: A layout named "Network Gear" already exists.',
    ],
    // Guard: connectionProblems' twice check.
    [
      'one layout field connected twice',
      (setup) => void setup.integrations[0]!.options!.connectedFields!.push({ layoutId: 'layout-gear', fieldId: 'field-firmware', source: 'BIOS' }),
      `${at}.options.connectedFields.1: "Firmware" is connected twice: keep one.`,
    ],
    // Guard: connectionProblems' length check.
    [
      'a PSA field name over 200 characters',
      (setup) => void (setup.integrations[0]!.options!.connectedFields![0]!.source = 'F'.repeat(201)),
      `${at}.options.connectedFields.0.source: PSA field names are at most 200 characters.`,
    ],
    // Guard: sortRuleProblems' type check (the file's schema no longer trims it away first).
    [
      'a sort rule with a blank type',
      (setup) => void (setup.integrations[0]!.sortRules[0]!.typeName = '  '),
      `${at}.sortRules.0.typeName: Rule 1 has no type.`,
    ],
    // Guard: sortRuleProblems' active check.
    [
      'a sort rule for an inactive layout',
      (setup) => void (setup.integrations[0]!.sortRules[0]!.layoutId = 'layout-old'),
      `${at}.sortRules.0: Rule 1: "Old Gear" is inactive.`,
    ],
    // Guard: clientSpaceNameSchema (what creating a client space produces: 1–200 characters).
    [
      'a client space name over 200 characters',
      (setup) => void (setup.clientSpaces[0]!.name = 'C'.repeat(201)),
      'clientSpaces.0.name: Client space names are at most 200 characters.',
    ],
    ['a blank client space name', (setup) => void (setup.clientSpaces[0]!.name = ' \t '), 'clientSpaces.0.name: A client space needs a name.'],
    // Guard: the match-state checks in planImport (the options page's decisions cannot say these).
    [
      'a matched company without its client space',
      (setup) => void delete setup.integrations[0]!.matches[0]!.clientSpaceId,
      `${at}.matches.0: a matched company needs its client space ("clientSpaceId").`,
    ],
    [
      'an unmatched company with a client space',
      (setup) => void (setup.integrations[0]!.matches[0]!.state = 'unmatched'),
      `${at}.matches.0: an unmatched company has no client space: remove "clientSpaceId" or make it "matched".`,
    ],
    // Guard: the repeats() checks in planImport (the last one would silently win).
    [
      'a company matched twice',
      (setup) => void setup.integrations[0]!.matches.push({ companyRemoteId: '250', state: 'unmatched' }),
      `${at}.matches.1: company 250 is also matches.0.`,
    ],
    [
      'one layout id twice',
      (setup) => void setup.layouts.push({ id: 'layout-gear', name: 'Switches', active: true, fields: [] }),
      'layouts.3.id: layout layout-gear is also layouts.0.',
    ],
    [
      'one field id twice in a layout',
      (setup) => void setup.layouts[1]!.fields.push({ id: 'field-toner', name: 'Drum' }),
      'layouts.1 (Printers).fields.1.id: field field-toner is also fields.0 of this layout.',
    ],
    [
      'one client space id twice',
      (setup) => void setup.clientSpaces.push({ id: 'space-1', name: 'Fabrikam' }),
      'clientSpaces.1.id: client space space-1 is also clientSpaces.0.',
    ],
    [
      'one integration twice',
      (setup) => void setup.integrations.push({ ...base().integrations[0]!, sortRules: [] }),
      `integrations.1 (${LABEL}): the same PSA and address as integrations.0; keep one.`,
    ],
    // Guard: the schema's field count, MAX_LAYOUT_FIELDS (the options page's message holds 100).
    [
      'a layout with 101 custom fields',
      (setup) => void (setup.layouts[0]!.fields = Array.from({ length: 101 }, (_, index) => ({ id: `f${index}`, name: `Field ${index}` }))),
      'layouts.0.fields: Too big: expected array to have <=100 items',
    ],
  ])('refuses %s', async (_case, change, message) => {
    const before = await dump(target);
    const error = await importSetup(target, file(change)).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string },
    );
    expect(error, 'the import was accepted').toBeDefined();
    expect(error!.code).toBe('invalid-file');
    expect(error!.message).toBe(message);
    expect(await dump(target)).toBe(before);
  });

  it('reports every problem at once, in the order of the file, and writes none of the rest', async () => {
    await target.integrations.add({ ...integration, id: 'halo', psa: 'halo', label: 'HaloPSA (acme)', uiOrigin: 'https://acme.halopsa.com' });
    const before = await dump(target);
    const text = file((setup) => {
      setup.layouts[0]!.name = 'N'.repeat(61);
      setup.layouts[1]!.fields.push({ id: 'field-toner-2', name: 'TONER' });
      setup.layouts.push({ id: 'layout-locations', name: 'Locations', active: false, fields: [] });
      setup.integrations[0]!.options!.syncLocations.locations = 'layout-gear'; // fine for this integration, not for Halo's (defaults)
      setup.integrations[0]!.sortRules.push({ typeName: ' FIREWALL', layoutId: 'layout-printers' });
      setup.integrations[0]!.matches[0]!.clientSpaceId = 'missing-space';
    });
    const error = (await importSetup(target, text).catch((caught: unknown) => caught)) as Error;
    expect(error.message.split('\n')).toEqual([
      `layouts.0 (${'N'.repeat(39)}…).name: Layout names are at most 60 characters.`,
      'layouts.1 (Printers).fields.1: The field "TONER" appears twice.',
      'layouts.3 (Locations).active: "Locations" is where HaloPSA (acme) files sites: choose another sync location first.',
      `${at}.sortRules.1: Rules 1 and 2 are both for "FIREWALL": the first would always win.`,
      `${at}.matches.0: client space missing-space is neither in the file nor here.`,
    ]);
    expect(await dump(target)).toBe(before);
  });

  it('lists 20 problems and counts the rest', async () => {
    const text = file((setup) => {
      setup.integrations[0]!.sortRules = Array.from({ length: 25 }, () => ({ typeName: 'Firewall', layoutId: 'layout-gear' }));
    });
    const lines = ((await importSetup(target, text).catch((caught: unknown) => caught)) as Error).message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(`${at}.sortRules.1: Rules 1 and 2 are both for "Firewall": the first would always win.`);
    expect(lines[20]).toBe('…and 4 more problems.');
  });
});

describe('setup import stores what the options page would store from the same input', () => {
  const twinOf = async () => {
    const twin = new SidecarDb(`setup-twin-${Math.random()}`);
    await twin.open();
    await twin.integrations.add({ ...integration, id: 'other-id' });
    await twin.records.add(contact('other-id', 'c1'));
    await twin.cursors.add({ integrationId: 'other-id', entity: 'contact', highWater: '2026-01-01T00:00:00Z', coveredCompanyIds: ['250'] });
    return twin;
  };
  const noSkip = { contacts: false, agreements: false, configurations: false, sites: false, inactiveConfigurations: false };

  // Guards: normaliseLayoutName, the rules and connections the validators return (trimmed, blank
  // sources dropped), tidySkip and applyOptionsChange in importSetup.
  it('names, rule types, connected fields and skip types tidied alike; skipped records archived and their cursor reset alike', async () => {
    const twin = await twinOf();
    try {
      // The options page, one save after another.
      const { layoutId } = await saveLayout(twin, { name: '  Network \t Gear ', active: true, fields: [{ name: ' Firmware ' }] });
      const fieldId = (await twin.layouts.get(layoutId))!.fields![0]!.id;
      await saveSortRules(twin, 'other-id', [{ typeName: ' Firewall ', layoutId }]);
      await saveConnectedFields(twin, 'other-id', [{ layoutId, fieldId, source: '   ' }]);
      await saveSyncOptions(twin, 'other-id', {
        skip: { ...noSkip, contacts: true, configurationTypes: [' Printer ', 'Printer', ''] },
        autoUpdateNames: true,
        autoArchiveDeletedDevices: true,
        keepCompanyDetails: false,
      });

      // The same input as a setup file.
      const setup = {
        format: 'sidecar-setup',
        version: 1,
        layouts: [{ id: layoutId, name: '  Network \t Gear ', active: true, fields: [{ id: fieldId, name: ' Firmware ' }] }],
        clientSpaces: [],
        integrations: [
          {
            psa: 'connectwise',
            uiOrigin: ORIGIN,
            label: LABEL,
            options: {
              syncLocations: { ...DEFAULT_SYNC_LOCATIONS },
              skip: { ...noSkip, contacts: true, configurationTypes: [' Printer ', 'Printer', ''] },
              autoUpdateNames: true,
              autoArchiveDeletedDevices: true,
              keepCompanyDetails: false,
              connectedFields: [{ layoutId, fieldId, source: '   ' }],
            },
            sortRules: [{ typeName: ' Firewall ', layoutId }],
            matches: [],
          },
        ],
      };
      await importSetup(target, JSON.stringify(setup), { now: 5 });

      const stored = async (db: SidecarDb) => ({
        layout: await db.layouts.get(layoutId).then((row) => row && { name: row.name, active: row.active, fields: row.fields }),
        rules: (await db.sortRules.toArray()).map(({ typeName, layoutId: to, order }) => ({ typeName, to, order })),
        options: (await db.integrations.get('other-id'))?.options,
        contact: await db.records.get(['other-id', 'contact', 'c1']).then((row) => row && { archivedReason: row.archivedReason, layoutId: row.layoutId }),
        cursors: await db.cursors.toArray(),
      });
      const imported = await stored(target);
      expect(imported).toEqual(await stored(twin));
      // And what that is, spelled out.
      expect(imported.layout).toEqual({ name: 'Network Gear', active: true, fields: [{ id: fieldId, name: 'Firmware' }] });
      expect(imported.rules).toEqual([{ typeName: 'Firewall', to: layoutId, order: 0 }]);
      expect(imported.options).toMatchObject({ connectedFields: [], skip: { contacts: true, configurationTypes: ['Printer'] } });
      expect(imported.contact).toEqual({ archivedReason: 'skipped', layoutId: 'layout-people' });
      expect(imported.cursors).toEqual([]);
    } finally {
      await twin.delete();
    }
  });

  it('deactivating a layout is fine when the same file moves the sync location off it', async () => {
    const text = JSON.stringify({
      format: 'sidecar-setup',
      version: 1,
      layouts: [
        { id: 'layout-people', name: 'People', active: false, fields: [] },
        { id: 'layout-staff', name: 'Staff', active: true, fields: [] },
      ],
      clientSpaces: [],
      integrations: [
        {
          psa: 'connectwise',
          uiOrigin: ORIGIN,
          label: LABEL,
          options: { syncLocations: { ...DEFAULT_SYNC_LOCATIONS, people: 'layout-staff' } },
          sortRules: [],
          matches: [],
        },
      ],
    });
    await expect(importSetup(target, text)).resolves.toMatchObject({ layouts: 2, integrations: 1, moved: 1 });
    expect((await target.records.get(['other-id', 'contact', 'c1']))?.layoutId).toBe('layout-staff'); // re-filed in the same transaction
  });

  // Guards: fitClientSpaceName in applyMatches (creation) and in exportSetup (rows created before it).
  it('client spaces named after a blank or very long PSA company name export and import again', async () => {
    const company = (remoteId: string, name: string): RecordRow => ({
      integrationId: 'cw',
      entity: 'company',
      remoteId,
      companyRemoteId: remoteId,
      data: { remoteId, name, types: [] } as RecordRow['data'],
      sortName: name,
      syncedAt: 1,
    });
    await source.records.bulkAdd([company('7', '   '), company('8', `Very ${'Long '.repeat(80)}Name`)]);
    await applyMatches(source, 'cw', [
      { companyRemoteId: '7', action: 'create' },
      { companyRemoteId: '8', action: 'create' },
    ]);
    const names = (await source.clientSpaces.toArray()).map((space) => space.name).sort();
    expect(names[0]).toBe('Company 7');
    expect(names[1]).toHaveLength(200);
    expect(names[1]).toMatch(/^Very Long Long .*…$/);
    // One an earlier version created before names were fitted: export fits it the same way.
    await source.clientSpaces.add({ id: 'space-old', name: `  Old ${'Name '.repeat(60)}`, createdAt: 1 });
    await expect(importSetup(target, JSON.stringify(await exportSetup(source)))).resolves.toMatchObject({ clientSpaces: 3 });
    expect((await target.clientSpaces.get('space-old'))?.name).toMatch(/^Old Name Name .{180,}…$/);
  });
});
