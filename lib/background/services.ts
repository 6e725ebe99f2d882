import { browser } from '../browser';
import { hostPattern } from '../host-pattern';
import { getDb, type SidecarDb } from '../db/schema';
import { createAdapter, type AdapterOptions } from '../psa/registry';
import { PsaError } from '../psa/errors';
import type { PsaAdapter } from '../psa/types';
import { isQuiet, loadSchedule } from '../sync/schedule';
import { SyncScheduler } from '../sync/scheduler';
import { TicketCache } from '../overlay-view/view';
import { syncContentScripts } from './content-scripts';
import { readCredentials, sealLegacySecrets } from '../secrets/store';
import { Vault, VaultError } from '../secrets/vault';
import { sessionKeyStore } from '../secrets/session';
import { sessionPacingStore } from './pacing-store';
import { vendorLimit } from '../psa/rate-limits';
import { effectiveOptions } from '../sync/options';
import { SearchService } from '../search/service';
import { LookupBudget } from '../overlay-view/lookup-budget';
import { sessionServedStore, type ServedStore } from './served-records';
import { sessionTabStore, type TabStore } from './tab-store';
import { z } from 'zod';
import { DocumentService } from '../documents/service';
import { followCompanyNames } from '../match/spaces';
import { recoverSetupImport } from '../setup/documents';
import { docStore, type DocStore } from '../docstore/pouch';
import { createClipboard, type Clipboard } from './clipboard';
import type { TeamService } from '../team/service';
import { remoteStore } from '../docstore/pouch';
import { teamMembership } from '../team/state';
import { sharedContext } from '../documents/shared-context';
import { wireTeam } from './team-wiring';
import { LEASE_HOLDS_THE_PERIOD } from '../team/lease';
import { TicketService } from '../tickets/service';
import { runBilling } from '../billing/run';
import { nextBillingRun, readBillingSettings } from '../billing/settings';
import { authorForWriting } from '../docstore/author';

/** Alarm names: resume interrupted runs, and the periodic resync. */
export const ALARMS = {
  watchdog: 'sidecar-watchdog',
  resume: 'sidecar-resume',
  schedule: 'sidecar-schedule',
  bin: 'sidecar-bin',
  team: 'sidecar-team',
  tickets: 'sidecar-tickets',
} as const;
/** One alarm per integration whose billing counts are on: `sidecar-billing:<integrationId>`. */
const BILLING_ALARM_PREFIX = 'sidecar-billing:';
/** A live replication dies with the worker (toolchain.md §13): an alarm wakes it to start again. */
const TEAM_ALARM_MINUTES = 1;
/** Chrome 120+ allows 30 s alarms: the longest a stopped worker leaves a run idle. */
const WATCHDOG_PERIOD_MINUTES = 0.5;

export interface BackgroundServices {
  db: SidecarDb;
  vault: Vault;
  scheduler: SyncScheduler;
  tickets: TicketCache;
  /** How many PSA lookups each tab may start (lib/overlay-view/lookup-budget.ts). */
  lookupBudget: LookupBudget;
  /** What each tab's overlay was last served: its actions may only concern that (./served-records.ts). */
  served: ServedStore;
  /** Each tab's overlay-frame secret, as its content script registered it (lib/content/overlay-mount.ts). */
  frameSecrets: TabStore<string>;
  /** What technicians write (PouchDB, projected into Dexie for the pages). */
  documents: DocumentService;
  /** The team's replication (#15). */
  team: TeamService;
  /** Tickets made in Sidecar and their outbox (#16). */
  ticketing: TicketService;
  /** The palette's search (an in-memory index while the worker lives). */
  search: SearchService;
  /** Where the overlay's Copy puts a credential's secret: written by the background itself (./clipboard.ts). */
  clipboard: Clipboard;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  hasHostPermission(origins: string[]): Promise<boolean>;
  releaseOrigins(origins: string[]): Promise<void>;
  refreshContentScripts(): Promise<void>;
  /** Drives runs; resolves when no run is ready (callers that do not wait ignore it). */
  kick(): Promise<void>;
  start(): Promise<void>;
  /** (Re)creates the schedule alarm from the saved interval. */
  applySchedule(): Promise<void>;
  /** (Re)creates each integration's billing-counts alarm from its schedule (#16); none while off. */
  applyBillingSchedules(): Promise<void>;
  onAlarm(name: string): Promise<void>;
  /** A tab loaded a new document or closed: what it was served no longer holds. */
  forgetTab(tabId: number, closed: boolean): Promise<void>;
}

export function createBackgroundServices(
  options: {
    db?: SidecarDb;
    adapterOptions?: AdapterOptions;
    vault?: Vault;
    served?: ServedStore;
    frameSecrets?: TabStore<string>;
    docStore?: () => DocStore;
    clipboard?: Clipboard;
    remoteStore?: typeof remoteStore;
  } = {},
): BackgroundServices {
  const db = options.db ?? getDb();
  // One adapter per integration while its settings and credentials stay the same, so tokens
  // (Halo, BMS) and discovered values live across slices instead of being fetched per page.
  const adapters = new Map<string, { fingerprint: string; adapter: PsaAdapter }>();
  const vault = options.vault ?? new Vault({ db, session: sessionKeyStore() });
  const pacingStore = sessionPacingStore();
  const adapterFor = async (integrationId: string): Promise<PsaAdapter> => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) throw new PsaError('config', 'That integration no longer exists.');
    let credentials: Record<string, string> | undefined;
    try {
      credentials = await readCredentials(db, vault, integrationId);
    } catch (error) {
      if (error instanceof VaultError) throw new PsaError(error.code === 'locked' ? 'locked' : 'config', error.message);
      throw error;
    }
    const share = effectiveOptions(integration.options).apiSharePercent / 100;
    const fingerprint = JSON.stringify([integration.psa, integration.settings, credentials ?? null, share]);
    const cached = adapters.get(integrationId);
    if (cached?.fingerprint === fingerprint) return cached.adapter;
    const adapter = createAdapter(integration, credentials, {
      pacing: { store: pacingStore, share, limit: vendorLimit(integration.psa) },
      ...options.adapterOptions,
    });
    adapters.set(integrationId, { fingerprint, adapter });
    return adapter;
  };
  const search = new SearchService(db);
  const localStore = options.docStore ?? (() => docStore());
  // The team (below) decides when the documentation is read-only (a removed member's copy).
  const documents = new DocumentService(db, localStore, vault, () => team.readOnlyReason());
  const { team, watchSetup } = wireTeam({ db, vault, documents, local: localStore, remote: options.remoteStore ?? remoteStore });
  const scheduler = new SyncScheduler({
    db,
    adapterFor,
    pacingOf: (integration) => ({ limit: vendorLimit(integration.psa), share: effectiveOptions(integration.options).apiSharePercent / 100 }),
    readAhead: true,
    wakeAt: (at) => {
      void browser.alarms.create(ALARMS.resume, { when: Math.max(at, Date.now() + 1000) });
    },
    afterRun: async (run) => {
      await followCompanyNames(db, run.integrationId);
      // The team reads the records from here instead of asking the PSA (#15).
      if (await teamMembership(db)) {
        await documents.publishShared();
        await team.publishRecords([run.integrationId]);
      }
    },
  });

  const ticketing = new TicketService({
    db,
    adapterFor,
    wakeAt: (at) => void browser.alarms.create(ALARMS.tickets, { when: Math.max(at, Date.now() + 1000) }),
    author: async () => (await authorForWriting(db)).name || undefined,
  });

  const kick = () =>
    (async () => {
      await browser.alarms.create(ALARMS.watchdog, { periodInMinutes: WATCHDOG_PERIOD_MINUTES });
      await scheduler.kick();
      if ((await db.runs.where('status').equals('running').count()) === 0) await browser.alarms.clear(ALARMS.watchdog);
    })().catch((error: unknown) => console.error('Sidecar sync pump failed', error));

  const services: BackgroundServices = {
    db,
    vault,
    scheduler,
    tickets: new TicketCache(),
    lookupBudget: new LookupBudget(),
    served: options.served ?? sessionServedStore(),
    frameSecrets: options.frameSecrets ?? sessionTabStore('frame-secret', z.string()),
    search,
    documents,
    team,
    ticketing,
    clipboard: options.clipboard ?? createClipboard(),
    adapterFor,
    async hasHostPermission(origins) {
      return browser.permissions.contains({ origins: origins.map(hostPattern) });
    },
    async releaseOrigins(origins) {
      // Patterns name hosts, not ports: one still used by another integration (another port) stays.
      const stillUsed = new Set((await db.integrations.toArray()).flatMap((integration) => integration.origins.map(hostPattern)));
      const unused = [...new Set(origins.map(hostPattern))].filter((pattern) => !stillUsed.has(pattern));
      // Origins granted in the manifest (e2e build) cannot be removed; that is not an error.
      if (unused.length) await browser.permissions.remove({ origins: unused }).catch(() => false);
    },
    async refreshContentScripts() {
      // A PSA the team brought runs the overlay only once a person here allowed its site.
      const origins: string[] = [];
      for (const integration of await db.integrations.toArray()) {
        if (!integration.team || (await services.hasHostPermission([integration.uiOrigin]))) origins.push(integration.uiOrigin);
      }
      await syncContentScripts(origins);
    },
    kick,
    async applySchedule() {
      const period = (await loadSchedule(db)).intervalHours * 60;
      const current = await browser.alarms.get(ALARMS.schedule);
      if (current?.periodInMinutes !== period) await browser.alarms.create(ALARMS.schedule, { periodInMinutes: period, delayInMinutes: period });
    },
    async applyBillingSchedules() {
      for (const integration of await db.integrations.toArray()) {
        const name = `${BILLING_ALARM_PREFIX}${integration.id}`;
        const settings = readBillingSettings(integration.options?.billing);
        if (!settings.enabled || !settings.mappings.length) await browser.alarms.clear(name);
        else await browser.alarms.create(name, { when: nextBillingRun(settings.schedule, new Date()).getTime() });
      }
    },
    async start() {
      watchSetup(() => services.refreshContentScripts());
      // Credentials an earlier version stored in plaintext are sealed now (no-op when locked).
      await sealLegacySecrets(db, vault).catch((error: unknown) => console.warn('Sidecar could not seal saved credentials yet', error));
      await services.applySchedule();
      await services.applyBillingSchedules().catch((error: unknown) => console.warn('Sidecar could not schedule billing counts', error));
      // Writes a teammate's replica or an interrupted save left unprojected show now.
      await documents.catchUp().catch((error: unknown) => console.warn('Sidecar could not read its documentation store', error));
      // An import stopped between its documents and its setup is taken back out.
      await documents
        .exclusive(({ store }) => recoverSetupImport(db, store))
        .catch((error: unknown) => console.warn('Sidecar could not check for an interrupted setup import', error));
      // A merge cut off before its documents moved finishes now.
      await documents.moveStragglers().catch((error: unknown) => console.warn('Sidecar could not move documents of merged client spaces', error));
      if (!(await browser.alarms.get(ALARMS.bin))) await browser.alarms.create(ALARMS.bin, { periodInMinutes: 24 * 60, delayInMinutes: 1 });
      if (!(await browser.alarms.get(ALARMS.team))) await browser.alarms.create(ALARMS.team, { periodInMinutes: TEAM_ALARM_MINUTES });
      await services.refreshContentScripts().catch((error: unknown) => console.warn('Sidecar could not register content scripts', error));
      void kick();
      // Tickets a stopped worker left in the outbox go out now (those it was sending are looked for first).
      void ticketing.send();
      // Last, and not awaited: the team's first pull may take a while (conflicts it brings are settled before replicating on).
      void team.resume().catch((error: unknown) => console.warn('Sidecar could not start the team replication', error));
    },
    async forgetTab(tabId, closed) {
      await services.served.set(tabId, undefined);
      if (closed) await services.frameSecrets.set(tabId, undefined);
      if (closed) services.lookupBudget.forget(String(tabId));
    },
    async onAlarm(name) {
      if (name === ALARMS.schedule && isQuiet(await loadSchedule(db), new Date())) {
        await db.log.add({ at: Date.now(), level: 'info', message: 'Scheduled sync skipped: quiet hours.' });
      } else if (name === ALARMS.schedule) {
        const shared = await sharedContext(db);
        for (const integration of await db.integrations.toArray()) {
          if (!integration.connection?.ok || integration.disabled) continue;
          // In a team, one browser (the lease holder) syncs each PSA for everyone (#15).
          const source = shared.sources.get(integration.id)?.source;
          const holdMs = LEASE_HOLDS_THE_PERIOD ? (await loadSchedule(db)).intervalHours * 3_600_000 : 0;
          const turn = source
            ? await team.syncTurn(source, { holdMs }).catch(() => ({ ok: true as const, holder: false }))
            : { ok: true as const, holder: false };
          if (!turn.ok) {
            await db.log.add({ at: Date.now(), integrationId: integration.id, level: 'info', message: `Scheduled sync skipped: ${turn.message}` });
            continue;
          }
          await scheduler.requestSync(integration.id, 'schedule').catch((error: unknown) => console.warn('Scheduled sync not started', error));
        }
      }
      if (name === ALARMS.bin) await documents.purge();
      if (name === ALARMS.team) await team.resume();
      if (name === ALARMS.tickets) await ticketing.send();
      if (name.startsWith(BILLING_ALARM_PREFIX)) {
        const integrationId = name.slice(BILLING_ALARM_PREFIX.length);
        const by = (await authorForWriting(db)).name || 'this browser';
        await runBilling({ db, adapterFor }, integrationId, 'schedule', by).catch((error: unknown) =>
          db.log.add({
            at: Date.now(),
            integrationId,
            level: 'warn',
            message: `Scheduled billing counts not sent: ${error instanceof Error ? error.message : String(error)}`,
          }),
        );
        await services.applyBillingSchedules();
      }
      if (name === ALARMS.schedule || name === ALARMS.resume || name === ALARMS.watchdog) void kick();
      // A sync in progress keeps its lease (renewed every few minutes).
      if (name === ALARMS.watchdog || name === ALARMS.resume)
        await team.renewLeases().catch((error: unknown) => console.warn('Sidecar could not renew its sync lease', error));
    },
  };
  return services;
}
