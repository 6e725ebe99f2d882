import Dexie from 'dexie';
import { afterEach, beforeEach, expect } from 'vitest';
import { SidecarDb, type IntegrationRow, type LogRow, type RecordRow, type RunRow } from '../../lib/db/schema.ts';
import { applyMatches } from '../../lib/match/company-match.ts';
import { ENTITY_KINDS, type EntityKind, type PsaAdapter } from '../../lib/psa/types.ts';
import { SyncScheduler } from '../../lib/sync/scheduler.ts';
import { sortIds, type AdapterOptions, type Emulator, type PsaCase, type Truth } from './psa-case.ts';

/**
 * A PSA case's emulator and the real sync against it, fresh for each test: the emulator, a
 * fake-indexeddb database with the integration row (id `ID`), the real adapter and a
 * SyncScheduler whose alarm requests are recorded. Call `useSyncHarness` in a describe block (or
 * at the top of a file); the returned object is filled in by its beforeEach.
 */

export const ID = 'psa';

/** Adapter options of the fault matrix: no in-place retry (the engine schedules it), 500 ms timeout. */
export const FAST: AdapterOptions = { retries: 0, timeoutMs: 500 };

export interface HarnessOptions {
  /** Of the real adapter; default FAST. */
  adapter?: AdapterOptions;
  /** Fields the integration row has besides the usual ones (e.g. a tested connection). */
  integration?: Partial<IntegrationRow>;
}

type Trigger = 'manual' | 'schedule';

export interface SyncHarness<Raw = unknown> {
  psa: PsaCase<Raw>;
  emu: Emulator<Raw>;
  db: SidecarDb;
  /** The real adapter the scheduler syncs with. */
  adapter: PsaAdapter;
  scheduler: SyncScheduler;
  /** Times the scheduler asked to be woken (the alarm). */
  wakes: number[];
  /** Requests a sync and drives it until it finishes or waits. */
  sync(trigger?: Trigger, options?: { dryRun?: boolean }): Promise<RunRow>;
  /** `sync` that must succeed. */
  synced(trigger?: Trigger, options?: { dryRun?: boolean }): Promise<RunRow>;
  /** The alarm fires: the waiting run's retryAt is now, and the scheduler runs. */
  alarm(runId: string): Promise<RunRow>;
  /** What Sidecar holds live, in the form of the emulator's truth. */
  local(): Promise<Truth>;
  /** The live (not archived) records of an entity. */
  liveRecords(entity: EntityKind): Promise<RecordRow[]>;
  /** Their remote ids, sorted. */
  liveIds(entity: EntityKind): Promise<string[]>;
  record(entity: EntityKind, remoteId: string | number): Promise<RecordRow | undefined>;
  logOf(runId: string): Promise<LogRow[]>;
  /** First sync, then every live company matched (their records come with the next sync). */
  syncAndMatch(): Promise<void>;
}

export function useSyncHarness<Raw>(psa: PsaCase<Raw>, options: HarnessOptions = {}): SyncHarness<Raw> {
  const h = { psa, wakes: [] as number[] } as SyncHarness<Raw>;
  beforeEach(async () => {
    h.emu = await psa.start();
    h.db = new SidecarDb(`sync-${psa.kind}-${Math.random()}`);
    await h.db.open();
    await h.db.integrations.add({
      id: ID,
      psa: psa.kind,
      label: psa.name,
      settings: {},
      uiOrigin: h.emu.baseUrl,
      origins: [],
      createdAt: 0,
      ...options.integration,
    });
    h.wakes = [];
    const adapter = (h.adapter = h.emu.adapter(options.adapter ?? FAST));
    h.scheduler = new SyncScheduler({ db: h.db, adapterFor: async () => adapter, wakeAt: (at) => void h.wakes.push(at) });
  });
  afterEach(async () => {
    await h.emu.close();
    await h.db.delete();
  });
  h.sync = async (trigger = 'manual', { dryRun } = {}) => {
    const { runId } = await h.scheduler.requestSync(ID, trigger, { dryRun });
    await h.scheduler.kick();
    return (await h.db.runs.get(runId))!;
  };
  h.synced = async (trigger = 'manual', syncOptions) => {
    const run = await h.sync(trigger, syncOptions);
    expect(run.status, run.error?.message).toBe('succeeded');
    return run;
  };
  h.alarm = async (runId) => {
    await h.db.runs.update(runId, { retryAt: Date.now() - 1 });
    await h.scheduler.kick();
    return (await h.db.runs.get(runId))!;
  };
  h.liveRecords = async (entity) =>
    (await h.db.records.where('[integrationId+entity+remoteId]').between([ID, entity, Dexie.minKey], [ID, entity, Dexie.maxKey]).toArray()).filter(
      (row) => row.archivedAt === undefined,
    );
  h.liveIds = async (entity) => sortIds((await h.liveRecords(entity)).map((row) => row.remoteId));
  h.local = async () => Object.fromEntries(await Promise.all(ENTITY_KINDS.map(async (entity) => [entity, await h.liveIds(entity)]))) as Truth;
  h.record = (entity, remoteId) => h.db.records.get([ID, entity, String(remoteId)]);
  h.logOf = (runId) => h.db.log.where('runId').equals(runId).toArray();
  h.syncAndMatch = async () => {
    await h.synced();
    const companies = await h.liveIds('company');
    await applyMatches(
      h.db,
      ID,
      companies.map((companyRemoteId) => ({ companyRemoteId, action: 'create' as const })),
    );
  };
  return h;
}
