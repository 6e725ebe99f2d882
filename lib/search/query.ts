import Dexie from 'dexie';
import type { ClientSpaceRow, IntegrationRow, MatchRow, RecordRow, SidecarDb } from '../db/schema';
import { toItem } from '../items/to-item';
import { foundDocument, integrationsBySource, type FoundDocument } from './documents';
import { allowedEdits } from './fuzzy';
import {
  bestWordScore,
  clientSpacesByCompany,
  compareHits,
  documentSpace,
  isFindable,
  queryScore,
  readings,
  termScore,
  typoStarts,
  type DocumentPlace,
  type RankedHit,
  type RecordKey,
  type SearchScope,
} from './rules';
import { tokenize } from './words';

/**
 * Local search across every client space (the palette): typo tolerant, from IndexedDB only, so
 * it works with the PSA down. Records (`records`) and the documents technicians write (`docs`,
 * lib/search/documents.ts) alike. The rules (what matches, how it scores and ranks) are
 * lib/search/rules.ts, shared with the in-memory index (lib/search/memory.ts) from which the
 * background answers the palette; this is what it does until that is built. Each query
 * asks IndexedDB a few batches of requests, all of a batch at once:
 *  1. with several query words, how many rows each one's exact and prefix words reach: the
 *     rarest drives;
 *  2. the keys of the rows the driving word reaches, exact and prefix words first, then (when
 *     they can rank) its typos: words starting like it, read once per two-letter start and kept
 *     for the page's lifetime (see `wordsStarting`); bounded;
 *  3. those rows, scored word by word against every query word; documents about a record are
 *     placed by it (its company's client space).
 */

export type SearchHit =
  | { score: number; row: RecordRow }
  /** `spaceId`: its client space (null: the MSP's own, every client's); `recordTitle`: the record it is about. */
  | { score: number; document: FoundDocument; spaceId: string | null; recordTitle?: string };

/** Distinct indexed words read per two-letter start and table (a typo's candidates): bounds huge datasets. */
const MAX_WORDS_PER_START = 16_000;
/** Rows read and scored per query. */
const MAX_CANDIDATE_ROWS = 2000;

/** Small tables the search needs, when the caller has read them already (one read per query). */
export interface KnownTables {
  matches?: MatchRow[];
  spaces?: ClientSpaceRow[];
  integrations?: IntegrationRow[];
}

export async function searchRecords(db: SidecarDb, query: string, limit = 30, known: KnownTables = {}): Promise<SearchHit[]> {
  const terms = [...new Set(tokenize(query))];
  if (!terms.length) return [];
  const [matches, spaces] = await Promise.all([known.matches ?? db.matches.toArray(), known.spaces ?? db.clientSpaces.toArray()]);
  const scope: SearchScope = { companies: clientSpacesByCompany(matches), spaces: new Set(spaces.map((space) => space.id)) };
  const integrations = () => known.integrations ?? db.integrations.toArray();
  for (const reading of readings(terms)) {
    const hits = await scoredCandidates(db, reading, scope, limit, integrations);
    if (hits.length) return hits.sort((a, b) => compareHits(ranked(a), ranked(b))).slice(0, limit);
  }
  return [];
}

const ranked = (hit: SearchHit): RankedHit =>
  'row' in hit
    ? { score: hit.score, kind: hit.row.entity, sortName: hit.row.sortName }
    : { score: hit.score, kind: hit.document.kind, sortName: hit.document.sortName };

/** A query word's exact and prefix words (3 and 2; typos, 1, are read apart). */
interface TermWords {
  exact: string;
  /** Words starting with the query word, other than itself: one key range. */
  prefix: [string, string];
}

async function scoredCandidates(
  db: SidecarDb,
  terms: string[],
  scope: SearchScope,
  limit: number,
  integrations: () => Promise<IntegrationRow[]> | IntegrationRow[],
): Promise<SearchHit[]> {
  const groups: TermWords[] = terms.map((term) => ({ exact: term, prefix: [term, `${term}\uffff`] }));
  // The query word whose exact and prefix words reach the fewest rows drives: its rows are
  // the candidates, every query word is then checked against their words. A word reaching none
  // can still drive through its typos, when typos are allowed for it (else nothing matches).
  let driver = groups[0]!;
  if (groups.length > 1) {
    const counts = await Promise.all(groups.map((group) => Promise.all(requests(db, group, (collection) => collection.count())).then(sum)));
    if (groups.some((group, index) => !counts[index] && !allowedEdits(group.exact.length))) return [];
    const cost = counts.map((count, index) => (count ? count : Number.MAX_SAFE_INTEGER - groups[index]!.exact.length));
    driver = groups[cost.indexOf(Math.min(...cost))]!;
  }
  // Best words first (exact, prefix, then typos), so the bound keeps the best rows. One query
  // word with a page of exact and prefix matches needs no typos: they would rank below.
  const read = (group: TermWords) => Promise.all(requests(db, group, (collection) => collection.limit(MAX_CANDIDATE_ROWS).primaryKeys() as Promise<Key[]>));
  // Records by their key run together; documents by their id (a string).
  const keys = new Map<string, RecordKey>();
  const docIds = new Set<string>();
  const take = (lists: Key[][]) => {
    for (const list of lists) {
      for (const key of list) {
        if (keys.size + docIds.size >= MAX_CANDIDATE_ROWS) break;
        if (typeof key === 'string') docIds.add(key);
        else if (isFindable(...key, scope.companies)) keys.set(key.join('\u0000'), key);
      }
    }
  };
  take(await read(driver));
  if (allowedEdits(driver.exact.length) && (terms.length > 1 || keys.size + docIds.size < limit)) {
    const typos = await typoWords(db, driver.exact);
    for (let start = 0; start < typos.length && keys.size + docIds.size < MAX_CANDIDATE_ROWS; start += 100) {
      const batch = typos.slice(start, start + 100);
      take(
        await Promise.all(
          TABLES.flatMap((table) => batch.map((word) => table(db).where('words').equals(word).limit(MAX_CANDIDATE_ROWS).primaryKeys() as Promise<Key[]>)),
        ),
      );
    }
  }
  if (!keys.size && !docIds.size) return [];
  const [rows, docs] = await Promise.all([db.records.bulkGet([...keys.values()]), db.docs.bulkGet([...docIds])]);
  const score = (words: readonly string[]) => queryScore(terms, (term) => bestWordScore(term, words));
  const hits: SearchHit[] = [];
  for (const row of rows) {
    if (!row || row.archivedAt !== undefined) continue;
    const found = score(row.words ?? []);
    if (found) hits.push({ row, score: found });
  }
  const documents: { document: FoundDocument; score: number }[] = [];
  for (const row of docs) {
    const document = row && foundDocument(row);
    const found = document ? score(row.words) : 0;
    if (found) documents.push({ document: document!, score: found });
  }
  return [...hits, ...(await placed(db, documents, scope, integrations))];
}

/** Documents with their client space (their own, or their record's company's: `documentSpace`); those shown in none are left out. */
async function placed(
  db: SidecarDb,
  documents: { document: FoundDocument; score: number }[],
  scope: SearchScope,
  integrations: () => Promise<IntegrationRow[]> | IntegrationRow[],
): Promise<SearchHit[]> {
  const sources = documents.some(({ document }) => document.record) ? integrationsBySource(await integrations()) : new Map<string, string>();
  const keys = new Map<FoundDocument, RecordKey>();
  for (const { document } of documents) {
    const integrationId = document.record && sources.get(document.record.source);
    if (integrationId) keys.set(document, [integrationId, document.record!.entity, document.record!.remoteId]);
  }
  const rows = await db.records.bulkGet([...keys.values()]);
  const records = new Map([...keys.keys()].map((document, at) => [document, rows[at]]));
  const hits: SearchHit[] = [];
  for (const { document, score } of documents) {
    let place: DocumentPlace | undefined;
    let recordTitle: string | undefined;
    const record = records.get(document);
    if (document.spaceId !== undefined) place = { spaceId: document.spaceId };
    else if (record && record.archivedAt === undefined) {
      place = { integrationId: record.integrationId, companyRemoteId: record.companyRemoteId };
      recordTitle = toItem(record, undefined).title;
    }
    const spaceId = place && documentSpace(place, scope);
    if (spaceId !== undefined) hits.push({ score, document, spaceId, ...(recordTitle !== undefined ? { recordTitle } : {}) });
  }
  return hits;
}

/** A row's primary key: a record's, or a document's id. */
type Key = RecordKey | string;
const TABLES = [(db: SidecarDb) => db.records as Dexie.Table, (db: SidecarDb) => db.docs as Dexie.Table];

/** Exact in each table, then prefix in each: one request each. */
function requests<T>(db: SidecarDb, group: TermWords, ask: (collection: Dexie.Collection) => Promise<T>): Promise<T>[] {
  return [
    ...TABLES.map((table) => ask(table(db).where('words').equals(group.exact))),
    ...TABLES.map((table) => ask(table(db).where('words').between(group.prefix[0], group.prefix[1], false, true))),
  ];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Indexed words within the typos allowed of a query word (not starting with it): words starting like it. */
async function typoWords(db: SidecarDb, term: string): Promise<string[]> {
  const typos = new Set<string>();
  for (const words of await Promise.all(typoStarts(term).map((start) => wordsStarting(db, start)))) {
    for (const word of words) if (termScore(term, word) === 1) typos.add(word);
  }
  return [...typos];
}

/**
 * The distinct indexed words starting with two letters, read once per page (the popup lives
 * for one search session): a key scan of the `words` index of records and documents. Dropped
 * when either changes.
 */
const startCache = new WeakMap<SidecarDb, Map<string, Promise<string[]>>>();

function wordsStarting(db: SidecarDb, start: string): Promise<string[]> {
  let cache = startCache.get(db);
  if (!cache) {
    const words = new Map<string, Promise<string[]>>();
    // Any write to records (a sync in the background, in this page or another) or documents drops the cache.
    const tables = [`idb://${db.name}/records/`, `idb://${db.name}/docs/`];
    Dexie.on('storagemutated', (parts) => {
      if (Object.keys(parts).some((part) => tables.some((table) => part.startsWith(table)))) words.clear();
    });
    cache = words;
    startCache.set(db, cache);
  }
  let words = cache.get(start);
  if (!words) {
    words = Promise.all(TABLES.map((table) => table(db).where('words').startsWith(start).limit(MAX_WORDS_PER_START).uniqueKeys() as Promise<string[]>)).then(
      (lists) => [...new Set(lists.flat())],
    );
    cache.set(start, words);
    words.catch(() => cache.delete(start));
  }
  return words;
}
