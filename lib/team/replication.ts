import type { ReplicationError, Sync } from 'pouchdb-core';
import type { TeamReplicationState } from '../db/schema';
import { syncStores, type DocStore } from '../docstore/pouch';

/**
 * The live, two-way replication between this browser's documentation store and the team's
 * database: PouchDB's own (CouchDB's protocol, checkpoints in `_local` documents), so a worker
 * stopped mid-way resumes where it was (toolchain.md §13). A live replication dies silently with
 * the worker: the background starts it again whenever the worker starts and on a periodic alarm.
 * An access refusal (401/403: the member was removed or the password changed) stops it for good
 * and leaves the local copy read-only; anything else is retried, with a capped back-off.
 */

export interface ReplicationStatus {
  state: TeamReplicationState;
  message?: string;
  lastReplicatedAt?: number;
}

export interface TeamReplicationEvents {
  /** Documents a pull brought in (the background projects them, settles conflicts). */
  pulled(ids: string[]): void;
  status(status: ReplicationStatus): void;
}

/** Retries start at 1 s and double up to 15 s: a server back from a restart is seen within seconds. */
export const backOff = (delay: number): number => (delay === 0 ? 1_000 : Math.min(delay * 2, 15_000));

/** A 401/403 from the team server (pouchdb-server answers 401 where CouchDB 3 answers 403 to a non-member). */
export const isRefusal = (error: unknown): boolean => {
  const { status, name } = (error ?? {}) as ReplicationError;
  return status === 401 || status === 403 || /^(unauthorized|forbidden)$/i.test(name ?? '');
};

export function refusalMessage(database: string): string {
  return `The team server refused this browser: you are no longer a member of “${database}”, or your password changed. Your copy stays here read-only; ask your team’s CouchDB admin, or leave the team in Options → Team.`;
}

export class TeamReplication {
  private sync: Sync | undefined;
  private refused = false;

  /** `startSync`: PouchDB's (tests give a stand-in). */
  constructor(
    private readonly events: TeamReplicationEvents,
    private readonly startSync: typeof syncStores = syncStores,
  ) {}

  get running(): boolean {
    return !!this.sync;
  }

  /** `local`: the local store, or the view the team's pull writes through (./pull-target.ts). */
  start(local: DocStore, remote: DocStore, database: string, now: () => number = Date.now): void {
    this.stop();
    this.refused = false;
    const sync = this.startSync(local, remote, { live: true, retry: true, batch_size: 200, back_off_function: backOff });
    this.sync = sync;
    const refuse = () => {
      if (this.refused) return;
      this.refused = true;
      this.events.status({ state: 'refused', message: refusalMessage(database) });
      this.stop();
    };
    sync
      .on('active', () => this.sync === sync && this.events.status({ state: 'replicating' }))
      .on('change', (info) => {
        if (info.direction === 'pull' && info.change.docs.length) this.events.pulled(info.change.docs.map((doc) => doc._id));
      })
      .on('paused', (error) => {
        if (this.sync !== sync) return;
        if (isRefusal(error)) refuse();
        else if (error)
          this.events.status({
            state: 'offline',
            message: `Cannot reach the team server (${error.message ?? error.name ?? 'no answer'}): Sidecar keeps working here and sends your changes when it answers again.`,
          });
        else this.events.status({ state: 'idle', lastReplicatedAt: now() });
      })
      .on('denied', refuse)
      .on('error', (error) => {
        if (isRefusal(error)) refuse();
        else if (this.sync === sync) {
          // PouchDB has given up on this one: let go of it, so the next alarm or worker start begins anew.
          this.sync = undefined;
          this.events.status({ state: 'error', message: `Team replication stopped: ${error.message ?? error.name ?? 'unknown error'}.` });
        }
      });
  }

  stop(): void {
    const sync = this.sync;
    this.sync = undefined;
    sync?.cancel();
  }
}
