import type { RecordRow } from '../db/schema';
import type { EntityKind } from '../psa/types';
import { allowedEdits, wordScore } from './fuzzy';

/**
 * The palette's search index in memory (the background worker keeps one, lib/search/service.ts):
 * every live record's words, key and what ranking needs, so a query touches IndexedDB only for
 * the few records it shows. Same rules as the IndexedDB search (lib/search/query.ts): every
 * query word must match a record word exactly (3), as its start (2) or within the typos its
 * length allows (1), typo candidates being words that start like the query word.
 */

export type RecordKey = [string, EntityKind, string];

export const ENTITY_RANK: Record<EntityKind, number> = { company: 0, configuration: 1, contact: 2, site: 3, agreement: 4 };

/** Where typo candidates of a query word are looked for: words starting with the same two letters, those two swapped, or the first and third. */
export function typoStarts(term: string): string[] {
  return [...new Set([term.slice(0, 2), `${term[1]!}${term[0]!}`, `${term[0]!}${term[2]!}`])];
}

/** Records considered per query word, best words first (a one-letter query reaches most of a large dataset). */
const MAX_DOCS_PER_TERM = 20_000;

export interface IndexedHit {
  key: RecordKey;
  score: number;
}

const collator = new Intl.Collator();

export class MemoryIndex {
  private readonly keys: RecordKey[] = [];
  private readonly names: string[] = [];
  private readonly ranks: number[] = [];
  /** Names of lower-case letters, digits, spaces and dashes only: these compare as the collator does, by code points. */
  private readonly plain: boolean[] = [];
  /** Word -> documents (positions in `keys`), ascending. */
  private readonly postings = new Map<string, number[]>();
  /** First two letters (or the one letter of a one-letter word) -> the distinct words starting so, sorted once built. */
  private readonly starts = new Map<string, string[]>();
  private sorted = false;

  get size(): number {
    return this.keys.length;
  }

  /** Archived records are left out (the palette never shows them). */
  add(row: RecordRow): void {
    if (row.archivedAt !== undefined) return;
    this.sorted = false;
    const doc = this.keys.length;
    this.keys.push([row.integrationId, row.entity, row.remoteId]);
    this.names.push(row.sortName);
    this.ranks.push(ENTITY_RANK[row.entity]);
    this.plain.push(/^[a-z0-9 -]*$/.test(row.sortName));
    for (const word of new Set(row.words ?? [])) {
      const docs = this.postings.get(word);
      if (docs) {
        docs.push(doc);
        continue;
      }
      this.postings.set(word, [doc]);
      const start = word.slice(0, 2);
      const words = this.starts.get(start);
      if (words) words.push(word);
      else this.starts.set(start, [word]);
    }
  }

  /**
   * The best `limit` records for a query's words, ranked as the palette ranks them (score, then
   * companies, configurations, contacts, sites, agreements, then shorter and alphabetical names).
   * `isClientSpace(key)` says whether a company record counts (matched to a client space).
   */
  search(terms: string[], limit: number, isClientSpace: (key: RecordKey) => boolean): IndexedHit[] {
    this.finish();
    // Word by word; when that finds nothing, the whole query run together.
    const readings = terms.length > 1 ? [terms, [terms.join('')]] : [terms];
    for (const reading of readings) {
      const hits = this.scored(reading, limit, isClientSpace);
      if (hits.length) return this.rank(hits, limit);
    }
    return [];
  }

  /** Sorts the word lists (for prefix ranges); `search` does it when needed. */
  finish(): void {
    if (this.sorted) return;
    for (const words of this.starts.values()) words.sort();
    this.sorted = true;
  }

  /** The indexed words a query word may mean, with their scores (best first). */
  private wordsFor(term: string): [string, number][] {
    const found: [string, number][] = [];
    if (this.postings.has(term)) found.push([term, 3]);
    const buckets = term.length > 1 ? [this.starts.get(term.slice(0, 2)) ?? []] : [...this.starts].filter(([start]) => start.startsWith(term)).map(([, words]) => words);
    for (const words of buckets) {
      // Sorted: the words starting with the query word are one run.
      for (let at = lowerBound(words, term); at < words.length && words[at]!.startsWith(term); at += 1) {
        if (words[at] !== term) found.push([words[at]!, 2]);
      }
    }
    if (allowedEdits(term.length)) {
      for (const start of typoStarts(term)) {
        for (const word of this.starts.get(start) ?? []) if (!word.startsWith(term) && wordScore(term, word) === 1) found.push([word, 1]);
      }
    }
    return found;
  }

  /**
   * Best score of one query word per document (0: not reached), and the documents reached, over
   * its words best first, bounded. `enough`: stop after a whole score tier once that many are reached.
   */
  private docScores(words: [string, number][], enough: number, complete: boolean): { scores: Uint8Array; docs: number[]; cut: boolean } {
    const scores = new Uint8Array(this.keys.length);
    const docs: number[] = [];
    for (let at = 0; at < words.length; at += 1) {
      const [word, score] = words[at]!;
      if (!complete && docs.length >= MAX_DOCS_PER_TERM) return { scores, docs, cut: true };
      if (at > 0 && words[at - 1]![1] > score && docs.length >= enough) return { scores, docs, cut: true };
      for (const doc of this.postings.get(word)!) {
        const previous = scores[doc]!;
        if (!previous) docs.push(doc);
        if (previous < score) scores[doc] = score;
      }
    }
    return { scores, docs, cut: false };
  }

  private scored(terms: string[], limit: number, isClientSpace: (key: RecordKey) => boolean): [number, number][] {
    const perTerm = terms.map((term) => this.wordsFor(term));
    if (perTerm.some((words) => !words.length)) return [];
    // The query word reaching the fewest records drives; the others are looked up per record.
    const reach = perTerm.map((words) => words.reduce((total, [word]) => total + this.postings.get(word)!.length, 0));
    const order = perTerm.map((_, index) => index).sort((a, b) => reach[a]! - reach[b]!);
    const collect = (enough: number) => {
      // One query word: once a score tier alone fills the page, lower tiers cannot rank in it.
      // The driver's records are bounded; the others' are complete (they only confirm the driver's).
      const [driver, ...others] = order.map((index, position) => this.docScores(perTerm[index]!, terms.length === 1 ? enough : Infinity, position > 0));
      const hits: [number, number][] = [];
      for (const doc of driver!.docs) {
        let score = driver!.scores[doc]!;
        for (const other of others) {
          const best = other.scores[doc]!;
          if (!best) {
            score = 0;
            break;
          }
          score += best;
        }
        if (!score) continue;
        const key = this.keys[doc]!;
        if (key[1] === 'company' && !isClientSpace(key)) continue;
        hits.push([doc, score]);
      }
      return { hits, cut: driver!.cut };
    };
    const first = collect(limit);
    // Companies that are no client space were left out after the cut: read the lower tiers too then.
    return first.cut && first.hits.length < limit ? collect(Infinity).hits : first.hits;
  }

  private rank(hits: [number, number][], limit: number): IndexedHit[] {
    const { names, ranks, plain } = this;
    // Score, kind and name length first (one number); names compared only among the best.
    const coarse = new Float64Array(hits.length);
    const counts = new Map<number, number>();
    hits.forEach(([doc, score], at) => {
      const value = (10 - score) * 1e7 + ranks[doc]! * 1e6 + Math.min(names[doc]!.length, 999_999);
      coarse[at] = value;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    });
    // The coarse value of the limit-th best: only hits up to it can be among the best.
    let threshold = Infinity;
    let seen = 0;
    for (const value of [...counts.keys()].sort((a, b) => a - b)) {
      seen += counts.get(value)!;
      if (seen >= limit) {
        threshold = value;
        break;
      }
    }
    const best: number[] = [];
    for (let at = 0; at < hits.length; at += 1) if (coarse[at]! <= threshold) best.push(at);
    const byName = (a: number, b: number) => {
      const [x, y] = [names[a]!, names[b]!];
      if (plain[a] && plain[b]) return x < y ? -1 : x > y ? 1 : 0;
      return collator.compare(x, y);
    };
    best.sort((a, b) => coarse[a]! - coarse[b]! || byName(hits[a]![0], hits[b]![0]));
    return best.slice(0, limit).map((at) => ({ key: this.keys[hits[at]![0]]!, score: hits[at]![1] }));
  }
}

/** First position in sorted `words` not before `word`. */
function lowerBound(words: string[], word: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (words[middle]! < word) low = middle + 1;
    else high = middle;
  }
  return low;
}
