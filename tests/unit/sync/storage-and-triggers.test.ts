import type { DBCore, DBCoreMutateRequest } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { testIntegration } from '@/lib/integrations/service';
import { applyMatches } from '@/lib/match/company-match';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import type { PsaAdapter } from '@/lib/psa/types';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { storageProblem } from '@/lib/sync/storage-errors';
import { startEmulator } from '../../emulator/index.ts';
import { startHaloEmulator } from '../../emulator/halo/start.ts';
import { startKaseyaBmsEmulator } from '../../emulator/kaseya-bms/start.ts';

/** Issue #6: two triggers run one sync; secrets never reach logs; a full or closed database corrupts nothing. */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connectwise() {
  const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
  const db = new SidecarDb(`triggers-${Math.random()}`);
  cleanups.push(
    () => cw.close(),
    () => db.delete(),
  );
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: cw.baseUrl, origins: [], createdAt: 0 });
  const creds = cw.credentials.valid;
  const adapter = (privateKey = creds.privateKey) =>
    new ConnectwiseAdapter({
      settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
      credentials: { publicKey: creds.publicKey, privateKey, clientId: creds.clientId },
      retries: 0,
    });
  return { cw, db, adapter };
}

const live = async (db: SidecarDb) => (await db.records.toArray()).filter((row) => row.archivedAt === undefined);

describe('two triggers at once', () => {
  it('the alarm, Resync now and a second tab all get the same run; the PSA is read once; nothing doubles', async () => {
    const { cw, db, adapter } = await connectwise();
    // Two contexts' schedulers (the worker, and one woken again by an alarm) on one database.
    const shared = adapter(); // the worker's adapter cache: one per integration
    const first = new SyncScheduler({ db, adapterFor: async () => shared, wakeAt: () => {} });
    const second = new SyncScheduler({ db, adapterFor: async () => shared, wakeAt: () => {} });
    const bootstrap = await first.requestSync('cw', 'manual');
    await first.kick();
    expect((await db.runs.get(bootstrap.runId))?.status).toBe('succeeded');
    await applyMatches(
      db,
      'cw',
      (await live(db)).filter((row) => row.entity === 'company').map((row) => ({ companyRemoteId: row.remoteId, action: 'create' as const })),
    );

    cw.control.resetRequestLog();
    const requests = await Promise.all([first.requestSync('cw', 'schedule'), second.requestSync('cw', 'manual'), first.requestSync('cw', 'manual')]);
    expect(new Set(requests.map((request) => request.runId)).size).toBe(1);
    expect(requests.filter((request) => !request.alreadyRunning)).toHaveLength(1);
    await Promise.all([first.kick(), second.kick(), first.kick()]);
    expect((await db.runs.get(requests[0]!.runId))?.status).toBe('succeeded');
    expect(await db.runs.where('status').equals('running').count()).toBe(0);

    // Each list page was asked for once, and every record is there once.
    const pages = cw.control
      .requests()
      .filter((request) => request.method === 'GET' && !/\/count$/.test(request.path))
      .map((request) => `${request.path}?${JSON.stringify(request.query)}`);
    expect(new Set(pages).size).toBe(pages.length);
    const keys = (await db.records.toArray()).map((row) => `${row.entity}:${row.remoteId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const matched = new Set((await db.matches.toArray()).map((match) => match.companyRemoteId));
    expect((await live(db)).filter((row) => row.entity === 'contact').length).toBe(
      cw.data.contacts.rows.filter((row) => matched.has(String((row.company as { id: number }).id))).length,
    );
  });
});

describe('secrets never reach logs, run errors or connection messages', () => {
  const SECRET = 'Sup3r-S3cret-Value-Do-Not-Log';
  const cases: {
    name: string;
    start(): Promise<{ adapter: PsaAdapter; baseUrl: string; psa: 'connectwise' | 'halo' | 'kaseya-bms'; close(): Promise<unknown> }>;
  }[] = [
    {
      name: 'ConnectWise (wrong private key)',
      async start() {
        const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
        const creds = cw.credentials.valid;
        const adapter = new ConnectwiseAdapter({
          settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
          credentials: { publicKey: creds.publicKey, privateKey: SECRET, clientId: creds.clientId },
          retries: 0,
        });
        return { adapter, baseUrl: cw.baseUrl, psa: 'connectwise', close: () => cw.close() };
      },
    },
    {
      name: 'HaloPSA (wrong client secret)',
      async start() {
        const halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
        const creds = halo.credentials.valid;
        const adapter = new HaloAdapter({
          settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! },
          credentials: { clientId: creds.clientId, clientSecret: SECRET },
          retries: 0,
        });
        return { adapter, baseUrl: halo.baseUrl, psa: 'halo', close: () => halo.close() };
      },
    },
    {
      name: 'Kaseya BMS (wrong password)',
      async start() {
        const bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: null });
        const creds = bms.credentials.valid;
        const adapter = new BmsAdapter({
          settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant },
          credentials: { username: creds.userName, password: SECRET },
          retries: 0,
        });
        return { adapter, baseUrl: bms.baseUrl, psa: 'kaseya-bms', close: () => bms.close() };
      },
    },
  ];

  it.each(cases)('$name', async ({ start }) => {
    const psa = await start();
    const db = new SidecarDb(`secrets-${Math.random()}`);
    cleanups.push(
      () => psa.close(),
      () => db.delete(),
    );
    await db.integrations.add({ id: 'x', psa: psa.psa, label: 'PSA', settings: {}, uiOrigin: psa.baseUrl, origins: [], createdAt: 0 });
    await expect(testIntegration(db, 'x', async () => psa.adapter)).rejects.toMatchObject({ code: 'auth' });
    const scheduler = new SyncScheduler({ db, adapterFor: async () => psa.adapter, wakeAt: () => {} });
    const { runId } = await scheduler.requestSync('x', 'manual');
    await scheduler.kick();
    const run = await db.runs.get(runId);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'auth' } });
    // The log as the user downloads it, the run and the connection state: none holds the secret.
    const everything = JSON.stringify([await db.log.toArray(), await db.runs.toArray(), await db.integrations.toArray()]);
    expect(everything).toMatch(/rejected|invalid|password|credentials|keys/i);
    expect(everything).not.toContain(SECRET);
  });
});

/** Makes writes to `records` fail as the browser does when storage is full, while `failing()` says so. */
function quotaOn(db: SidecarDb, failing: () => boolean) {
  db.use({
    stack: 'dbcore',
    name: 'quota',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'records') return table;
        return {
          ...table,
          mutate: (request: DBCoreMutateRequest) =>
            failing() ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) : table.mutate(request),
        };
      },
    }),
  });
}

describe('storage failures', () => {
  it('a full disk mid-sync: a clear error, the page rolled back with its resume point, then the sync completes', async () => {
    const { cw, db, adapter } = await connectwise();
    let full = false;
    db.close(); // middleware applies from the next open
    quotaOn(db, () => full);
    await db.open();
    const scheduler = new SyncScheduler({ db, adapterFor: async () => adapter(), wakeAt: () => {} });
    const { runId } = await scheduler.requestSync('cw', 'manual');
    full = true;
    await scheduler.kick();
    const stuck = await db.runs.get(runId);
    expect(stuck).toMatchObject({
      status: 'running',
      stepIndex: 0,
      pageToken: null,
      error: { code: 'storage', message: expect.stringMatching(/storage is full.*nothing was half-written/i) },
    });
    expect(await db.records.count()).toBe(0);
    expect((await db.log.toArray()).map((row) => row.message).join('\n')).toMatch(/storage is full/);

    full = false;
    await db.runs.update(runId, { retryAt: Date.now() - 1 }); // the alarm fired
    await scheduler.kick();
    expect((await db.runs.get(runId))?.status).toBe('succeeded');
    expect((await live(db)).filter((row) => row.entity === 'company').length).toBeGreaterThan(0);
    expect((await db.records.toArray()).length).toBe(cw.data.companies.rows.length);
  });

  it('the database closed by another context upgrading it: a clear error, and the next start resumes', async () => {
    const { db, adapter } = await connectwise();
    await db.open();
    const scheduler = new SyncScheduler({ db, adapterFor: async () => adapter(), wakeAt: () => {} });
    const { runId } = await scheduler.requestSync('cw', 'manual');
    db.close(); // as Dexie does on 'versionchange' when another context opens a newer schema
    const error: unknown = await scheduler.kick().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'DatabaseClosedError' });
    expect(storageProblem(error)).toMatch(/closed while another Sidecar window updated it\. Nothing was half-written/);
    const reopened = new SidecarDb(db.name);
    cleanups.push(async () => reopened.close());
    const after = new SyncScheduler({ db: reopened, adapterFor: async () => adapter(), wakeAt: () => {} });
    await after.kick();
    expect((await reopened.runs.get(runId))?.status).toBe('succeeded');
  });
});
