// Over 300 lines on purpose: every ConnectWise adapter behaviour against the emulator (auth, paging, conditions, normalisation, errors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalConfiguration, CanonicalContact, CanonicalRecord, PageResult } from '@/lib/psa/types';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';

let emulator: RunningEmulator;
const hostOf = (url: string) => new URL(url).host;

function adapter(credentials = emulator.credentials.valid, overrides: { host?: string; companyId?: string } = {}) {
  return new ConnectwiseAdapter({
    settings: { host: overrides.host ?? hostOf(emulator.baseUrl), scheme: 'http', companyId: overrides.companyId ?? credentials.companyId },
    credentials: { publicKey: credentials.publicKey, privateKey: credentials.privateKey, clientId: credentials.clientId },
    retries: 0,
    timeoutMs: 5000,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
afterAll(async () => {
  await emulator.close();
});

describe('ConnectWise testConnection', () => {
  it('reports the company and version and discovers the codebase', async () => {
    const info = await adapter().testConnection();
    expect(info.companyName).toBeTruthy();
    expect(info.version).toMatch(/^v\d{4}\./);
    expect(info.settingsPatch).toEqual({ codebase: expect.stringMatching(/^v[0-9a-z_]+\/$/i) });
  });

  it.each([
    ['wrong keys', () => adapter({ ...emulator.credentials.valid, privateKey: 'wrong' }), 'auth', /rejected the API keys \(401\)/],
    [
      'unknown company',
      () => adapter(emulator.credentials.valid, { companyId: 'nosuchcompany' }),
      'company-not-found',
      /does not know the company ID "nosuchcompany"/,
    ],
    ['unreachable host', () => adapter(emulator.credentials.valid, { host: '127.0.0.1:9' }), 'unreachable', /Could not reach 127\.0\.0\.1:9/],
    ['missing security modules', () => adapter(emulator.credentials.limited), 'permission', /Company Maintenance.*Configurations/],
  ])('%s gives a specific error', async (_name, make, code, message) => {
    const error = await make()
      .testConnection()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaError);
    expect((error as PsaError).code).toBe(code);
    expect((error as PsaError).message).toMatch(message);
  });
});

describe('ConnectWise listPage', () => {
  it('lists every company once across keyset pages, with the total for progress', async () => {
    const cw = adapter();
    emulator.control.resetRequestLog();
    const page = await cw.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    const expected = emulator.data.companies.rows.length;
    expect(page.total).toBe(expected);
    // The count and the page: two API requests (the login lookup before them finds the API's address), which the page says.
    expect(
      emulator.control
        .requests()
        .filter((request) => request.path.includes('/apis/'))
        .map((request) => request.path.split('/').slice(-2).join('/')),
    ).toEqual(['companies/count', 'company/companies']);
    expect(page.requests).toBe(2);
    expect(new Set(page.records.map((record) => record.remoteId)).size).toBe(expected);
    expect(page.records[0]).toMatchObject({ remoteId: expect.any(String), name: expect.any(String), updatedAt: expect.stringMatching(/Z$/) });
  });

  it('filters children to the companies asked for and maps them to canonical records', async () => {
    const cw = adapter();
    const companyId = String(emulator.data.companies.rows[0]!.id);
    const contacts = await cw.listPage('contact', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect(contacts.records.length).toBeGreaterThan(0);
    expect(contacts.records.every((record) => (record as CanonicalContact).companyRemoteId === companyId)).toBe(true);
    const configurations = await cw.listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect((configurations.records[0] as CanonicalConfiguration).typeName).toBeTruthy();
    const sites = await cw.listPage('site', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    expect(sites.records.length).toBeGreaterThan(0);
  });

  it('returns only records changed since a time', async () => {
    const cw = adapter();
    const target = emulator.data.companies.rows[1]!;
    const before = emulator.control.now().toISOString();
    emulator.control.mutate.renameCompany(target.id, 'Renamed Co');
    const page = await cw.listPage('company', { pageToken: null, since: before, companyRemoteIds: null });
    expect(page.records.map((record) => record.remoteId)).toEqual([String(target.id)]);
    expect(page.records[0]).toMatchObject({ name: 'Renamed Co' });
  });

  it('sets aside a record that breaks the schema and keeps the rest', async () => {
    const cw = adapter();
    emulator.control.injectFault({ path: /company\/companies$/i, body: JSON.stringify([{ id: 1, name: 'Good' }, { id: 'x' }, { id: 3 }]), status: 200 });
    const page = await cw.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    emulator.control.clearFaults();
    expect(page.records.map((record) => record.remoteId)).toContain('1');
    expect(page.rejected).toEqual([
      { remoteId: 'x', reason: expect.stringMatching(/^id:/) },
      { remoteId: '3', reason: expect.stringMatching(/^name:/) },
    ]);
  });

  it('reads an optional field sent as null as absent, keeping the record (#16: the spec does not promise nulls are omitted)', async () => {
    const cw = adapter();
    emulator.control.injectFault({
      path: /company\/companies$/i,
      status: 200,
      body: JSON.stringify([
        {
          id: 1,
          name: 'Nulls Inc',
          identifier: null,
          status: null,
          addressLine1: null,
          city: null,
          website: null,
          types: null,
          customFields: null,
          _info: null,
        },
        { id: 2, name: null },
      ]),
    });
    const companies = await cw.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    emulator.control.clearFaults();
    expect(companies.records).toEqual([expect.objectContaining({ remoteId: '1', name: 'Nulls Inc' })]);
    expect((companies.records[0] as { address?: string }).address).toBeUndefined();
    // A required field sent as null is still missing.
    expect(companies.rejected).toEqual([{ remoteId: '2', reason: expect.stringMatching(/^name: .*received null/) }]);

    const companyId = String(emulator.data.companies.rows[0]!.id);
    const company = { id: Number(companyId), name: 'Acme', identifier: null };
    emulator.control.injectFault({
      path: /company\/contacts$/i,
      status: 200,
      body: JSON.stringify([
        {
          id: 500,
          firstName: 'Ann',
          lastName: null,
          company,
          title: null,
          inactiveFlag: null,
          communicationItems: [{ value: 'ann@acme.example', defaultFlag: null, communicationType: 'Email' }],
        },
      ]),
    });
    const contacts = await cw.listPage('contact', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    emulator.control.clearFaults();
    expect(contacts.records).toEqual([expect.objectContaining({ remoteId: '500', name: 'Ann', email: 'ann@acme.example' })]);

    emulator.control.injectFault({
      path: /company\/configurations$/i,
      status: 200,
      body: JSON.stringify([
        {
          id: 70,
          name: 'NULL-PC',
          type: { id: 1, name: 'Workstation' },
          company,
          status: null,
          site: null,
          contact: null,
          serialNumber: null,
          ipAddress: null,
          questions: null,
        },
      ]),
    });
    const configurations = await cw.listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    emulator.control.clearFaults();
    expect(configurations.rejected).toEqual([]);
    expect(configurations.records).toEqual([expect.objectContaining({ remoteId: '70', name: 'NULL-PC', typeName: 'Workstation' })]);
  });

  it('reads a site’s state sent as plain text and `inactive` in place of `inactiveFlag`', async () => {
    const cw = adapter();
    const companyId = String(emulator.data.companies.rows[0]!.id);
    emulator.control.injectFault({
      path: new RegExp(`company/companies/${companyId}/sites$`, 'i'),
      status: 200,
      body: JSON.stringify([
        { id: 9, name: 'Old Warehouse', addressLine1: '1 Dock Rd', city: 'Albany', state: 'NY', stateReference: null, zip: '12207', inactive: true },
      ]),
    });
    const sites = await cw.listPage('site', { pageToken: null, since: null, companyRemoteIds: [companyId] });
    emulator.control.clearFaults();
    expect(sites.records).toEqual([expect.objectContaining({ remoteId: '9', address: '1 Dock Rd, Albany, NY 12207', inactive: true })]);
  });

  it('surfaces a 429 beyond our retries as rate-limited with a retry time', async () => {
    const cw = adapter();
    emulator.control.injectFault({ path: /company\/contacts$/i, status: 429, headers: { 'Retry-After': '120' }, times: 5 });
    const error = (await cw.listPage('contact', { pageToken: null, since: null, companyRemoteIds: ['1'] }).catch((caught: unknown) => caught)) as PsaError;
    emulator.control.clearFaults();
    expect(error.code).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThan(Date.now() + 100_000);
  });

  it('resolves a ticket to its company', async () => {
    const ticket = emulator.data.tickets.rows[0]!;
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toMatchObject({ ticketId: String(ticket.id), companyRemoteId: String((ticket.company as { id: number }).id) });
    await expect(adapter().getTicket('99999999')).rejects.toMatchObject({ code: 'not-found', message: 'Ticket #99999999 was not found in ConnectWise.' });
  });
});

describe('ConnectWise fields (what a layout custom field can show)', () => {
  type Row = Record<string, unknown>;
  const allCompanies = () => emulator.data.companies.rows.map((row) => String(row.id));
  const customValue = (row: Row, caption: string) => (row.customFields as Row[] | undefined)?.find((field) => field.caption === caption)?.value;
  /** Every page of a pass over all companies (sites are read company by company). */
  async function listed(entity: 'company' | 'contact' | 'configuration' | 'site') {
    const cw = adapter();
    const records = new Map<string, CanonicalRecord>();
    let pageToken: string | null = null;
    do {
      const page: PageResult = await cw.listPage(entity, { pageToken, since: null, companyRemoteIds: allCompanies() });
      expect(page.rejected).toEqual([]);
      for (const record of page.records) records.set(record.remoteId, record);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return records;
  }

  it('configurations carry their properties, question answers and custom fields as display text', async () => {
    const configurations = await listed('configuration');
    const rows = emulator.data.configurations.rows;
    const answered = rows.find((row) =>
      (row.questions as Row[] | undefined)?.some((question) => question.fieldType === 'Checkbox' && question.answer !== undefined),
    )!;
    const questions = answered.questions as Row[];
    const checkbox = questions.find((question) => question.fieldType === 'Checkbox')!;
    const textQuestion = questions.find((question) => question.fieldType === 'Text')!;
    expect(configurations.get(String(answered.id))!.fields).toMatchObject({
      [textQuestion.question as string]: textQuestion.answer,
      [checkbox.question as string]: checkbox.answer ? 'Yes' : 'No',
      Manufacturer: (answered.manufacturer as { name: string }).name,
      'Purchase Date': (answered.purchaseDate as string).slice(0, 10),
      'Warranty Expiration': (answered.warrantyExpirationDate as string).slice(0, 10),
      'Default Gateway': answered.defaultGateway,
      'Backup Plan': customValue(answered, 'Backup Plan'),
      Monitored: customValue(answered, 'Monitored') ? 'Yes' : 'No',
    });

    const costed = rows.find((row) => customValue(row, 'Monthly Cost') !== undefined && customValue(row, 'Go-Live Date') !== undefined)!;
    expect(configurations.get(String(costed.id))!.fields).toMatchObject({
      'Monthly Cost': (customValue(costed, 'Monthly Cost') as number).toFixed(2),
      'Go-Live Date': (customValue(costed, 'Go-Live Date') as string).slice(0, 10),
    });
    const tagged = rows.find((row) => row.tagNumber)!;
    expect(configurations.get(String(tagged.id))!.fields!['Tag Number']).toBe(tagged.tagNumber);

    // Empty values are left out: "" properties, custom fields without a value, unanswered questions.
    const bare = rows.find((row) => row.tagNumber === '' && customValue(row, 'Backup Plan') === undefined)!;
    const bareFields = configurations.get(String(bare.id))!.fields!;
    for (const label of ['Tag Number', 'Vendor Notes', 'Backup Plan', 'Monitored', 'Go-Live Date', 'Monthly Cost', 'Antivirus', 'Firmware Version'])
      expect(bareFields).not.toHaveProperty(label);
    expect(bareFields.Manufacturer).toBeTruthy();
  });

  it('contacts, sites and companies carry their custom fields; a record with none has no fields key', async () => {
    const [contacts, sites, companies] = await Promise.all([listed('contact'), listed('site'), listed('company')]);
    expect(sites.size).toBe(emulator.data.sites.rows.length);
    const vip = emulator.data.contacts.rows.find((row) => customValue(row, 'VIP') === true)!;
    expect(contacts.get(String(vip.id))!.fields).toEqual({ 'Preferred Contact Method': customValue(vip, 'Preferred Contact Method'), VIP: 'Yes' });
    const plain = emulator.data.contacts.rows.find((row) => customValue(row, 'Preferred Contact Method') === undefined)!;
    expect(contacts.get(String(plain.id))).not.toHaveProperty('fields');

    const site = emulator.data.sites.rows.find((row) => customValue(row, 'After-hours Access') !== undefined)!;
    expect(sites.get(String(site.id))!.fields).toEqual({ 'After-hours Access': customValue(site, 'After-hours Access') });
    const plainSite = emulator.data.sites.rows.find((row) => customValue(row, 'After-hours Access') === undefined)!;
    expect(sites.get(String(plainSite.id))).not.toHaveProperty('fields');

    const company = emulator.data.companies.rows[0]!;
    // ITGlue has no value (ConnectWise omits it), so only the region shows.
    expect(companies.get(String(company.id))!.fields).toEqual({ Region: customValue(company, 'Region') });
  });

  it('reads values by their type and drops a malformed custom field without rejecting the record', async () => {
    const target = emulator.data.configurations.rows[0]!;
    emulator.control.mutate.update('configuration', target.id, {
      tagNumber: '  ASSET-0042 ',
      vendorNotes: '',
      notes: 'Rack 2, shelf 3',
      warrantyExpirationDate: '2027-03-31T00:00:00Z',
      vendor: { id: 103, identifier: 'Ingram', name: 'Ingram Micro' },
      questions: [
        { questionId: 1, question: 'Antivirus', fieldType: 'Text', answer: 'SentinelOne' },
        { questionId: 2, question: 'Disk Encrypted', fieldType: 'Checkbox', answer: false },
        { questionId: 7, question: 'Rack Units', fieldType: 'Number', numberOfDecimals: 0, answer: 2 },
        { questionId: 8, question: 'Unanswered', fieldType: 'Text' },
        { questionId: 9, fieldType: 'Text', answer: 'no question text' },
      ],
      customFields: [
        { id: 31, caption: 'Backup Plan', type: 'Text', entryMethod: 'List', numberOfDecimals: 0, value: 'Cloud only' },
        { id: 34, caption: 'Monthly Cost', type: 'Currency', entryMethod: 'EntryField', numberOfDecimals: 2, value: 1200 },
        { id: 33, caption: 'Go-Live Date', type: 'Date', entryMethod: 'Date', numberOfDecimals: 0, value: '2025-06-30T00:00:00Z' },
        { id: 32, caption: 'Monitored', type: 'Checkbox', entryMethod: 'Option', numberOfDecimals: 0, value: false },
        { id: 36, caption: 'Discount', type: 'Percent', entryMethod: 'EntryField', numberOfDecimals: 'two', value: 12.5 },
        { id: 37, caption: 'Empty', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0, value: '   ' },
        { id: 35, caption: 42, type: 'Text', value: 'malformed: caption is no text' },
        'not a custom field',
        null,
      ],
    });
    const page = await adapter().listPage('configuration', { pageToken: null, since: null, companyRemoteIds: [String((target.company as { id: number }).id)] });
    expect(page.rejected).toEqual([]);
    const fields = page.records.find((record) => record.remoteId === String(target.id))!.fields!;
    expect(fields).toMatchObject({
      'Tag Number': 'ASSET-0042',
      Vendor: 'Ingram Micro',
      Notes: 'Rack 2, shelf 3',
      'Warranty Expiration': '2027-03-31',
      Antivirus: 'SentinelOne',
      'Disk Encrypted': 'No',
      'Rack Units': '2',
      'Backup Plan': 'Cloud only',
      'Monthly Cost': '1200.00',
      'Go-Live Date': '2025-06-30',
      Monitored: 'No',
      Discount: '12.5',
    });
    for (const label of ['Vendor Notes', 'Unanswered', 'Empty', '42']) expect(fields).not.toHaveProperty(label);
    expect(Object.values(fields)).not.toContain('no question text');
    expect(Object.values(fields)).not.toContain('malformed: caption is no text');
  });

  it('asks for these properties in the fields projection', async () => {
    emulator.control.resetRequestLog();
    await adapter().listPage('configuration', { pageToken: null, since: null, companyRemoteIds: allCompanies() });
    const list = emulator.control.requests().find((request) => /company\/configurations$/i.test(request.path))!;
    const fields = list.query.fields!.split(',');
    expect(fields).toEqual(expect.arrayContaining(['tagNumber', 'warrantyExpirationDate', 'manufacturer/name', 'vendor/name', 'questions', 'customFields']));
  });
});

describe('ConnectWise ticket: contact, configurations and agreement', () => {
  type Ref = { id: number };
  const CONFIGS = /\/service\/tickets\/\d+\/configurations$/i;
  const linkedIds = (ticketId: number) => emulator.data.ticketConfigurations.get(ticketId) ?? [];
  /** A service ticket with a contact, an agreement and at least two configurations. */
  const fullTicket = () => emulator.data.tickets.rows.find((row) => row.contact && row.agreement && linkedIds(row.id).length >= 2)!;
  /** A service ticket with neither an agreement nor a configuration. */
  const bareTicket = () => emulator.data.tickets.rows.find((row) => !row.agreement && linkedIds(row.id).length === 0)!;

  it('reads the contact and agreement from the ticket and the configurations from /service/tickets/{id}/configurations', async () => {
    const ticket = fullTicket();
    const companyId = (ticket.company as Ref).id;
    emulator.control.resetRequestLog();
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toEqual({
      ticketId: String(ticket.id),
      summary: ticket.summary,
      companyRemoteId: String(companyId),
      companyName: (ticket.company as { name: string }).name,
      contactRemoteId: String((ticket.contact as Ref).id),
      configurationRemoteIds: linkedIds(ticket.id).map(String),
      agreementRemoteId: String((ticket.agreement as Ref).id),
    });
    // The records it names are the company's own, so the overlay finds them among the synced ones.
    expect((emulator.data.agreements.get(Number(info.agreementRemoteId))!.company as Ref).id).toBe(companyId);
    for (const id of info.configurationRemoteIds!) expect((emulator.data.configurations.get(Number(id))!.company as Ref).id).toBe(companyId);
    expect((emulator.data.contacts.get(Number(info.contactRemoteId))!.company as Ref).id).toBe(companyId);

    const requests = emulator.control.requests();
    const ticketCall = requests.find((request) => new RegExp(`/service/tickets/${ticket.id}$`).test(request.path))!;
    expect(ticketCall.query.fields!.split(',')).toEqual(expect.arrayContaining(['company', 'contact', 'agreement']));
    expect(requests.filter((request) => CONFIGS.test(request.path))).toHaveLength(1);
  });

  it('leaves out the keys a ticket has no value for', async () => {
    const ticket = bareTicket();
    const info = await adapter().getTicket(String(ticket.id));
    expect(info.contactRemoteId).toBe(String((ticket.contact as Ref).id));
    expect(info).not.toHaveProperty('configurationRemoteIds');
    expect(info).not.toHaveProperty('agreementRemoteId');

    // ConnectWise omits null references: a ticket without a contact has no `contact` key.
    emulator.control.injectFault({
      path: new RegExp(`/service/tickets/${ticket.id}$`),
      status: 200,
      body: { id: ticket.id, summary: 'No contact', company: ticket.company },
    });
    const noContact = await adapter().getTicket(String(ticket.id));
    emulator.control.clearFaults();
    expect(noContact).toEqual({
      ticketId: String(ticket.id),
      summary: 'No contact',
      companyRemoteId: String((ticket.company as Ref).id),
      companyName: (ticket.company as { name: string }).name,
    });
  });

  it('a ticket whose summary is null is found, without a summary', async () => {
    const ticket = bareTicket();
    emulator.control.injectFault({
      path: new RegExp(`/service/tickets/${ticket.id}$`),
      status: 200,
      body: { id: ticket.id, summary: null, company: ticket.company, contact: null, agreement: null },
    });
    const info = await adapter().getTicket(String(ticket.id));
    emulator.control.clearFaults();
    expect(info).toEqual({
      ticketId: String(ticket.id),
      companyRemoteId: String((ticket.company as Ref).id),
      companyName: (ticket.company as { name: string }).name,
    });
  });

  it('reads a malformed contact or agreement reference as absent instead of failing the ticket', async () => {
    const ticket = fullTicket();
    emulator.control.injectFault({
      path: new RegExp(`/service/tickets/${ticket.id}$`),
      status: 200,
      body: { id: ticket.id, company: ticket.company, contact: { name: 'no id' }, agreement: 'Managed Services' },
    });
    const info = await adapter().getTicket(String(ticket.id));
    emulator.control.clearFaults();
    expect(info).not.toHaveProperty('contactRemoteId');
    expect(info).not.toHaveProperty('agreementRemoteId');
    expect(info.configurationRemoteIds).toEqual(linkedIds(ticket.id).map(String));
  });

  it.each([
    ['a 403 (no right to read them)', { status: 403, body: { code: 'Unauthorized', message: 'You do not have access to the Configurations module.' } }],
    ['a 404', { status: 404, body: { code: 'NotFound', message: 'Not found' } }],
    ['a 500', { status: 500, times: 5 }],
    ['a 429', { status: 429, headers: { 'Retry-After': '60' }, times: 5 }],
    ['an object instead of a list', { status: 200, body: { code: 'Odd' } }],
    ['a truncated body', { malformed: 'truncated' as const }],
    ['an HTML error page', { malformed: 'html' as const }],
  ])('still returns the ticket, without configurations, when the configurations call gives %s', async (_what, fault) => {
    const ticket = fullTicket();
    emulator.control.injectFault({ path: CONFIGS, ...fault });
    const info = await adapter().getTicket(String(ticket.id));
    emulator.control.clearFaults();
    expect(info).toMatchObject({
      ticketId: String(ticket.id),
      contactRemoteId: String((ticket.contact as Ref).id),
      agreementRemoteId: String((ticket.agreement as Ref).id),
    });
    expect(info).not.toHaveProperty('configurationRemoteIds');
  });

  it('keeps the well-formed rows of a configurations list and drops the rest', async () => {
    const ticket = fullTicket();
    emulator.control.injectFault({ path: CONFIGS, status: 200, body: [{ id: 7, name: 'A' }, { name: 'no id' }, 'x', { id: 7 }, { id: 9 }] });
    const info = await adapter().getTicket(String(ticket.id));
    emulator.control.clearFaults();
    expect(info.configurationRemoteIds).toEqual(['7', '9']);
  });

  it('an auth failure on the configurations call still fails the lookup', async () => {
    const ticket = fullTicket();
    emulator.control.injectFault({ path: CONFIGS, status: 401, body: { code: 'Unauthorized', message: 'Invalid credentials' } });
    const error = await adapter()
      .getTicket(String(ticket.id))
      .catch((caught: unknown) => caught);
    emulator.control.clearFaults();
    expect(error).toMatchObject({ code: 'auth' });
  });

  it('a project ticket names its contact and agreement but no configurations (none documented)', async () => {
    const ticket = emulator.data.projectTickets.rows.find((row) => row.agreement)!;
    const info = await adapter().getTicket(String(ticket.id));
    expect(info).toMatchObject({
      ticketId: String(ticket.id),
      companyRemoteId: String((ticket.company as Ref).id),
      contactRemoteId: String((ticket.contact as Ref).id),
      agreementRemoteId: String((ticket.agreement as Ref).id),
    });
    expect(info).not.toHaveProperty('configurationRemoteIds');
  });
});
