import Dexie from 'dexie';
import type { MatchRow, RecordRow, SidecarDb } from '../db/schema';
import { allowedEdits } from './fuzzy';
import { bestWordScore, clientSpacesByCompany, compareHits, isFindable, queryScore, readings, termScore, typoStarts, type RecordKey } from './rules';
import { tokenize } from './words';

/**
 * Local search across every client space (the palette): typo tolerant, from IndexedDB only, so
 * it works with the PSA down. The rules (what matches, how it scores and ranks) are
 * lib/search/rules.ts, shared with the in-memory index (lib/search/memory.ts) from which the
 * background answers the palette; this is what it does until that is built. Each query
 * asks IndexedDB a few batches of requests, all of a batch at once:
 *  1. with several query words, how many records each one's exact and prefix words reach: the
 *     rarest drives;
 *  2. the keys of the records the driving word reaches, exact and prefix words first, then (when
 *     they can rank) its typos: words starting like it, read once per two-letter start and kept
 *     for the page's lifetime (see `wordsStarting`); bounded;
 *  3. those records, scored word by word against every query word.
 */

export interface SearchHit {
  row: RecordRow;
  score: number;
}

/** Distinct indexed words read per two-letter start (a typo's candidates): bounds huge datasets. */
const MAX_WORDS_PER_START = 16_000;
/** Records read and scored per query. */
const MAX_CANDIDATE_ROWS = 2000;

/** `matches`: the match rows, when the caller has read them already (one read per query). */
export async function searchRecords(db: SidecarDb, query: string, limit = 30, matches?: MatchRow[]): Promise<SearchHit[]> {
  const terms = [...new Set(tokenize(query))];
  if (!terms.length) return [];
  const clientSpaces = clientSpacesByCompany(matches ?? (await db.matches.toArray()));
  for (const reading of readings(terms)) {
    const hits = await scoredCandidates(db, reading, clientSpaces, limit);
    if (hits.length) return hits.sort(compareHits).slice(0, limit);
  }
  return [];
}

/** A query word's exact and prefix words (3 and 2; typos, 1, are read apart). */
interface TermWords {
  exact: string;
  /** Words starting with the query word, other than itself: one key range. */
  prefix: [string, string];
}

async function scoredCandidates(db: SidecarDb, terms: string[], clientSpaces: ReadonlyMap<string, unknown>, limit: number): Promise<SearchHit[]> {
  const groups: TermWords[] = terms.map((term) => ({ exact: term, prefix: [term, `${term}\uffff`] }));
  // The query word whose exact and prefix words reach the fewest records drives: its records are
  // the candidates, every query word is then checked against their words. A word reaching none
  // can still drive through its typos, when typos are allowed for it (else nothing matches).
  let driver = groups[0]!;
  if (groups.length > 1) {
    const counts = await Promise.all(groups.map((group) => Promise.all(requests(db, group, (collection) => collection.count())).then(sum)));
    if (groups.some((group, index) => !counts[index] && !allowedEdits(group.exact.length))) return [];
    const cost = counts.map((count, index) => (count ? count : Number.MAX_SAFE_INTEGER - groups[index]!.exact.length));
    driver = groups[cost.indexOf(Math.min(...cost))]!;
  }
  // Best words first (exact, prefix, then typos), so the bound keeps the best records. One query
  // word with a page of exact and prefix matches needs no typos: they would rank below.
  const read = (group: TermWords) =>
    Promise.all(requests(db, group, (collection) => collection.limit(MAX_CANDIDATE_ROWS).primaryKeys() as Promise<RecordKey[]>));
  const keyLists = await read(driver);
  const keys = new Map<string, RecordKey>();
  const take = (lists: RecordKey[][]) => {
    for (const list of lists) {
      for (const key of list) {
        if (keys.size >= MAX_CANDIDATE_ROWS) break;
        if (!isFindable(...key, clientSpaces)) continue;
        keys.set(key.join('\u0000'), key);
      }
    }
  };
  take(keyLists);
  if (allowedEdits(driver.exact.length) && (terms.length > 1 || keys.size < limit)) {
    const typos = await typoWords(db, driver.exact);
    for (let start = 0; start < typos.length && keys.size < MAX_CANDIDATE_ROWS; start += 100) {
      take(
        await Promise.all(
          typos.slice(start, start + 100).map((word) => db.records.where('words').equals(word).limit(MAX_CANDIDATE_ROWS).primaryKeys() as Promise<RecordKey[]>),
        ),
      );
    }
  }
  if (!keys.size) return [];
  const rows = await db.records.bulkGet([...keys.values()]);
  const hits: SearchHit[] = [];
  for (const row of rows) {
    if (!row || row.archivedAt !== undefined) continue;
    const score = queryScore(terms, (term) => bestWordScore(term, row.words ?? []));
    if (score) hits.push({ row, score });
  }
  return hits;
}

/** Exact, then prefix: one request each. */
function requests<T>(db: SidecarDb, group: TermWords, ask: (collection: Dexie.Collection<RecordRow>) => Promise<T>): Promise<T>[] {
  return [ask(db.records.where('words').equals(group.exact)), ask(db.records.where('words').between(group.prefix[0], group.prefix[1], false, true))];
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
 * for one search session): a key scan of the `words` index. Dropped when records change.
 */
const startCache = new WeakMap<SidecarDb, Map<string, Promise<string[]>>>();

function wordsStarting(db: SidecarDb, start: string): Promise<string[]> {
  let cache = startCache.get(db);
  if (!cache) {
    const words = new Map<string, Promise<string[]>>();
    // Any write to records (a sync in the background, in this page or another) drops the cache.
    const records = `idb://${db.name}/records/`;
    Dexie.on('storagemutated', (parts) => {
      if (Object.keys(parts).some((part) => part.startsWith(records))) words.clear();
    });
    cache = words;
    startCache.set(db, cache);
  }
  let words = cache.get(start);
  if (!words) {
    words = db.records.where('words').startsWith(start).limit(MAX_WORDS_PER_START).uniqueKeys() as Promise<string[]>;
    cache.set(start, words);
    words.catch(() => cache.delete(start));
  }
  return words;
}
