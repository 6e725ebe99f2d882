import Dexie, { type IndexableType } from 'dexie';
import type { ClientSpaceRow, DocRow, IntegrationRow, LayoutRow, MatchRow, RecordRow, SidecarDb } from '../db/schema';
import { foundDocument, integrationsBySource } from './documents';
import { changesStamp } from '../db/record-stamps';
import { MemoryIndex, type IndexedHit } from './memory';
import { shownRecord, toPaletteResults, type PaletteResult, type Shown } from './results';
import { loadIndex, saveIndex } from './snapshot';
import { namesStartingWith } from './name-prefix';
import { clientSpacesByCompany, documentSpace, type SearchScope } from './rules';
import { tokenize } from './words';

/**
 * The palette's search, served by the background worker: an in-memory index of every record's
 * and document's words (lib/search/memory.ts), loaded when the popup first asks (a popup asks on
 * opening) from the copy saved after the last build (lib/search/snapshot.ts), or built from
 * IndexedDB when there is none, and kept while the worker lives. A search asked before it is
 * there waits a moment for it, then answers with the names starting with the query
 * (lib/search/name-prefix.ts) until it is: only a build takes long (nothing saved yet: the first
 * palette after the first sync). It is not built after each sync, where a large tenant's index
 * would sit in the worker's memory while the sync runs. Written records or documents make the
 * index stale (a saved copy too, when they changed since it was built): it keeps answering, the
 * results it shows are read fresh, and it is rebuilt, and saved, once the writes have stopped for
 * a moment.
 *
 * Records and documents have no IndexedDB index of their words (#17: that multi-entry index
 * cost a large first sync a third of its time).
 */

/** Rows read from IndexedDB per step of a build (the worker answers other messages between steps). */
const BUILD_CHUNK = 2000;
/**
 * How long a search waits for an index before answering without it: a saved one being loaded
 * (a moment), or one being built (a small tenant's is there in time; a large one's takes seconds,
 * and its first search is answered at once with the names starting with it, #17).
 */
const WAIT_FOR_LOAD_MS = 300;
const WAIT_FOR_BUILD_MS = 30;
/** Quiet time after the last write to records or documents before the index is rebuilt. */
const REBUILD_AFTER_MS = 3000;

type SmallTable = 'matches' | 'clientSpaces' | 'integrations' | 'layouts';
const SMALL_TABLES: readonly string[] = ['matches', 'clientSpaces', 'integrations', 'layouts'] satisfies SmallTable[];

export interface SearchAnswer {
  results: PaletteResult[];
  /** Answered from the index (false: it is being built, and these are only the names starting with the query: ask again soon). */
  indexed: boolean;
}

export class SearchService {
  private index?: MemoryIndex;
  private building?: Promise<void>;
  private stale = false;
  /** A saved index is being loaded (a moment), not built (seconds). */
  private loading = false;
  /** Searches under way, and what a build waiting for them to end is woken by (#17: a first search is answered before the build's next chunk). */
  private searching = 0;
  private searchesEnded: (() => void)[] = [];
  private rebuildTimer?: ReturnType<typeof setTimeout>;
  /** The index in use was loaded from the saved copy (tests, and the bench's figures). */
  loadedFromSnapshot = false;
  /** Small tables every query needs, kept until written. */
  private readonly small = new Map<SmallTable, Promise<unknown[]>>();

  private readonly rebuildAfterMs: number;
  private readonly waitForBuildMs: number;

  constructor(
    private readonly db: SidecarDb,
    options: { rebuildAfterMs?: number; waitForBuildMs?: number } = {},
  ) {
    this.rebuildAfterMs = options.rebuildAfterMs ?? REBUILD_AFTER_MS;
    this.waitForBuildMs = options.waitForBuildMs ?? WAIT_FOR_BUILD_MS;
    const prefix = `idb://${db.name}/`;
    Dexie.on('storagemutated', (parts) => {
      for (const part of Object.keys(parts)) {
        if (!part.startsWith(prefix)) continue;
        const table = part.slice(prefix.length).split('/')[0];
        if (table === 'records' || table === 'docs') this.changed();
        if (table !== undefined && SMALL_TABLES.includes(table)) this.small.delete(table as SmallTable);
      }
    });
  }

  /** Starts building the index if there is none (the popup asks this as it opens). */
  warm(): void {
    if (!this.index && !this.building) this.startBuild();
  }

  private startBuild(): void {
    // A failed build leaves the last index (or none: the search that waits says so); the next query tries again.
    const building: Promise<void> = (this.index ? this.build() : this.loadOrBuild())
      .catch((error: unknown) => console.warn('Sidecar could not build its search index', error))
      .finally(() => {
        if (this.building === building) this.building = undefined;
      });
    this.building = building;
  }

  /** The saved index when there is one (stale if records or documents changed since: rebuilt soon), else a build. */
  private async loadOrBuild(): Promise<void> {
    this.loading = true;
    const loaded = await loadIndex(this.db)
      .catch((error: unknown) => console.warn('Sidecar could not load its saved search index', error))
      .finally(() => {
        this.loading = false;
      });
    if (!loaded) return this.build();
    this.index = loaded.index;
    this.loadedFromSnapshot = true;
    // Read fresh from the first search on; rebuilt once nothing has been written for a moment.
    if (loaded.stale) {
      this.stale = true;
      queueMicrotask(() => this.changed());
    }
  }

  /** Resolves once an index is ready (tests, and the bench's "after warm-up" figures). */
  async ready(): Promise<void> {
    this.warm();
    while (this.building) await this.building;
  }

  get indexed(): boolean {
    return !!this.index;
  }

  async search(query: string, limit = 30): Promise<SearchAnswer> {
    this.warm();
    const terms = [...new Set(tokenize(query))];
    if (!terms.length) return { results: [], indexed: !!this.index };
    // Loading a saved index takes a moment; a large first build takes seconds: names starting with the query meanwhile.
    if (!this.index) {
      const waitMs = this.loading ? WAIT_FOR_LOAD_MS : this.waitForBuildMs;
      await Promise.race([this.building, new Promise((resolve) => setTimeout(resolve, waitMs))]);
    }
    // Counted from here, not while it waits for the build (which would wait for it).
    this.searching += 1;
    try {
      return await this.answer(query, terms, limit);
    } finally {
      this.searching -= 1;
      if (!this.searching) this.searchesEnded.splice(0).forEach((wake) => wake());
    }
  }

  /** Resolves when no search is under way: a build reads its next chunk then, not beside one. */
  private searchesIdle(): Promise<void> {
    return this.searching ? new Promise((resolve) => this.searchesEnded.push(resolve)) : Promise.resolve();
  }

  private async answer(query: string, terms: string[], limit: number): Promise<SearchAnswer> {
    const [matches, spaces, integrations, layouts] = (await Promise.all([
      this.table('matches'),
      this.table('clientSpaces'),
      this.table('integrations'),
      this.table('layouts'),
    ])) as [MatchRow[], ClientSpaceRow[], IntegrationRow[], LayoutRow[]];
    const scope: SearchScope = { companies: clientSpacesByCompany(matches), spaces: new Set(spaces.map((space) => space.id)) };
    const tables = { matches, spaces, integrations, layouts };
    const index = this.index;
    if (!index) {
      if (!this.building) throw new Error('Sidecar could not build its search index: see the background console, then try again.');
      const rows = await namesStartingWith(this.db, query, integrations, scope, limit);
      return { results: toPaletteResults(rows.map(shownRecord), tables), indexed: false };
    }
    const found = index.search(terms, limit + (this.stale ? 10 : 0), scope);
    // Stale (records or documents written since the build): what it names is read fresh.
    const hits: Shown[] = this.stale ? (await this.fresh(found, scope)).slice(0, limit) : found.map(fromIndex);
    return { results: toPaletteResults(hits, tables), indexed: true };
  }

  /** The index's hits as they are now: archived or removed records, and binned or removed documents, are left out. */
  private async fresh(found: IndexedHit[], scope: SearchScope): Promise<Shown[]> {
    const records = found.flatMap((hit) => (hit.type === 'record' ? [hit.key] : []));
    const documents = found.flatMap((hit) => (hit.type === 'document' ? [hit.document.id] : []));
    const [recordRows, docRows] = await Promise.all([this.db.records.bulkGet(records), this.db.docs.bulkGet(documents)]);
    const rows = { record: recordRows.values(), document: docRows.values() };
    return found.flatMap((hit): Shown[] => {
      if (hit.type === 'record') {
        const row = rows.record.next().value;
        return row && row.archivedAt === undefined ? [shownRecord(row)] : [];
      }
      const row = rows.document.next().value;
      const document = row && foundDocument(row);
      if (!document) return [];
      // Its own client space may have changed (an article moved); one about a record keeps its record's.
      const spaceId = document.spaceId === undefined ? hit.spaceId : documentSpace({ spaceId: document.spaceId }, scope);
      if (spaceId === undefined) return [];
      return [{ type: 'document', document, spaceId, ...(hit.recordTitle !== undefined ? { recordTitle: hit.recordTitle } : {}) }];
    });
  }

  private table(name: SmallTable): Promise<unknown[]> {
    let rows = this.small.get(name);
    if (!rows) {
      rows = (this.db[name] as Dexie.Table).toArray();
      this.small.set(name, rows);
      rows.catch(() => this.small.delete(name));
    }
    return rows;
  }

  private changed(): void {
    if (!this.index && !this.building) return;
    this.stale = true;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      if (this.building) return this.changed();
      this.startBuild();
    }, this.rebuildAfterMs);
  }

  private async build(): Promise<void> {
    this.stale = false;
    // Read before the rows: a write after it makes the saved copy stale, never wrongly current.
    const stamp = await changesStamp(this.db);
    const index = new MemoryIndex(integrationsBySource(await this.db.integrations.toArray()));
    const pause = () => this.searchesIdle();
    await inChunks<RecordRow>(
      this.db.records,
      (row) => [row.integrationId, row.entity, row.remoteId],
      (row) => index.add(row),
      pause,
    );
    // Documents after records: those about a record are placed by it.
    await inChunks<DocRow>(
      this.db.docs,
      (row) => row.id,
      (row) => index.addDocument(row),
      pause,
    );
    index.finish();
    this.index = index;
    this.loadedFromSnapshot = false;
    // Written meanwhile: a rebuild is due, and saves instead.
    if (!this.stale) await saveIndex(this.db, index, stamp).catch((error: unknown) => console.warn('Sidecar could not save its search index', error));
  }
}

/** What `inChunks` asks of a table's collections (records' and documents' differ in Dexie's types, not in these). */
interface FirstRows<Row> {
  limit(count: number): { toArray(): Promise<Row[]> };
}

/**
 * Every row of a table in key order, `BUILD_CHUNK` at a time (the worker answers other messages
 * between reads), each chunk once `pause` resolves.
 */
async function inChunks<Row>(
  table: { toCollection(): FirstRows<Row>; where(index: ':id'): { above(key: IndexableType): FirstRows<Row> } },
  keyOf: (row: Row) => IndexableType,
  each: (row: Row) => void,
  pause: () => Promise<void>,
): Promise<void> {
  let after: IndexableType | undefined;
  for (;;) {
    await pause();
    const rows = await (after === undefined ? table.toCollection() : table.where(':id').above(after)).limit(BUILD_CHUNK).toArray();
    rows.forEach(each);
    if (rows.length < BUILD_CHUNK) return;
    after = keyOf(rows.at(-1)!);
  }
}

function fromIndex(hit: IndexedHit): Shown {
  if (hit.type === 'document') {
    const { document, spaceId, recordTitle } = hit;
    return { type: 'document', document, spaceId, ...(recordTitle !== undefined ? { recordTitle } : {}) };
  }
  const [integrationId, entity, remoteId] = hit.key;
  return { type: 'record', integrationId, entity, remoteId, companyRemoteId: hit.companyRemoteId, item: hit.item };
}
