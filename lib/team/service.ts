import { HandledError } from '../errors';
import type { SidecarDb, TeamPreference, TeamUnpublishedPreference } from '../db/schema';
import { authorForWriting } from '../docstore/author';
import type { DocStore } from '../docstore/pouch';
import { VaultError, type Vault } from '../secrets/vault';
import { probeTeam, putTeamDoc, TeamServerError, type TeamProbe } from './probe';
import { parseTeamSettings, teamDatabaseUrl, type TeamSettings } from './settings';
import { newTeam, TeamPassphraseError, unwrapTeamKey } from './team-key';
import { type TeamDoc } from './team-doc';
import { forgetMembership, saveMembership, saveTeamStatus, teamLogin, teamMembership, teamStatus } from './state';
import { isRefusal, refusalMessage, TeamReplication, type ReplicationStatus } from './replication';
import { replicateStores } from '../docstore/pouch';
import { sharedContext } from '../documents/shared-context';
import { isRecordsChunkId, publishRecords } from '../documents/team-records';
import { teamPullTarget } from './pull-target';
import { acquireLease, isLeaseLive, LEASE_RENEW_EVERY_MS, LEASE_TTL_MS, readLeases, releaseLease, renewLease, type LeaseDoc } from './lease';

/**
 * Joining, testing and leaving the team, and keeping its replication running (#15). The server is
 * asked before anything is written here: a bad address, login, database or passphrase changes
 * nothing. One team at a time.
 */

export interface TeamDeps {
  db: SidecarDb;
  vault: Vault;
  local: () => DocStore;
  remote: (url: string, auth: { username: string; password: string }) => DocStore;
  /** Readies the documentation store for the team before each start (re-seals credentials, publishes client spaces). */
  prepare(): Promise<void>;
  /** Documents a pull brought in: project them (and settle conflicts). */
  pulled(ids: string[]): void;
  /** Removes this browser's documentation (leaving the team): the store and its projection. */
  dropDocumentation(): Promise<void>;
  /** Whether the server's origin may be reached (its host permission was granted). */
  hasHostPermission(serverUrl: string): Promise<boolean>;
  /** Values an administrator set by policy (storage.managed); a join must match them. */
  managed(): Promise<{ serverUrl?: string; database?: string }>;
  probe?: typeof probeTeam;
  now?: () => number;
}

/** Whether a scheduled sync of a PSA tenant may call the PSA: yes outside a team, or while this browser holds its lease. */
export type SyncTurn = { ok: true; holder: boolean } | { ok: false; message: string };

/**
 * A start's first pull: documents per request (PouchDB's default is 100: fewer round trips for a
 * large team), and batches read ahead (default 10): the applying, not the reading, sets the pace,
 * and every batch read ahead is held in the worker's memory.
 */
const FIRST_PULL = { batch_size: 500, batches_limit: 2 };

export type TeamTest = { ok: true; state: 'empty' | 'joined-team'; message: string } | { ok: false; message: string; field?: string };

export class TeamService {
  private readonly replication: TeamReplication;
  /** PSA tenants whose sync lease this browser holds, with when it last took or renewed each. */
  private readonly held = new Map<string, number>();
  /** A start in progress (the first pull may take a while): one at a time. */
  private resuming = false;
  /** A start's first pull is under way: nothing of this browser's setup is published until it ends. */
  private pulling = false;
  private readonly probe: typeof probeTeam;
  private readonly now: () => number;
  /** Publishing records, one integration after another. */
  private publishing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TeamDeps) {
    this.probe = deps.probe ?? probeTeam;
    this.now = deps.now ?? Date.now;
    this.replication = new TeamReplication({
      pulled: (ids) => this.pulledDocuments(ids),
      status: (status) => {
        void this.saveStatus(status);
        // Up to date with the server again: records a sync could not publish meanwhile go now.
        if (status.state === 'idle')
          void this.publishUnpublished().catch((error: unknown) => console.warn('Sidecar could not publish its records for the team yet', error));
      },
    });
  }

  get running(): boolean {
    return this.replication.running;
  }

  /** Starting (pulling what the team has, then publishing this browser's own) or replicating: the worker is kept alive. */
  get busy(): boolean {
    return this.resuming || this.replication.running;
  }

  /** While a start pulls what the team has: publishing this browser's setup waits (the start publishes it after). */
  get holdsPublishing(): boolean {
    return this.pulling;
  }

  /** Checks settings against the server, writing nothing. */
  async test(input: unknown): Promise<TeamTest> {
    const settings = await this.settingsFrom(input);
    const probe = await this.reach(settings);
    if (!probe.ok) return { ok: false, message: probe.message, ...(probe.field ? { field: probe.field } : {}) };
    return probe.state === 'empty'
      ? {
          ok: true,
          state: 'empty',
          message: `Connected. “${settings.database}” is empty: joining sets the team up there, with the team passphrase you choose.`,
        }
      : { ok: true, state: 'joined-team', message: `Connected to the team in “${settings.database}”. Enter the team passphrase to join.` };
  }

  /**
   * Joins (or, on an empty database, sets up) the team. The team key is unwrapped, or made and
   * put on the server, before anything is stored here; then membership, login and key are saved
   * together, credentials are re-sealed for the team and the replication starts.
   */
  async join(input: unknown, passphrase: unknown): Promise<{ created: boolean; membership: TeamPreference }> {
    if (await teamMembership(this.deps.db)) throw new HandledError('invalid', 'This browser is already in a team: leave it first.');
    const vault = await this.deps.vault.status();
    if (vault.protected && vault.locked) throw new HandledError('locked', 'Sidecar is locked: enter your passphrase first, then join the team.');
    if (typeof passphrase !== 'string' || !passphrase)
      throw new HandledError('invalid', 'Enter the team passphrase.', { passphrase: 'Enter the team passphrase.' });
    const settings = await this.settingsFrom(input);
    const probe = await this.reach(settings);
    if (!probe.ok) throw new HandledError('invalid', probe.message, probe.field ? { [probe.field]: probe.message } : undefined);
    const { installId, name } = await authorForWriting(this.deps.db);
    const { team, rawKey, created } = await this.teamKey(settings, probe, passphrase, { installId, name });
    let membership: TeamPreference;
    try {
      membership = await saveMembership(this.deps.db, this.deps.vault, settings, { teamId: team.teamId, rawKey }, this.now());
    } catch (error) {
      if (error instanceof VaultError) throw new HandledError(error.code, error.message);
      throw error;
    }
    // The first pull can be long for a large team: the join answers now, the pages show progress.
    void this.resume().catch((error: unknown) => console.warn('Sidecar could not start the team replication', error));
    return { created, membership };
  }

  /** Stops replicating and forgets the team here; the team's documents stay on its server. Leases held are let go. */
  async leave(): Promise<void> {
    this.replication.stop();
    const login = await this.loginIfMember();
    if (login) {
      const { installId, name } = await authorForWriting(this.deps.db);
      for (const source of this.held.keys()) await releaseLease(login, source, { installId, name }).catch(() => undefined);
    }
    this.held.clear();
    await forgetMembership(this.deps.db);
    await this.deps.dropDocumentation();
    // A later join pulls the team's records anew: nothing here may claim to have them.
    await this.deps.db.teamChunks.clear();
    await this.deps.db.preferences.delete('team-unpublished');
  }

  /** Starts the replication if this browser is in a team and it is not running (worker start, alarm). */
  async resume(): Promise<void> {
    const membership = await teamMembership(this.deps.db);
    if (!membership || this.replication.running) return;
    if ((await teamStatus(this.deps.db))?.state === 'refused') return; // read-only until the person leaves or rejoins
    let login: TeamSettings | undefined;
    try {
      login = await teamLogin(this.deps.db, this.deps.vault);
    } catch (error) {
      if (error instanceof VaultError && error.code === 'locked') {
        await this.saveStatus({ state: 'locked', message: 'Sidecar is locked: enter your passphrase in Options to replicate with your team.' });
        return;
      }
      throw error;
    }
    if (!login) return;
    if (this.resuming) return;
    this.resuming = true;
    try {
      const remote = this.deps.remote(teamDatabaseUrl(login), { username: login.username, password: login.password });
      await this.saveStatus({ state: 'starting' });
      // What the team has comes in first, so this browser's publish builds on the team's decisions
      // (a newcomer's built-in layouts never overwrite the team's). Offline: go on, the live
      // replication catches up later.
      try {
        await this.firstPull(remote);
      } catch (error) {
        if (isRefusal(error)) {
          await this.saveStatus({ state: 'refused', message: refusalMessage(login.database) });
          return;
        }
      }
      await this.deps.prepare();
      if (this.replication.running) return;
      this.replication.start(this.pullTarget(), remote, login.database, this.now);
    } finally {
      this.resuming = false;
    }
  }

  /**
   * A start's one-shot pull. What arrives is projected as it comes (a large team's records take
   * longer to apply than to pull); this browser publishes nothing meanwhile (`pulling`), so that
   * it builds on the team's decisions, not on what it had alone.
   */
  private async firstPull(remote: DocStore): Promise<void> {
    this.pulling = true;
    try {
      const pull = replicateStores(remote, this.pullTarget(), FIRST_PULL);
      pull.on('change', (info) => this.pulledDocuments(info.docs.map((doc) => doc._id)));
      await pull;
    } finally {
      this.pulling = false;
    }
  }

  /** The local store as the team's pull writes into it: PSA records straight into `records` (./pull-target.ts). */
  private pullTarget(): DocStore {
    return teamPullTarget(this.deps.local(), this.deps.db, this.now);
  }

  /** Documents a pull stored (the records it brings are in `records` already): to be settled and projected. */
  private pulledDocuments(ids: readonly string[]): void {
    const documents = ids.filter((id) => !isRecordsChunkId(id));
    if (documents.length) this.deps.pulled(documents);
  }

  /**
   * Publishes the records of integrations this browser syncs to the team's database
   * (lib/documents/team-records.ts), one publish at a time. `onlyIfFirst`: only a tenant the team
   * has no records of yet (joining). Nothing outside a team or while this copy is read-only.
   * Returns the chunks written and deleted.
   */
  publishRecords(integrationIds: readonly string[], options: { onlyIfFirst?: boolean } = {}): Promise<number> {
    const next = this.publishing.then(async () => {
      const login = await this.loginIfMember();
      if (!login || (await this.readOnlyReason())) return 0;
      const remote = this.deps.remote(teamDatabaseUrl(login), { username: login.username, password: login.password });
      const context = await sharedContext(this.deps.db);
      let changed = 0;
      for (const integrationId of integrationIds) {
        let published: Awaited<ReturnType<typeof publishRecords>>;
        try {
          published = await publishRecords(this.deps.db, remote, integrationId, context, options);
        } catch (error) {
          // A sync's records (not a joining browser's older ones) are published later.
          if (!options.onlyIfFirst) await this.markUnpublished(integrationId, true);
          throw error;
        }
        await this.markUnpublished(integrationId, false);
        changed += published.written + published.deleted;
      }
      return changed;
    });
    this.publishing = next.catch(() => undefined);
    return next;
  }

  /** Publishes the records a sync here could not publish when it ended (the team server did not answer). */
  async publishUnpublished(): Promise<number> {
    const pending = await this.deps.db.preferences.get('team-unpublished');
    const ids = pending?.id === 'team-unpublished' ? pending.integrationIds : [];
    return ids.length ? this.publishRecords(ids) : 0;
  }

  private async markUnpublished(integrationId: string, unpublished: boolean): Promise<void> {
    const { db } = this.deps;
    await db.transaction('rw', db.preferences, async () => {
      const pending = await db.preferences.get('team-unpublished');
      const ids = new Set(pending?.id === 'team-unpublished' ? pending.integrationIds : []);
      if (unpublished === ids.has(integrationId)) return;
      if (unpublished) ids.add(integrationId);
      else ids.delete(integrationId);
      const next: TeamUnpublishedPreference = { id: 'team-unpublished', integrationIds: [...ids] };
      if (ids.size) await db.preferences.put(next);
      else await db.preferences.delete('team-unpublished');
    });
  }

  /** Stops and starts again (after unlocking, or when the person asks). */
  async restart(): Promise<void> {
    this.replication.stop();
    // Asked again by the person (e.g. after an admin restored their membership): a refusal is tried anew.
    if (await teamMembership(this.deps.db)) await this.saveStatus({ state: 'starting' });
    await this.resume();
  }

  /**
   * Before a scheduled sync of `source` (a PSA tenant): in a team, only the lease holder calls the
   * PSA; the others read the records it publishes. The lease is taken when free or expired. A team
   * server that cannot be reached does not stop this browser's own sync (said in the log by the caller).
   */
  async syncTurn(source: string, options: { holdMs?: number } = {}): Promise<SyncTurn> {
    const login = await this.loginIfMember();
    if (!login) return { ok: true, holder: false };
    const { installId, name } = await authorForWriting(this.deps.db);
    try {
      // `holdMs`: the schedule's period, so the turn lasts until this browser's next scheduled sync.
      const outcome = await acquireLease(login, source, { installId, name }, { now: this.now(), ttlMs: LEASE_TTL_MS + (options.holdMs ?? 0) });
      if (outcome.ok) {
        this.held.set(source, this.now());
        return { ok: true, holder: true };
      }
      this.held.delete(source);
      const who = outcome.heldBy.holder.name || 'Another member';
      const until = new Date(outcome.heldBy.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      return {
        ok: false,
        message: `${who}’s browser syncs this PSA for the team (its turn lasts until ${until} unless renewed): Sidecar reads the records from the team instead.`,
      };
    } catch (error) {
      if (error instanceof TeamServerError) return { ok: true, holder: false };
      throw error;
    }
  }

  /** While syncing: renews the leases this browser holds that are due (a lost one is dropped). */
  async renewLeases(): Promise<void> {
    const login = await this.loginIfMember();
    if (!login) return;
    const { installId, name } = await authorForWriting(this.deps.db);
    for (const [source, renewedAt] of this.held) {
      if (this.now() - renewedAt < LEASE_RENEW_EVERY_MS) continue;
      const outcome = await renewLease(login, source, { installId, name }, { now: this.now() }).catch(() => undefined);
      if (outcome?.ok) this.held.set(source, this.now());
      else if (outcome) this.held.delete(source);
    }
  }

  /** Who holds each PSA tenant's sync lease (the Team panel). */
  async leases(): Promise<{ source: string; holder: string; mine: boolean; live: boolean; expiresAt: number }[]> {
    const login = await this.loginIfMember();
    if (!login) return [];
    const { installId } = await authorForWriting(this.deps.db);
    let leases: LeaseDoc[];
    try {
      leases = await readLeases(login);
    } catch (error) {
      if (error instanceof TeamServerError) throw new HandledError('unavailable', error.message);
      throw error;
    }
    return leases.map((lease) => ({
      source: lease.source,
      holder: lease.holder.name || 'Unnamed technician',
      mine: lease.holder.installId === installId,
      live: isLeaseLive(lease, this.now()),
      expiresAt: lease.expiresAt,
    }));
  }

  private async loginIfMember(): Promise<TeamSettings | undefined> {
    if (!(await teamMembership(this.deps.db))) return undefined;
    return teamLogin(this.deps.db, this.deps.vault).catch(() => undefined);
  }

  /** Why documents cannot be written now (a removed member's copy is read-only), or undefined. */
  async readOnlyReason(): Promise<string | undefined> {
    const [membership, status] = await Promise.all([teamMembership(this.deps.db), teamStatus(this.deps.db)]);
    return membership && status?.state === 'refused' ? refusalMessage(membership.database) : undefined;
  }

  private async saveStatus(status: ReplicationStatus): Promise<void> {
    await saveTeamStatus(this.deps.db, status, this.now()).catch((error: unknown) => console.warn('Sidecar could not save the team status', error));
  }

  private async settingsFrom(input: unknown): Promise<TeamSettings> {
    const parsed = parseTeamSettings(input);
    if (!parsed.ok) throw new HandledError('invalid', parsed.message, { [parsed.field]: parsed.message });
    const managed = await this.deps.managed();
    if (managed.serverUrl && managed.serverUrl !== parsed.settings.serverUrl) {
      const message = `Your organisation set the team server to ${managed.serverUrl}.`;
      throw new HandledError('invalid', message, { serverUrl: message });
    }
    if (managed.database && managed.database !== parsed.settings.database) {
      const message = `Your organisation set the team database to “${managed.database}”.`;
      throw new HandledError('invalid', message, { database: message });
    }
    if (!(await this.deps.hasHostPermission(parsed.settings.serverUrl))) {
      throw new HandledError('permission', `Sidecar may not reach ${new URL(parsed.settings.serverUrl).host} yet: allow it when the browser asks.`);
    }
    return parsed.settings;
  }

  private async reach(settings: TeamSettings): Promise<TeamProbe> {
    try {
      return await this.probe(settings);
    } catch (error) {
      if (error instanceof TeamServerError) return { ok: false, code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
      throw error;
    }
  }

  private async teamKey(
    settings: TeamSettings,
    probe: Extract<TeamProbe, { ok: true }>,
    passphrase: string,
    author: { installId: string; name: string },
  ): Promise<{ team: TeamDoc; rawKey: Uint8Array<ArrayBuffer>; created: boolean }> {
    const unwrap = async (team: TeamDoc) => {
      try {
        return await unwrapTeamKey(team, passphrase);
      } catch (error) {
        if (error instanceof TeamPassphraseError) throw new HandledError('invalid', error.message, { passphrase: error.message });
        throw error;
      }
    };
    if (probe.state === 'joined-team') return { team: probe.team, rawKey: await unwrap(probe.team), created: false };
    let made: Awaited<ReturnType<typeof newTeam>>;
    try {
      made = await newTeam(passphrase, author, undefined, this.now());
    } catch (error) {
      if (error instanceof TeamPassphraseError) throw new HandledError('invalid', error.message, { passphrase: error.message });
      throw error;
    }
    let put: Awaited<ReturnType<typeof putTeamDoc>>;
    try {
      put = await putTeamDoc(settings, made.doc);
    } catch (error) {
      if (error instanceof TeamServerError) throw new HandledError('invalid', error.message, error.field ? { [error.field]: error.message } : undefined);
      throw error;
    }
    // Another member set the team up a moment earlier: join theirs.
    if (!put.ok) return { team: put.team, rawKey: await unwrap(put.team), created: false };
    return { team: { ...made.doc, _rev: put.rev }, rawKey: made.rawKey, created: true };
  }
}
