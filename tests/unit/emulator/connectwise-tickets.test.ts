// The emulator's ticket creation and the setup lists behind the form, as docs/psa/connectwise.md#creating-tickets states them, checked against the vendor contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectwiseAuthHeaders, startEmulator } from '../../emulator/index.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { cwSpecAvailable, cwSpecErrors } from '../../emulator/connectwise/spec-check.ts';
import type { CwRecord } from '../../emulator/connectwise/store.ts';
import type { WireJson } from '../../support/wire-json.ts';

let emu: RunningEmulator;
let auth: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ psa: 'connectwise', preset: 'tiny', seed: 1 });
  auth = connectwiseAuthHeaders(emu.credentials.valid);
});
afterAll(() => emu.close());

async function call(method: 'GET' | 'POST', path: string, options: { params?: Record<string, string>; body?: unknown; raw?: string } = {}) {
  const url = new URL(path.startsWith('http') ? path : emu.apiUrl + path);
  for (const [k, v] of Object.entries(options.params ?? {})) url.searchParams.set(k, v);
  const init: RequestInit = { method, headers: { ...auth, 'Content-Type': 'application/json' } };
  if (options.raw !== undefined) init.body = options.raw;
  else if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, text, json: json as WireJson };
}

const company = () => emu.data.companies.rows[0] as CwRecord;
const contactOf = (c: CwRecord) => emu.data.contacts.children(c.id)[0] as CwRecord;
const configsOf = (c: CwRecord) => emu.data.configurations.children(c.id);

/** A body as Sidecar's writer sends it. */
function ticketBody(extra: Record<string, unknown> = {}) {
  const c = company();
  return {
    summary: 'Printer on the 2nd floor jams',
    company: { id: c.id },
    contact: { id: contactOf(c).id },
    board: { id: 1 },
    initialDescription: 'Jams on every second page.\n\n[sidecar:t-1]',
    externalXRef: 'sidecar:t-1',
    ...extra,
  };
}

describe('setup lists', () => {
  it('boards, with inactive ones filtered by the condition', async () => {
    const all = (await call('GET', '/service/boards')).json as { id: number; name: string; inactiveFlag: boolean; projectFlag: boolean }[];
    expect(all.some((b) => b.inactiveFlag)).toBe(true);
    const active = (await call('GET', '/service/boards', { params: { conditions: 'inactiveFlag=false' } })).json as typeof all;
    expect(active.map((b) => b.name)).toEqual(['01 - Help Desk', '02 - Onsite', '03 - Projects']);
    expect(active.find((b) => b.name === '03 - Projects')?.projectFlag).toBe(true);
  });

  it('statuses and types belong to their board (own ids, a board reference, one default each)', async () => {
    const one = (await call('GET', '/service/boards/1/statuses', { params: { conditions: 'inactive=false', orderBy: 'sortOrder asc' } })).json;
    const two = (await call('GET', '/service/boards/2/statuses', { params: { conditions: 'inactive=false' } })).json;
    expect(one.map((s: { name: string }) => s.name)).toEqual(['New', 'In Progress', 'Scheduled', 'Waiting on Client', '>Closed']);
    expect(new Set([...one, ...two].map((s: { id: number }) => s.id)).size).toBe(one.length + two.length);
    expect(one.every((s: { board: { id: number } }) => s.board.id === 1)).toBe(true);
    expect(one.filter((s: { defaultFlag: boolean }) => s.defaultFlag)).toHaveLength(1);
    expect((await call('GET', '/service/boards/1/statuses')).json.some((s: { inactive: boolean }) => s.inactive)).toBe(true);
    const types = (await call('GET', '/service/boards/1/types', { params: { conditions: 'inactiveFlag=false' } })).json;
    expect(types.map((t: { name: string }) => t.name)).toEqual(['Incident', 'Service Request', 'Problem']);
    const missing = await call('GET', '/service/boards/99/statuses');
    expect(missing.res.status).toBe(404);
    expect(missing.json).toEqual({ code: 'NotFound', message: 'Board 99 not found' });
  });

  it('tickets carry a status of their own board', () => {
    for (const t of emu.data.tickets.rows) {
      const board = (t.board as { id: number }).id;
      expect(emu.data.boardStatuses.children(board).map((s) => s.id)).toContain((t.status as { id: number }).id);
    }
  });

  it('priorities (one default), sources, members (filterable by license class)', async () => {
    const priorities = (await call('GET', '/service/priorities', { params: { orderBy: 'sortOrder asc' } })).json;
    expect(priorities.map((p: { name: string }) => p.name)[0]).toBe('P1 - Emergency');
    expect(priorities.filter((p: { defaultFlag: boolean }) => p.defaultFlag)).toHaveLength(1);
    expect((await call('GET', '/service/sources')).json.map((s: { name: string }) => s.name)).toContain('Phone');
    const techs = (
      await call('GET', '/system/members', { params: { conditions: 'inactiveFlag=false AND licenseClass!="A"', fields: 'id,identifier,firstName,lastName' } })
    ).json;
    expect(techs.map((m: { identifier: string }) => m.identifier)).toEqual(['jdoe', 'mkhan', 'lchen', 'rbaker']);
    expect(Object.keys(techs[0]).sort()).toEqual(['firstName', 'id', 'identifier', 'lastName']);
    expect((await call('GET', '/system/members', { params: { conditions: 'licenseClass="Q"' } })).json.message).toBe('Enum value supplied was invalid');
  });

  it.skipIf(!cwSpecAvailable())('every list row fits its contract schema', async () => {
    const lists: [string, string][] = [
      ['/service/boards', 'Board'],
      ['/service/boards/1/statuses', 'BoardStatus'],
      ['/service/boards/1/types', 'BoardType'],
      ['/service/priorities', 'Priority'],
      ['/service/sources', 'Source'],
      ['/system/members', 'Member'],
    ];
    for (const [path, schema] of lists) for (const row of (await call('GET', path)).json as unknown[]) expect(cwSpecErrors(schema, row), path).toEqual([]);
  });
});

describe('POST /service/tickets', () => {
  it('creates the ticket (201): defaults from the board and the priority list, readable, searchable by externalXRef', async () => {
    const body = ticketBody({ externalXRef: 'sidecar:create-1' });
    const r = await call('POST', '/service/tickets', { body });
    expect(r.res.status).toBe(201);
    const t = r.json;
    const highest = Math.max(...[...emu.data.tickets.rows, ...emu.data.projectTickets.rows].filter((x) => x.id !== t.id).map((x) => x.id));
    expect(t.id).toBe(highest + 1); // one number space with project tickets
    expect(t).toMatchObject({
      summary: body.summary,
      recordType: 'ServiceTicket',
      company: { id: company().id, identifier: company().identifier, name: company().name },
      contact: { id: contactOf(company()).id },
      board: { id: 1, name: '01 - Help Desk' },
      status: { name: 'New' },
      priority: { name: 'P3 - Normal' },
      externalXRef: 'sidecar:create-1',
      closedFlag: false,
    });
    expect(t.initialDescription).toBeUndefined(); // write-only
    expect(t._info.dateEntered).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await call('GET', `/service/tickets/${t.id}`, { params: { fields: 'id,summary,company/id' } })).json).toEqual({
      id: t.id,
      summary: body.summary,
      company: { id: company().id },
    });
    const found = await call('GET', '/service/tickets', {
      params: { conditions: `externalXRef="sidecar:create-1" AND company/id=${company().id}`, fields: 'id' },
    });
    expect(found.json).toEqual([{ id: t.id }]);
    const elsewhere = await call('GET', '/service/tickets', {
      params: { conditions: `externalXRef="sidecar:create-1" AND company/id=${company().id + 1}`, fields: 'id' },
    });
    expect(elsewhere.json).toEqual([]);
  });

  it('reads property names in any case and takes references by name or identifier', async () => {
    const r = await call('POST', '/service/tickets', {
      body: {
        SUMMARY: 'Case test',
        Company: { Identifier: company().identifier },
        board: { NAME: '02 - onsite' },
        Status: { name: 'Scheduled' },
        type: { id: 202 },
        priority: { ID: '8' },
        source: { name: 'Email' },
        owner: { identifier: 'lchen' },
        unknownProperty: 'ignored',
      },
    });
    expect(r.res.status).toBe(201);
    expect(r.json).toMatchObject({
      summary: 'Case test',
      company: { id: company().id },
      board: { id: 2 },
      status: { id: 24, name: 'Scheduled' },
      type: { id: 202, name: 'Installation' },
      priority: { id: 8 },
      source: { id: 2, name: 'Email' },
      owner: { id: 162, identifier: 'lchen', name: 'Lena Chen' },
    });
    expect(r.json.unknownProperty).toBeUndefined();
  });

  it('a body without summary, company and board: 400 InvalidObject naming each field', async () => {
    const before = emu.data.tickets.rows.length;
    const r = await call('POST', '/service/tickets', { body: { initialDescription: 'no summary' } });
    expect(r.res.status).toBe(400);
    expect(r.json).toEqual({
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      errors: ['summary', 'company', 'board'].map((field) => ({ code: 'MissingRequiredField', message: `${field} is required.`, resource: 'ticket', field })),
    });
    expect(emu.data.tickets.rows.length).toBe(before);
  });

  it.each([
    ['a 101-character summary', { summary: 'x'.repeat(101) }, 'summary'],
    ['a blank summary', { summary: '   ' }, 'summary'],
    ['an unknown company', { company: { id: 999_999 } }, 'company'],
    ["another board's status", { status: { id: 21 } }, 'status'],
    ["another board's type", { type: { id: 201 } }, 'type'],
    ['an inactive status', { status: { id: 19 } }, 'status'],
    ['an inactive board', { board: { id: 4 } }, 'board'],
    ['an inactive owner', { owner: { id: 171 } }, 'owner'],
    ['a 101-character externalXRef', { externalXRef: 'x'.repeat(101) }, 'externalXRef'],
  ])('%s: 400 on that field', async (_name, extra, field) => {
    const r = await call('POST', '/service/tickets', { body: ticketBody(extra) });
    expect(r.res.status).toBe(400);
    expect(r.json.code).toBe('InvalidObject');
    expect(r.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('a body that is not JSON: 400', async () => {
    const r = await call('POST', '/service/tickets', { raw: '{"summary":' });
    expect(r.res.status).toBe(400);
    expect(r.json.code).toBe('InvalidObject');
  });

  it.skipIf(!cwSpecAvailable())('request and answer fit the contract Ticket schema', async () => {
    const body = ticketBody({ externalXRef: 'sidecar:spec', type: { id: 101 }, priority: { id: 9 }, source: { id: 1 }, owner: { id: 160 } });
    expect(cwSpecErrors('Ticket', body)).toEqual([]);
    const r = await call('POST', '/service/tickets', { body });
    expect(r.res.status).toBe(201);
    expect(cwSpecErrors('Ticket', r.json)).toEqual([]);
    expect(cwSpecErrors('Ticket', { summary: 'x'.repeat(101) })).toEqual(['Ticket.summary: longer than 100 characters']); // the checker can fail
  });
});

describe('POST /service/tickets/{id}/configurations', () => {
  it('attaches a configuration (201 ConfigurationReference); the ticket lists it', async () => {
    const t = (await call('POST', '/service/tickets', { body: ticketBody({ externalXRef: 'sidecar:cfg' }) })).json;
    const config = configsOf(company())[0] as CwRecord;
    const r = await call('POST', `/service/tickets/${t.id}/configurations`, { body: { id: config.id } });
    expect(r.res.status).toBe(201);
    expect(r.json.id).toBe(config.id);
    if (cwSpecAvailable()) expect(cwSpecErrors('ConfigurationReference', r.json)).toEqual([]);
    expect((await call('GET', `/service/tickets/${t.id}/configurations`)).json.map((c: { id: number }) => c.id)).toEqual([config.id]);
    const again = await call('POST', `/service/tickets/${t.id}/configurations`, { body: { id: config.id } });
    expect(again.res.status).toBe(400);
  });

  it('the observed answer to a body without id or deviceIdentifier; 404 for an unknown ticket', async () => {
    const t = emu.data.tickets.rows[0] as CwRecord;
    const r = await call('POST', `/service/tickets/${t.id}/configurations`, { body: {} });
    expect(r.res.status).toBe(400);
    expect(r.json).toEqual({
      code: 'InvalidObject',
      message: 'configuration object is invalid',
      errors: [{ code: 'MissingRequiredField', message: 'id or deviceIdentifier is required.', resource: 'configuration', field: 'id' }],
    });
    expect((await call('POST', '/service/tickets/1/configurations', { body: { id: 1 } })).res.status).toBe(404);
  });
});

describe('web pages show a created ticket', () => {
  it('ticket page (summary, company, contact, configuration, description), board and company pages', async () => {
    const c = company();
    const config = configsOf(c)[0] as CwRecord;
    const t = (await call('POST', '/service/tickets', { body: ticketBody({ summary: 'Shown on the pages', externalXRef: 'sidecar:ui', owner: { id: 161 } }) }))
      .json;
    await call('POST', `/service/tickets/${t.id}/configurations`, { body: { id: config.id } });
    const page = await (await fetch(`${emu.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${t.id}`)).text();
    expect(page).toContain(`Service Ticket #${t.id} - Shown on the pages`);
    expect(page).toContain(`value="${String(c.name).replace(/&/g, '&amp;')}"`);
    expect(page).toContain(`data-company-id="${c.id}"`);
    expect(page).toContain(`recid=${contactOf(c).id}`);
    expect(page).toContain(`recid=${config.id}`);
    expect(page).toContain('Jams on every second page.');
    expect(page).toContain('Mo Khan');
    const board = await (await fetch(`${emu.baseUrl}/v4_6_release/ConnectWise.aspx?fullscreen=false&locale=en_US#startscreen=sr200`)).text();
    expect(board).toContain(`data-ticket-id="${t.id}"`);
    const companyPage = await (await fetch(`${emu.baseUrl}/v4_6_release/ConnectWise.aspx?routeTo=CompanyFV&recid=${c.id}`)).text();
    expect(companyPage).toContain(`#${t.id} - Shown on the pages`);
  });
});
