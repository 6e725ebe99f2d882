/**
 * node --experimental-strip-types tests/team-server/cli.ts [--port N]
 * A team server (pouchdb-server) on 127.0.0.1 with the database `sidecar-team` and two members,
 * for trying Sidecar's Team panel by hand. Default port 5984 (CouchDB's) when free, else any.
 * Runs until SIGINT/SIGTERM, then removes its temp directory.
 */
import { parseArgs } from 'node:util';
import { startTeamServer } from './index.ts';
import { isPortFree } from './ports.ts';

const DATABASE = 'sidecar-team';
/** Fixed so the README can name them; the server only listens on loopback. */
const MEMBERS = [
  { name: 'alex', password: 'alex-sidecar-demo' },
  { name: 'dana', password: 'dana-sidecar-demo' },
];
const COUCHDB_PORT = 5984;

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = values.port ? Number(values.port) : (await isPortFree(COUCHDB_PORT)) ? COUCHDB_PORT : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) throw new Error('--port must be a port number (1-65535)');

const server = await startTeamServer({ port });
try {
  for (const member of MEMBERS) await server.addUser(member.name, member.password);
  await server.createDatabase(
    DATABASE,
    MEMBERS.map((member) => member.name),
  );
} catch (error) {
  await server.close();
  throw error;
}

console.log(`team server (pouchdb-server): ${server.url}   database: ${DATABASE}`);
console.log(`  admin: ${server.admin.name} / ${server.admin.password}`);
for (const member of MEMBERS) console.log(`  member: ${member.name} / ${member.password}`);
console.log('  For trying and testing only: production is Apache CouchDB 3.x (pouchdb-server does not guard every endpoint).');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
