import PouchDB, { type Database, type ReplicateOptions, type Replication, type Sync, type SyncOptions } from 'pouchdb-core';
import indexedDbAdapter from 'pouchdb-adapter-indexeddb';
import replication from 'pouchdb-replication';
import httpAdapter from 'pouchdb-adapter-http';

/**
 * The store of what technicians write (#14), shared with the team by CouchDB's replication
 * protocol (#15): PouchDB over IndexedDB, opened in the background only (docs/design/
 * documentation-store.md §1). Pages never open it: PouchDB's change feed between contexts needs
 * `localStorage`, which the worker lacks; they read the Dexie projection instead.
 *
 * Adapter `indexeddb` (one IndexedDB record per document, `bulkDocs` in one transaction, purge):
 * it cannot open databases of the older `idb` adapter, so it is chosen once, here.
 * `auto_compaction`: only leaf revisions keep their bodies, so history is kept as explicit version
 * documents, never read from old `_rev`s (tests/unit/docstore/pouch.test.ts shows why).
 */
PouchDB.plugin(indexedDbAdapter).plugin(httpAdapter).plugin(replication);

export const DOC_STORE_NAME = 'sidecar-docs';

export type DocStore = Database;

const open = new Map<string, DocStore>();

/** The named store, opened once per worker lifetime (PouchDB keeps its IndexedDB connection). */
export function docStore(name: string = DOC_STORE_NAME): DocStore {
  let store = open.get(name);
  if (!store) {
    store = new PouchDB(name, { adapter: 'indexeddb', auto_compaction: true });
    open.set(name, store);
  }
  return store;
}

/** Deletes a store and everything in it, and forgets it, so the next docStore(name) opens a new, empty one. */
export async function destroyDocStore(name: string = DOC_STORE_NAME): Promise<void> {
  const store = docStore(name);
  open.delete(name);
  await store.destroy();
}

/** Closes a store and forgets it (the next docStore(name) opens it again), as a stopped worker leaves it. */
export async function closeDocStore(name: string = DOC_STORE_NAME): Promise<void> {
  const store = open.get(name);
  open.delete(name);
  await store?.close();
}

/**
 * The team's database on its CouchDB server (#15), for replication only. `skip_setup`: PouchDB
 * would otherwise try to create a missing database, which only the server's admin may do.
 */
export function remoteStore(url: string, auth: { username: string; password: string }): DocStore {
  return new PouchDB(url, { adapter: 'http', skip_setup: true, auth });
}

/**
 * Live two-way replication between a local store (or a view over one: lib/team/pull-target.ts)
 * and the team's database. PouchDB's own `local.sync(remote)`, called statically so a view's
 * overrides are what the pull writes through.
 */
export function syncStores(local: DocStore, remote: DocStore, options: SyncOptions): Sync {
  return PouchDB.sync(local, remote, options);
}

/** A one-way replication from `source` into `target` (a store, or a view over one). */
export function replicateStores(source: DocStore, target: DocStore, options: ReplicateOptions): Replication {
  return PouchDB.replicate(source, target, options);
}
