import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTeam, putTeamDoc, TeamServerError, type TeamFailure, type TeamProbe } from '@/lib/team/probe';
import { parseTeamSettings, type TeamSettings } from '@/lib/team/settings';
import { TEAM_DOC_ID, type TeamDoc } from '@/lib/team/team-doc';
import { startTeamServer, type TeamServer } from '../../team-server/index.ts';
import { findFreePort } from '../../team-server/ports.ts';

// Every answer of probeTeam and putTeamDoc, produced for real: one pouchdb-server for the file,
// and tiny node:http servers for what is not a CouchDB.
let server: TeamServer;
const ALEX = { name: 'alex', password: 'alex-pw' };
const DANA = { name: 'dana', password: 'dana-pw' };
const EVE = { name: 'eve', password: 'eve-pw' };

beforeAll(async () => {
  server = await startTeamServer();
  for (const user of [ALEX, DANA, EVE]) await server.addUser(user.name, user.password);
  await server.createDatabase('team-empty', [ALEX.name]);
  await server.createDatabase('team-joined', [ALEX.name]);
  await asAdmin('PUT', `/team-joined/${encodeURIComponent(TEAM_DOC_ID)}`, teamDoc());
  await asAdmin('PUT', '/team-joined/client-space:1', { kind: 'space' });
  await server.createDatabase('team-unrelated', [ALEX.name]);
  await asAdmin('PUT', '/team-unrelated/invoice-17', { total: 120 });
  await server.createDatabase('team-malformed', [ALEX.name]);
  await asAdmin('PUT', `/team-malformed/${encodeURIComponent(TEAM_DOC_ID)}`, {
    ...teamDoc(),
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000, salt: 'c2FsdA==' },
  });
  await server.createDatabase('team-members', [ALEX.name, DANA.name]);
  await server.createDatabase('team-setup', [ALEX.name, DANA.name]);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

function teamDoc(createdBy = 'Alex'): TeamDoc {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    _id: TEAM_DOC_ID,
    kind: 'team',
    schema: 1,
    teamId: randomUUID(),
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000, salt: base64('sixteen byte salt') },
    wrappedKey: { iv: base64('twelve bytes'), data: base64('a wrapped AES-GCM key and its tag') },
    createdAt: Date.now(),
    createdBy: { installId: `install-${createdBy.toLowerCase()}`, name: createdBy },
  };
}

async function asAdmin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${server.admin.name}:${server.admin.password}`).toString('base64')}`,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function settingsFor(database: string, login: { name: string; password: string }, serverUrl = server.url): TeamSettings {
  const result = parseTeamSettings({ serverUrl, database, username: login.name, password: login.password });
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

function failureOf(probe: TeamProbe): TeamFailure {
  if (probe.ok) throw new Error(`expected a failure, got ${JSON.stringify(probe)}`);
  return probe;
}

async function thrownBy(promise: Promise<unknown>): Promise<TeamServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TeamServerError);
  return error as TeamServerError;
}

/** A node:http server answering every request with `answer`, and the requests it got. */
async function startFakeServer(answer: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const requests: { method?: string; url?: string; authorization?: string }[] = [];
  const fake = http.createServer((request, response) => {
    requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    answer(request, response);
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => fake.close(() => resolve()).closeAllConnections()),
  };
}

describe('probeTeam', () => {
  it('answers joined-team with the team document and the document count', async () => {
    const probe = await probeTeam(settingsFor('team-joined', ALEX));
    expect(probe).toMatchObject({ ok: true, state: 'joined-team', docCount: 2, team: { _id: TEAM_DOC_ID, kind: 'team', createdBy: { name: 'Alex' } } });
  });

  it('answers empty for a database without documents', async () => {
    expect(await probeTeam(settingsFor('team-empty', ALEX))).toEqual({ ok: true, state: 'empty', docCount: 0 });
  });

  it('answers unreachable for a closed port, naming the host', async () => {
    const port = await findFreePort();
    const failure = failureOf(await probeTeam(settingsFor('team-empty', ALEX, `http://127.0.0.1:${port}`)));
    expect(failure).toMatchObject({ code: 'unreachable', field: 'serverUrl' });
    expect(failure.message).toBe(`Could not reach 127.0.0.1:${port}: the address may be wrong or the server down.`);
  });

  it('answers unreachable when the server does not answer in time', async () => {
    const silent = await startFakeServer(() => undefined);
    try {
      const failure = failureOf(await probeTeam(settingsFor('team-empty', ALEX, silent.url), { timeoutMs: 300 }));
      expect(failure).toMatchObject({ code: 'unreachable', field: 'serverUrl' });
      expect(failure.message).toMatch(/did not answer within 0\.3 seconds: the address may be wrong or the server down/);
    } finally {
      await silent.close();
    }
  });

  it.each([
    ['JSON that is not a welcome', 200, 'application/json', '{"hello":1}'],
    ['an HTML page', 200, 'text/html', '<!doctype html><title>Router login</title>'],
    ['a 404', 404, 'text/plain', 'Not found'],
    ['a 401 that is not CouchDB’s', 401, 'text/html', '<h1>Unauthorized</h1>'],
  ])('answers not-couchdb for %s at GET /, and never sends it the password', async (_what, status, type, body) => {
    const other = await startFakeServer((_request, response) => response.writeHead(status, { 'content-type': type }).end(body));
    try {
      const failure = failureOf(await probeTeam(settingsFor('team-empty', ALEX, other.url)));
      expect(failure).toMatchObject({ code: 'not-couchdb', field: 'serverUrl' });
      expect(failure.message).toMatch(/answered, but not as a CouchDB server does/);
      expect(other.requests).toEqual([{ method: 'GET', url: '/', authorization: undefined }]);
    } finally {
      await other.close();
    }
  });

  it('does not follow a redirect (the login goes only to the address entered)', async () => {
    const redirecting = await startFakeServer((_request, response) => response.writeHead(302, { location: 'https://elsewhere.example.com/' }).end());
    try {
      const failure = failureOf(await probeTeam(settingsFor('team-empty', ALEX, redirecting.url)));
      expect(failure).toMatchObject({ code: 'not-couchdb', field: 'serverUrl' });
      expect(failure.message).toMatch(/redirected Sidecar to https:\/\/elsewhere\.example\.com\/; .* did not follow/);
      expect(redirecting.requests).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });

  it('answers server, with the status, for a server error', async () => {
    const failing = await startFakeServer((_request, response) =>
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable","reason":"Service unavailable"}'),
    );
    try {
      const failure = failureOf(await probeTeam(settingsFor('team-empty', ALEX, failing.url)));
      expect(failure).toMatchObject({ code: 'server' });
      expect(failure.message).toMatch(/answered with a server error \(HTTP 503\): Service unavailable\./);
    } finally {
      await failing.close();
    }
  });

  it('asks again with the login when the server requires one for everything (require_valid_user)', async () => {
    // A stand-in for a CouchDB with require_valid_user: GET / answers 401 without a login.
    const strict = await startFakeServer((request, response) => {
      const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!request.headers.authorization) return json(401, { error: 'unauthorized', reason: 'Authentication required.' });
      if (request.url === '/') return json(200, { couchdb: 'Welcome', version: '3.4.2' });
      if (request.url === '/_session') return json(200, { ok: true, userCtx: { name: 'alex', roles: [] } });
      if (request.url === '/team-empty') return json(200, { db_name: 'team-empty', doc_count: 0 });
      return json(404, { error: 'not_found', reason: 'missing' });
    });
    try {
      expect(await probeTeam(settingsFor('team-empty', ALEX, strict.url))).toEqual({ ok: true, state: 'empty', docCount: 0 });
      expect(strict.requests.map((request) => [request.url, request.authorization !== undefined])).toEqual([
        ['/', false],
        ['/', true],
        ['/_session', true],
        ['/team-empty', true],
      ]);
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['a wrong password', { name: 'alex', password: 'not-alex-pw' }],
    ['an unknown user', { name: 'nobody', password: 'alex-pw' }],
  ])('answers login for %s, on the password field', async (_what, login) => {
    const failure = failureOf(await probeTeam(settingsFor('team-joined', login)));
    expect(failure).toEqual({
      ok: false,
      code: 'login',
      field: 'password',
      message: `127.0.0.1:${new URL(server.url).port} refused the login: the user name or password is wrong.`,
    });
  });

  it('answers no-database for a database that does not exist, and does not create it', async () => {
    const failure = failureOf(await probeTeam(settingsFor('team-missing', ALEX)));
    expect(failure).toMatchObject({ code: 'no-database', field: 'database' });
    expect(failure.message).toMatch(
      /no database “team-missing” on 127\.0\.0\.1:\d+\. Sidecar does not create it: a CouchDB admin must create it and add you to its _security members \(README, “Team”\)\./,
    );
    expect((await asAdmin('GET', '/_all_dbs')).body).not.toContain('team-missing');
  });

  it('answers not-member for a user who is not in the database’s _security', async () => {
    const failure = failureOf(await probeTeam(settingsFor('team-joined', EVE)));
    expect(failure.code).toBe('not-member');
    expect(failure.message).toMatch(/accepted the login, but “eve” is not \(or no longer\) a member of the database “team-joined”/);
  });

  it('answers not-member for a member removed from _security', async () => {
    expect(await probeTeam(settingsFor('team-members', DANA))).toMatchObject({ ok: true, state: 'empty' });
    await server.setMembers('team-members', [ALEX.name]);
    expect(failureOf(await probeTeam(settingsFor('team-members', DANA))).code).toBe('not-member');
    expect(await probeTeam(settingsFor('team-members', ALEX))).toMatchObject({ ok: true, state: 'empty' });
  });

  it.each([
    ['documents but no sidecar:team', 'team-unrelated', /holds documents but no sidecar:team document/],
    ['a malformed sidecar:team', 'team-malformed', /its sidecar:team document is not one Sidecar wrote/],
  ])('answers not-sidecar for a database with %s, and changes nothing', async (_what, database, why) => {
    const before = (await asAdmin('GET', `/${database}`)).body;
    const failure = failureOf(await probeTeam(settingsFor(database, ALEX)));
    expect(failure).toMatchObject({ code: 'not-sidecar', field: 'database' });
    expect(failure.message).toMatch(new RegExp(`The database “${database}” on 127\\.0\\.0\\.1:\\d+ is not a Sidecar team database`));
    expect(failure.message).toMatch(why);
    expect(failure.message).toMatch(/Nothing was changed/);
    const after = (await asAdmin('GET', `/${database}`)).body;
    expect(after).toMatchObject({ doc_count: before.doc_count, update_seq: before.update_seq });
  });

  it('uses the fetch it is given', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    await probeTeam(settingsFor('team-empty', ALEX), { fetch: recording });
    expect(urls).toEqual([`${server.url}/`, `${server.url}/_session`, `${server.url}/team-empty`]);
  });
});

describe('putTeamDoc', () => {
  it('sets the team up once: a second member gets taken with the first one’s document', async () => {
    const first = teamDoc('Alex');
    const written = await putTeamDoc(settingsFor('team-setup', ALEX), first);
    expect(written).toEqual({ ok: true, rev: expect.stringMatching(/^1-/) });

    const second = await putTeamDoc(settingsFor('team-setup', DANA), teamDoc('Dana'));
    expect(second).toMatchObject({ ok: false, code: 'taken', team: { ...first, _rev: written.ok ? written.rev : '' } });

    expect(await probeTeam(settingsFor('team-setup', DANA))).toMatchObject({ ok: true, state: 'joined-team', docCount: 1, team: { teamId: first.teamId } });
  });

  it('throws TeamServerError login for a wrong password, and writes nothing', async () => {
    const error = await thrownBy(putTeamDoc(settingsFor('team-empty', { name: 'alex', password: 'wrong' }), teamDoc()));
    expect(error).toMatchObject({ code: 'login', field: 'password' });
    expect(error.toFailure()).toEqual({ ok: false, code: 'login', field: 'password', message: error.message });
    expect((await asAdmin('GET', '/team-empty')).body.doc_count).toBe(0);
  });

  it('throws TeamServerError not-member for a user outside _security, and writes nothing', async () => {
    const error = await thrownBy(putTeamDoc(settingsFor('team-empty', EVE), teamDoc()));
    expect(error.code).toBe('not-member');
    expect((await asAdmin('GET', '/team-empty')).body.doc_count).toBe(0);
  });

  it('throws TeamServerError no-database, and does not create the database', async () => {
    const error = await thrownBy(putTeamDoc(settingsFor('team-never', ALEX), teamDoc()));
    expect(error).toMatchObject({ code: 'no-database', field: 'database' });
    expect((await asAdmin('GET', '/_all_dbs')).body).not.toContain('team-never');
  });

  it('throws TeamServerError unreachable for a closed port', async () => {
    const port = await findFreePort();
    const error = await thrownBy(putTeamDoc(settingsFor('team-empty', ALEX, `http://127.0.0.1:${port}`), teamDoc()));
    expect(error).toMatchObject({ code: 'unreachable', field: 'serverUrl' });
  });

  it('refuses to write a team document that does not match the schema', async () => {
    const malformed = { ...teamDoc(), schema: 2 } as unknown as TeamDoc;
    await expect(putTeamDoc(settingsFor('team-empty', ALEX), malformed)).rejects.toThrow(/the team document is not valid/);
    expect((await asAdmin('GET', '/team-empty')).body.doc_count).toBe(0);
  });
});
