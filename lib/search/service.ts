import Dexie from 'dexie';
import type { ClientSpaceRow, IntegrationRow, MatchRow, RecordRow, SidecarDb } from '../db/schema';
import { MemoryIndex } from './memory';
import { searchRecords } from './query';
import { shown, toPaletteResults, type PaletteResult, type ShownRecord } from './results';
import { clientSpacesByCompany, type RecordKey } from './rules';
import { tokenize } from './words';

/**
 * The palette's search, served by the background worker: an in-memory index of every record's
 * words (lib/search/memory.ts), built from IndexedDB when the popup first asks (a popup asks on
 * opening) and kept while the worker lives. Until it is built — the worker is stopped when idle,
 * and a large dataset takes seconds to read — searches read IndexedDB directly
 * (lib/search/query.ts). Written records (a sync) make the index stale: it keeps answering, the
 * records it shows are read fresh, and it is rebuilt once the writes have stopped for a moment.
 */

/** Records read from IndexedDB per step of a build (the worker answers other messages between steps). */
const BUILD_CHUNK = 2000;
/** Quiet time after the last write to records before the index is rebuilt. */
const REBUILD_AFTER_MS = 3000;

export interface SearchAnswer {
  results: PaletteResult[];
  /** Answered from the in-memory index (false: read from IndexedDB, while the index builds). */
  indexed: boolean;
}

export class SearchService {
  private index?: MemoryIndex;
  private building?: Promise<void>;
  private stale = false;
  /** Searches reading IndexedDB right now: the build waits for them (both read the same store). */
  private reading = 0;
  private rebuildTimer?: ReturnType<typeof setTimeout>;
  /** Small tables every query needs, kept until written. */
  private readonly small = new Map<'matches' | 'clientSpaces' | 'integrations', Promise<unknown[]>>();

  private readonly rebuildAfterMs: number;

  constructor(
    private readonly db: SidecarDb,
    options: { rebuildAfterMs?: number } = {},
  ) {
    this.rebuildAfterMs = options.rebuildAfterMs ?? REBUILD_AFTER_MS;
    const prefix = `idb://${db.name}/`;
    Dexie.on('storagemutated', (parts) => {
      for (const part of Object.keys(parts)) {
        if (!part.startsWith(prefix)) continue;
        const table = part.slice(prefix.length).split('/')[0];
        if (table === 'records') this.recordsChanged();
        if (table === 'matches' || table === 'clientSpaces' || table === 'integrations') this.small.delete(table);
      }
    });
  }

  /** Starts building the index if there is none (the popup asks this as it opens). */
  warm(): void {
    if (!this.index && !this.building) this.startBuild();
  }

  private startBuild(): void {
    // A failed build leaves the last index (or none: searches read IndexedDB); the next query tries again.
    this.building = this.build().catch((error: unknown) => console.warn('Sidecar could not build its search index', error));
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
    // What is ready when asked answers (a build finishing meanwhile serves the next query).
    const index = this.index;
    this.warm();
    const terms = [...new Set(tokenize(query))];
    if (!terms.length) return { results: [], indexed: !!index };
    const matches = (await this.table('matches')) as MatchRow[];
    let hits: ShownRecord[];
    if (index) {
      const found = index.search(terms, limit + (this.stale ? 10 : 0), clientSpacesByCompany(matches));
      if (!this.stale) {
        hits = found.map(({ key: [integrationId, entity, remoteId], companyRemoteId, item }) => ({ integrationId, entity, remoteId, companyRemoteId, item }));
      } else {
        // Stale (records written since the build): what it names is read fresh; archived or removed records are left out.
        const rows = await this.db.records.bulkGet(found.map((hit) => hit.key));
        hits = rows.filter((row): row is RecordRow => !!row && row.archivedAt === undefined).map((row) => shown({ row, score: 0 }));
        hits = hits.slice(0, limit);
      }
    } else {
      this.reading += 1;
      try {
        hits = (await searchRecords(this.db, query, limit, matches)).map(shown);
      } finally {
        this.reading -= 1;
      }
    }
    const [spaces, integrations] = await Promise.all([this.table('clientSpaces'), this.table('integrations')]);
    return { results: toPaletteResults(hits, matches, spaces as ClientSpaceRow[], integrations as IntegrationRow[]), indexed: !!index };
  }

  private table(name: 'matches' | 'clientSpaces' | 'integrations'): Promise<unknown[]> {
    let rows = this.small.get(name);
    if (!rows) {
      rows = (this.db[name] as Dexie.Table).toArray();
      this.small.set(name, rows);
      rows.catch(() => this.small.delete(name));
    }
    return rows;
  }

  private recordsChanged(): void {
    if (!this.index && !this.building) return;
    this.stale = true;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      if (this.building) return this.recordsChanged();
      this.startBuild();
    }, this.rebuildAfterMs);
  }

  private async build(): Promise<void> {
    try {
      const index = new MemoryIndex();
      this.stale = false;
      let after: RecordKey | undefined;
      for (;;) {
        while (this.reading) await new Promise((resolve) => setTimeout(resolve, 20));
        const rows: RecordRow[] = await (after ? this.db.records.where(':id').above(after) : this.db.records.toCollection()).limit(BUILD_CHUNK).toArray();
        for (const row of rows) index.add(row);
        if (rows.length < BUILD_CHUNK) break;
        const last = rows.at(-1)!;
        after = [last.integrationId, last.entity, last.remoteId];
      }
      index.finish();
      this.index = index;
    } finally {
      this.building = undefined;
    }
  }
}
