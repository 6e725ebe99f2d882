// Over 300 lines on purpose: tables of bad inputs (forms, PSA answers), one row per case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PsaError } from '@/lib/psa/errors';
import type { FormValues } from '@/lib/psa/form';
import { formFor } from '@/lib/psa/forms';
import type { PsaKind } from '@/lib/psa/types';
import type { FaultSpec } from '../../emulator/framework/faults.ts';
import type { Emulator } from '../../support/psa-case.ts';
import { PSA_CASES } from '../../support/psa-cases/index.ts';
import { GUID, VALID_FORMS, type FormKind } from '../../support/bad-input.ts';

/**
 * Issue #6, bad input: what a user types in the options forms, and a PSA answer that is not what the vendor documents. Every case names the message a user reads and the field it is
 * shown at; where a write is involved, nothing is half-saved (the stored tables are compared
 * before and after; fixtures in tests/support/bad-input.ts).
 */

const spec = (kind: PsaKind) => {
  const found = formFor(kind);
  if (!found) throw new Error(`no form for ${kind}`);
  return found;
};
const parseForm = (kind: FormKind, patch: FormValues) => spec(kind).parse({ ...VALID_FORMS[kind], ...patch });

describe('options forms: each bad field gets its own message, at that field only', () => {
  const long = (length: number, char = 'k') => char.repeat(length);
  it.each<[string, FormKind, FormValues, string, RegExp]>([
    // ConnectWise
    ['ConnectWise: empty domain', 'connectwise', { domain: '' }, 'domain', /^Enter your ConnectWise domain, for example na\.myconnectwise\.net\.$/],
    ['ConnectWise: whitespace-only domain', 'connectwise', { domain: ' \t \n' }, 'domain', /^Enter your ConnectWise domain/],
    ['ConnectWise: a space inside the domain', 'connectwise', { domain: 'na.my connectwise.net' }, 'domain', /^The domain cannot contain spaces\.$/],
    [
      'ConnectWise: a no-break space (pasted from a document) inside the domain',
      'connectwise',
      { domain: 'na.my\u00a0connectwise.net' },
      'domain',
      /cannot contain spaces/,
    ],
    [
      'ConnectWise: ftp:// scheme',
      'connectwise',
      { domain: 'ftp://na.myconnectwise.net' },
      'domain',
      /^"ftp:\/\/" is not a web address\. Enter a domain such as na\.myconnectwise\.net\.$/,
    ],
    ['ConnectWise: a user name in the URL', 'connectwise', { domain: 'https://admin@na.myconnectwise.net/' }, 'domain', /without a user name/],
    [
      'ConnectWise: a single label, not a full domain',
      'connectwise',
      { domain: 'myconnectwise' },
      'domain',
      /"myconnectwise" is not a full domain\. Enter it as it appears in your browser/,
    ],
    [
      'ConnectWise: an underscore in the host',
      'connectwise',
      { domain: 'na_1.myconnectwise.net' },
      'domain',
      /"na_1\.myconnectwise\.net" is not a valid domain/,
    ],
    ['ConnectWise: a javascript: pseudo-URL', 'connectwise', { domain: 'javascript:alert(1)' }, 'domain', /is not a valid domain/],
    ['ConnectWise: a port out of range', 'connectwise', { domain: 'na.myconnectwise.net:99999' }, 'domain', /^99999 is not a port number \(1–65535\)\.$/],
    [
      'ConnectWise: a domain too long for DNS',
      'connectwise',
      { domain: `${'a'.repeat(250)}.com` },
      'domain',
      /^That domain is too long: a domain has at most 253 characters\.$/,
    ],
    [
      'ConnectWise: an empty label (two dots)',
      'connectwise',
      { domain: 'na..myconnectwise.net' },
      'domain',
      /"na\.\.myconnectwise\.net" is not a valid domain/,
    ],
    ['ConnectWise: a unicode (IDN) domain', 'connectwise', { domain: 'münchen.example.com' }, 'domain', /"münchen\.example\.com" is not a valid domain/],
    ['ConnectWise: empty company ID', 'connectwise', { companyId: '' }, 'companyId', /^Company ID is required\.$/],
    ['ConnectWise: company ID with a space', 'connectwise', { companyId: 'acme corp' }, 'companyId', /^Company ID cannot contain spaces\.$/],
    ['ConnectWise: company ID too long', 'connectwise', { companyId: long(101, 'c') }, 'companyId', /^Company ID is too long\.$/],
    ['ConnectWise: whitespace-only public key', 'connectwise', { publicKey: '  \n ' }, 'publicKey', /^Public key is required\.$/],
    ['ConnectWise: two keys pasted into the public key', 'connectwise', { publicKey: 'pubkey privkey' }, 'publicKey', /^Public key cannot contain spaces\.$/],
    ['ConnectWise: private key too long', 'connectwise', { privateKey: long(201) }, 'privateKey', /^Private key is too long\.$/],
    [
      'ConnectWise: a client ID that is not a GUID',
      'connectwise',
      { clientId: 'my-client-id' },
      'clientId',
      /^Client ID is a GUID such as 1c2d3e4f-1111-2222-3333-444455556666, from developer\.connectwise\.com\.$/,
    ],
    ['ConnectWise: a GUID in braces', 'connectwise', { clientId: `{${GUID}}` }, 'clientId', /Client ID is a GUID/],
    ['ConnectWise: a GUID one character short', 'connectwise', { clientId: GUID.slice(1) }, 'clientId', /Client ID is a GUID/],
    // HaloPSA
    [
      'Halo: empty resource server',
      'halo',
      { resourceServer: '' },
      'resourceServer',
      /^Enter the resource server, for example https:\/\/acme\.halopsa\.com\.$/,
    ],
    [
      'Halo: ftp:// resource server',
      'halo',
      { resourceServer: 'ftp://acme.halopsa.com' },
      'resourceServer',
      /^"ftp:\/\/" is not a web address\. Enter something like https:\/\/acme\.halopsa\.com\.$/,
    ],
    [
      'Halo: a space inside the resource server',
      'halo',
      { resourceServer: 'acme halopsa.com' },
      'resourceServer',
      /^The resource server cannot contain spaces\.$/,
    ],
    ['Halo: a bare word, not a full domain', 'halo', { resourceServer: 'acme' }, 'resourceServer', /"acme" is not a full domain/],
    ['Halo: a scheme and nothing else', 'halo', { resourceServer: 'https://' }, 'resourceServer', /^"https:\/\/" is not a valid address\.$/],
    ['Halo: a port out of range', 'halo', { resourceServer: 'acme.halopsa.com:99999' }, 'resourceServer', /"acme\.halopsa\.com:99999" is not a valid address/],
    [
      'Halo: credentials inside the URL',
      'halo',
      { resourceServer: 'https://agent:secret@acme.halopsa.com' },
      'resourceServer',
      /without a user name or password/,
    ],
    ['Halo: a tenant with spaces', 'halo', { tenant: 'acme tenant' }, 'tenant', /^The tenant cannot contain spaces\.$/],
    ['Halo: empty client ID', 'halo', { clientId: '' }, 'clientId', /^Client ID is required\.$/],
    ['Halo: a client secret with a space inside', 'halo', { clientSecret: 'abc def' }, 'clientSecret', /^Client secret cannot contain spaces\.$/],
    ['Halo: client secret too long', 'halo', { clientSecret: long(501) }, 'clientSecret', /^Client secret is too long\.$/],
    [
      'Halo: ftp:// authorisation server',
      'halo',
      { authServer: 'ftp://login.example.com/auth' },
      'authServer',
      /"ftp:\/\/" is not a web address\. Enter something like https:\/\/acme\.halopsa\.com\/auth/,
    ],
    // Kaseya BMS
    [
      'BMS: a URL where a server choice is expected',
      'kaseya-bms',
      { region: 'https://bms.kaseya.com' },
      'region',
      /^Choose your BMS server or Custom domain\.$/,
    ],
    [
      'BMS: custom domain chosen but missing',
      'kaseya-bms',
      { region: 'custom', customDomain: '' },
      'customDomain',
      /^Enter the custom domain, for example psa\.example\.com\.$/,
    ],
    [
      'BMS: a custom domain with a space',
      'kaseya-bms',
      { region: 'custom', customDomain: 'psa example.com' },
      'customDomain',
      /^The custom domain cannot contain spaces\.$/,
    ],
    ['BMS: a custom domain that is not a full domain', 'kaseya-bms', { region: 'custom', customDomain: 'psa' }, 'customDomain', /"psa" is not a full domain/],
    ['BMS: whitespace-only tenant', 'kaseya-bms', { tenant: '   ' }, 'tenant', /^Tenant is required: the company name shown under My Settings in BMS\.$/],
    ['BMS: tenant too long', 'kaseya-bms', { tenant: long(201, 't') }, 'tenant', /^Tenant is too long\.$/],
    ['BMS: a user name with a space', 'kaseya-bms', { username: 'api user' }, 'username', /^The user name cannot contain spaces\.$/],
    ['BMS: empty password', 'kaseya-bms', { password: '' }, 'password', /^Password is required\.$/],
    [
      'BMS: ftp:// API address',
      'kaseya-bms',
      { apiUrl: 'ftp://api.example.com' },
      'apiUrl',
      /"ftp:\/\/" is not a web address\. Enter something like https:\/\/api\.bms\.kaseya\.com/,
    ],
  ])('%s', (_case, kind, patch, field, message) => {
    const result = parseForm(kind, patch);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual([field]);
    expect(result.errors[field]).toMatch(message);
  });

  it.each<[string, FormKind, FormValues, Record<string, unknown>]>([
    [
      'ConnectWise: a full URL where the domain is expected is cut to the domain, with a note',
      'connectwise',
      { domain: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US' },
      { uiOrigin: 'https://na.myconnectwise.net', note: expect.stringMatching(/^Saved as na\.myconnectwise\.net: Sidecar needs only the domain\.$/) },
    ],
    [
      'ConnectWise: http:// is upgraded, and the note says so',
      'connectwise',
      { domain: 'http://manage.example.com' },
      { uiOrigin: 'https://manage.example.com', note: expect.stringMatching(/always connects over HTTPS/) },
    ],
    [
      'ConnectWise: the default port :443 is left out, as the browser reports the page',
      'connectwise',
      { domain: 'https://na.myconnectwise.net:443/' },
      {
        uiOrigin: 'https://na.myconnectwise.net',
        settings: { host: 'na.myconnectwise.net', scheme: 'https' },
        note: expect.stringMatching(/^Saved as na\.myconnectwise\.net: Sidecar needs only the domain\.$/),
      },
    ],
    [
      'ConnectWise: a protocol-relative paste (//host) is the host over HTTPS',
      'connectwise',
      { domain: '//na.myconnectwise.net' },
      { uiOrigin: 'https://na.myconnectwise.net', settings: { host: 'na.myconnectwise.net', scheme: 'https' } },
    ],
    [
      'ConnectWise: the api- host is turned into the web host',
      'connectwise',
      { domain: 'api-na.myconnectwise.net' },
      { uiOrigin: 'https://na.myconnectwise.net', note: expect.stringMatching(/Sidecar finds the API host itself/) },
    ],
    [
      'ConnectWise: upper case, surrounding spaces and a trailing dot',
      'connectwise',
      { domain: '  NA.MyConnectWise.net.\n' },
      { uiOrigin: 'https://na.myconnectwise.net', settings: { host: 'na.myconnectwise.net' } },
    ],
    [
      'ConnectWise: keys pasted with spaces, tabs and a newline are trimmed',
      'connectwise',
      { publicKey: ' pub\n', privateKey: '\tpriv \r\n', clientId: ` ${GUID.toUpperCase()}\n`, companyId: ' acme ' },
      { credentials: { publicKey: 'pub', privateKey: 'priv', clientId: GUID.toUpperCase() }, settings: { companyId: 'acme' } },
    ],
    [
      'Halo: the /api address copied from Halo is the web app',
      'halo',
      { resourceServer: 'https://acme.halopsa.com/api/' },
      { uiOrigin: 'https://acme.halopsa.com', note: expect.stringMatching(/Sidecar adds \/api itself/) },
    ],
    [
      'Halo: a unicode (IDN) domain is kept in its browser (punycode) form',
      'halo',
      { resourceServer: 'münchen.example.com' },
      { uiOrigin: 'https://xn--mnchen-3ya.example.com' },
    ],
    ['Halo: full-width letters typed with an IME become ASCII', 'halo', { resourceServer: 'ａｃｍｅ.halopsa.com' }, { uiOrigin: 'https://acme.halopsa.com' }],
    [
      'Halo: a zero-width space pasted after the domain is dropped',
      'halo',
      { resourceServer: 'acme.halopsa.com\u200b' },
      { uiOrigin: 'https://acme.halopsa.com' },
    ],
    [
      'Halo: client ID and secret pasted with whitespace are trimmed',
      'halo',
      { clientId: ' halo-id\n', clientSecret: '\thalo-secret \r\n' },
      { credentials: { clientId: 'halo-id', clientSecret: 'halo-secret' } },
    ],
    ['Halo: a blank tenant is left out (self-hosted)', 'halo', { tenant: '   ' }, { settings: { resourceOrigin: 'https://acme.halopsa.com' } }],
    [
      'Halo: an authorisation server without a path gets /auth',
      'halo',
      { authServer: 'login.example.com' },
      { settings: { authServer: 'https://login.example.com/auth' }, origins: ['https://acme.halopsa.com', 'https://login.example.com'] },
    ],
    [
      'BMS: a full URL as custom domain is cut to its origin, with a note',
      'kaseya-bms',
      { region: 'custom', customDomain: 'https://psa.example.com/react/servicedesk/tickets' },
      { uiOrigin: 'https://psa.example.com', note: 'Saved as https://psa.example.com.' },
    ],
    [
      'BMS: the user name is trimmed; the tenant keeps its inner spaces',
      'kaseya-bms',
      { username: ' api.user\n', tenant: '  Acme Managed IT LLC ' },
      { credentials: { username: 'api.user' }, settings: { tenant: 'Acme Managed IT LLC' } },
    ],
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

describe('PSA responses: a bad record is set aside with its reason, a bad body is a PsaError, never a crash', () => {
  const emulators = {} as Record<PsaKind, Emulator>;
  beforeAll(async () => {
    await Promise.all(Object.values(PSA_CASES).map(async (psa) => void (emulators[psa.kind] = await psa.start())));
  });
  afterAll(async () => {
    await Promise.all(Object.values(emulators).map((emu) => emu.close()));
  });

  const adapterFor = (psa: PsaKind) => emulators[psa].adapter({ retries: 0, timeoutMs: 5000 });
  const control = (psa: PsaKind) => emulators[psa];
  const LIST_PATH: Record<PsaKind, RegExp> = { connectwise: /\/company\/companies$/i, halo: /\/api\/client$/i, 'kaseya-bms': /\/crm\/accounts\/summary$/i };
  const TICKET_PATH: Record<PsaKind, RegExp> = {
    connectwise: /\/service\/tickets\/12345$/i,
    halo: /\/api\/tickets\/12345$/i,
    'kaseya-bms': /\/servicedesk\/tickets\/12345$/i,
  };

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
      [
        `${psa}: a record with a string id`,
        psa,
        row(psa, { id: '77', name: 'String Id Ltd' }),
        { remoteId: '77', reason: /^id: Invalid input: expected number, received string$/ },
      ],
      [`${psa}: a record without an id`, psa, row(psa, { name: 'No Id Ltd' }), { reason: /^id: Invalid input: expected number, received undefined$/ }],
      [
        `${psa}: a record with a null name`,
        psa,
        row(psa, { id: 78, name: null }),
        { remoteId: '78', reason: new RegExp(`^${NAME[psa]}: Invalid input: expected string, received null$`) },
      ],
    );
  }
  rejectedCases.push(['connectwise: null in the list', 'connectwise', null, { reason: /^record: Invalid input: expected object, received null$/ }]);
  rejectedCases.push([
    'connectwise: a string in the list',
    'connectwise',
    'Northwind',
    { reason: /^record: Invalid input: expected object, received string$/ },
  ]);

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

  const host = () => new URL(emulators.connectwise.baseUrl).host.replace(/[.]/g, '\\.');
  it.each<[string, PsaKind, 'list' | 'ticket', FaultSpec, string, RegExp | (() => RegExp)]>([
    [
      'ConnectWise: an object where a list is expected',
      'connectwise',
      'list',
      { status: 200, body: { companies: [] } },
      'bad-response',
      /^ConnectWise sent something other than a list for company\/companies\.$/,
    ],
    ['ConnectWise: JSON null', 'connectwise', 'list', { status: 200, body: 'null' }, 'bad-response', /something other than a list for company\/companies/],
    [
      'ConnectWise: an empty body',
      'connectwise',
      'list',
      { status: 200, body: '' },
      'bad-response',
      /^ConnectWise sent a response that is not JSON for company\/companies\.$/,
    ],
    ['ConnectWise: an HTML page with 200', 'connectwise', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for company\/companies/],
    ['ConnectWise: a truncated body', 'connectwise', 'list', { malformed: 'truncated' }, 'bad-response', /not JSON for company\/companies/],
    [
      'ConnectWise: plain text instead of JSON',
      'connectwise',
      'list',
      { status: 200, malformed: 'non-json' },
      'bad-response',
      /not JSON for company\/companies/,
    ],
    [
      'ConnectWise: an HTML 503 from a proxy',
      'connectwise',
      'list',
      { malformed: 'html' },
      'server',
      () => new RegExp(`^${host()} answered with a server error \\(HTTP 503\\)\\.$`),
    ],
    [
      'ConnectWise: a ticket with a string id and no company',
      'connectwise',
      'ticket',
      { status: 200, body: { id: 'abc', summary: 5 } },
      'bad-response',
      /^ConnectWise sent an unreadable ticket #12345\.$/,
    ],
    [
      'Halo: a bare list instead of the {record_count, clients} wrapper',
      'halo',
      'list',
      { status: 200, body: [{ id: 1, name: 'Northwind' }] },
      'bad-response',
      /^Halo sent an unexpected Client list \(no record_count\/clients\)\.$/,
    ],
    [
      'Halo: clients as an object',
      'halo',
      'list',
      { status: 200, body: { record_count: 1, clients: { id: 1, name: 'Northwind' } } },
      'bad-response',
      /unexpected Client list/,
    ],
    ['Halo: an empty body', 'halo', 'list', { status: 200, body: '' }, 'bad-response', /^Halo sent a response that is not JSON for Client\.$/],
    ['Halo: an HTML page with 200', 'halo', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for Client/],
    [
      'Halo: a ticket without a client',
      'halo',
      'ticket',
      { status: 200, body: { id: 12345, summary: 'Printer' } },
      'bad-response',
      /^HaloPSA sent an unreadable ticket #12345\.$/,
    ],
    [
      'BMS: an object where a list is expected',
      'kaseya-bms',
      'list',
      { status: 200, body: { success: true, error: null, result: { id: 1 } } },
      'bad-response',
      /^BMS sent something other than a list\.$/,
    ],
    [
      'BMS: an empty body',
      'kaseya-bms',
      'list',
      { status: 200, body: '' },
      'bad-response',
      /^BMS sent a response that is not JSON for v2\/crm\/accounts\/summary\.$/,
    ],
    ['BMS: an HTML page with 200', 'kaseya-bms', 'list', { status: 200, malformed: 'html' }, 'bad-response', /not JSON for v2\/crm\/accounts\/summary/],
    [
      'BMS: success false with the reason',
      'kaseya-bms',
      'list',
      { status: 200, body: { success: false, result: null, error: { message: 'Query timeout expired' } } },
      'bad-response',
      /^BMS could not answer v2\/crm\/accounts\/summary: Query timeout expired$/,
    ],
    [
      'BMS: a ticket with an account id of the wrong type',
      'kaseya-bms',
      'ticket',
      { status: 200, body: { success: true, error: null, result: { id: 12345, title: 'Printer', accountId: 'Northwind' } } },
      'bad-response',
      /^Kaseya BMS sent an unreadable ticket 12345\.$/,
    ],
  ])('%s', async (_case, psa, call, fault, code, message) => {
    control(psa).injectFault({ path: call === 'list' ? LIST_PATH[psa] : TICKET_PATH[psa], ...fault });
    try {
      const adapter = adapterFor(psa);
      const error = await (
        call === 'list' ? adapter.listPage('company', { pageToken: null, since: null, companyRemoteIds: null }) : adapter.getTicket('12345')
      ).then(
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
