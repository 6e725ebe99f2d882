// The ConnectWise ticket writer (#16) against the emulator: form lists, refusals, the exact request, create, retry by marker, write rights.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import type { ConnectwiseCreatedTicket } from '@/lib/psa/connectwise/tickets';
import { PsaError } from '@/lib/psa/errors';
import type { TicketDraft, TicketFormChoices } from '@/lib/psa/ticket-writer';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { cwSpecAvailable, cwSpecErrors } from '../../emulator/connectwise/spec-check.ts';
import type { CwRecord } from '../../emulator/connectwise/store.ts';

let emulator: RunningEmulator;
let form: TicketFormChoices;

function adapter(options: { timeoutMs?: number; credentials?: RunningEmulator['credentials']['valid'] } = {}) {
  const credentials = options.credentials ?? emulator.credentials.valid;
  return new ConnectwiseAdapter({
    settings: { host: new URL(emulator.baseUrl).host, scheme: 'http', companyId: credentials.companyId },
    credentials: { publicKey: credentials.publicKey, privateKey: credentials.privateKey, clientId: credentials.clientId },
    retries: 0,
    timeoutMs: options.timeoutMs ?? 5000,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  form = await adapter().tickets.formChoices();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => emulator.control.clearFaults());

const company = () => emulator.data.companies.rows[0] as CwRecord;
const contact = () => emulator.data.contacts.children(company().id)[0] as CwRecord;
const configurations = () => emulator.data.configurations.children(company().id).slice(0, 2);
let markers = 0;

function draft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  const marker = overrides.marker ?? `sidecar-${++markers}-${Date.now().toString(36)}`;
  return {
    companyRemoteId: String(company().id),
    contactRemoteId: String(contact().id),
    configurationRemoteIds: configurations().map((c) => String(c.id)),
    title: 'Outlook asks for the password again',
    details: `Since this morning, on every start.\n\n[${marker}]`,
    fields: { board: '1', status: '12', type: '102', priority: '9', source: '2', owner: '161' },
    openDate: '2026-11-01T09:30:00Z',
    marker,
    ...overrides,
  };
}

const choiceNames = (key: string) => (form.choices[key] ?? []).map((c) => c.name);

describe('formChoices', () => {
  it('board (the queue, required), its statuses and types, priority, source, owner', () => {
    expect(form.fields.map((f) => [f.key, f.variable, f.required, f.dependsOn])).toEqual([
      ['board', 'queue', true, undefined],
      ['status', 'ticketStatus', false, 'board'],
      ['type', 'ticketType', false, 'board'],
      ['priority', 'priority', false, undefined],
      ['source', 'ticketSource', false, undefined],
      ['owner', 'assignee', false, undefined],
    ]);
    // Inactive and project boards, inactive statuses and types, API and inactive members are left out.
    expect(choiceNames('board')).toEqual(['01 - Help Desk', '02 - Onsite']);
    expect(form.choices.status!.filter((s) => s.parentId === '1').map((s) => s.name)).toEqual([
      'New',
      'In Progress',
      'Scheduled',
      'Waiting on Client',
      '>Closed',
    ]);
    expect(form.choices.status!.find((s) => s.parentId === '2' && s.name === 'New')).toEqual({ id: '21', name: 'New', parentId: '2', isDefault: true });
    expect(form.choices.type!.filter((t) => t.parentId === '2').map((t) => t.name)).toEqual(['Installation', 'Onsite Visit']);
    expect(choiceNames('status')).not.toContain('zz Old - do not use');
    expect(form.choices.priority!.find((p) => p.isDefault)?.name).toBe('P3 - Normal');
    expect(choiceNames('source')).toContain('Email');
    expect(choiceNames('owner')).toEqual(['Ray Baker', 'Lena Chen', 'Jane Doe', 'Mo Khan']); // by last name
  });

  it('without the right to read members, the form has no owner field (and still loads)', async () => {
    emulator.control.injectFault({
      path: '/system/members',
      status: 403,
      body: { code: 'Unauthorized', message: 'You do not have access to the System module.' },
    });
    const limited = await adapter().tickets.formChoices();
    expect(limited.fields.map((f) => f.key)).toEqual(['board', 'status', 'type', 'priority', 'source']);
    expect(limited.choices.owner).toBeUndefined();
  });

  it('a refused board list fails the form with the permission error', async () => {
    emulator.control.injectFault({ path: '/service/boards', status: 403, body: { code: 'Unauthorized', message: 'No access to Service Boards.' } });
    await expect(adapter().tickets.formChoices()).rejects.toMatchObject({ code: 'permission' });
  });
});

describe('validate', () => {
  const writer = () => adapter().tickets;

  it('a complete draft passes', () => {
    expect(writer().validate(draft(), form)).toEqual({});
    expect(writer().validate(draft({ contactRemoteId: undefined, configurationRemoteIds: [], fields: { board: '2' } }), form)).toEqual({});
  });

  it.each<[string, Partial<TicketDraft>, string, RegExp]>([
    ['an empty summary', { title: '  ' }, 'title', /Enter a summary/],
    ['a summary over 100 characters', { title: 'x'.repeat(101) }, 'title', /at most 100 characters.*has 101/],
    ['no board', { fields: { priority: '9' } }, 'board', /Choose a board/],
    ['a board not in the list', { fields: { board: '4' } }, 'board', /not in ConnectWise's list/],
    ["another board's status", { fields: { board: '1', status: '21' } }, 'status', /"New" is not a status of the board "01 - Help Desk"/],
    ["another board's type", { fields: { board: '1', type: '201' } }, 'type', /"Onsite Visit" is not a type of the board/],
    ['an unknown priority', { fields: { board: '1', priority: '77' } }, 'priority', /not in ConnectWise's list/],
    ['a company without a ConnectWise id', { companyRemoteId: 'abc' }, 'company', /no ConnectWise company id/],
    ['a contact without a ConnectWise id', { contactRemoteId: 'x1' }, 'contact', /no ConnectWise contact id/],
    ['a configuration without a ConnectWise id', { configurationRemoteIds: ['60001', 'cfg'] }, 'configurations', /"cfg" is not a ConnectWise configuration id/],
    ['a marker longer than externalXRef', { marker: 'm'.repeat(101) }, 'marker', /1 to 100 characters/],
    ['a marker with a quote', { marker: 'a"b' }, 'marker', /without quotes/],
  ])('refuses %s', (_name, overrides, key, message) => {
    const problems = writer().validate(draft(overrides), form);
    expect(Object.keys(problems)).toEqual([key]);
    expect(problems[key]).toMatch(message);
  });

  it('refuses a field the form could not load (owner without the members list)', () => {
    const withoutOwner = { fields: form.fields.filter((f) => f.key !== 'owner'), choices: { ...form.choices, owner: [] } };
    expect(writer().validate(draft(), withoutOwner)).toEqual({ owner: expect.stringMatching(/could not be read.*leave it empty/) });
  });
});

describe('preview and create', () => {
  it('preview is exactly the body the ticket POST sends, and fits the contract Ticket schema', async () => {
    const writer = adapter().tickets;
    const d = draft();
    let sent: unknown;
    emulator.control.injectFault({ method: 'POST', path: /\/service\/tickets$/, effect: (req) => void (sent = JSON.parse(req.body ?? 'null')) });
    const preview = writer.preview(d);
    await writer.create(d);
    expect(preview).toMatchObject({ method: 'POST', path: 'service/tickets' });
    expect(sent).toEqual(preview.body);
    expect(preview.body).toEqual({
      summary: d.title,
      company: { id: company().id },
      contact: { id: contact().id },
      board: { id: 1 },
      status: { id: 12 },
      type: { id: 102 },
      priority: { id: 9 },
      source: { id: 2 },
      owner: { id: 161 },
      initialDescription: d.details,
      externalXRef: d.marker,
    });
    if (cwSpecAvailable()) expect(cwSpecErrors('Ticket', preview.body)).toEqual([]);
  });

  it('creates the ticket; getTicket reads back its company, contact and configurations', async () => {
    const cw = adapter();
    const d = draft();
    const created = await cw.tickets.create(d);
    expect(created).toEqual({ ticketId: expect.stringMatching(/^\d+$/) });
    const ticket = await cw.getTicket(created.ticketId);
    expect(ticket).toMatchObject({ ticketId: created.ticketId, summary: d.title, companyRemoteId: d.companyRemoteId, contactRemoteId: d.contactRemoteId });
    expect(ticket.configurationRemoteIds).toEqual(d.configurationRemoteIds);
    const stored = emulator.data.tickets.get(Number(created.ticketId))!;
    expect(stored).toMatchObject({ board: { id: 1 }, status: { id: 12 }, type: { id: 102 }, priority: { id: 9 }, owner: { id: 161 }, externalXRef: d.marker });
    expect(emulator.data.initialDescriptions.get(stored.id)).toBe(d.details);
  });

  it("the emulator's refusal of a missing board reaches the caller on the board field", async () => {
    const error = await adapter()
      .tickets.create(draft({ fields: {} }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaError);
    expect(error).toMatchObject({ code: 'config', status: 400, field: 'board', message: 'ConnectWise refused the ticket (400): board is required.' });
    expect((error as PsaError).retryable).toBe(false);
  });

  it('refuses to send a draft it can tell is wrong, without a request', async () => {
    emulator.control.resetRequestLog();
    await expect(adapter().tickets.create(draft({ title: 'x'.repeat(101) }))).rejects.toMatchObject({ code: 'config', message: /at most 100 characters/ });
    expect(emulator.control.requests().filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a configuration that cannot be attached: the ticket is still reported created, with a warning', async () => {
    emulator.control.injectFault({ method: 'POST', path: /\/configurations$/, status: 500, times: 1 });
    const d = draft();
    const created: ConnectwiseCreatedTicket = await adapter().tickets.create(d);
    expect(created.warnings).toEqual([
      expect.stringMatching(new RegExp(`^Ticket #${created.ticketId} was created, but configuration ${d.configurationRemoteIds[0]} was not attached`)),
    ]);
    expect(emulator.data.ticketConfigurations.get(Number(created.ticketId))).toEqual([Number(d.configurationRemoteIds[1])]);
  });

  it('a 201 whose body is unreadable: the ticket is found by its marker instead', async () => {
    emulator.control.injectFault({ method: 'POST', path: /\/service\/tickets$/, transform: () => ({ unexpected: true }) });
    const d = draft();
    const created = await adapter().tickets.create(d);
    expect(emulator.data.tickets.get(Number(created.ticketId))?.externalXRef).toBe(d.marker);
  });
});

describe('findByMarker', () => {
  it('finds the ticket a timed-out create made, attaching its configurations; null for another marker or company', async () => {
    const writer = adapter({ timeoutMs: 400 }).tickets;
    const d = draft();
    const before = emulator.data.tickets.rows.length;
    emulator.control.injectFault({ method: 'POST', path: /\/service\/tickets$/, hangAfterHandling: true });
    await expect(writer.create(d)).rejects.toMatchObject({ code: 'timeout' });
    expect(emulator.data.tickets.rows.length).toBe(before + 1); // the server did the work
    const ticketId = String(emulator.data.tickets.rows.at(-1)!.id);
    expect(emulator.data.ticketConfigurations.get(Number(ticketId))).toBeUndefined();

    expect(await writer.findByMarker(d)).toEqual({ ticketId });
    expect(emulator.data.ticketConfigurations.get(Number(ticketId))).toEqual(d.configurationRemoteIds.map(Number));
    expect(await writer.findByMarker(d)).toEqual({ ticketId }); // nothing attached twice
    expect(await writer.findByMarker(draft())).toBeNull();
    expect(await writer.findByMarker({ ...d, companyRemoteId: String(emulator.data.companies.rows[1]!.id) })).toBeNull();
  });

  it('asks with one externalXRef + company condition, ids only', async () => {
    const d = draft();
    emulator.control.resetRequestLog();
    expect(await adapter().tickets.findByMarker(d)).toBeNull();
    const searches = emulator.control.requests().filter((r) => r.method === 'GET' && /\/service\/tickets$/.test(r.path));
    expect(searches.map((r) => r.query)).toEqual([
      { conditions: `externalXRef="${d.marker}" AND company/id=${d.companyRemoteId}`, fields: 'id', orderBy: 'id asc', pageSize: '1' },
    ]);
  });
});

describe('writeRights', () => {
  it('the connection test names the Add right on service tickets, unknown until a ticket is made', async () => {
    const info = await adapter().testConnection();
    expect(info.writeRights).toContainEqual({ what: 'Service Desk › Service Tickets (Add)', usedFor: 'create tickets', allowed: null });
  });
});
