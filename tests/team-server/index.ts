/**
 * A CouchDB-compatible team server for tests and `npm run team-server` (#15): pouchdb-server on
 * loopback, on-disk (leveldb) in its own temp directory, with an admin. It is for trying and
 * testing only: production is Apache CouchDB 3.x, and pouchdb-server does not guard every
 * endpoint (README.md here lists how it differs). Never send it an anonymous `PUT /<db>`: once
 * an admin exists, that crashes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, isPortFree, waitForPortFree } from './ports.ts';

export interface TeamServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Where the server keeps its data, config and log. Default: a new temp directory, removed by close(). */
  dir?: string;
}

export interface TeamServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  admin: { name: string; password: string };
  /** Creates the CouchDB user `org.couchdb.user:<name>` in `_users`. */
  addUser(name: string, password: string): Promise<void>;
  /** Creates the database as admin and makes `members` its `_security` members (names; none: admins only). */
  createDatabase(name: string, members: string[]): Promise<void>;
  /** Replaces the database's `_security` members (names; none: admins only, never public). */
  setMembers(database: string, members: string[]): Promise<void>;
  /** Kills the server; its data stays on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (after stop()). */
  start(): Promise<void>;
  /** stop(), then removes the temp directory (not a `dir` you passed). */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;

const require = createRequire(import.meta.url);
const SERVER_BIN = path.join(path.dirname(require.resolve('pouchdb-server/package.json')), 'bin', 'pouchdb-server');

export async function startTeamServer(options: TeamServerOptions = {}): Promise<TeamServer> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'sidecar-team-server-')));
  await mkdir(path.join(dir, 'data'), { recursive: true });
  const port = options.port ?? (await findFreePort(HOST));
  const url = `http://${HOST}:${port}`;
  const admin = { name: 'admin', password: randomBytes(12).toString('base64url') };
  // pouchdb-server replaces the plain password with a hash in this file at start.
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({ admins: { [admin.name]: admin.password }, log: { level: 'warning' } }, null, 2));

  const authorization = `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}`;
  let child: ChildProcess | undefined;
  let outputTail = '';
  // A test run that dies without close() must not leave a server behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  async function start(): Promise<void> {
    if (child) throw new Error(`The team server on ${url} is already running.`);
    if (!(await isPortFree(port, HOST))) throw new Error(`Port ${port} on ${HOST} is in use: cannot start the team server there.`);
    outputTail = '';
    const spawned = spawn(
      process.execPath,
      [SERVER_BIN, '--port', String(port), '--host', HOST, '--dir', path.join(dir, 'data'), '--config', path.join(dir, 'config.json'), '-n'],
      {
        // It writes config.json and log.txt into its working directory.
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keepTail = (chunk: Buffer) => {
      outputTail = (outputTail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    spawned.stdout?.on('data', keepTail);
    spawned.stderr?.on('data', keepTail);
    child = spawned;
    spawned.once('exit', () => {
      if (child === spawned) child = undefined;
    });
    await waitUntilAnswering(spawned);
  }

  async function waitUntilAnswering(spawned: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawned.exitCode !== null || spawned.signalCode !== null) {
        throw new Error(`The team server exited (${spawned.exitCode ?? spawned.signalCode}) before answering on ${url}:\n${outputTail}`);
      }
      try {
        const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop();
    throw new Error(`The team server did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s:\n${outputTail}`);
  }

  async function stop(): Promise<void> {
    const running = child;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    await waitForPortFree(port, HOST);
  }

  async function close(): Promise<void> {
    await stop();
    process.off('exit', killOnExit);
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  }

  async function asAdmin(method: string, pathname: string, body?: unknown): Promise<void> {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname} as admin answered ${response.status}: ${text}`);
  }

  // Empty members (no names, no roles) would make the database public, anonymous readers included,
  // in CouchDB and pouchdb-server alike: the `_admin` role keeps it closed when no member is left
  // (CouchDB 3's own default for a new database).
  const security = (members: string[]) => ({ admins: { names: [], roles: [] }, members: { names: members, roles: ['_admin'] } });

  const server: TeamServer = {
    url,
    admin,
    addUser: (name, password) =>
      asAdmin('PUT', `/_users/org.couchdb.user:${encodeURIComponent(name)}`, { _id: `org.couchdb.user:${name}`, name, password, roles: [], type: 'user' }),
    async createDatabase(name, members) {
      await asAdmin('PUT', `/${encodeURIComponent(name)}`);
      await asAdmin('PUT', `/${encodeURIComponent(name)}/_security`, security(members));
    },
    setMembers: (database, members) => asAdmin('PUT', `/${encodeURIComponent(database)}/_security`, security(members)),
    stop,
    start,
    close,
  };

  try {
    await start();
  } catch (error) {
    await close();
    throw error;
  }
  return server;
}

/** A server with one database whose members are `members`, each a user whose password is `<name>-password` (tests and benches). */
export async function startTeamServerWith(database: string, members: string[], options: TeamServerOptions = {}): Promise<TeamServer> {
  const server = await startTeamServer(options);
  for (const member of members) await server.addUser(member, `${member}-password`);
  await server.createDatabase(database, members);
  return server;
}
