import { afterEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { applyMatches } from '@/lib/match/company-match';
import { PsaError } from '@/lib/psa/errors';
import { endpointKey, memoryPacingStore, Pacer } from '@/lib/psa/pacing';
import { VENDOR_LIMITS } from '@/lib/psa/rate-limits';
import { createAdapter } from '@/lib/psa/registry';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { startHaloEmulator } from '../../emulator/halo/start.ts';
import { startKaseyaBmsEmulator } from '../../emulator/kaseya-bms/start.ts';

/** Issue #7: a sync keeps to a share (default half) of each vendor's documented rate limit. */

function clock(start = 1_000_000) {
  let now = start;
  const slept: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void (slept.push(ms), (now += ms)), slept, advance: (ms: number) => void (now += ms) };
}

describe('the pacer', () => {
  it('lets half the limit through per window, sleeps short waits, hands long ones to the engine', async () => {
    const time = clock();
    const pacer = new Pacer({ limit: { limit: 10, windowMs: 10_000, per: 'api' }, now: time.now, sleep: time.sleep, maxWaitMs: 5_000 });
    expect(pacer.allowed).toBe(5);
    for (let index = 0; index < 5; index += 1) await pacer.acquire('GET', 'https://psa.example/api/Client');
    expect(time.slept).toEqual([]);
    // Right away, the 6th would wait 10 s: longer than 5 s, so it is handed to the engine's alarm.
    const error = (await pacer.acquire('GET', 'https://psa.example/api/Client').catch((caught: unknown) => caught)) as PsaError;
    expect(error).toBeInstanceOf(PsaError);
    expect(error).toMatchObject({ code: 'rate-limited', retryable: true, retryAt: time.now() + 10_001 });
    // 6 s later the wait is 4 s: slept in place.
    time.advance(6_000);
    await pacer.acquire('GET', 'https://psa.example/api/Client');
    expect(time.slept).toEqual([4_001]);
    expect(error.message).toMatch(/keeps to 50% of this PSA's API limit \(10 requests per 10 s\)/);
  });

  it('counts Kaseya BMS per endpoint (method + path template), and a restarted worker keeps the log', async () => {
    expect(endpointKey('get', 'https://api.bms.kaseya.com/v2/crm/accounts/123/locations?x=1')).toBe('GET /v2/crm/accounts/{id}/locations');
    const time = clock();
    const store = memoryPacingStore();
    const make = () => new Pacer({ limit: { limit: 4, windowMs: 60_000, per: 'endpoint' }, store, now: time.now, sleep: time.sleep, maxWaitMs: 1 });
    const first = make();
    await first.acquire('GET', 'https://api/v2/crm/contacts/summary');
    await first.acquire('GET', 'https://api/v2/crm/contacts/summary');
    await first.acquire('GET', 'https://api/v2/crm/accounts/7'); // another endpoint: its own budget
    await first.acquire('GET', 'https://api/v2/crm/accounts/8');
    await expect(first.acquire('GET', 'https://api/v2/crm/accounts/9')).rejects.toMatchObject({ code: 'rate-limited' });
    await expect(make().acquire('GET', 'https://api/v2/crm/contacts/summary')).rejects.toMatchObject({ code: 'rate-limited' });
  });

  it('uses the vendors’ documented limits', () => {
    expect(VENDOR_LIMITS.connectwise).toEqual({ limit: 1000, windowMs: 60_000, per: 'api' });
    expect(VENDOR_LIMITS.halo).toEqual({ limit: 300, windowMs: 300_000, per: 'api' });
    expect(VENDOR_LIMITS['kaseya-bms']).toEqual({ limit: 1500, windowMs: 3_600_000, per: 'endpoint' });
  });
});

describe('a paced sync against the emulators’ own limiters', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it.each([
    {
      name: 'HaloPSA',
      async start(limit: { limit: number; windowMs: number }) {
        const halo = await startHaloEmulator({ preset: 'tiny', rateLimit: limit });
        const creds = halo.credentials.valid;
        return {
          close: () => halo.close(),
          requests: () => halo.control.requests(),
          integration: {
            id: 'p',
            psa: 'halo' as const,
            label: 'Halo',
            settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! },
            uiOrigin: halo.baseUrl,
            origins: [],
            createdAt: 0,
          },
          credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
        };
      },
    },
    {
      name: 'Kaseya BMS',
      async start(limit: { limit: number; windowMs: number }) {
        const bms = await startKaseyaBmsEmulator({ preset: 'tiny', rateLimit: limit });
        const creds = bms.credentials.valid;
        return {
          close: () => bms.close(),
          requests: () => bms.control.requests(),
          integration: {
            id: 'p',
            psa: 'kaseya-bms' as const,
            label: 'BMS',
            settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant },
            uiOrigin: bms.baseUrl,
            origins: [],
            createdAt: 0,
          },
          credentials: { username: creds.userName, password: creds.password },
        };
      },
    },
  ])(
    '$name: with the vendor’s limit scaled down, the sync finishes with no 429 at half the budget',
    async ({ name, start }) => {
      // The vendor's real figures are per minutes or per hour; the same ratio in a 2.5 s window keeps the test short.
      // BMS counts per endpoint and the tiny dataset asks each one at most 3 times: a smaller limit there.
      const limit = name === 'Kaseya BMS' ? { limit: 2, windowMs: 1_500 } : { limit: 4, windowMs: 1_500 };
      const psa = await start(limit);
      const db = new SidecarDb(`pacing-${Math.random()}`);
      cleanups.push(
        () => psa.close(),
        () => db.delete(),
      );
      await db.integrations.add(psa.integration);
      const per = psa.integration.psa === 'kaseya-bms' ? ('endpoint' as const) : ('api' as const);
      const adapter = createAdapter(psa.integration, psa.credentials, { retries: 0, pacing: { limit: { ...limit, per }, maxWaitMs: 3_000 } });
      const scheduler = new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
      const sync = async () => {
        const { runId } = await scheduler.requestSync('p', 'manual');
        await scheduler.kick();
        return db.runs.get(runId);
      };
      expect((await sync())?.status).toBe('succeeded');
      const companies = (await db.records.filter((row) => row.entity === 'company').toArray()).filter((row) => row.archivedAt === undefined);
      await applyMatches(
        db,
        'p',
        companies.map((row) => ({ companyRemoteId: row.remoteId, action: 'create' as const })),
      );
      expect((await sync())?.status).toBe('succeeded');
      const requests = psa.requests();
      // The busiest counter (the API, or one BMS endpoint) took more than one window allows: unpaced, that is a 429.
      const counted = new Map<string, number>();
      for (const request of requests) {
        const key = per === 'endpoint' ? endpointKey(request.method, `http://x${request.path}`) : 'api';
        counted.set(key, (counted.get(key) ?? 0) + 1);
      }
      expect(Math.max(...counted.values())).toBeGreaterThan(limit.limit);
      expect(requests.filter((request) => request.status === 429)).toEqual([]);
    },
    60_000,
  );
});
