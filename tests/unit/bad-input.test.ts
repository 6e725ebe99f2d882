import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SYNC_LOCATIONS, SidecarDb } from '@/lib/db/schema';
import { saveIntegration } from '@/lib/integrations/service';
import { saveConnectedFields } from '@/lib/layouts/connected-fields';
import { saveLayout, saveSortRules, saveSyncLocations } from '@/lib/layouts/service';
import { channels } from '@/lib/messaging/protocol';
import { createRouter, type Handlers } from '@/lib/messaging/router';
import type { SenderFacts } from '@/lib/messaging/sender';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { FormValues } from '@/lib/psa/form';
import { formFor } from '@/lib/psa/forms';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import type { PsaAdapter, PsaKind } from '@/lib/psa/types';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { parseSetup } from '@/lib/setup/format';
import { importSetup } from '@/lib/setup/import';
import { saveSyncOptions } from '@/lib/sync/options-service';
import { saveSchedule } from '@/lib/sync/schedule';
import type { FaultSpec } from '../emulator/framework/faults.ts';
import { startHaloEmulator, type RunningHaloEmulator } from '../emulator/halo/start.ts';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../emulator/kaseya-bms/start.ts';

/**
 * Issue #6, bad input: what a user types in the options forms, a setup file from anywhere, a
 * malformed message and a PSA answer that is not what the vendor documents. Every case names
 * the message a user reads and the field it is shown at; where a write is involved, nothing is
 * half-saved (the stored tables are compared before and after).
 */

// ---------------------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------------------

const GUID = '1c2d3e4f-1111-2222-3333-444455556666';
const VALID_FORMS: Record<'connectwise' | 'halo' | 'kaseya-bms', FormValues> = {
  connectwise: { domain: 'na.myconnectwise.net', companyId: 'acme', publicKey: 'pub', privateKey: 'priv', clientId: GUID },
  halo: { resourceServer: 'https://acme.halopsa.com', tenant: 'acme', clientId: 'halo-id', clientSecret: 'halo-secret', authServer: '' },
  'kaseya-bms': { region: 'bms.kaseya.com', customDomain: '', tenant: 'Acme Managed IT LLC', username: 'api.user', password: 'pass word', apiUrl: '' },
};
type FormKind = keyof typeof VALID_FORMS;

const spec = (kind: PsaKind) => {
  const found = formFor(kind);
  if (!found) throw new Error(`no form for ${kind}`);
  return found;
};
const parseForm = (kind: FormKind, patch: FormValues) => spec(kind).parse({ ...VALID_FORMS[kind], ...patch });

/** Everything a save or an import could touch, as one comparable value. */
async function snapshot(db: SidecarDb): Promise<string> {
  const tables = [db.layouts, db.clientSpaces, db.integrations, db.secrets, db.sortRules, db.matches, db.preferences, db.records, db.cursors] as const;
  const rows = await Promise.all(tables.map((table) => (table as { toArray(): Promise<unknown[]> }).toArray()));
  return JSON.stringify(Object.fromEntries(tables.map((table, index) => [table.name, rows[index]])));
}

const newDb = async (prefix: string) => {
  const db = new SidecarDb(`${prefix}-${Math.random()}`);
  await db.open();
  return db;
};

// ---------------------------------------------------------------------------------------------
// 1. Options forms
// ---------------------------------------------------------------------------------------------

describe('options forms: each bad field gets its own message, at that field only', () => {
  const long = (length: number, char = 'k') => char.repeat(length);
  it.each<[string, FormKind, FormValues, string, RegExp]>([
    // ConnectWise
    ['ConnectWise: empty domain', 'connectwise', { domain: '' }, 'domain', /^Enter your ConnectWise domain, for example na\.myconnectwise\.net\.$/],
    ['ConnectWise: whitespace-only domain', 'connectwise', { domain: ' \t \n' }, 'domain', /^Enter your ConnectWise domain/],
    ['ConnectWise: a space inside the domain', 'connectwise', { domain: 'na.my connectwise.net' }, 'domain', /^The domain cannot contain spaces\.$/],
    ['ConnectWise: a no-break space (pasted from a document) inside the domain', 'connectwise', { domain: 'na.my\u00a0connectwise.net' }, 'domain', /cannot contain spaces/],
    ['ConnectWise: ftp:// scheme', 'connectwise', { domain: 'ftp://na.myconnectwise.net' }, 'domain', /^"ftp:\/\/" is not a web address\. Enter a domain such as na\.myconnectwise\.net\.$/],
    ['ConnectWise: a user name in the URL', 'connectwise', { domain: 'https://admin@na.myconnectwise.net/' }, 'domain', /without a user name/],
    ['ConnectWise: a single label, not a full domain', 'connectwise', { domain: 'myconnectwise' }, 'domain', /"myconnectwise" is not a full domain\. Enter it as it appears in your browser/],
    ['ConnectWise: an underscore in the host', 'connectwise', { domain: 'na_1.myconnectwise.net' }, 'domain', /"na_1\.myconnectwise\.net" is not a valid domain/],
    ['ConnectWise: a javascript: pseudo-URL', 'connectwise', { domain: 'javascript:alert(1)' }, 'domain', /is not a valid domain/],
    ['ConnectWise: a port out of range', 'connectwise', { domain: 'na.myconnectwise.net:99999' }, 'domain', /^99999 is not a port number \(1–65535\)\.$/],
    ['ConnectWise: a domain too long for DNS', 'connectwise', { domain: `${'a'.repeat(250)}.com` }, 'domain', /^That domain is too long: a domain has at most 253 characters\.$/],
    ['ConnectWise: an empty label (two dots)', 'connectwise', { domain: 'na..myconnectwise.net' }, 'domain', /"na\.\.myconnectwise\.net" is not a valid domain/],
    ['ConnectWise: a unicode (IDN) domain', 'connectwise', { domain: 'münchen.example.com' }, 'domain', /"münchen\.example\.com" is not a valid domain/],
    ['ConnectWise: empty company ID', 'connectwise', { companyId: '' }, 'companyId', /^Company ID is required\.$/],
    ['ConnectWise: company ID with a space', 'connectwise', { companyId: 'acme corp' }, 'companyId', /^Company ID cannot contain spaces\.$/],
    ['ConnectWise: company ID too long', 'connectwise', { companyId: long(101, 'c') }, 'companyId', /^Company ID is too long\.$/],
    ['ConnectWise: whitespace-only public key', 'connectwise', { publicKey: '  \n ' }, 'publicKey', /^Public key is required\.$/],
    ['ConnectWise: two keys pasted into the public key', 'connectwise', { publicKey: 'pubkey privkey' }, 'publicKey', /^Public key cannot contain spaces\.$/],
    ['ConnectWise: private key too long', 'connectwise', { privateKey: long(201) }, 'privateKey', /^Private key is too long\.$/],
    ['ConnectWise: a client ID that is not a GUID', 'connectwise', { clientId: 'my-client-id' }, 'clientId', /^Client ID is a GUID such as 1c2d3e4f-1111-2222-3333-444455556666, from developer\.connectwise\.com\.$/],
    ['ConnectWise: a GUID in braces', 'connectwise', { clientId: `{${GUID}}` }, 'clientId', /Client ID is a GUID/],
    ['ConnectWise: a GUID one character short', 'connectwise', { clientId: GUID.slice(1) }, 'clientId', /Client ID is a GUID/],
    // HaloPSA
    ['Halo: empty resource server', 'halo', { resourceServer: '' }, 'resourceServer', /^Enter the resource server, for example https:\/\/acme\.halopsa\.com\.$/],
    ['Halo: ftp:// resource server', 'halo', { resourceServer: 'ftp://acme.halopsa.com' }, 'resourceServer', /^"ftp:\/\/" is not a web address\. Enter something like https:\/\/acme\.halopsa\.com\.$/],
    ['Halo: a space inside the resource server', 'halo', { resourceServer: 'acme halopsa.com' }, 'resourceServer', /^The resource server cannot contain spaces\.$/],
    ['Halo: a bare word, not a full domain', 'halo', { resourceServer: 'acme' }, 'resourceServer', /"acme" is not a full domain/],
    ['Halo: a scheme and nothing else', 'halo', { resourceServer: 'https://' }, 'resourceServer', /^"https:\/\/" is not a valid address\.$/],
    ['Halo: a port out of range', 'halo', { resourceServer: 'acme.halopsa.com:99999' }, 'resourceServer', /"acme\.halopsa\.com:99999" is not a valid address/],
    ['Halo: credentials inside the URL', 'halo', { resourceServer: 'https://agent:secret@acme.halopsa.com' }, 'resourceServer', /without a user name or password/],
    ['Halo: a tenant with spaces', 'halo', { tenant: 'acme tenant' }, 'tenant', /^The tenant cannot contain spaces\.$/],
    ['Halo: empty client ID', 'halo', { clientId: '' }, 'clientId', /^Client ID is required\.$/],
    ['Halo: a client secret with a space inside', 'halo', { clientSecret: 'abc def' }, 'clientSecret', /^Client secret cannot contain spaces\.$/],
    ['Halo: client secret too long', 'halo', { clientSecret: long(501) }, 'clientSecret', /^Client secret is too long\.$/],
    ['Halo: ftp:// authorisation server', 'halo', { authServer: 'ftp://login.example.com/auth' }, 'authServer', /"ftp:\/\/" is not a web address\. Enter something like https:\/\/acme\.halopsa\.com\/auth/],
    // Kaseya BMS
    ['BMS: a URL where a server choice is expected', 'kaseya-bms', { region: 'https://bms.kaseya.com' }, 'region', /^Choose your BMS server or Custom domain\.$/],
    ['BMS: custom domain chosen but missing', 'kaseya-bms', { region: 'custom', customDomain: '' }, 'customDomain', /^Enter the custom domain, for example psa\.example\.com\.$/],
    ['BMS: a custom domain with a space', 'kaseya-bms', { region: 'custom', customDomain: 'psa example.com' }, 'customDomain', /^The custom domain cannot contain spaces\.$/],
    ['BMS: a custom domain that is not a full domain', 'kaseya-bms', { region: 'custom', customDomain: 'psa' }, 'customDomain', /"psa" is not a full domain/],
    ['BMS: whitespace-only tenant', 'kaseya-bms', { tenant: '   ' }, 'tenant', /^Tenant is required: the company name shown under My Settings in BMS\.$/],
    ['BMS: tenant too long', 'kaseya-bms', { tenant: long(201, 't') }, 'tenant', /^Tenant is too long\.$/],
    ['BMS: a user name with a space', 'kaseya-bms', { username: 'api user' }, 'username', /^The user name cannot contain spaces\.$/],
    ['BMS: empty password', 'kaseya-bms', { password: '' }, 'password', /^Password is required\.$/],
    ['BMS: ftp:// API address', 'kaseya-bms', { apiUrl: 'ftp://api.example.com' }, 'apiUrl', /"ftp:\/\/" is not a web address\. Enter something like https:\/\/api\.bms\.kaseya\.com/],
  ])('%s', (_case, kind, patch, field, message) => {
    const result = parseForm(kind, patch);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual([field]);
    expect(result.errors[field]).toMatch(message);
  });

  it.each<[string, FormKind, FormValues, Record<string, unknown>]>([
    ['ConnectWise: a full URL where the domain is expected is cut to the domain, with a note', 'connectwise', { domain: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US' }, { uiOrigin: 'https://na.myconnectwise.net', note: expect.stringMatching(/^Saved as na\.myconnectwise\.net: Sidecar needs only the domain\.$/) }],
    ['ConnectWise: http:// is upgraded, and the note says so', 'connectwise', { domain: 'http://manage.example.com' }, { uiOrigin: 'https://manage.example.com', note: expect.stringMatching(/always connects over HTTPS/) }],
    ['ConnectWise: the default port :443 is left out, as the browser reports the page', 'connectwise', { domain: 'https://na.myconnectwise.net:443/' }, { uiOrigin: 'https://na.myconnectwise.net', settings: { host: 'na.myconnectwise.net', scheme: 'https' }, note: expect.stringMatching(/^Saved as na\.myconnectwise\.net: Sidecar needs only the domain\.$/) }],
    ['ConnectWise: a protocol-relative paste (//host) is the host over HTTPS', 'connectwise', { domain: '//na.myconnectwise.net' }, { uiOrigin: 'https://na.myconnectwise.net', settings: { host: 'na.myconnectwise.net', scheme: 'https' } }],
    ['ConnectWise: the api- host is turned into the web host', 'connectwise', { domain: 'api-na.myconnectwise.net' }, { uiOrigin: 'https://na.myconnectwise.net', note: expect.stringMatching(/Sidecar finds the API host itself/) }],
    ['ConnectWise: upper case, surrounding spaces and a trailing dot', 'connectwise', { domain: '  NA.MyConnectWise.net.\n' }, { uiOrigin: 'https://na.myconnectwise.net', settings: { host: 'na.myconnectwise.net' } }],
    ['ConnectWise: keys pasted with spaces, tabs and a newline are trimmed', 'connectwise', { publicKey: ' pub\n', privateKey: '\tpriv \r\n', clientId: ` ${GUID.toUpperCase()}\n`, companyId: ' acme ' }, { credentials: { publicKey: 'pub', privateKey: 'priv', clientId: GUID.toUpperCase() }, settings: { companyId: 'acme' } }],
    ['Halo: the /api address copied from Halo is the web app', 'halo', { resourceServer: 'https://acme.halopsa.com/api/' }, { uiOrigin: 'https://acme.halopsa.com', note: expect.stringMatching(/Sidecar adds \/api itself/) }],
    ['Halo: a unicode (IDN) domain is kept in its browser (punycode) form', 'halo', { resourceServer: 'münchen.example.com' }, { uiOrigin: 'https://xn--mnchen-3ya.example.com' }],
    ['Halo: full-width letters typed with an IME become ASCII', 'halo', { resourceServer: 'ａｃｍｅ.halopsa.com' }, { uiOrigin: 'https://acme.halopsa.com' }],
    ['Halo: a zero-width space pasted after the domain is dropped', 'halo', { resourceServer: 'acme.halopsa.com\u200b' }, { uiOrigin: 'https://acme.halopsa.com' }],
    ['Halo: client ID and secret pasted with whitespace are trimmed', 'halo', { clientId: ' halo-id\n', clientSecret: '\thalo-secret \r\n' }, { credentials: { clientId: 'halo-id', clientSecret: 'halo-secret' } }],
    ['Halo: a blank tenant is left out (self-hosted)', 'halo', { tenant: '   ' }, { settings: { resourceOrigin: 'https://acme.halopsa.com' } }],
    ['Halo: an authorisation server without a path gets /auth', 'halo', { authServer: 'login.example.com' }, { settings: { authServer: 'https://login.example.com/auth' }, origins: ['https://acme.halopsa.com', 'https://login.example.com'] }],
    ['BMS: a full URL as custom domain is cut to its origin, with a note', 'kaseya-bms', { region: 'custom', customDomain: 'https://psa.example.com/react/servicedesk/tickets' }, { uiOrigin: 'https://psa.example.com', note: 'Saved as https://psa.example.com.' }],
    ['BMS: the user name is trimmed; the tenant keeps its inner spaces', 'kaseya-bms', { username: ' api.user\n', tenant: '  Acme Managed IT LLC ' }, { credentials: { username: 'api.user' }, settings: { tenant: 'Acme Managed IT LLC' } }],
  ])('accepts and normalises %s', (_case, kind, patch, expected) => {
    const result = parseForm(kind, patch);
    expect(result).toMatchObject({ ok: true, value: expected });
    if (kind === 'halo' && patch.tenant?.trim() === '') expect(result.ok && result.value.settings).not.toHaveProperty('tenant');
  });

  /** The overlay finds an integration by the page's origin (lib/overlay-view/view.ts): a saved origin must be one a browser reports. */
  const browserOrigin = (origin: string) => new URL(origin).origin;
  it.each<[string, FormKind, FormValues]>([
    ['ConnectWise, a full URL', 'connectwise', { domain: 'https://na.myconnectwise.net/v2025_1/' }],
    ['Halo, a URL with a default port', 'halo', { resourceServer: 'https://acme.halopsa.com:443/' }],
    ['BMS, a custom domain with a default port', 'kaseya-bms', { region: 'custom', customDomain: 'https://psa.example.com:443' }],
  ])('every accepted address is a browser origin: %s', (_case, kind, patch) => {
    const result = parseForm(kind, patch);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.uiOrigin).toBe(browserOrigin(result.value.uiOrigin));
    for (const origin of result.value.origins) expect(origin).toBe(browserOrigin(origin));
  });

  it.each<[string, string]>([
    ['a URL with the default port :443', 'https://na.myconnectwise.net:443/'],
    ['a protocol-relative URL', '//na.myconnectwise.net'],
  ])('every accepted address is a browser origin: ConnectWise, %s', (_case, domain) => {
    const result = parseForm('connectwise', { domain });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.uiOrigin).toBe(browserOrigin(result.value.uiOrigin));
    for (const origin of result.value.origins) expect(origin).toBe(browserOrigin(origin));
  });
});

describe('saveIntegration refuses bad input and writes nothing', () => {
  let db: SidecarDb;
  let vault: Vault;
  let granted: boolean;
  const deps = () => ({ db, vault, hasHostPermission: async () => granted, now: () => 42 });

  beforeEach(async () => {
    db = await newDb('bad-integration');
    vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
    granted = true;
  });
  afterEach(async () => {
    await db.delete();
  });

  type SaveCase = {
    psa: PsaKind;
    form: FormValues;
    /** 'existing': a ConnectWise integration for na.myconnectwise.net is saved first. */
    given?: 'existing';
    edit?: 'existing' | 'removed';
    granted?: boolean;
    code: string;
    message: RegExp;
    fields?: Record<string, RegExp>;
  };
  it.each<[string, SaveCase]>([
    ['every bad ConnectWise field at once', {
      psa: 'connectwise', form: { ...VALID_FORMS.connectwise, domain: '', clientId: 'x', publicKey: 'a b' },
      code: 'invalid', message: /^Some fields need attention\.$/,
      fields: { domain: /Enter your ConnectWise domain/, clientId: /GUID/, publicKey: /cannot contain spaces/ },
    }],
    ['a Halo tenant with spaces', { psa: 'halo', form: { ...VALID_FORMS.halo, tenant: 'acme tenant' }, code: 'invalid', message: /Some fields need attention/, fields: { tenant: /tenant cannot contain spaces/ } }],
    ['a BMS custom domain left empty', { psa: 'kaseya-bms', form: { ...VALID_FORMS['kaseya-bms'], region: 'custom' }, code: 'invalid', message: /Some fields need attention/, fields: { customDomain: /Enter the custom domain/ } }],
    ['a PSA this version does not have', { psa: 'autotask' as PsaKind, form: VALID_FORMS.connectwise, code: 'invalid', message: /^autotask integrations are not available in this version\.$/ }],
    ['host permission not granted', {
      psa: 'connectwise', form: VALID_FORMS.connectwise, granted: false,
      code: 'permission-needed', message: /^Sidecar needs permission to open na\.myconnectwise\.net\. Click Save again and choose Allow\.$/,
      fields: { domain: /^Permission for na\.myconnectwise\.net was not granted\.$/ },
    }],
    ['a second integration for the same address (pasted as a URL)', {
      psa: 'connectwise', form: { ...VALID_FORMS.connectwise, domain: 'https://NA.myconnectwise.net/v2025_1/' }, given: 'existing',
      code: 'invalid', message: /Some fields need attention/, fields: { domain: /^na\.myconnectwise\.net is already configured \(ConnectWise \(na\.myconnectwise\.net\)\)\.$/ },
    }],
    ['an edit that breaks the domain keeps the saved integration as it was', {
      psa: 'connectwise', form: { ...VALID_FORMS.connectwise, domain: 'ftp://na.myconnectwise.net', publicKey: '', privateKey: '', clientId: '' }, edit: 'existing',
      code: 'invalid', message: /Some fields need attention/, fields: { domain: /"ftp:\/\/" is not a web address/ },
    }],
    ['an edit of an integration removed meanwhile', { psa: 'connectwise', form: VALID_FORMS.connectwise, edit: 'removed', code: 'not-found', message: /^That integration no longer exists\.$/ }],
    ['a domain too long for DNS', {
      psa: 'connectwise', form: { ...VALID_FORMS.connectwise, domain: `${'a'.repeat(250)}.com` },
      code: 'invalid', message: /^Some fields need attention\.$/, fields: { domain: /^That domain is too long: a domain has at most 253 characters\.$/ },
    }],
  ])('%s', async (_case, c) => {
    let integrationId: string | undefined;
    if (c.given === 'existing' || c.edit === 'existing') integrationId = (await saveIntegration(deps(), { psa: 'connectwise', form: VALID_FORMS.connectwise })).integration.id;
    if (c.edit === 'removed') integrationId = 'removed-meanwhile';
    const before = await snapshot(db);
    granted = c.granted ?? true;
    const error = await saveIntegration(deps(), { psa: c.psa, form: c.form, ...(c.edit ? { integrationId } : {}) }).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string; fields?: Record<string, string> },
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe(c.code);
    expect(error!.message).toMatch(c.message);
    if (c.fields) {
      expect(Object.keys(error!.fields ?? {}).sort()).toEqual(Object.keys(c.fields).sort());
      for (const [field, message] of Object.entries(c.fields)) expect(error!.fields![field], field).toMatch(message);
    } else {
      expect(error!.fields).toBeUndefined();
    }
    // Nothing half-saved: no integration row, no sealed credentials, nothing changed.
    expect(await snapshot(db)).toBe(before);
    if (!c.given && !c.edit) expect([await db.integrations.count(), await db.secrets.count()]).toEqual([0, 0]);
  });

});

// ---------------------------------------------------------------------------------------------
// 2. Setup imports
// ---------------------------------------------------------------------------------------------

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
        options: { syncLocations: { ...DEFAULT_SYNC_LOCATIONS }, autoUpdateNames: false, connectedFields: [{ layoutId: 'layout-gear', fieldId: 'field-firmware', source: 'Firmware Version' }] },
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
    await db.integrations.add({ id: 'cw', psa: 'connectwise', label: LABEL, settings: { host: 'na.myconnectwise.net' }, uiOrigin: ORIGIN, origins: [ORIGIN], createdAt: 1, options: { syncLocations: { ...DEFAULT_SYNC_LOCATIONS }, autoUpdateNames: true } });
    await db.clientSpaces.add({ id: 'space-home', name: 'Contoso', createdAt: 1 });
    await db.sortRules.add({ id: 'rule-home', integrationId: 'cw', order: 0, typeName: 'Server', layoutId: 'layout-configurations' });
    await db.matches.add({ integrationId: 'cw', companyRemoteId: '19', state: 'matched', clientSpaceId: 'space-home', decidedAt: 1 });
  });
  afterEach(async () => {
    await db.delete();
  });

  it('(control) the base file imports, so each case below fails for its one bad part', async () => {
    await expect(importSetup(db, file(() => {}))).resolves.toMatchObject({ layouts: 2, clientSpaces: 1, integrations: 1, notConfigured: [] });
  });

  const hudu = JSON.stringify({ companies: [{ id: 12, name: 'Northwind', slug: 'northwind', url: 'https://docs.example.com/c/northwind' }], assets: [], api_key: 'hudu_xxx' });
  const itGlue = JSON.stringify({ data: [{ id: '1', type: 'organizations', attributes: { name: 'Northwind', 'organization-type-name': 'Customer' } }], meta: { 'total-count': 1 } });
  const packageJson = JSON.stringify({ name: 'sidecar', version: '0.1.0', type: 'module', scripts: { build: 'wxt build' } });
  const NOT_JSON = /^This is not a Sidecar setup file: it is not JSON\.$/;
  const OTHER_TOOL = /^This is not a Sidecar setup file \(it has no "format": "sidecar-setup"\)\. Settings files of other tools cannot be imported\.$/;
  const where = `integrations\\.0 \\(${LABEL.replace(/[().]/g, '\\$&')}\\)`;

  const refusedImport = async (text: string) => {
    const before = await snapshot(db);
    const error = (await importSetup(db, text).then(() => undefined, (caught: unknown) => caught)) as { code: string; message: string } | undefined;
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
    ['layouts as an object instead of a list', file((setup) => void ((setup as Record<string, unknown>).layouts = { 'layout-gear': { name: 'Network Gear' } })), /^layouts: Invalid input: expected array, received object$/],
    ['a layout "active" of the wrong type', file((setup) => void (setup.layouts[0]!.active = 'yes')), /^layouts\.0\.active: Invalid input: expected boolean, received string$/],
    ['a layout name over 200 characters', file((setup) => void (setup.layouts[0]!.name = 'N'.repeat(201))), /^layouts\.0\.name: Too big: expected string to have <=200 characters$/],
    ['a layout with 101 custom fields', file((setup) => void (setup.layouts[0]!.fields = Array.from({ length: 101 }, (_, index) => ({ id: `f${index}`, name: `Field ${index}` })))), /^layouts\.0\.fields: Too big: expected array to have <=100 items$/],
    ['a client space id over 100 characters', file((setup) => void (setup.clientSpaces[0]!.id = 'x'.repeat(101))), /^clientSpaces\.0\.id: Too big: expected string to have <=100 characters$/],
    ['51 integrations', file((setup) => void (setup.integrations = Array.from({ length: 51 }, () => ({ ...base().integrations[0]! })))), /^integrations: Too big: expected array to have <=50 items$/],
    ['a PSA this version does not have', file((setup) => void (setup.integrations[0]!.psa = 'autotask')), /^integrations\.0\.psa: Invalid option: expected one of "connectwise"\|"halo"\|"kaseya-bms"$/],
    ['a domain where a web address is expected', file((setup) => void (setup.integrations[0]!.uiOrigin = 'na.myconnectwise.net')), /^integrations\.0\.uiOrigin: Invalid URL$/],
    ['a skip option of the wrong type', file((setup) => void (setup.integrations[0]!.options.skip = { contacts: 'no', agreements: false, configurations: false, sites: false, inactiveConfigurations: false, configurationTypes: [] })), /^integrations\.0\.options\.skip\.contacts: Invalid input: expected boolean, received string$/],
    ['a match state it does not know', file((setup) => void (setup.integrations[0]!.matches[0]!.state = 'maybe')), /^integrations\.0\.matches\.0\.state: Invalid option: expected one of "matched"\|"unmatched"$/],
  ])('refuses %s (the file alone says so: parseSetup gives the same message)', async (_case, text, message) => {
    const refused = await refusedImport(text);
    expect(refused).toMatch(message);
    expect(parseSetup(text)).toEqual({ ok: false, errors: [refused] });
  });

  it.each<[string, string, RegExp]>([
    ['a blank layout name', file((setup) => void (setup.layouts[1]!.name = ' \t ')), /^layouts\.1\.name: Give the layout a name\.$/],
    ['a rule for a layout that is nowhere', file((setup) => void (setup.integrations[0]!.sortRules[0]!.layoutId = 'missing-layout')), new RegExp(`^${where}\\.sortRules\\.0: layout missing-layout is neither in the file nor here\\.$`)],
    ['a rule for an inactive layout', file((setup) => void (setup.integrations[0]!.sortRules[0]!.layoutId = 'layout-old')), new RegExp(`^${where}\\.sortRules\\.0: Rule 1: "Old Gear" is inactive\\.$`)],
    ['a sync location that is nowhere', file((setup) => void ((setup.integrations[0]!.options.syncLocations as Record<string, string>).configurations = 'gone')), new RegExp(`^${where}\\.options\\.syncLocations\\.configurations: layout gone is neither in the file nor here\\.$`)],
    ['a connected field that is nowhere', file((setup) => void (setup.integrations[0]!.options.connectedFields = [{ layoutId: 'layout-gear', fieldId: 'no-such-field', source: 'VIP' }])), new RegExp(`^${where}\\.options\\.connectedFields\\.0: field no-such-field of layout layout-gear is neither in the file nor here\\.$`)],
    ['a match to a client space that is nowhere', file((setup) => void (setup.integrations[0]!.matches[0]!.clientSpaceId = 'missing-space')), new RegExp(`^${where}\\.matches\\.0: client space missing-space is neither in the file nor here\\.$`)],
    ['a match without a client space', file((setup) => void delete setup.integrations[0]!.matches[0]!.clientSpaceId), new RegExp(`^${where}\\.matches\\.0: a matched company needs its client space \\("clientSpaceId"\\)\\.$`)],
    ['two layouts with the same name (case and spaces aside)', file((setup) => void setup.layouts.push({ id: 'layout-gear-2', name: '  network GEAR ', active: true, fields: [] })), /^layouts\.2 \(network GEAR\)\.name: A layout named "Network Gear" already exists\.$/],
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

// ---------------------------------------------------------------------------------------------
// 3. Messages
// ---------------------------------------------------------------------------------------------

describe('messages: refused with a code and a specific reason, the handler never runs', () => {
  const self = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id' };
  const extensionPage: SenderFacts = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id', url: 'chrome-extension://sidecar-id/options.html' };
  const contentScript: SenderFacts = { id: 'sidecar-id', origin: 'https://na.myconnectwise.net', tab: { id: 7 }, frameId: 0, url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx' };
  const subFrame: SenderFacts = { ...contentScript, frameId: 3 };
  const otherExtension: SenderFacts = { id: 'another-extension', origin: 'chrome-extension://another-extension' };
  const webPage: SenderFacts = { origin: 'https://evil.example.com', tab: { id: 9 }, frameId: 0, url: 'https://evil.example.com/' };

  let called: ReturnType<typeof vi.fn>;
  let route: ReturnType<typeof createRouter>;
  beforeEach(() => {
    called = vi.fn(async () => {
      throw new Error('the handler ran');
    });
    route = createRouter(Object.fromEntries(Object.keys(channels).map((name) => [name, called])) as unknown as Handlers, () => self);
  });

  const many = <T>(count: number, item: T) => Array.from({ length: count }, () => item);
  const UNKNOWN = /^Unknown message\.$/;
  it.each<[string, () => unknown, SenderFacts, string, RegExp]>([
    ['a string instead of an envelope', () => 'integration.save', extensionPage, 'unknown-channel', UNKNOWN],
    ['null', () => null, extensionPage, 'unknown-channel', UNKNOWN],
    ['a list', () => [{ channel: 'vault.status', payload: {} }], extensionPage, 'unknown-channel', UNKNOWN],
    ['an envelope without a payload', () => ({ channel: 'vault.status' }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel that is a number', () => ({ channel: 42, payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel name over 100 characters', () => ({ channel: `vault.status${' '.repeat(100)}`, payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel that does not exist', () => ({ channel: 'secrets.dump', payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a prototype property as channel', () => ({ channel: '__proto__', payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['an id of the wrong type', () => ({ channel: 'integration.test', payload: { integrationId: 42 } }), extensionPage, 'invalid-request', /^Invalid integration\.test request: Invalid input: expected string, received number\.$/],
    ['an empty id', () => ({ channel: 'integration.remove', payload: { integrationId: '' } }), extensionPage, 'invalid-request', /^Invalid integration\.remove request: Too small: expected string to have >=1 characters\.$/],
    ['an id over 100 characters', () => ({ channel: 'integration.test', payload: { integrationId: 'i'.repeat(101) } }), extensionPage, 'invalid-request', /Too big: expected string to have <=100 characters/],
    ['a payload that is a string', () => ({ channel: 'sync.start', payload: 'all' }), extensionPage, 'invalid-request', /^Invalid sync\.start request: Invalid input: expected object, received string\.$/],
    ['a form value that is not text', () => ({ channel: 'integration.save', payload: { psa: 'connectwise', form: { ...VALID_FORMS.connectwise, companyId: 123 } } }), extensionPage, 'invalid-request', /expected string, received number/],
    ['a form with 21 fields', () => ({ channel: 'integration.save', payload: { psa: 'connectwise', form: Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`field${index}`, 'x'])) } }), extensionPage, 'invalid-request', /Too many fields/],
    ['a PSA this version does not have', () => ({ channel: 'integration.save', payload: { psa: 'autotask', form: {} } }), extensionPage, 'invalid-request', /expected one of "connectwise"\|"halo"\|"kaseya-bms"/],
    ['10,001 match decisions', () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: many(10_001, { companyRemoteId: '1', action: 'unmatched' }) } }), extensionPage, 'invalid-request', /Too big: expected array to have <=10000 items/],
    ['no match decisions', () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: [] } }), extensionPage, 'invalid-request', /Too small: expected array to have >=1 items/],
    ['a match decision of an unknown kind', () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: [{ companyRemoteId: '1', action: 'merge' }] } }), extensionPage, 'invalid-request', /^Invalid match\.apply request: /],
    ['501 sort rules', () => ({ channel: 'rules.save', payload: { integrationId: 'cw', rules: many(501, { typeName: 'Firewall', layoutId: 'layout-configurations' }) } }), extensionPage, 'invalid-request', /Too big: expected array to have <=500 items/],
    ['2,001 connected fields', () => ({ channel: 'fields.connect', payload: { integrationId: 'cw', connections: many(2001, { layoutId: 'l', fieldId: 'f', source: 's' }) } }), extensionPage, 'invalid-request', /Too big: expected array to have <=2000 items/],
    ['a layout name over 200 characters', () => ({ channel: 'layouts.save', payload: { layout: { name: 'L'.repeat(201), active: true, fields: [] } } }), extensionPage, 'invalid-request', /Too big: expected string to have <=200 characters/],
    ['a layout with 101 fields', () => ({ channel: 'layouts.save', payload: { layout: { name: 'Gear', active: true, fields: many(101, { name: 'f' }) } } }), extensionPage, 'invalid-request', /Too big: expected array to have <=100 items/],
    ['a sync interval of 0 hours', () => ({ channel: 'schedule.save', payload: { intervalHours: 0, quiet: null } }), extensionPage, 'invalid-request', /Too small: expected number to be >=1/],
    ['a sync interval of 1.5 hours', () => ({ channel: 'schedule.save', payload: { intervalHours: 1.5, quiet: null } }), extensionPage, 'invalid-request', /expected int, received number/],
    ['a quiet window from hour 24', () => ({ channel: 'schedule.save', payload: { intervalHours: 3, quiet: { fromHour: 24, toHour: 6 } } }), extensionPage, 'invalid-request', /Too big: expected number to be <=23/],
    ['a page record id over 64 characters', () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', id: '9'.repeat(65) } } }), contentScript, 'invalid-request', /^Invalid overlay\.forPage request: Too big: expected string to have <=64 characters\.$/],
    ['a company name hint over 200 characters', () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', hints: { companyName: 'C'.repeat(201) } } } }), contentScript, 'invalid-request', /Too big: expected string to have <=200 characters/],
    ['a page kind it does not know', () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'invoice' } } }), contentScript, 'invalid-request', /^Invalid overlay\.forPage request: Invalid option: expected one of /],
    ['a company id of the wrong type from the overlay', () => ({ channel: 'overlay.refresh', payload: { companyRemoteId: 250 } }), contentScript, 'invalid-request', /expected string, received number/],
    ['a content script saving an integration', () => ({ channel: 'integration.save', payload: { psa: 'connectwise', form: VALID_FORMS.connectwise } }), contentScript, 'forbidden', /^This context may not use integration\.save\.$/],
    ['a content script unlocking the vault', () => ({ channel: 'vault.unlock', payload: { passphrase: 'guess' } }), contentScript, 'forbidden', /^This context may not use vault\.unlock\.$/],
    ['a content script importing a setup', () => ({ channel: 'setup.import', payload: { text: '{}' } }), contentScript, 'forbidden', /^This context may not use setup\.import\.$/],
    ['a content script asking for a record link of any integration', () => ({ channel: 'records.link', payload: { integrationId: 'cw', entity: 'company', remoteId: '1' } }), contentScript, 'forbidden', /^This context may not use records\.link\.$/],
    ['a content script in a sub-frame', () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', id: '5' } } }), subFrame, 'forbidden', /^This context may not use overlay\.forPage\.$/],
    ['another extension', () => ({ channel: 'overlay.context', payload: {} }), otherExtension, 'forbidden', /^This context may not use overlay\.context\.$/],
    ['a web page', () => ({ channel: 'vault.status', payload: {} }), webPage, 'forbidden', /^This context may not use vault\.status\.$/],
  ])('refuses %s', async (_case, message, sender, code, reason) => {
    const reply = await route(message(), sender);
    expect(reply).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(reason) } });
    expect(called).not.toHaveBeenCalled();
  });

  it.each<[string, () => unknown]>([
    ['a setup file over 20 MB', () => ({ channel: 'setup.import', payload: { text: 'x'.repeat(20_000_001) } })],
    ['an empty passphrase', () => ({ channel: 'vault.unlock', payload: { passphrase: '' } })],
  ])('the reason for %s reads as one sentence', async (_case, message) => {
    const reply = await route(message(), extensionPage);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!reply.ok && reply.error.message).not.toMatch(/\.\.$/);
    expect(called).not.toHaveBeenCalled();
  });

  it('a form value over 2,000 characters is refused at its field', async () => {
    const reply = await route({ channel: 'integration.save', payload: { psa: 'connectwise', form: { ...VALID_FORMS.connectwise, privateKey: 'k'.repeat(2001) } } }, extensionPage);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect((!reply.ok && reply.error.fields?.privateKey) || '(no message at privateKey)').toMatch(/too long|at most|2000|2,000/i);
    expect(called).not.toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------------------------------------
// 4. PSA responses
// ---------------------------------------------------------------------------------------------

describe('PSA responses: a bad record is set aside with its reason, a bad body is a PsaError, never a crash', () => {
  let cw: RunningEmulator;
  let halo: RunningHaloEmulator;
  let bms: RunningKaseyaBms;
  beforeAll(async () => {
    [cw, halo, bms] = await Promise.all([
      startEmulator({ psa: 'connectwise', preset: 'tiny' }),
      startHaloEmulator({ preset: 'tiny', rateLimit: null }),
      startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([cw?.close(), halo?.close(), bms?.close()]);
  });

  const adapterFor = (psa: PsaKind): PsaAdapter => {
    const common = { retries: 0, timeoutMs: 5000 };
    if (psa === 'connectwise') {
      const creds = cw.credentials.valid;
      return new ConnectwiseAdapter({ ...common, settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId }, credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId } });
    }
    if (psa === 'halo') {
      const creds = halo.credentials.valid;
      return new HaloAdapter({ ...common, settings: { resourceOrigin: halo.baseUrl, ...(creds.tenant ? { tenant: creds.tenant } : {}) }, credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret } });
    }
    const creds = bms.credentials.valid;
    return new BmsAdapter({ ...common, settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant }, credentials: { username: creds.userName, password: creds.password } });
  };
  const control = (psa: PsaKind) => (psa === 'connectwise' ? cw.control : psa === 'halo' ? halo.control : bms.control);
  const LIST_PATH: Record<PsaKind, RegExp> = { connectwise: /\/company\/companies$/i, halo: /\/api\/client$/i, 'kaseya-bms': /\/crm\/accounts\/summary$/i };
  const TICKET_PATH: Record<PsaKind, RegExp> = { connectwise: /\/service\/tickets\/12345$/i, halo: /\/api\/tickets\/12345$/i, 'kaseya-bms': /\/servicedesk\/tickets\/12345$/i };

  /** Companies as each PSA sends them: the good one plus the given bad rows. */
  const companies = (psa: PsaKind, rows: unknown[]) => {
    if (psa === 'halo') return { record_count: rows.length, clients: rows };
    if (psa === 'kaseya-bms') return { success: true, error: null, totalRecords: rows.length, result: rows };
    return rows;
  };
  const NAME: Record<PsaKind, string> = { connectwise: 'name', halo: 'name', 'kaseya-bms': 'accountName' };
  const row = (psa: PsaKind, fields: Record<string, unknown>) => {
    const { name, ...rest } = fields;
    return 'name' in fields ? { ...rest, [NAME[psa]]: name } : rest;
  };

  type Rejection = { remoteId?: string; reason: RegExp };
  const rejectedCases: [string, PsaKind, Record<string, unknown> | null | string, Rejection][] = [];
  for (const psa of ['connectwise', 'halo', 'kaseya-bms'] as const) {
    rejectedCases.push(
      [`${psa}: a record with a string id`, psa, row(psa, { id: '77', name: 'String Id Ltd' }), { remoteId: '77', reason: /^id: Invalid input: expected number, received string$/ }],
      [`${psa}: a record without an id`, psa, row(psa, { name: 'No Id Ltd' }), { reason: /^id: Invalid input: expected number, received undefined$/ }],
      [`${psa}: a record with a null name`, psa, row(psa, { id: 78, name: null }), { remoteId: '78', reason: new RegExp(`^${NAME[psa]}: Invalid input: expected string, received null$`) }],
    );
  }
  rejectedCases.push(['connectwise: null in the list', 'connectwise', null, { reason: /^record: Invalid input: expected object, received null$/ }]);
  rejectedCases.push(['connectwise: a string in the list', 'connectwise', 'Northwind', { reason: /^record: Invalid input: expected object, received string$/ }]);

  it.each(rejectedCases)('sets aside %s and keeps the good ones', async (_case, psa, bad, rejection) => {
    control(psa).injectFault({ path: LIST_PATH[psa], status: 200, body: companies(psa, [row(psa, { id: 70, name: 'Good Ltd' }), bad]) });
    try {
      const page = await adapterFor(psa).listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
      expect(page.records.map((record) => [record.remoteId, (record as { name?: string }).name])).toEqual([['70', 'Good Ltd']]);
      expect(page.rejected).toEqual([{ ...(rejection.remoteId ? { remoteId: rejection.remoteId } : {}), reason: expect.stringMatching(rejection.reason) }]);
    } finally {
      control(psa).clearFaults();
    }
  });

  const host = () => new URL(cw.baseUrl).host.replace(/[.]/g, '\\.');
  it.each<[string, PsaKind, 'list' | 'ticket', FaultSpec, string, RegExp | (() => RegExp)]>([
    ['ConnectWise: an object where a list is expected', 'connectwise', 'list', { status: 200, body: { companies: [] } }, 'bad-response', /^ConnectWise sent something other than a list for company\/companies\.$/],
    ['ConnectWise: JSON null', 'connectwise', 'list', { status: 200, body: 'null' }, 'bad-response', /something other than a list for company\/companies/],
    ['ConnectWise: an empty body', 'connectwise', 'list', { status: 200, body: '' }, 'bad-response', /^ConnectWise sent a response that is not JSON for company\/companies\.$/],
    ['ConnectWise: an HTML page with 200', 'connectwise', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for company\/companies/],
    ['ConnectWise: a truncated body', 'connectwise', 'list', { malformed: 'truncated' }, 'bad-response', /not JSON for company\/companies/],
    ['ConnectWise: plain text instead of JSON', 'connectwise', 'list', { status: 200, malformed: 'non-json' }, 'bad-response', /not JSON for company\/companies/],
    ['ConnectWise: an HTML 503 from a proxy', 'connectwise', 'list', { malformed: 'html' }, 'server', () => new RegExp(`^${host()} answered with a server error \\(HTTP 503\\)\\.$`)],
    ['ConnectWise: a ticket with a string id and no company', 'connectwise', 'ticket', { status: 200, body: { id: 'abc', summary: 5 } }, 'bad-response', /^ConnectWise sent an unreadable ticket #12345\.$/],
    ['Halo: a bare list instead of the {record_count, clients} wrapper', 'halo', 'list', { status: 200, body: [{ id: 1, name: 'Northwind' }] }, 'bad-response', /^Halo sent an unexpected Client list \(no record_count\/clients\)\.$/],
    ['Halo: clients as an object', 'halo', 'list', { status: 200, body: { record_count: 1, clients: { id: 1, name: 'Northwind' } } }, 'bad-response', /unexpected Client list/],
    ['Halo: an empty body', 'halo', 'list', { status: 200, body: '' }, 'bad-response', /^Halo sent a response that is not JSON for Client\.$/],
    ['Halo: an HTML page with 200', 'halo', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for Client/],
    ['Halo: a ticket without a client', 'halo', 'ticket', { status: 200, body: { id: 12345, summary: 'Printer' } }, 'bad-response', /^HaloPSA sent an unreadable ticket #12345\.$/],
    ['BMS: an object where a list is expected', 'kaseya-bms', 'list', { status: 200, body: { success: true, error: null, result: { id: 1 } } }, 'bad-response', /^BMS sent something other than a list\.$/],
    ['BMS: an empty body', 'kaseya-bms', 'list', { status: 200, body: '' }, 'bad-response', /^BMS sent a response that is not JSON for v2\/crm\/accounts\/summary\.$/],
    ['BMS: an HTML page with 200', 'kaseya-bms', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for v2\/crm\/accounts\/summary/],
    ['BMS: success false with the reason', 'kaseya-bms', 'list', { status: 200, body: { success: false, result: null, error: { message: 'Query timeout expired' } } }, 'bad-response', /^BMS could not answer v2\/crm\/accounts\/summary: Query timeout expired$/],
    ['BMS: a ticket with an account id of the wrong type', 'kaseya-bms', 'ticket', { status: 200, body: { success: true, error: null, result: { id: 12345, title: 'Printer', accountId: 'Northwind' } } }, 'bad-response', /^Kaseya BMS sent an unreadable ticket 12345\.$/],
  ])('%s', async (_case, psa, call, fault, code, message) => {
    control(psa).injectFault({ path: call === 'list' ? LIST_PATH[psa] : TICKET_PATH[psa], ...fault });
    try {
      const adapter = adapterFor(psa);
      const error = await (call === 'list' ? adapter.listPage('company', { pageToken: null, since: null, companyRemoteIds: null }) : adapter.getTicket('12345')).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(PsaError);
      expect((error as PsaError).code).toBe(code);
      expect((error as PsaError).message).toMatch(typeof message === 'function' ? message() : message);
    } finally {
      control(psa).clearFaults();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Layouts, rules, connected fields, schedule and sync options
// ---------------------------------------------------------------------------------------------

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
    ['a layout without a name', (d) => saveLayout(d, { name: '', active: true, fields: [] }), 'invalid', /^Give the layout a name\.$/, { name: /^Give the layout a name\.$/ }],
    ['a layout named only with spaces and a tab', (d) => saveLayout(d, { name: ' \t  ', active: true, fields: [] }), 'invalid', /^Give the layout a name\.$/, { name: /Give the layout a name/ }],
    ['a layout name of 61 characters', (d) => saveLayout(d, { name: 'L'.repeat(61), active: true, fields: [] }), 'invalid', /^Layout names are at most 60 characters\.$/, { name: /^At most 60 characters\.$/ }],
    ['a layout whose field appears twice (case and spaces aside)', (d) => saveLayout(d, { name: 'Printers', active: true, fields: [{ name: 'Toner' }, { name: ' toner ' }] }), 'invalid', /^The field "toner" appears twice\.$/, { fields: /^"toner" appears twice\.$/ }],
    ['a new layout with the name of another (case and spaces aside)', (d) => saveLayout(d, { name: ' network   GEAR ', active: true, fields: [] }), 'invalid', /^A layout named "Network Gear" already exists\.$/, { name: /^That name is taken\.$/ }],
    ['an edit of a layout removed meanwhile', (d) => saveLayout(d, { id: 'gone', name: 'Gone', active: true, fields: [] }), 'not-found', /^That layout no longer exists\.$/, undefined],
    ['turning off a layout in use as a sync location', async (d) => saveLayout(d, { id: 'layout-people', name: 'People', active: false, fields: [] }), 'invalid', /^"People" is where CW files contacts: choose another sync location first\.$/, { active: /^In use as a sync location\.$/ }],
    ['a sort rule without a type', (d, ids) => saveSortRules(d, 'cw', [{ typeName: 'Switch', layoutId: ids.gear }, { typeName: '   ', layoutId: ids.gear }]), 'invalid', /^Rule 2 has no type\.$/, { 'rule-1': /^Enter a type\.$/ }],
    ['a sort rule to a layout that no longer exists', (d) => saveSortRules(d, 'cw', [{ typeName: 'Switch', layoutId: 'gone' }]), 'invalid', /^Rule 1 points to a layout that no longer exists\.$/, { 'rule-0': /^Choose a layout\.$/ }],
    ['a sort rule to an inactive layout', (d, ids) => saveSortRules(d, 'cw', [{ typeName: 'Switch', layoutId: ids.old }]), 'invalid', /^Rule 1: "Old Gear" is inactive\.$/, { 'rule-0': /^Choose an active layout\.$/ }],
    ['two sort rules for one type (case and spaces aside)', (d, ids) => saveSortRules(d, 'cw', [{ typeName: 'Access Point', layoutId: ids.gear }, { typeName: ' access   POINT', layoutId: 'layout-configurations' }]), 'invalid', /^Rules 1 and 2 are both for "access   POINT": the first would always win\.$/, { 'rule-1': /^Same type as rule 1\.$/ }],
    ['sort rules for an integration removed meanwhile', (d, ids) => saveSortRules(d, 'gone', [{ typeName: 'Switch', layoutId: ids.gear }]), 'not-found', /^That integration no longer exists\.$/, undefined],
    ['a connection to a layout field that no longer exists', (d, ids) => saveConnectedFields(d, 'cw', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' }, { layoutId: ids.gear, fieldId: 'gone', source: 'Serial' }]), 'invalid', /^One connection is not valid: nothing was saved\.$/, { '{gear}:gone': /^That layout field no longer exists\.$/ }],
    ['one layout field connected twice', (d, ids) => saveConnectedFields(d, 'cw', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' }, { layoutId: ids.gear, fieldId: ids.firmware, source: 'BIOS' }]), 'invalid', /nothing was saved/, { '{gear}:{firmware}': /^"Firmware" is connected twice: keep one\.$/ }],
    ['a PSA field name over 200 characters', (d, ids) => saveConnectedFields(d, 'cw', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'F'.repeat(201) }]), 'invalid', /nothing was saved/, { '{gear}:{firmware}': /^At most 200 characters\.$/ }],
    ['connected fields for an integration removed meanwhile', (d, ids) => saveConnectedFields(d, 'gone', [{ layoutId: ids.gear, fieldId: ids.firmware, source: 'Firmware' }]), 'not-found', /^That integration no longer exists\.$/, undefined],
    ['a quiet window that starts and ends at one hour', (d) => saveSchedule(d, { intervalHours: 3, quiet: { fromHour: 8, toHour: 8 } }), 'invalid', /^The quiet window starts and ends at the same hour: choose different hours, or no quiet window\.$/, { quiet: /^Start and end are the same\.$/ }],
    ['an inactive layout as sync location', (d, ids) => saveSyncLocations(d, 'cw', { ...DEFAULT_SYNC_LOCATIONS, configurations: ids.old }), 'invalid', /^Choose active layouts for every sync location\.$/, { configurations: /^"Old Gear" is inactive: only active layouts can be sync locations\.$/ }],
    ['sync options for an integration removed meanwhile', (d) => saveSyncOptions(d, 'gone', { skip: noSkip, autoUpdateNames: true, autoArchiveDeletedDevices: false, keepCompanyDetails: false }), 'not-found', /^That integration no longer exists\.$/, undefined],
  ])('refuses %s', async (_case, run, code, message, fields) => {
    const ids = { gear, firmware, old };
    const before = await snapshot(db);
    const error = (await run(db, ids).then(() => undefined, (caught: unknown) => caught)) as { code: string; message: string; fields?: Record<string, string> } | undefined;
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
