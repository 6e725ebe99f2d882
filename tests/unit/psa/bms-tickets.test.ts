// Over 300 lines on purpose: the BMS ticket writer against the emulator, one describe per part of the TicketWriter contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { BMS_TICKET_RIGHT } from '@/lib/psa/kaseya-bms/connect';
import { QUEUE_OR_ASSIGNEE } from '@/lib/psa/kaseya-bms/tickets';
import { PsaError } from '@/lib/psa/errors';
import type { TicketDraft, TicketFormChoices } from '@/lib/psa/ticket-writer';
import type { CanonicalSite } from '@/lib/psa/types';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';
import { bmsSpecSchema, hasBmsSpec, specIssues } from '../../emulator/kaseya-bms/spec-schema.ts';
import { contactName } from '../../emulator/kaseya-bms/store.ts';
import type { WireJson } from '../../support/wire-json.ts';

let bms: RunningKaseyaBms;
let form: TicketFormChoices;

function adapter(timeoutMs = 5000, target: RunningKaseyaBms = bms) {
  const creds = target.credentials.valid;
  return new BmsAdapter({
    settings: { uiOrigin: target.baseUrl, apiOrigin: target.apiBaseUrl, tenant: creds.tenant },
    credentials: { username: creds.userName, password: creds.password },
    retries: 0,
    timeoutMs,
  });
}

const account = () => bms.data.accounts.rows[0]!;
let markerCount = 0;

/** A draft for the first account, its location taken from the synced sites as the form would. */
async function draft(overrides: Partial<TicketDraft> = {}, fields: Record<string, string | undefined> = {}): Promise<TicketDraft> {
  const a = account();
  const sites = (await adapter().listPage('site', { pageToken: null, since: null, companyRemoteIds: [String(a.id)] })).records as CanonicalSite[];
  const site = sites.find((s) => s.primary) ?? sites[0]!;
  const contact = bms.data.contacts.children(a.id)[0]!;
  const asset = bms.data.assets.children(a.id)[0]!;
  const contract = bms.data.contracts.children(a.id).find((k) => k.isDefault)!;
  const marker = `sc-${Date.now().toString(36)}-${++markerCount}`;
  const all: Record<string, string | undefined> = {
    queue: '27976',
    status: '36706',
    priority: '28791',
    type: '28',
    source: '4',
    issueType: '10481',
    location: site.remoteId,
    contract: String(contract.id),
    ...fields,
  };
  return {
    companyRemoteId: String(a.id),
    contactRemoteId: String(contact.id),
    configurationRemoteIds: [String(asset.id)],
    title: 'Printer offline at front desk',
    details: `The front desk printer shows offline.\nSidecar ticket ${marker}`,
    fields: Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    openDate: '2026-11-02T09:15:00.000Z',
    marker,
    ...overrides,
  };
}

async function login(target: RunningKaseyaBms = bms): Promise<string> {
  const c = target.credentials.valid;
  const res = await fetch(`${target.apiBaseUrl}/v2/security/authenticate`, {
    method: 'POST',
    body: new URLSearchParams({ GrantType: 'password', UserName: c.userName, Password: c.password, Tenant: c.tenant }),
  });
  return ((await res.json()) as WireJson).result.accessToken;
}

async function postRaw(body: string, contentType = 'application/json', target: RunningKaseyaBms = bms) {
  const res = await fetch(`${target.apiBaseUrl}/v2/servicedesk/tickets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await login(target)}`, 'Content-Type': contentType },
    body,
  });
  const text = await res.text();
  return { res, json: (text ? JSON.parse(text) : undefined) as WireJson };
}

/** The body the emulator received for the next ticket POST. */
function captureNextPost(): { body?: string } {
  const seen: { body?: string } = {};
  bms.control.injectFault({ method: 'POST', path: /\/v2\/servicedesk\/tickets$/, effect: (req) => void (seen.body = req.body) });
  return seen;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error as PsaError,
  );

beforeAll(async () => {
  bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
  form = await adapter().tickets.formChoices();
});
afterAll(async () => {
  await bms.close();
});

describe('form choices', () => {
  it('names the fields, their variables and where their choices come from', () => {
    expect(form.fields.map((f) => [f.key, f.variable ?? null, f.required, f.source])).toEqual([
      ['queue', 'queue', false, 'psa'],
      ['assignee', 'assignee', false, 'psa'],
      ['status', 'ticketStatus', true, 'psa'],
      ['priority', 'priority', true, 'psa'],
      ['type', 'ticketType', true, 'psa'],
      ['source', 'ticketSource', true, 'psa'],
      ['issueType', null, false, 'psa'],
      ['location', null, true, 'company-sites'],
      ['contract', null, false, 'company-agreements'],
    ]);
  });

  it("reads BMS's own lists", () => {
    expect(form.choices.queue).toContainEqual({ id: '27976', name: 'Help Desk' });
    expect(form.choices.assignee).toContainEqual({ id: '51085', name: 'Alex Rivera' });
    expect(form.choices.status?.map((c) => c.name)).toEqual(expect.arrayContaining(['New', 'In Progress', 'Closed']));
    expect(form.choices.priority).toContainEqual({ id: '28790', name: 'Next Business Day', isDefault: true });
    expect(form.choices.type).toContainEqual(expect.objectContaining({ id: '28', name: 'Service Request' }));
    expect(form.choices.issueType).toContainEqual({ id: '10481', name: 'Printing' });
    // The system list: ids 0–9, the same in every tenant.
    expect(form.choices.source).toHaveLength(10);
    expect(form.choices.source?.[0]).toEqual({ id: '0', name: 'Client Portal' });
    expect(form.choices.source?.[4]).toEqual({ id: '4', name: 'Email' });
  });

  it('takes the ticket types from the tickets when the TicketType lookup is refused', async () => {
    bms.control.injectFault({
      path: /\/v2\/system\/lookup\/tickettype$/,
      status: 404,
      body: { success: false, error: { message: 'Not found' }, result: null },
    });
    const types = (await adapter().tickets.formChoices()).choices.type ?? [];
    bms.control.clearFaults();
    const expected = [...new Set(bms.data.tickets.rows.map((t) => t.typeId))].sort();
    expect(types.map((t) => Number(t.id)).sort()).toEqual(expected);
    expect(types.every((t) => !t.name.startsWith('#'))).toBe(true);
  });
});

describe('validate', () => {
  it('accepts a complete draft, and an assignee without a queue', async () => {
    const writer = adapter().tickets;
    expect(writer.validate(await draft(), form)).toEqual({});
    expect(writer.validate(await draft({}, { queue: undefined, assignee: '51085' }), form)).toEqual({});
  });

  it('refuses a draft with neither queue nor assignee', async () => {
    expect(adapter().tickets.validate(await draft({}, { queue: undefined }), form)).toEqual({ queue: QUEUE_OR_ASSIGNEE });
    expect(QUEUE_OR_ASSIGNEE).toBe('Kaseya BMS needs a queue, an assignee, or both.');
  });

  it('names each required field left empty', async () => {
    const empty = { status: undefined, priority: undefined, type: undefined, source: undefined, location: undefined };
    const errors = adapter().tickets.validate(await draft({ title: '  ' }, empty), form);
    expect(errors).toEqual({
      title: 'Kaseya BMS needs a title.',
      status: 'Kaseya BMS needs a status.',
      priority: 'Kaseya BMS needs a priority.',
      type: 'Kaseya BMS needs a ticket type.',
      source: 'Kaseya BMS needs a source.',
      location: 'Kaseya BMS needs a location.',
    });
  });

  it('refuses ids BMS could not read, and sources outside its 0–9 list (0 is one)', async () => {
    const writer = adapter().tickets;
    expect(writer.validate(await draft({}, { source: '0' }), form)).toEqual({});
    expect(writer.validate(await draft({}, { source: '10' }), form)).toEqual({ source: '"10" is not a Kaseya BMS source.' });
    expect(writer.validate(await draft({ companyRemoteId: 'acme' }), form)).toMatchObject({ company: '"acme" is not a Kaseya BMS account id.' });
    expect(writer.validate(await draft({ configurationRemoteIds: ['x-1'] }), form)).toEqual({ configuration: '"x-1" is not a Kaseya BMS hardware asset id.' });
    expect(writer.validate(await draft({}, { location: 'main' }), form)).toEqual({ location: '"main" is not a Kaseya BMS location.' });
    expect(writer.validate(await draft({ openDate: 'yesterday' }), form)).toEqual({
      openDate: '"yesterday" is not a date Kaseya BMS can take as the open date.',
    });
  });

  it('refuses a choice the lists no longer hold (a default saved before the PSA changed)', async () => {
    expect(adapter().tickets.validate(await draft({}, { status: '99999' }), form)).toEqual({
      status: 'Kaseya BMS has no status with id 99999 (any more): pick another.',
    });
  });
});

describe('preview and create', () => {
  it('previews exactly the TicketInputDto create sends, valid against the vendor spec', async () => {
    const d = await draft();
    const writer = adapter().tickets;
    const preview = writer.preview(d);
    const a = account();
    expect(preview).toEqual({
      method: 'POST',
      path: 'v2/servicedesk/tickets',
      body: {
        title: 'Printer offline at front desk',
        details: d.details,
        accountId: a.id,
        locationId: Number(d.fields.location),
        contactId: Number(d.contactRemoteId),
        hardwareAssetId: Number(d.configurationRemoteIds[0]),
        queueId: 27976,
        statusId: 36706,
        priorityId: 28791,
        typeId: 28,
        issueTypeId: 10481,
        contractId: Number(d.fields.contract),
        sourceId: 4,
        openDate: '2026-11-02T09:15:00.000Z',
      },
    });
    // A BMS location is an account location: the site the sync made of it.
    expect(bms.data.locations.get(Number(d.fields.location))?.accountId).toBe(a.id);
    const seen = captureNextPost();
    await writer.create(d);
    expect(JSON.parse(seen.body!)).toEqual(preview.body);
    if (hasBmsSpec()) {
      const schema = bmsSpecSchema('TicketInputDto');
      expect(specIssues(schema, preview.body)).toEqual([]);
      // The check can fail: an id out of the spec's range, or a property the DTO does not have.
      expect(specIssues(schema, { ...(preview.body as object), locationId: 0, queue: 'Help Desk' })).toHaveLength(2);
    }
  });

  it('creates the ticket; getTicket then reads its company, contact, configuration and contract', async () => {
    const d = await draft();
    const bms1 = adapter();
    const before = bms.data.tickets.rows.length;
    const created = await bms1.tickets.create(d);
    expect(bms.data.tickets.rows.length).toBe(before + 1);
    expect(created.ticketId).toMatch(/^\d+$/);
    expect(created.ticketNumber).toMatch(/^\d+-\d{8}$/);
    const ticket = await bms1.getTicket(created.ticketId);
    expect(ticket).toEqual({
      ticketId: created.ticketId,
      summary: d.title,
      companyRemoteId: d.companyRemoteId,
      companyName: account().accountName,
      contactRemoteId: d.contactRemoteId,
      configurationRemoteIds: d.configurationRemoteIds,
      agreementRemoteId: d.fields.contract,
    });
    const stored = bms.data.tickets.get(Number(created.ticketId))!;
    expect(stored).toMatchObject({ queueId: 27976, statusId: 36706, sourceId: 4, typeId: 28, openDate: '2026-11-02T09:15:00', details: d.details });
    expect(stored.createdBy).toBe(51190); // the API user
  });

  it("answers with the spec's TicketOutputDto in the envelope", async () => {
    const d = await draft();
    const { res, json } = await postRaw(JSON.stringify(adapter().tickets.preview(d).body));
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ success: true, error: null, result: { title: d.title, accountId: Number(d.companyRemoteId), sourceName: 'Email' } });
    if (hasBmsSpec()) expect(specIssues(bmsSpecSchema('TicketOutputDto', { answer: true }), json.result)).toEqual([]);
  });

  it("the emulator's web pages show the created ticket", async () => {
    const d = await draft();
    const { ticketId, ticketNumber } = await adapter().tickets.create(d);
    const a = account();
    const contact = bms.data.contacts.get(Number(d.contactRemoteId))!;
    const asset = bms.data.assets.get(Number(d.configurationRemoteIds[0]))!;
    for (const path of [`/react/servicedesk/tickets/${ticketId}`, `/MSP/TicketEdit.aspx?ID=${ticketId}`]) {
      const html = await (await fetch(`${bms.baseUrl}${path}`)).text();
      expect(html, path).toContain(`data-ticket-id="${ticketId}"`);
      for (const shown of [d.title, ticketNumber!, a.accountName, contactName(contact), asset.name, 'Help Desk']) expect(html, path).toContain(shown);
    }
    const react = await (await fetch(`${bms.baseUrl}/react/servicedesk/tickets/${ticketId}`)).text();
    expect(react).toContain('Service Request');
    expect(react).toContain('Email');
    expect(react).toContain(d.marker);
    const list = await (await fetch(`${bms.baseUrl}/react/servicedesk/tickets`)).text();
    expect(list).toContain(`data-ticket-id="${ticketId}"`);
  });
});

describe('what the emulator refuses, and how the writer reads it', () => {
  it('a missing required field: 400 problem+json naming the property; the writer names the field', async () => {
    const body = { ...(adapter().tickets.preview(await draft()).body as Record<string, unknown>) };
    delete body.title;
    const { res, json } = await postRaw(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(json).toMatchObject({ status: 400, title: 'One or more validation errors occurred.', errors: { Title: ['The Title field is required.'] } });
    // The same answer to the writer's create: a refusal about the title, not worth retrying.
    bms.control.injectFault({
      method: 'POST',
      path: /\/v2\/servicedesk\/tickets$/,
      status: 400,
      body: json,
      headers: { 'Content-Type': 'application/problem+json' },
    });
    const error = await refusal(adapter().tickets.create(await draft()));
    expect(error).toBeInstanceOf(PsaError);
    expect(error).toMatchObject({ code: 'config', field: 'title', status: 400, message: 'Kaseya BMS refused the ticket: The Title field is required.' });
    expect(error.retryable).toBe(false);
  });

  it('binds property names in any casing and numbers sent as strings; refuses other types by property', async () => {
    const body = adapter().tickets.preview(await draft()).body as Record<string, unknown>;
    const pascal = Object.fromEntries(Object.entries(body).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), typeof v === 'number' ? String(v) : v]));
    expect((await postRaw(JSON.stringify(pascal))).json).toMatchObject({ success: true, result: { accountId: body.accountId } });
    const wrong = await postRaw(JSON.stringify({ ...body, statusId: 'open' }));
    expect(wrong.res.status).toBe(400);
    expect(Object.keys(wrong.json.errors)).toEqual(['statusId']);
    expect((await postRaw(JSON.stringify({ ...body, priorityId: 0 }))).json.errors).toEqual({
      PriorityId: ['The field PriorityId must be between 1 and 2147483647.'],
    });
    expect((await postRaw(new URLSearchParams({ title: 'x' }).toString(), 'application/x-www-form-urlencoded')).res.status).toBe(415);
  });

  it('business rules: neither queue nor assignee, and a location of another account', async () => {
    const body = adapter().tickets.preview(await draft()).body as Record<string, unknown>;
    const { queueId: _queue, ...noQueue } = body;
    const none = await postRaw(JSON.stringify(noQueue));
    expect(none.res.status).toBe(400);
    expect(none.json).toMatchObject({ success: false, result: null, error: { message: 'Either a queue or an assignee is required.' } });
    const other = bms.data.accounts.rows[1]!;
    const elsewhere = String(bms.data.locations.children(other.id)[0]!.id);
    const error = await refusal(adapter().tickets.create(await draft({}, { location: elsewhere })));
    expect(error).toMatchObject({ code: 'config', field: 'location', status: 400 });
    expect(error.message).toBe(`Kaseya BMS refused the ticket: Location ${elsewhere} does not belong to account ${account().id}.`);
    const stranger = String(bms.data.contacts.children(other.id)[0]!.id);
    expect(await refusal(adapter().tickets.create(await draft({ contactRemoteId: stranger })))).toMatchObject({ code: 'config', field: 'contact' });
  });

  it('the same refusals as HTTP 200 + success:false (the spec’s reading) read the same', async () => {
    const lenient = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null, businessErrorsAsHttp200: true });
    try {
      // Same preset and seed: the draft's ids exist there too.
      const before = lenient.data.tickets.rows.length;
      const none = await postRaw(JSON.stringify({ ...(adapter().tickets.preview(await draft()).body as object), queueId: null }), 'application/json', lenient);
      expect(none.res.status).toBe(200);
      expect(none.json).toMatchObject({ success: false, error: { message: 'Either a queue or an assignee is required.' } });
      const error = await refusal(adapter(5000, lenient).tickets.create(await draft({}, { status: '36999' })));
      expect(error).toMatchObject({ code: 'config', field: 'status', message: 'Kaseya BMS refused the ticket: Status 36999 does not exist.' });
      expect(lenient.data.tickets.rows.length).toBe(before);
    } finally {
      await lenient.close();
    }
  });

  it('a 403 names the right the API user lacks', async () => {
    bms.control.injectFault({
      method: 'POST',
      path: /\/v2\/servicedesk\/tickets$/,
      status: 403,
      body: { success: false, error: { code: 403, message: 'Access denied.' }, result: null },
    });
    const error = await refusal(adapter().tickets.create(await draft()));
    expect(error).toMatchObject({ code: 'permission', status: 403 });
    expect(error.message).toContain('Service Desk › Tickets, View and Modify');
    // The same as 200 + success:false (the spec's reading).
    bms.control.injectFault({
      method: 'POST',
      path: /\/v2\/servicedesk\/tickets$/,
      status: 200,
      body: { success: false, error: { code: 403, message: 'Access denied.' }, result: null },
    });
    expect(await refusal(adapter().tickets.create(await draft()))).toMatchObject({ code: 'permission', message: expect.stringContaining('View and Modify') });
  });
});

describe('findByMarker', () => {
  it('finds the ticket a create that timed out made, by its marker and company; null for another marker', async () => {
    const d = await draft();
    const before = bms.data.tickets.rows.length;
    bms.control.injectFault({ method: 'POST', path: /\/v2\/servicedesk\/tickets$/, hangAfterHandling: true });
    const error = await refusal(adapter(1500).tickets.create(d));
    expect(error).toMatchObject({ code: 'timeout' });
    expect(error.retryable).toBe(true);
    // The server did the work once: the POST was not retried on its own.
    expect(bms.data.tickets.rows.length).toBe(before + 1);
    const made = bms.data.tickets.rows[bms.data.tickets.rows.length - 1]!;

    bms.control.resetRequestLog();
    const writer = adapter().tickets;
    expect(await writer.findByMarker(d)).toEqual({ ticketId: String(made.id), ticketNumber: made.ticketNumber });
    const search = bms.control.requests().find((r) => r.method === 'GET' && /\/v2\/servicedesk\/tickets$/.test(r.path))!;
    expect(search.query).toMatchObject({ 'Filter.Details': d.marker, 'Filter.AccountIds': d.companyRemoteId });

    expect(await writer.findByMarker({ ...d, marker: 'sc-not-this-one' })).toBeNull();
    // Restricted to the draft's company: the same marker under another account is not this ticket.
    expect(await writer.findByMarker({ ...d, companyRemoteId: String(bms.data.accounts.rows[1]!.id) })).toBeNull();
  });

  it('checks the rows itself: a server that ignored the filter cannot hand back another ticket', async () => {
    const d = await draft();
    const other = bms.data.accounts.rows[1]!.id;
    const rows = [
      { id: 5, accountId: Number(d.companyRemoteId), details: 'unrelated' },
      { id: 6, accountId: other, details: `Sidecar ticket ${d.marker}` },
    ];
    bms.control.injectFault({
      method: 'GET',
      path: /\/v2\/servicedesk\/tickets$/,
      transform: () => ({ totalRecords: 2, success: true, error: null, result: rows }),
    });
    expect(await adapter().tickets.findByMarker(d)).toBeNull();
    // Details kept as HTML (the web editor's) still match.
    const made = await adapter().tickets.create(d);
    bms.control.mutate.update('ticket', Number(made.ticketId), { details: `<p>The front desk printer shows offline.</p><p>Sidecar ticket ${d.marker}</p>` });
    expect(await adapter().tickets.findByMarker(d)).toEqual(made);
  });
});

describe('write rights', () => {
  it('reports the ticket right: unknown while the ticket list can be read, refused when it cannot', async () => {
    expect((await adapter().testConnection()).writeRights).toContainEqual({ what: BMS_TICKET_RIGHT, usedFor: 'create tickets', allowed: null });
    expect(BMS_TICKET_RIGHT).toBe('Service Desk › Tickets (View and Modify)');
    bms.control.injectFault({
      method: 'GET',
      path: /\/v2\/servicedesk\/tickets$/,
      status: 403,
      body: { success: false, error: { code: 403, message: 'Access denied.' }, result: null },
    });
    expect((await adapter().testConnection()).writeRights).toContainEqual({ what: BMS_TICKET_RIGHT, usedFor: 'create tickets', allowed: false });
    bms.control.clearFaults();
  });
});
