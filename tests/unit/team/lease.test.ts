import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamServerError } from '@/lib/team/connection';
import {
  acquireLease,
  isLeaseLive,
  LEASE_TTL_MS,
  leaseDocSchema,
  leaseId,
  readLeases,
  releaseLease,
  renewLease,
  type LeaseDoc,
  type LeaseOutcome,
} from '@/lib/team/lease';
import { parseTeamSettings, type TeamSettings } from '@/lib/team/settings';
import { startTeamServer, type TeamServer } from '../../team-server/index.ts';
import { findFreePort } from '../../team-server/ports.ts';

/**
 * The sync lease against a real CouchDB-compatible server (pouchdb-server on loopback, one for the
 * file): taking, renewing, taking over an expired lease, refusing a live one, two browsers at once
 * (exactly one wins), a write that loses a race (409) read again and decided again, release, the
 * Team panel's list, and every refusal classified as probeTeam does.
 *
 * Checked by hand to fail without their guards (each mutation run alone, then undone):
 * - another's lease treated as live whatever its expiresAt: the takeover, the concurrent takeover,
 *   two of the race cases, both lapsed/lost renewal cases and "release lets another take
 *   it at once" fail;
 * - `expiresAt >= now` read as live (instead of `>`): the boundary in the takeover case fails;
 * - renewLease allowed to take over an expired lease: "never takes over an expired lease of another" fails;
 * - no `_rev` on a renewal or takeover PUT: the renew, takeover, release and race cases fail (409);
 * - a 409 not read again (thrown as a server error): "two browsers at once", the concurrent
 *   takeover and the three "loses a race" cases fail;
 * - every lease taken as this install's (no installId check): nine cases fail, "refuses another
 *   install while the lease is live" among them;
 * - releaseLease without its holder check: "release never touches another's lease" fails;
 * - every 404 read as "no lease" (a missing database too): "a missing database" fails (release
 *   then answers "nothing to release" instead of throwing);
 * - readLeases' upper bound `lease:\ufff0` instead of `lease;`: the source starting with an emoji
 *   (UTF-8 F0…, above EF BF B0) is missing from the list.
 */

let server: TeamServer;
const ALEX = { name: 'alex', password: 'alex-pw' };
const DANA = { name: 'dana', password: 'dana-pw' };
const EVE = { name: 'eve', password: 'eve-pw' };
const ALEX_INSTALL = { installId: 'install-alex', name: 'Alex' };
const DANA_INSTALL = { installId: 'install-dana', name: 'Dana' };
const DATABASE = 'sidecar-team';
const LISTED = 'leases-listed';
const T0 = 1_800_000_000_000;

beforeAll(async () => {
  server = await startTeamServer();
  for (const user of [ALEX, DANA, EVE]) await server.addUser(user.name, user.password);
  await server.createDatabase(DATABASE, [ALEX.name, DANA.name]);
  await server.createDatabase(LISTED, [ALEX.name, DANA.name]);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

let sources = 0;
/** A source no other test touches (tenant keys hold ':' and may hold '/'). */
const newSource = () => `connectwise:na.myconnectwise.net:acme/${++sources}`;

function settingsFor(login: { name: string; password: string }, database = DATABASE, serverUrl = server.url): TeamSettings {
  const result = parseTeamSettings({ serverUrl, database, username: login.name, password: login.password });
  if (!result.ok) throw new Error(result.message);
  return result.settings;
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

const docPath = (source: string, database = DATABASE) => `/${database}/${encodeURIComponent(leaseId(source))}`;
const onServer = async (source: string, database = DATABASE) => (await asAdmin('GET', docPath(source, database))).body;

function won(outcome: LeaseOutcome): Extract<LeaseOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected the lease, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function lost(outcome: LeaseOutcome): LeaseDoc {
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return outcome.heldBy;
}

async function thrownBy(promise: Promise<unknown>): Promise<TeamServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TeamServerError);
  return error as TeamServerError;
}

/** A lease as another browser would have written it, straight onto the server. */
function leaseOf(source: string, holder: { installId: string; name: string }, expiresAt: number, rev?: string): LeaseDoc {
  return {
    _id: leaseId(source),
    ...(rev ? { _rev: rev } : {}),
    kind: 'lease',
    schema: 1,
    source,
    holder,
    acquiredAt: expiresAt - LEASE_TTL_MS,
    renewedAt: expiresAt - LEASE_TTL_MS,
    expiresAt,
  };
}

/**
 * A fetch that, before each of the first `times` PUTs, lets "another browser" (the admin) write
 * the lease first: the PUT then carries a stale _rev and gets 409.
 */
function racingFetch(source: string, interloper: (rev: string | undefined) => LeaseDoc, times = 1) {
  const seen = { puts: 0, gets: 0 };
  const racing: typeof fetch = async (input, init) => {
    const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
    if (method === 'GET') seen.gets++;
    if (method === 'PUT' && seen.puts++ < times) {
      const current = await asAdmin('GET', docPath(source));
      const rev = current.status === 200 ? (current.body._rev as string) : undefined;
      expect((await asAdmin('PUT', docPath(source), interloper(rev))).status).toBe(201);
    }
    return fetch(input, init);
  };
  return { fetch: racing, seen };
}

describe('acquireLease', () => {
  it('creates a free lease (new), then renews it for the same install (renewed)', async () => {
    const source = newSource();
    const first = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    expect(first.took).toBe('new');
    expect(first.lease).toEqual({
      _id: `lease:${source}`,
      _rev: expect.stringMatching(/^1-/),
      kind: 'lease',
      schema: 1,
      source,
      holder: ALEX_INSTALL,
      acquiredAt: T0,
      renewedAt: T0,
      expiresAt: T0 + LEASE_TTL_MS,
    });
    expect(await onServer(source)).toEqual(first.lease);
    expect(leaseDocSchema.safeParse(await onServer(source)).success).toBe(true);

    const second = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 60_000 }));
    expect(second.took).toBe('renewed');
    expect(second.lease).toMatchObject({ acquiredAt: T0, renewedAt: T0 + 60_000, expiresAt: T0 + 60_000 + LEASE_TTL_MS, _rev: expect.stringMatching(/^2-/) });
    expect(await onServer(source)).toEqual(second.lease);
  });

  it('refuses another install while the lease is live, answering who holds it, and writes nothing', async () => {
    const source = newSource();
    const alex = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    const heldBy = lost(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 + LEASE_TTL_MS - 1 }));
    expect(heldBy).toEqual(alex.lease);
    expect(await onServer(source)).toEqual(alex.lease);
  });

  it('takes over another’s lease once it has expired (expiresAt <= now), with its _rev', async () => {
    const source = newSource();
    const alex = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0, ttlMs: 30_000 }));
    expect(alex.lease.expiresAt).toBe(T0 + 30_000);
    lost(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 + 29_999 }));
    const dana = won(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 + 30_000 }));
    expect(dana.took).toBe('expired');
    expect(dana.lease).toMatchObject({
      holder: DANA_INSTALL,
      acquiredAt: T0 + 30_000,
      expiresAt: T0 + 30_000 + LEASE_TTL_MS,
      _rev: expect.stringMatching(/^2-/),
    });
    expect(await onServer(source)).toEqual(dana.lease);
  });

  it('two browsers at once: exactly one gets the lease, the other is told who holds it', async () => {
    for (let round = 0; round < 5; round++) {
      const source = newSource();
      const outcomes = await Promise.all([
        acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }),
        acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 }),
      ]);
      const winners = outcomes.filter((outcome) => outcome.ok);
      expect(winners).toHaveLength(1);
      const winner = won(winners[0]!);
      expect(lost(outcomes.find((outcome) => !outcome.ok)!)).toEqual(winner.lease);
      expect(await onServer(source)).toEqual(winner.lease);
    }
  });

  it('two browsers taking over one expired lease at once: exactly one gets it', async () => {
    const source = newSource();
    const carol = { installId: 'install-carol', name: 'Carol' };
    expect((await asAdmin('PUT', docPath(source), leaseOf(source, carol, T0))).status).toBe(201);
    const outcomes = await Promise.all([
      acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 1 }),
      acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 + 1 }),
    ]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(won(outcomes.find((outcome) => outcome.ok)!).took).toBe('expired');
  });

  it('a write that loses a race (409) reads again and is refused when the other’s lease is live', async () => {
    const source = newSource();
    const race = racingFetch(source, (rev) => leaseOf(source, DANA_INSTALL, T0 + LEASE_TTL_MS, rev));
    const heldBy = lost(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0, fetch: race.fetch }));
    expect(heldBy).toMatchObject({ holder: DANA_INSTALL, expiresAt: T0 + LEASE_TTL_MS });
    expect(race.seen).toEqual({ puts: 1, gets: 2 });
  });

  it('a write that loses a race (409) reads again and decides again: an expired lease is taken over', async () => {
    const source = newSource();
    const race = racingFetch(source, (rev) => leaseOf(source, DANA_INSTALL, T0 - 1, rev));
    const alex = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0, fetch: race.fetch }));
    expect(alex.took).toBe('expired');
    expect(await onServer(source)).toEqual(alex.lease);
    expect(race.seen).toEqual({ puts: 2, gets: 2 });
  });

  it('a write that loses a race twice answers what is there then, and writes no more', async () => {
    const source = newSource();
    const race = racingFetch(source, (rev) => leaseOf(source, DANA_INSTALL, T0 - 1, rev), 2);
    const heldBy = lost(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0, fetch: race.fetch }));
    expect(heldBy).toMatchObject({ holder: DANA_INSTALL, _rev: expect.stringMatching(/^2-/) });
    expect(race.seen).toEqual({ puts: 2, gets: 3 });
  });

  it('keeps a source with : / ? # % and non-ASCII characters as one document id', async () => {
    const source = 'autotask:webservices2.autotask.net:zone/2?x=1#frag%20ü';
    const alex = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    expect(alex.lease._id).toBe(`lease:${source}`);
    expect(await onServer(source)).toMatchObject({ _id: `lease:${source}`, source });
    expect(won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 1 })).took).toBe('renewed');
  });

  it('refuses bad input before sending anything', async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    await expect(acquireLease(settingsFor(ALEX), '', ALEX_INSTALL, { fetch: counting })).rejects.toThrow(TypeError);
    await expect(acquireLease(settingsFor(ALEX), 'x'.repeat(501), ALEX_INSTALL, { fetch: counting })).rejects.toThrow(TypeError);
    await expect(acquireLease(settingsFor(ALEX), newSource(), { installId: '', name: 'Alex' }, { fetch: counting })).rejects.toThrow(TypeError);
    await expect(acquireLease(settingsFor(ALEX), newSource(), ALEX_INSTALL, { fetch: counting, ttlMs: 0 })).rejects.toThrow(TypeError);
    await expect(acquireLease(settingsFor(ALEX), newSource(), ALEX_INSTALL, { fetch: counting, now: Number.NaN })).rejects.toThrow(TypeError);
    expect(requests).toBe(0);
  });
});

describe('renewLease', () => {
  it('renews this install’s lease, and refuses once another took it (stopped past its expiry)', async () => {
    const source = newSource();
    won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    const renewed = won(await renewLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + LEASE_TTL_MS / 3 }));
    expect(renewed).toMatchObject({ took: 'renewed', lease: { acquiredAt: T0, expiresAt: T0 + LEASE_TTL_MS / 3 + LEASE_TTL_MS } });

    const later = renewed.lease.expiresAt + 5_000;
    const dana = won(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: later }));
    expect(dana.took).toBe('expired');
    expect(lost(await renewLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: later + 1 }))).toEqual(dana.lease);
    expect(await onServer(source)).toEqual(dana.lease);
  });

  it('renews this install’s lapsed lease when nobody took it (a new holding)', async () => {
    const source = newSource();
    won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    const renewed = won(await renewLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 2 * LEASE_TTL_MS }));
    expect(renewed).toMatchObject({ took: 'renewed', lease: { acquiredAt: T0 + 2 * LEASE_TTL_MS, expiresAt: T0 + 3 * LEASE_TTL_MS } });
  });

  it('never takes over an expired lease of another', async () => {
    const source = newSource();
    const dana = won(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 }));
    expect(lost(await renewLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 10 * LEASE_TTL_MS }))).toEqual(dana.lease);
    expect(await onServer(source)).toEqual(dana.lease);
  });

  it('creates the lease again when an admin deleted it', async () => {
    const source = newSource();
    const alex = won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    expect((await asAdmin('DELETE', `${docPath(source)}?rev=${alex.lease._rev}`)).status).toBe(200);
    expect(won(await renewLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 + 1 })).took).toBe('new');
  });
});

describe('releaseLease', () => {
  it('release lets another take it at once, without waiting for the expiry', async () => {
    const source = newSource();
    won(await acquireLease(settingsFor(ALEX), source, ALEX_INSTALL, { now: T0 }));
    const released = await releaseLease(settingsFor(ALEX), source, ALEX_INSTALL);
    expect(released).toMatchObject({ ok: true, lease: { holder: ALEX_INSTALL, expiresAt: 0 } });
    expect(await onServer(source)).toMatchObject({ holder: ALEX_INSTALL, expiresAt: 0 });
    // Releasing again changes nothing.
    expect(await releaseLease(settingsFor(ALEX), source, ALEX_INSTALL)).toEqual(released);

    const dana = won(await acquireLease(settingsFor(DANA), source, DANA_INSTALL, { now: T0 + 1 }));
    expect(['new', 'expired']).toContain(dana.took);
    expect(dana.lease.holder).toEqual(DANA_INSTALL);
  });

  it('release never touches another’s lease', async () => {
    const source = newSource();
    const dana = won(await acquireLease(settingsFor(DANA), source, DANA_INSTALL));
    expect(await releaseLease(settingsFor(ALEX), source, ALEX_INSTALL)).toEqual({ ok: false, heldBy: dana.lease });
    expect(await onServer(source)).toEqual(dana.lease);
    expect(await releaseLease(settingsFor(ALEX), newSource(), ALEX_INSTALL)).toEqual({ ok: false, heldBy: undefined });
  });
});

describe('readLeases', () => {
  it('lists every lease in the database in id order, and only leases', async () => {
    const sourcesListed = ['autotask:ws.autotask.net:zeta', 'connectwise:na.myconnectwise.net:acme', 'halo:acme.halopsa.com/x', 'syncro:acme', '🚀rocket:acme'];
    for (const source of sourcesListed) won(await acquireLease(settingsFor(ALEX, LISTED), source, ALEX_INSTALL, { now: T0 }));
    won(await acquireLease(settingsFor(DANA, LISTED), 'connectwise:eu.myconnectwise.net:other', DANA_INSTALL, { now: T0 }));
    await releaseLease(settingsFor(ALEX, LISTED), 'halo:acme.halopsa.com/x', ALEX_INSTALL);
    // Not leases: ids around the prefix, and a lease: document Sidecar did not write.
    for (const id of ['lease', 'leases:x', 'lease;', 'kease:x', 'sidecar:team'])
      expect((await asAdmin('PUT', `/${LISTED}/${encodeURIComponent(id)}`, { kind: 'x' })).status).toBe(201);
    expect((await asAdmin('PUT', `/${LISTED}/${encodeURIComponent('lease:broken')}`, { kind: 'lease', schema: 1 })).status).toBe(201);

    const leases = await readLeases(settingsFor(DANA, LISTED));
    expect(leases.map((lease) => [lease.source, lease.holder.name, isLeaseLive(lease, T0)])).toEqual([
      ['autotask:ws.autotask.net:zeta', 'Alex', true],
      ['connectwise:eu.myconnectwise.net:other', 'Dana', true],
      ['connectwise:na.myconnectwise.net:acme', 'Alex', true],
      ['halo:acme.halopsa.com/x', 'Alex', false],
      ['syncro:acme', 'Alex', true],
      ['🚀rocket:acme', 'Alex', true],
    ]);
    for (const lease of leases) expect(lease._rev).toMatch(/^\d+-/);
  });

  it('answers an empty list for a database without leases', async () => {
    await server.createDatabase('leases-none', [ALEX.name]);
    expect(await readLeases(settingsFor(ALEX, 'leases-none'))).toEqual([]);
  });
});

describe('refusals', () => {
  /** Each call, run one after the other (a rejection is awaited at once). */
  const calls = (settings: TeamSettings, source: string): (() => Promise<unknown>)[] => [
    () => acquireLease(settings, source, ALEX_INSTALL),
    () => renewLease(settings, source, ALEX_INSTALL),
    () => releaseLease(settings, source, ALEX_INSTALL),
    () => readLeases(settings),
  ];

  it('a user who is not a member: not-member, for every call', async () => {
    for (const call of calls(settingsFor(EVE), newSource())) expect(await thrownBy(call())).toMatchObject({ code: 'not-member' });
  });

  it('a wrong password: login', async () => {
    for (const call of calls(settingsFor({ name: ALEX.name, password: 'wrong' }), newSource())) {
      expect(await thrownBy(call())).toMatchObject({ code: 'login', field: 'password' });
    }
  });

  it('a missing database: no-database (a missing database is not a free lease)', async () => {
    for (const call of calls(settingsFor(ALEX, 'no-such-team'), newSource())) {
      expect(await thrownBy(call())).toMatchObject({ code: 'no-database', field: 'database' });
    }
  });

  it('a closed port: unreachable', async () => {
    const port = await findFreePort();
    for (const call of calls(settingsFor(ALEX, DATABASE, `http://127.0.0.1:${port}`), newSource())) {
      expect(await thrownBy(call())).toMatchObject({ code: 'unreachable', field: 'serverUrl' });
    }
  });

  it('a lease: document Sidecar did not write: not-sidecar, and it is left alone', async () => {
    const source = newSource();
    const foreign = { _id: leaseId(source), kind: 'lease', schema: 2, holder: 'someone' };
    expect((await asAdmin('PUT', docPath(source), foreign)).status).toBe(201);
    for (const call of calls(settingsFor(ALEX), source).slice(0, 3)) expect(await thrownBy(call())).toMatchObject({ code: 'not-sidecar' });
    expect(await onServer(source)).toMatchObject({ ...foreign, _rev: expect.stringMatching(/^1-/) });
  });
});
