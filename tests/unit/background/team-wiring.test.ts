import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wireTeam, type TeamWiring } from '@/lib/background/team-wiring';
import { SidecarDb } from '@/lib/db/schema';
import { saveAuthorName } from '@/lib/docstore/author';
import { destroyDocStore, docStore, remoteStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { saveMembership } from '@/lib/team/state';

/**
 * A start with the team server down (#15): the records this browser synced are published to the
 * team's database directly, which fails while it does not answer; the live replication must start
 * all the same (it retries on its own, and the next start publishes them). Seen failing without
 * the catch around the start's publish of records in lib/background/team-wiring.ts.
 */

let db: SidecarDb;
let storeName: string;
let wiring: TeamWiring;

beforeEach(async () => {
  db = new SidecarDb(`team-wiring-${crypto.randomUUID()}`);
  await db.open();
  await saveAuthorName(db, 'Alex');
  storeName = `team-wiring-docs-${crypto.randomUUID()}`;
  const vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  // Nothing listens on port 9 here: every request to the team server fails at once.
  const settings = { serverUrl: 'http://127.0.0.1:9', database: 'sidecar-team', username: 'alex', password: 'alex-password' };
  await saveMembership(db, vault, settings, { teamId: 'team-1', rawKey: crypto.getRandomValues(new Uint8Array(32)) });
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' },
    uiOrigin: 'https://na.myconnectwise.net',
    origins: ['https://na.myconnectwise.net'],
    createdAt: 1,
    connection: { ok: true, companyName: 'Acme', testedAt: 1 },
    lastSyncAt: 1,
  });
  const documents = new DocumentService(db, () => docStore(storeName), vault);
  wiring = wireTeam({ db, vault, documents, local: () => docStore(storeName), remote: remoteStore });
});
afterEach(async () => {
  await wiring.team.leave().catch(() => undefined);
  await destroyDocStore(storeName).catch(() => undefined);
  db.close();
});

describe('a start while the team server does not answer', () => {
  it('starts the live replication although the records could not be published', async () => {
    await expect(wiring.team.publishRecords(['cw'], { onlyIfFirst: true })).rejects.toThrow();
    await wiring.team.resume();
    expect(wiring.team.running).toBe(true);
  });
});
