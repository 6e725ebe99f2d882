// PouchDB ships no types, and @types/pouchdb-core declares a global `Buffer` that breaks Node's.
// The part of PouchDB's API Sidecar uses, typed here; documents are checked with zod where read.

declare module 'pouchdb-core' {
  export interface DocMeta {
    _id: string;
    _rev?: string;
    _deleted?: boolean;
    _conflicts?: string[];
  }
  export type Doc = DocMeta & Record<string, unknown>;
  export interface PutResult {
    ok: boolean;
    id: string;
    rev: string;
  }
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
  }
  export interface ChangesResult {
    results: { id: string; seq: number | string; deleted?: boolean; doc?: Doc; changes: { rev: string }[] }[];
    last_seq: number | string;
  }
  export interface Database {
    readonly name: string;
    put(doc: Doc): Promise<PutResult>;
    get(id: string, options?: { rev?: string; conflicts?: boolean; revs_info?: boolean }): Promise<Doc>;
    remove(doc: DocMeta): Promise<PutResult>;
    bulkDocs(
      docs: Doc[] | { docs: Doc[]; new_edits?: boolean },
      options?: object,
    ): Promise<(PutResult | { error: true; id: string; status: number; name: string; message: string })[]>;
    /** Which of these revisions the store lacks (replication asks its target). */
    revsDiff(diff: Record<string, string[]>): Promise<Record<string, { missing: string[] }>>;
    changes(options: {
      since?: number | string;
      include_docs?: boolean;
      conflicts?: boolean;
      limit?: number;
      style?: 'main_only' | 'all_docs';
    }): Promise<ChangesResult>;
    allDocs(options?: {
      startkey?: string;
      endkey?: string;
      keys?: string[];
      include_docs?: boolean;
      conflicts?: boolean;
      limit?: number;
    }): Promise<{ rows: { id: string; key: string; value: { rev: string; deleted?: boolean }; doc?: Doc; error?: string }[] }>;
    info(): Promise<{ db_name: string; doc_count: number; update_seq: number | string }>;
    close(): Promise<void>;
    destroy(): Promise<void>;
    replicate: {
      to(target: Database): Promise<ReplicationResult>;
      from(source: Database, options?: { batch_size?: number; batches_limit?: number }): Replication;
    };
    sync(remote: Database, options: SyncOptions): Sync;
  }
  export interface SyncOptions {
    live?: boolean;
    retry?: boolean;
    batch_size?: number;
    /** Milliseconds to wait before the next attempt, given the last wait (0 at first). */
    back_off_function?: (delay: number) => number;
  }
  /** What a live sync reports (PouchDB's replication events, both directions). */
  export interface ReplicationError {
    status?: number;
    name?: string;
    message?: string;
    reason?: string;
  }
  export interface Sync {
    on(event: 'change', listener: (info: { direction: 'push' | 'pull'; change: { docs: Doc[] } }) => void): Sync;
    on(event: 'paused', listener: (error?: ReplicationError) => void): Sync;
    on(event: 'active', listener: () => void): Sync;
    on(event: 'denied', listener: (error: ReplicationError) => void): Sync;
    on(event: 'error', listener: (error: ReplicationError) => void): Sync;
    on(event: 'complete', listener: () => void): Sync;
    cancel(): void;
  }
  /** A one-shot replication: awaited for its result; its `change` events carry each batch written. */
  export interface Replication extends Promise<ReplicationResult> {
    on(event: 'change', listener: (info: { docs: Doc[] }) => void): Replication;
    cancel(): void;
  }
  export interface ReplicateOptions {
    live?: boolean;
    retry?: boolean;
    batch_size?: number;
    batches_limit?: number;
    back_off_function?: (delay: number) => number;
  }
  interface PouchStatic {
    sync(local: Database, remote: Database, options: SyncOptions): Sync;
    replicate(source: Database, target: Database, options: ReplicateOptions): Replication;
    new (
      name: string,
      options?: { adapter?: string; auto_compaction?: boolean; skip_setup?: boolean; auth?: { username: string; password: string } },
    ): Database;
    plugin(plugin: unknown): PouchStatic;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-indexeddb' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}
