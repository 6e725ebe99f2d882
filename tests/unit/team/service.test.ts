import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, remoteStore, type DocStore } from '@/lib/docstore/pouch';
import { saveAuthorName } from '@/lib/docstore/author';
import { DocumentService } from '@/lib/documents/service';
import { spaceDocuments } from '@/lib/documents/read';
import { HandledError } from '@/lib/errors';
import { createSpace } from '@/lib/match/spaces';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { TeamService } from '@/lib/team/service';
import { teamMembership, teamStatus } from '@/lib/team/state';
import { resealForTeam } from '@/lib/team/reseal';
import { sourceDigest } from '@/lib/docstore/ids';
import { teamIntegrationId } from '@/lib/documents/shared-context';
import { startTeamServer, type TeamServer } from '../../team-server/index.ts';
import { snapshot } from '../../support/bad-input.ts';

/**
 * Two browsers of one team against a real CouchDB-compatible server (pouchdb-server on loopback):
 * the first sets the team up, the second joins with the team passphrase; client spaces, notes and
 * credentials (sealed under the team key) travel both ways; bad settings and a wrong passphrase
 * write nothing; a member removed from the database's `_security` is told so and their copy
 * becomes read-only.
 *
 * Checked by hand to fail without their guards: with resealForTeam doing nothing, the first case
 * fails (a `local:` box reaches the server, Dana cannot open it); without DocumentService's
 * read-only refusal, the second fails.
 */

const DATABASE = 'sidecar-team';
const PASSPHRASE = 'ocean orbit velvet 42';
let server: TeamServer;

beforeAll(async () => {
  server = await startTeamServer();
  await server.addUser('alex', 'alex-password');
  await server.addUser('dana', 'dana-password');
  await server.addUser('sam', 'sam-password');
  await server.createDatabase(DATABASE, ['alex', 'dana']);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

interface Member {
  db: SidecarDb;
  store: DocStore;
  docs: DocumentService;
  team: TeamService;
  vault: Vault;
}
const members: Member[] = [];

let clock = () => Date.now();
let serverDown = false;

async function member(name: string, onPulled?: (ids: string[], team: TeamService) => void): Promise<Member> {
  const db = new SidecarDb(`team-${name}-${crypto.randomUUID()}`);
  await db.open();
  await saveAuthorName(db, name);
  const storeName = `team-docs-${name}-${crypto.randomUUID()}`;
  const store = docStore(storeName);
  const vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  const docs = new DocumentService(
    db,
    () => docStore(storeName),
    vault,
    () => team.readOnlyReason(),
  );
  const team = new TeamService({
    db,
    vault,
    local: () => docStore(storeName),
    // While `serverDown`, requests made from here on reach nothing (port 9), as with a server that does not answer.
    remote: (url, auth) => remoteStore(serverDown ? url.replace(new URL(url).host, '127.0.0.1:9') : url, auth),
    prepare: async () => {
      await docs.exclusive(({ store: local }) => resealForTeam(local, db, vault));
      await docs.publishSpaces();
    },
    pulled: (ids) => {
      onPulled?.(ids, team);
      void docs.catchUp();
    },
    dropDocumentation: async () => {
      await destroyDocStore(storeName);
      await db.transaction('rw', db.docs, db.docCursor, () => Promise.all([db.docs.clear(), db.docCursor.clear()]));
    },
    hasHostPermission: async () => true,
    managed: async () => ({}),
    now: () => clock(),
  });
  const created = { db, store, docs, team, vault };
  members.push(created);
  return created;
}

const login = (username: string, password: string) => ({ serverUrl: server.url, database: DATABASE, username, password });

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterEach(async () => {
  clock = () => Date.now();
  serverDown = false;
  for (const { team, store, db } of members.splice(0)) {
    await team.leave().catch(() => undefined);
    await destroyDocStore(store.name).catch(() => undefined);
    db.close();
  }
});

describe('one team through its CouchDB', () => {
  it('A sets the team up, B joins: spaces, notes and sealed credentials travel both ways', async () => {
    const alex = await member('Alex');
    const space = await createSpace(alex.db, 'Northwind Traders');
    const note = await alex.docs.saveNote({ place: { spaceId: space.id }, text: 'Call Dana before rebooting the file server' });
    // Written before joining: sealed under Alex's own key, re-sealed for the team before it is sent.
    await alex.docs.saveCredential({ place: { spaceId: space.id }, name: 'Firewall admin', secret: 'Fw-Admin-Pa55!' });
    const joined = await alex.team.join(login('alex', 'alex-password'), PASSPHRASE);
    expect(joined.created).toBe(true);

    const dana = await member('Dana');
    // Wrong passphrase: a clear message at the field, nothing written here.
    const before = await snapshot(dana.db);
    const wrong = await dana.team.join(login('dana', 'dana-password'), 'not the passphrase').catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(HandledError);
    expect((wrong as HandledError).fields).toEqual({ passphrase: expect.stringContaining('The team passphrase is wrong') });
    expect(await snapshot(dana.db)).toBe(before);
    expect(await teamMembership(dana.db)).toBeUndefined();

    expect((await dana.team.join(login('dana', 'dana-password'), PASSPHRASE)).created).toBe(false);
    await eventually(
      () => dana.db.clientSpaces.get(space.id),
      (row) => row?.name === 'Northwind Traders',
    );
    const seen = await eventually(
      () => spaceDocuments(dana.db, space.id),
      (docs) => docs.notes.length === 1 && docs.credentials.length === 1,
    );
    expect(seen.notes[0]).toMatchObject({ text: 'Call Dana before rebooting the file server', by: 'Alex' });
    // Dana opens Alex's credential with the team key; the server never held it in the clear.
    expect((await dana.docs.revealCredential(seen.credentials[0]!.id)).secret).toBe('Fw-Admin-Pa55!');
    const onServer = await fetch(`${server.url}/${DATABASE}/_all_docs?include_docs=true`, {
      headers: { authorization: `Basic ${btoa(`${server.admin.name}:${server.admin.password}`)}` },
    }).then((response) => response.text());
    expect(onServer).toContain('Firewall admin');
    expect(onServer).not.toContain('Fw-Admin-Pa55!');
    expect(onServer).not.toContain('"keyId":"local:');

    // Dana edits the note; Alex sees it.
    await dana.docs.saveNote({ id: note.id, baseRev: seen.notes[0]!.rev, text: 'Call Dana (ext. 214) before rebooting' });
    await eventually(
      () => spaceDocuments(alex.db, space.id),
      (docs) => docs.notes[0]?.text === 'Call Dana (ext. 214) before rebooting',
    );
    await eventually(
      () => teamStatus(alex.db),
      (status) => status?.state === 'idle' && !!status.lastReplicatedAt,
    );
  });

  it('a joining member’s first pull is applied as it arrives, and nothing of hers is published until it ends', async () => {
    await server.createDatabase('sidecar-first-pull', ['alex', 'dana']);
    const teamLogin = (username: string) => ({ ...login(username, `${username}-password`), database: 'sidecar-first-pull' });
    const alex = await member('Alex');
    // More than one batch of the first pull (500 documents).
    for (let index = 0; index < 1_100; index++) await createSpace(alex.db, `Client ${String(index).padStart(3, '0')}`);
    await alex.team.join(teamLogin('alex'), PASSPHRASE);
    await eventually(
      () =>
        fetch(`${server.url}/sidecar-first-pull`, { headers: { authorization: `Basic ${btoa(`${server.admin.name}:${server.admin.password}`)}` } }).then((r) =>
          r.json(),
        ),
      (info: { doc_count?: number }) => (info.doc_count ?? 0) >= 1_101,
    );

    const heldAtEachBatch: boolean[] = [];
    const dana = await member('Dana', (_ids, team) => heldAtEachBatch.push(team.holdsPublishing));
    await createSpace(dana.db, 'Dana’s own client');
    await dana.team.join(teamLogin('dana'), PASSPHRASE);
    await eventually(
      () => dana.db.clientSpaces.count(),
      (count) => count === 1_101,
    );
    await eventually(
      () => teamStatus(dana.db),
      (status) => status?.state === 'idle',
    );
    // Several batches came in while the first pull ran, each projected as it came, with publishing held.
    expect(heldAtEachBatch.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(dana.team.holdsPublishing).toBe(false);
    // Her own client space was published once the pull had ended.
    await eventually(
      () =>
        fetch(`${server.url}/sidecar-first-pull/_all_docs`, {
          headers: { authorization: `Basic ${btoa(`${server.admin.name}:${server.admin.password}`)}` },
        }).then((r) => r.json()),
      (all: { total_rows?: number }) => (all.total_rows ?? 0) >= 1_102,
    );
  }, 120_000);

  it('a member removed from the database is told so, and their copy becomes read-only', async () => {
    await server.addUser('lee', 'lee-password');
    await server.setMembers(DATABASE, ['alex', 'dana', 'lee']);
    const lee = await member('Lee');
    await lee.team.join(login('lee', 'lee-password'), PASSPHRASE);
    await eventually(
      () => teamStatus(lee.db),
      (status) => status?.state === 'idle',
    );
    await server.setMembers(DATABASE, ['alex', 'dana']);
    const space = await createSpace(lee.db, 'Contoso');
    // The next replication (this write's push, or the live pull) is refused.
    await lee.docs.saveNote({ place: { spaceId: space.id }, text: 'Written as the door closed' }).catch(() => undefined);
    const refused = await eventually(
      () => teamStatus(lee.db),
      (status) => status?.state === 'refused',
      30_000,
    );
    expect(refused?.message).toContain('no longer a member of “sidecar-team”');
    await expect(lee.docs.saveNote({ place: { spaceId: space.id }, text: 'Another' })).rejects.toThrow('read-only');
    // Leaving the team makes the copy writable again (and empty of the team's documentation).
    await lee.team.leave();
    await expect(lee.docs.saveNote({ place: { spaceId: space.id }, text: 'On my own again' })).resolves.toMatchObject({ changed: true });
  }, 60_000);

  it('one browser syncs each PSA for the team: the lease holder; another member takes over only after it expires', async () => {
    const source = 'connectwise:na.myconnectwise.net:lease-test';
    const alex = await member('Alex');
    await alex.team.join(login('alex', 'alex-password'), PASSPHRASE);
    const dana = await member('Dana');
    await dana.team.join(login('dana', 'dana-password'), PASSPHRASE);
    const start = Date.now();
    clock = () => start;
    expect(await alex.team.syncTurn(source)).toEqual({ ok: true, holder: true });
    const refused = await dana.team.syncTurn(source);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toContain('Alex’s browser syncs this PSA for the team');
    expect(await dana.team.leases()).toEqual([expect.objectContaining({ source, holder: 'Alex', mine: false, live: true })]);
    // Alex's browser goes away; eleven minutes later Dana's scheduled sync takes its turn.
    clock = () => start + 11 * 60_000;
    expect(await dana.team.syncTurn(source)).toEqual({ ok: true, holder: true });
    expect(await alex.team.syncTurn(source)).toMatchObject({ ok: false });
    // A turn taken for a scheduled sync lasts until the holder's next one (3 hours here): the other
    // members' alarms in between do not race for it, and nobody takes it before the period and the
    // lease's own time have passed.
    expect(await dana.team.syncTurn(source, { holdMs: 3 * 3_600_000 })).toEqual({ ok: true, holder: true });
    clock = () => start + 11 * 60_000 + 2 * 3_600_000;
    expect(await alex.team.syncTurn(source, { holdMs: 3 * 3_600_000 })).toMatchObject({ ok: false });
    clock = () => start + 11 * 60_000 + 3 * 3_600_000 + 11 * 60_000;
    expect(await alex.team.syncTurn(source, { holdMs: 3 * 3_600_000 })).toEqual({ ok: true, holder: true });
    // Outside a team, every sync is this browser's own.
    const solo = await member('Solo');
    expect(await solo.team.syncTurn(source)).toEqual({ ok: true, holder: false });
  }, 60_000);

  it('the team’s records come straight into a member’s records, not her documentation store, and again after she leaves and joins anew; a sync’s records the server missed go when it answers again', async () => {
    await server.createDatabase('sidecar-records', ['alex', 'dana']);
    const teamLogin = (username: string) => ({ ...login(username, `${username}-password`), database: 'sidecar-records' });
    const alex = await member('Alex');
    await alex.db.integrations.add({
      id: 'cw',
      psa: 'connectwise',
      label: 'ConnectWise',
      settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'records-test' },
      uiOrigin: 'https://na.myconnectwise.net',
      origins: ['https://na.myconnectwise.net'],
      createdAt: 1,
      connection: { ok: true, companyName: 'Acme', testedAt: 1 },
      lastSyncAt: 1,
    });
    const row = (entity: 'company' | 'configuration', remoteId: string, name: string) => ({
      integrationId: 'cw',
      entity,
      remoteId,
      companyRemoteId: '1',
      data: { remoteId, name, ...(entity === 'company' ? {} : { companyRemoteId: '1' }) } as never,
      sortName: name.toLowerCase(),
      syncedAt: 1,
    });
    await alex.db.records.bulkAdd([row('company', '1', 'Northwind'), row('configuration', '100', 'FW01'), row('configuration', '101', 'NAS01')]);
    await alex.team.join(teamLogin('alex'), PASSPHRASE);
    expect(await alex.team.publishRecords(['cw'])).toBe(2); // the company's chunk, its configurations' chunk
    expect(await alex.team.publishRecords(['cw'])).toBe(0);

    const dana = await member('Dana');
    const teamId = teamIntegrationId(await sourceDigest('connectwise:na.myconnectwise.net:records-test'));
    const danaRows = () => dana.db.records.where('[integrationId+entity+companyRemoteId]').between([teamId, '', ''], [teamId, '\uffff', '\uffff']).toArray();
    await dana.team.join(teamLogin('dana'), PASSPHRASE);
    await eventually(danaRows, (rows) => rows.length === 3);
    expect((await dana.store.allDocs({ startkey: 'records:', endkey: 'records:\ufff0' })).rows).toEqual([]);
    // A sync ending while the team server does not answer: its records go once the replication is up to date again.
    await alex.db.records.put(row('configuration', '102', 'NAS02'));
    serverDown = true;
    await expect(alex.team.publishRecords(['cw'])).rejects.toThrow();
    expect(await alex.db.preferences.get('team-unpublished')).toEqual({ id: 'team-unpublished', integrationIds: ['cw'] });
    serverDown = false;
    // Anything replicating (a client space here) brings the replication to "up to date" again.
    await createSpace(alex.db, 'Northwind');
    await alex.docs.publishSpaces();
    await eventually(danaRows, (rows) => rows.length === 4);
    expect(await alex.db.preferences.get('team-unpublished')).toBeUndefined();
    // Leaving takes the team's PSA away with its records (the background removes its integration); joining again brings them back.
    await dana.team.leave();
    await dana.db.records.filter((record) => record.integrationId === teamId).delete();
    expect(await dana.db.teamChunks.count()).toBe(0);
    await dana.team.join(teamLogin('dana'), PASSPHRASE);
    await eventually(danaRows, (rows) => rows.length === 4);
  }, 60_000);
});
