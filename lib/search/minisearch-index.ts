import MiniSearch, { type SearchResult } from 'minisearch';
import type { RecordRow } from '../db/schema';
import type { OverlayItem } from '../overlay-view/view-model';
import { toItem } from '../overlay-view/items';
import type { EntityKind } from '../psa/types';
import { allowedEdits, wordScore } from './fuzzy';
import { ENTITY_RANK, type IndexedHit, type RecordKey } from './memory';

/**
 * Candidate engine (issue #13 comparison): the palette's in-memory index on MiniSearch, with the
 * same interface and rules as MemoryIndex. MiniSearch finds candidates (AND of each query word as
 * exact, prefix or fuzzy); its fuzzy distance is Levenshtein, where a swap costs 2, so it is asked
 * for twice the typos allowed and each match is then scored with `wordScore` (3 exact, 2 prefix,
 * 1 typo), which drops what our rules would not accept. BM25 scores are ignored: the palette ranks
 * by those word scores, then kind, then name.
 */

const collator = new Intl.Collator();

interface Doc {
  id: number;
  words: string;
}

export class MiniSearchIndex {
  private readonly engine = new MiniSearch<Doc>({
    fields: ['words'],
    // Records' words are already tokens (lib/search/words.ts): no further splitting or folding.
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
  });
  private readonly rows: { key: RecordKey; companyRemoteId: string; name: string; rank: number; item: OverlayItem }[] = [];
  private readonly shared = new Map<string, string>();

  get size(): number {
    return this.rows.length;
  }

  private share(value: string): string {
    const known = this.shared.get(value);
    if (known !== undefined) return known;
    this.shared.set(value, value);
    return value;
  }

  add(row: RecordRow): void {
    if (row.archivedAt !== undefined) return;
    const id = this.rows.length;
    const full = toItem(row, undefined);
    const item: OverlayItem = { remoteId: row.remoteId, ...(full.inactive ? { inactive: true } : {}), title: full.title, ...(full.subtitle !== undefined ? { subtitle: this.share(full.subtitle) } : {}), fields: [] };
    this.rows.push({ key: [this.share(row.integrationId), row.entity, row.remoteId], companyRemoteId: this.share(row.companyRemoteId), name: row.sortName, rank: ENTITY_RANK[row.entity], item });
    this.engine.add({ id, words: [...new Set(row.words ?? [])].join(' ') });
  }

  finish(): void {}

  search(terms: string[], limit: number, isClientSpace: (key: RecordKey) => boolean): IndexedHit[] {
    const readings = terms.length > 1 ? [terms, [terms.join('')]] : [terms];
    for (const reading of readings) {
      const hits = this.scored(reading, isClientSpace);
      if (hits.length) return this.rank(hits, limit);
    }
    return [];
  }

  private scored(terms: string[], isClientSpace: (key: RecordKey) => boolean): [number, number][] {
    const found = this.engine.search(
      { combineWith: 'AND', queries: terms.map((term) => ({ queries: [term], prefix: true, fuzzy: allowedEdits(term.length) * 2 || false })) },
      {
        filter: (result: SearchResult) => {
          const row = this.rows[result.id as number]!;
          return row.key[1] !== ('company' satisfies EntityKind) || isClientSpace(row.key);
        },
      },
    );
    const hits: [number, number][] = [];
    for (const result of found) {
      let score = 0;
      for (const term of terms) {
        let best = 0;
        for (const word of result.terms) best = Math.max(best, wordScore(term, word));
        if (!best) {
          score = 0;
          break;
        }
        score += best;
      }
      if (score) hits.push([result.id as number, score]);
    }
    return hits;
  }

  private rank(hits: [number, number][], limit: number): IndexedHit[] {
    const { rows } = this;
    hits.sort(([a, x], [b, y]) => y - x || rows[a]!.rank - rows[b]!.rank || rows[a]!.name.length - rows[b]!.name.length || collator.compare(rows[a]!.name, rows[b]!.name));
    return hits.slice(0, limit).map(([doc, score]) => ({ key: rows[doc]!.key, companyRemoteId: rows[doc]!.companyRemoteId, score, item: rows[doc]!.item }));
  }
}
