import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DocStore } from '../../../lib/docstore/pouch';
import { TeamReplication, type ReplicationStatus } from '../../../lib/team/replication';

/** A stand-in for PouchDB's sync handle: the events it emits are what TeamReplication reacts to. */
function fakeStores() {
  const handles: (EventEmitter & { cancelled: boolean })[] = [];
  const local = {
    sync: () => {
      const handle = Object.assign(new EventEmitter(), { cancelled: false, cancel: () => (handle.cancelled = true) });
      handles.push(handle);
      return handle;
    },
  } as unknown as DocStore;
  return { local, remote: {} as DocStore, handles };
}

const viaStandIn = (local: DocStore, remote: DocStore, options: object) => local.sync(remote, options);

describe('TeamReplication', () => {
  it('lets go of a replication PouchDB gave up on, so the next start begins a new one', () => {
    const statuses: ReplicationStatus[] = [];
    const replication = new TeamReplication({ pulled: () => undefined, status: (status) => statuses.push(status) }, viaStandIn);
    const { local, remote, handles } = fakeStores();
    replication.start(local, remote, 'sidecar-team');
    expect(replication.running).toBe(true);
    handles[0]!.emit('error', { status: 500, name: 'unknown_error', message: 'Database encountered an unknown error' });
    expect(statuses.at(-1)).toEqual({ state: 'error', message: 'Team replication stopped: Database encountered an unknown error.' });
    // The alarm asks `running` before starting one: a dead handle kept here would keep it from ever trying again.
    expect(replication.running).toBe(false);
    replication.start(local, remote, 'sidecar-team');
    expect(handles).toHaveLength(2);
    expect(replication.running).toBe(true);
  });

  it('stops for good on a refusal, saying why', () => {
    const statuses: ReplicationStatus[] = [];
    const replication = new TeamReplication({ pulled: () => undefined, status: (status) => statuses.push(status) }, viaStandIn);
    const { local, remote, handles } = fakeStores();
    replication.start(local, remote, 'sidecar-team');
    handles[0]!.emit('error', { status: 403, name: 'forbidden' });
    expect(statuses.at(-1)?.state).toBe('refused');
    expect(replication.running).toBe(false);
    expect(handles[0]!.cancelled).toBe(true);
  });

  it('an error of a replication already replaced says nothing', () => {
    const statuses: ReplicationStatus[] = [];
    const replication = new TeamReplication({ pulled: () => undefined, status: (status) => statuses.push(status) }, viaStandIn);
    const { local, remote, handles } = fakeStores();
    replication.start(local, remote, 'sidecar-team');
    replication.start(local, remote, 'sidecar-team');
    handles[0]!.emit('error', { status: 500, message: 'late' });
    expect(statuses).toEqual([]);
    expect(replication.running).toBe(true);
  });
});
