import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, remoteStore } from '@/lib/docstore/pouch';
import { saveAuthorName } from '@/lib/docstore/author';
import { HandledError } from '@/lib/errors';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { TeamService } from '@/lib/team/service';
import { startTeamServer, type TeamServer } from '../../team-server/index.ts';
import { snapshot } from '../../support/bad-input.ts';

/**
 * Issue #15's bad inputs, as the Team panel sends them: a wrong address, a server that is not a
 * CouchDB, a wrong password, a database that does not exist or is not Sidecar's, a user who is not
 * a member, plain http to another computer, a wrong or short team passphrase. Each gets a clear
 * message (at its field where one is to blame) and changes nothing: not this browser's tables,
 * not its documentation store, not the team's database.
 */

const PASSPHRASE = 'ocean orbit velvet 42';
let server: TeamServer;
let notCouch: Server;
let notCouchUrl: string;

beforeAll(async () => {
  server = await startTeamServer();
  await server.addUser('alex', 'alex-password');
  await server.addUser('sam', 'sam-password');
  await server.createDatabase('sidecar-team', ['alex']);
  await server.createDatabase('crm', ['alex']);
  // Someone else's data in "crm": not a Sidecar team database.
  await fetch(`${server.url}/crm/customer-1`, {
    method: 'PUT',
    headers: { authorization: `Basic ${btoa(`${server.admin.name}:${server.admin.password}`)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Contoso' }),
  });
  // The team exists already, with its passphrase.
  const first = await newMember();
  await first.team.join({ serverUrl: server.url, database: 'sidecar-team', username: 'alex', password: 'alex-password' }, PASSPHRASE);
  await first.team.leave();
  notCouch = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html><body>Intranet</body></html>');
  });
  await new Promise<void>((resolve) => notCouch.listen(0, '127.0.0.1', resolve));
  notCouchUrl = `http://127.0.0.1:${(notCouch.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  notCouch?.close();
  await server?.close();
});

async function newMember() {
  const db = new SidecarDb(`team-bad-${crypto.randomUUID()}`);
  await db.open();
  await saveAuthorName(db, 'Sam');
  const storeName = `team-bad-docs-${crypto.randomUUID()}`;
  const vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  const team = new TeamService({
    db,
    vault,
    local: () => docStore(storeName),
    remote: remoteStore,
    prepare: async () => undefined,
    pulled: () => undefined,
    dropDocumentation: () => destroyDocStore(storeName),
    hasHostPermission: async () => true,
    managed: async () => ({}),
  });
  return { db, team, storeName };
}

const teamDocs = async () =>
  (
    await fetch(`${server.url}/sidecar-team/_all_docs`, { headers: { authorization: `Basic ${btoa(`${server.admin.name}:${server.admin.password}`)}` } }).then(
      (response) => response.json() as Promise<{ rows: { id: string; value: { rev: string } }[] }>,
    )
  ).rows;

describe('bad team settings change nothing', () => {
  const login = (overrides: Record<string, string> = {}) => ({
    serverUrl: server.url,
    database: 'sidecar-team',
    username: 'alex',
    password: 'alex-password',
    ...overrides,
  });
  const cases: { name: string; settings: () => Record<string, string>; passphrase?: string; field?: string; message: RegExp }[] = [
    { name: 'a wrong address (nothing answers there)', settings: () => login({ serverUrl: 'http://127.0.0.1:9' }), message: /could not reach|127\.0\.0\.1:9/i },
    { name: 'not a CouchDB', settings: () => login({ serverUrl: notCouchUrl }), message: /not as a CouchDB server does/ },
    { name: 'a wrong password', settings: () => login({ password: 'wrong' }), field: 'password', message: /password/i },
    { name: 'a database that does not exist', settings: () => login({ database: 'no-such-db' }), message: /no-such-db/ },
    { name: 'a database that is not Sidecar’s', settings: () => login({ database: 'crm' }), message: /not a Sidecar team database/i },
    { name: 'a user who is not a member', settings: () => login({ username: 'sam', password: 'sam-password' }), message: /member/i },
    { name: 'plain http to another computer', settings: () => login({ serverUrl: 'http://couch.example.com' }), field: 'serverUrl', message: /https/ },
    { name: 'a database name CouchDB refuses', settings: () => login({ database: 'Team DB' }), field: 'database', message: /database/i },
    {
      name: 'a wrong team passphrase',
      settings: () => login(),
      passphrase: 'not the team passphrase',
      field: 'passphrase',
      message: /team passphrase is wrong/,
    },
    { name: 'no team passphrase', settings: () => login(), passphrase: '', field: 'passphrase', message: /Enter the team passphrase/ },
  ];

  for (const { name, settings, passphrase, field, message } of cases) {
    it(
      name,
      async () => {
        const { db, team, storeName } = await newMember();
        const before = await snapshot(db);
        const onServer = await teamDocs();
        const error = await team.join(settings(), passphrase ?? PASSPHRASE).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(HandledError);
        expect((error as HandledError).message).toMatch(message);
        if (field) expect(Object.keys((error as HandledError).fields ?? {})).toContain(field);
        expect(await snapshot(db)).toBe(before);
        expect(await db.preferences.get('team')).toBeUndefined();
        expect((await docStore(storeName).info()).doc_count).toBe(0);
        expect(await teamDocs()).toEqual(onServer);
        await destroyDocStore(storeName);
        db.close();
      },
      30_000,
    );
  }

  it('a team passphrase too short to set a team up, on an empty database', async () => {
    await server.createDatabase('empty-team', ['alex']);
    const { db, team } = await newMember();
    const before = await snapshot(db);
    const error = await team.join(login({ database: 'empty-team' }), 'short').catch((caught: unknown) => caught);
    expect((error as HandledError).fields).toEqual({ passphrase: expect.stringContaining('at least 12 characters') });
    expect(await snapshot(db)).toBe(before);
    db.close();
  });
});
