import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type TeamServer } from '../../team-server/index.ts';

// The harness itself (tests/team-server): one server for the file, started once (3-4 s).
let server: TeamServer;
beforeAll(async () => {
  server = await startTeamServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

async function request(method: string, path: string, login: { name: string; password: string }, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: basic(login.name, login.password), accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('startTeamServer', () => {
  it('answers as express-pouchdb on loopback and knows its admin', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const welcome = await fetch(`${server.url}/`).then((response) => response.json());
    expect(welcome).toMatchObject({ 'express-pouchdb': 'Welcome!' });
    const session = await request('GET', '/_session', server.admin);
    expect(session.body).toMatchObject({ ok: true, userCtx: { name: 'admin', roles: ['_admin'] } });
  });

  it('creates users and databases whose _security members alone may read them', async () => {
    await server.addUser('harness-member', 'pw-member');
    await server.addUser('harness-other', 'pw-other');
    await server.createDatabase('harness-db', ['harness-member']);
    const member = { name: 'harness-member', password: 'pw-member' };
    expect((await request('GET', '/harness-db', member)).status).toBe(200);
    expect([401, 403]).toContain((await request('GET', '/harness-db', { name: 'harness-other', password: 'pw-other' })).status);

    await server.setMembers('harness-db', ['harness-other']);
    expect([401, 403]).toContain((await request('GET', '/harness-db', member)).status);
  });

  it('keeps a database without members closed to everyone but the admin (empty _security members would make it public)', async () => {
    await server.createDatabase('harness-closed', []);
    expect((await fetch(`${server.url}/harness-closed`)).status).toBe(401);
    expect([401, 403]).toContain((await request('GET', '/harness-closed', { name: 'harness-member', password: 'pw-member' })).status);
    expect((await request('GET', '/harness-closed', server.admin)).status).toBe(200);
  });

  it('keeps a written document across stop() and start() on the same address', async () => {
    await server.createDatabase('harness-restart', []);
    const written = await request('PUT', '/harness-restart/kept', server.admin, { value: 42 });
    expect(written.status).toBe(201);

    await server.stop();
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
    await server.start();

    const read = await request('GET', '/harness-restart/kept', server.admin);
    expect(read).toMatchObject({ status: 200, body: { _id: 'kept', value: 42, _rev: written.body.rev } });
  }, 60_000);
});
