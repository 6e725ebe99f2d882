import type { DocRow, RecordRow } from '../db/schema';
import { IndexEntries, type EntriesSnapshot, type IndexedHit } from './entries';
import { compareNames, queryScore, rankBeforeName, readings, type SearchScope } from './rules';
import { Vocabulary, type VocabularySnapshot } from './vocabulary';

export type { IndexedHit } from './entries';

/**
 * The palette's search index in memory (the background worker keeps one, lib/search/service.ts):
 * every live record's and shown document's words, and what ranking and its row need
 * (lib/search/entries.ts), so a query touches IndexedDB only for the few results it shows. The
 * rules (what matches, how it scores and ranks) are lib/search/rules.ts; this is how to answer
 * them fast from memory: word numbers (lib/search/vocabulary.ts), postings packed in typed arrays, the rarest query word
 * driving.
 */

/** Entries (records and documents) considered per query word, best words first (a one-letter query reaches most of a large dataset). */
const MAX_DOCS_PER_TERM = 20_000;

/** A built index as saved (lib/search/snapshot.ts): loaded in a fraction of a build's time. */
export interface MemoryIndexSnapshot {
  entries: EntriesSnapshot;
  vocabulary: VocabularySnapshot;
  docWords: Int32Array;
  docOffsets: Int32Array;
  postings: Int32Array;
  postingOffsets: Int32Array;
}

export class MemoryIndex {
  /** What is found, by position ("doc" below, as search indexes say: a record or a technician's document). */
  private readonly entries: IndexEntries;
  private readonly vocabulary: Vocabulary;
  /** By word number: the documents (positions in the columns) having it, a lone one as itself. */
  private postings: (number | number[])[] = [];
  /** Document -> the numbers of its words (to confirm the other query words of a driver's records): doc d's are at docOffsets[d]..docOffsets[d+1]. */
  private docWords: number[] | Int32Array = [];
  private docOffsets: number[] | Int32Array = [0];
  /** Once built, the postings packed the same way (two typed arrays instead of an array per word). */
  private packedPostings: Int32Array = new Int32Array(0);
  private postingOffsets: Int32Array = new Int32Array(1);
  /** Per query, reused: scores by document (the driving query word) and by word (each other one). */
  private docScratch = new Uint8Array(0);
  private readonly wordScratch: Uint8Array[] = [];
  private sorted = false;

  /**
   * `sources`: this browser's integrations by PSA tenant (`integrationsBySource`), for documents
   * about a record. `saved`: a snapshot to restore instead (see `restore`); every field not taken
   * from it keeps its initializer above.
   */
  constructor(sources: ReadonlyMap<string, string> = new Map(), saved?: MemoryIndexSnapshot) {
    this.entries = saved ? IndexEntries.restore(saved.entries) : new IndexEntries(sources);
    this.vocabulary = saved ? Vocabulary.restore(saved.vocabulary) : new Vocabulary();
    if (!saved) return;
    this.docWords = saved.docWords;
    this.docOffsets = saved.docOffsets;
    this.packedPostings = saved.postings;
    this.postingOffsets = saved.postingOffsets;
    this.sorted = true;
  }

  /** The built index as saved (it is finished first). */
  snapshot(): MemoryIndexSnapshot {
    this.finish();
    return {
      entries: this.entries.snapshot(),
      vocabulary: this.vocabulary.snapshot(),
      docWords: this.docWords as Int32Array,
      docOffsets: this.docOffsets as Int32Array,
      postings: this.packedPostings,
      postingOffsets: this.postingOffsets,
    };
  }

  /** A built index from its snapshot: it searches as the one saved did, and is never added to. */
  static restore(snapshot: MemoryIndexSnapshot): MemoryIndex {
    return new MemoryIndex(new Map(), snapshot);
  }

  get size(): number {
    return this.entries.size;
  }

  private docCount(id: number): number {
    return this.postingOffsets[id + 1]! - this.postingOffsets[id]!;
  }

  /** Archived records are left out (the palette never shows them). */
  add(row: RecordRow): void {
    this.building();
    const doc = this.entries.addRecord(row);
    if (doc !== undefined) this.addWords(doc, row.words);
  }

  /** Binned and invalid documents, and kinds the palette does not find, are left out. Records first: documents about a record are placed by it. */
  addDocument(row: DocRow): void {
    this.building();
    const doc = this.entries.addDocument(row);
    if (doc !== undefined) this.addWords(doc, row.words);
  }

  private building(): void {
    if (this.sorted) throw new Error('The search index is built: make a new one.');
  }

  private addWords(doc: number, words: readonly string[] | undefined): void {
    const docWords = this.docWords as number[];
    for (const word of new Set(words ?? [])) {
      const id = this.vocabulary.intern(word);
      docWords.push(id);
      // A new word's number is the next one.
      if (id === this.postings.length) {
        this.postings.push(doc);
        continue;
      }
      const docs = this.postings[id]!;
      if (typeof docs === 'number') this.postings[id] = [docs, doc];
      else docs.push(doc);
    }
    (this.docOffsets as number[]).push(docWords.length);
  }

  /** The best `limit` records and documents for a query's words, ranked as the palette ranks them (rules.ts). */
  search(terms: string[], limit: number, scope: SearchScope): IndexedHit[] {
    this.finish();
    for (const reading of readings(terms)) {
      const hits = this.scored(reading, limit, scope);
      if (hits.length) return this.rank(hits, limit, scope);
    }
    return [];
  }

  /** Ends the build: places documents about records, sorts the word lists (for prefix ranges), packs the numbers; `search` does it when needed. */
  finish(): void {
    if (this.sorted) return;
    this.entries.placeOnRecords();
    this.vocabulary.finish();
    this.docWords = Int32Array.from(this.docWords);
    this.docOffsets = Int32Array.from(this.docOffsets);
    const offsets = new Int32Array(this.postings.length + 1);
    this.postings.forEach((docs, id) => (offsets[id + 1] = offsets[id]! + (typeof docs === 'number' ? 1 : docs.length)));
    const packed = new Int32Array(offsets[this.postings.length]!);
    this.postings.forEach((docs, id) => {
      if (typeof docs === 'number') packed[offsets[id]!] = docs;
      else packed.set(docs, offsets[id]!);
    });
    this.packedPostings = packed;
    this.postingOffsets = offsets;
    this.postings = [];
    this.sorted = true;
  }

  /**
   * Best score of the driving query word per document (0: not reached; in the reused scratch,
   * which the caller clears), and the documents reached, over its words best first, bounded.
   * `enough`: stop after a whole score tier once that many are reached.
   */
  private docScores(words: [number, number][], enough: number): { scores: Uint8Array; docs: number[]; cut: boolean } {
    if (this.docScratch.length < this.size) this.docScratch = new Uint8Array(this.size);
    const scores = this.docScratch;
    const docs: number[] = [];
    const reach = (doc: number, score: number) => {
      const previous = scores[doc]!;
      if (!previous) docs.push(doc);
      if (previous < score) scores[doc] = score;
    };
    for (let at = 0; at < words.length; at += 1) {
      const [id, score] = words[at]!;
      if (docs.length >= MAX_DOCS_PER_TERM) return { scores, docs, cut: true };
      if (at > 0 && words[at - 1]![1] > score && docs.length >= enough) return { scores, docs, cut: true };
      for (let p = this.postingOffsets[id]!, end = this.postingOffsets[id + 1]!; p < end; p += 1) reach(this.packedPostings[p]!, score);
    }
    return { scores, docs, cut: false };
  }

  private scored(terms: string[], limit: number, scope: SearchScope): [number, number][] {
    // One-letter query words reach a good part of the dataset: with longer ones, they only confirm.
    const listed = terms.some((term) => term.length > 1) ? terms.filter((term) => term.length > 1) : terms;
    const perTerm = new Map(listed.map((term) => [term, this.vocabulary.meanings(term)]));
    if ([...perTerm.values()].some((words) => !words.length)) return [];
    // The query word reaching the fewest records drives; the others are looked up per record.
    const reach = new Map([...perTerm].map(([term, words]) => [term, words.reduce((total, [id]) => total + this.docCount(id), 0)]));
    const driverTerm = listed.reduce((best, term) => (reach.get(term)! < reach.get(best)! ? term : best));
    const others = terms.filter((term) => term !== driverTerm);
    const collect = (enough: number) => {
      // One query word: once a score tier alone fills the page, lower tiers cannot rank in it.
      const driver = this.docScores(perTerm.get(driverTerm)!, terms.length === 1 ? enough : Infinity);
      // The other query words, per doc: by their words' scores (by number, in a table; a one-letter
      // word's are its words exactly or as a start, termScore's whole rule for it). A table, not the
      // words themselves: an article has hundreds.
      const checks = others.map((term, position) => {
        if ((this.wordScratch[position]?.length ?? 0) < this.vocabulary.size) this.wordScratch[position] = new Uint8Array(this.vocabulary.size);
        const table = this.wordScratch[position]!;
        const words = perTerm.get(term) ?? this.vocabulary.meanings(term);
        for (const [id, score] of words) if (table[id]! < score) table[id] = score;
        return { term, table, words };
      });
      const { docWords, docOffsets } = this;
      const hits: [number, number][] = [];
      // A check's best score in a doc, from its table.
      const bestIn = (doc: number, { table }: (typeof checks)[number]): number => {
        let best = 0;
        for (let at = docOffsets[doc]!, end = docOffsets[doc + 1]!; at < end && best < 3; at += 1)
          if (table[docWords[at]!]! > best) best = table[docWords[at]!]!;
        return best;
      };
      // The document being scored, for `bestOfCheck` (one function for the whole loop, not one per document).
      const current = { doc: 0 };
      const bestOfCheck = (check: (typeof checks)[number]) => bestIn(current.doc, check);
      for (const doc of driver.docs) {
        // The driving word's score is known; the others are looked up (one query word: none).
        current.doc = doc;
        const others = checks.length ? queryScore(checks, bestOfCheck) : 0;
        if (checks.length && !others) continue;
        if (this.entries.shown(doc, scope)) hits.push([doc, driver.scores[doc]! + others]);
      }
      // Clear the scratch for the next query.
      for (const doc of driver.docs) driver.scores[doc] = 0;
      for (const { table, words } of checks) for (const [id] of words) table[id] = 0;
      return { hits, cut: driver.cut };
    };
    const first = collect(limit);
    // Companies that are no client space were left out after the cut: read the lower tiers too then.
    return first.cut && first.hits.length < limit ? collect(Infinity).hits : first.hits;
  }

  private rank(hits: [number, number][], limit: number, scope: SearchScope): IndexedHit[] {
    const { names, kinds, plain } = this.entries;
    // Score, kind and name length first (one number); names compared only among the best.
    const coarse = new Float64Array(hits.length);
    const counts = new Map<number, number>();
    hits.forEach(([doc, score], at) => {
      const value = rankBeforeName(score, kinds[doc]!, names[doc]!.length);
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
    const byName = (a: number, b: number) => compareNames(names[a]!, names[b]!, plain[a]! && plain[b]!);
    best.sort((a, b) => coarse[a]! - coarse[b]! || byName(hits[a]![0], hits[b]![0]));
    return best.slice(0, limit).map((at) => this.entries.hit(hits[at]![0], hits[at]![1], scope));
  }
}
