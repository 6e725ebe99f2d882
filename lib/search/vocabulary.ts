import { allowedEdits } from './fuzzy';
import { packStrings, unpackStrings, type PackedStrings } from './packing';
import { termScore, typoStarts } from './rules';

/**
 * The in-memory index's words (lib/search/memory.ts), numbered in the order first seen, and
 * which of them a query word may mean (exact, prefix or typo, as rules.ts scores them): words
 * are kept in buckets by their first two letters, sorted once built, so a prefix is one run of a
 * bucket and a typo's candidates are the few buckets of `typoStarts`.
 */

/** Query words whose indexed words are remembered (the vocabulary is never added to once searched). */
const RECENT_TERMS = 256;

/** The words as saved with the index (lib/search/snapshot.ts), buckets sorted. */
export interface VocabularySnapshot {
  words: PackedStrings;
  /** Each bucket's start, its first position in `sorted`, and the numbers in bucket order. */
  starts: PackedStrings;
  startOffsets: Int32Array;
  sorted: Int32Array;
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** Word number -> word. */
  readonly words: string[] = [];
  /** First two letters (or the one letter of a one-letter word) -> the words starting so (numbers), sorted once built. */
  private readonly starts = new Map<string, number[]>();
  /** Query word -> its indexed words, for the last queries (typing repeats words; typo scans cost most). */
  private readonly recent = new Map<string, [number, number][]>();

  get size(): number {
    return this.words.length;
  }

  /** The word's number; a new word gets the next one (`size` before it was added). */
  intern(word: string): number {
    const known = this.ids.get(word);
    if (known !== undefined) return known;
    const id = this.words.length;
    this.ids.set(word, id);
    this.words.push(word);
    const start = word.slice(0, 2);
    const bucket = this.starts.get(start);
    if (bucket) bucket.push(id);
    else this.starts.set(start, [id]);
    return id;
  }

  /** Ends the build: sorts the buckets (for prefix runs). */
  finish(): void {
    const { words } = this;
    for (const bucket of this.starts.values()) bucket.sort((a, b) => (words[a]! < words[b]! ? -1 : 1));
  }

  /** The vocabulary as saved (after `finish`). */
  snapshot(): VocabularySnapshot {
    const starts = [...this.starts.keys()];
    const startOffsets = new Int32Array(starts.length + 1);
    starts.forEach((start, at) => (startOffsets[at + 1] = startOffsets[at]! + this.starts.get(start)!.length));
    const sorted = new Int32Array(startOffsets[starts.length]!);
    starts.forEach((start, at) => sorted.set(this.starts.get(start)!, startOffsets[at]!));
    return { words: packStrings(this.words), starts: packStrings(starts), startOffsets, sorted };
  }

  static restore(snapshot: VocabularySnapshot): Vocabulary {
    const vocabulary = new Vocabulary();
    const words = unpackStrings(snapshot.words);
    for (let id = 0; id < words.length; id += 1) {
      vocabulary.words.push(words[id]!);
      vocabulary.ids.set(words[id]!, id);
    }
    unpackStrings(snapshot.starts).forEach((start, at) =>
      vocabulary.starts.set(start, Array.from(snapshot.sorted.subarray(snapshot.startOffsets[at], snapshot.startOffsets[at + 1]))),
    );
    return vocabulary;
  }

  /** The words (numbers) a query word may mean, with their scores, best first. */
  meanings(term: string): [number, number][] {
    const recent = this.recent.get(term);
    if (recent) return recent;
    const found = this.find(term);
    if (this.recent.size >= RECENT_TERMS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(term, found);
    return found;
  }

  private find(term: string): [number, number][] {
    const { words } = this;
    const found: [number, number][] = [];
    const exact = this.ids.get(term);
    if (exact !== undefined) found.push([exact, 3]);
    const buckets =
      term.length > 1 ? [this.starts.get(term.slice(0, 2)) ?? []] : [...this.starts].filter(([start]) => start.startsWith(term)).map(([, bucket]) => bucket);
    for (const bucket of buckets) {
      // Sorted: the words starting with the query word are one run.
      for (let at = lowerBound(bucket, words, term); at < bucket.length && words[bucket[at]!]!.startsWith(term); at += 1) {
        if (bucket[at] !== exact) found.push([bucket[at]!, 2]);
      }
    }
    if (allowedEdits(term.length)) {
      for (const start of typoStarts(term)) {
        for (const id of this.starts.get(start) ?? []) {
          if (termScore(term, words[id]!) === 1) found.push([id, 1]);
        }
      }
    }
    return found;
  }
}

/** First position in `bucket` (word numbers sorted by word) whose word is not before `word`. */
function lowerBound(bucket: number[], words: string[], word: string): number {
  let low = 0;
  let high = bucket.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (words[bucket[middle]!]! < word) low = middle + 1;
    else high = middle;
  }
  return low;
}
