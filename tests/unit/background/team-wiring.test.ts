import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
let documents: DocumentService;

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
  documents = new DocumentService(db, () => docStore(storeName), vault);
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

describe('watching the setup for what to publish', () => {
  /**
   * Every overlay on a ticket seen for the first time writes its answer to `tickets`. That answer
   * is shared with the team, but it changes nothing of the client spaces: re-reading and
   * re-publishing 2,000 of them for it took most of the worker's time per new ticket (#17).
   */
  it('shares a new ticket answer without re-publishing the client spaces, and still publishes a changed space', async () => {
    const spaces = vi.spyOn(documents, 'publishSpaces');
    const shared = vi.spyOn(documents, 'publishShared');
    wiring.watchSetup(async () => {});
    // The first pass publishes what is there.
    await vi.waitFor(() => expect(shared).toHaveBeenCalledTimes(1));
    expect(spaces).toHaveBeenCalledTimes(1);

    await db.tickets.put({ integrationId: 'cw', ticketId: '501', info: { ticketId: '501', companyRemoteId: '19' }, fetchedAt: Date.now() });
    await vi.waitFor(() => expect(shared).toHaveBeenCalledTimes(2));
    expect(spaces).toHaveBeenCalledTimes(1);

    await db.clientSpaces.add({ id: 'space-acme', name: 'Acme', createdAt: 1 });
    await vi.waitFor(() => expect(spaces).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(shared).toHaveBeenCalledTimes(3));
  });
});
