import type { MatchRow, RecordRow, SidecarDb } from '../db/schema';
import type { EntityKind } from '../psa/types';
import { allowedEdits, wordScore } from './fuzzy';
import { tokenize } from './words';

/**
 * Local search across every client space (the palette): typo tolerant, from IndexedDB only, so
 * it works with the PSA down. Candidates come from the `words` index (words starting like the
 * query's most telling word), are scored word by word, and every query word must match.
 */

export interface SearchHit {
  row: RecordRow;
  score: number;
}

/** Distinct indexed words looked at per query word: bounds the work on huge datasets. */
const MAX_CANDIDATE_WORDS = 4000;
const MAX_CANDIDATE_ROWS = 2000;
const ENTITY_RANK: Record<EntityKind, number> = { company: 0, configuration: 1, contact: 2, site: 3, agreement: 4 };

/** `matches`: the match rows, when the caller has read them already (one read per query). */
export async function searchRecords(db: SidecarDb, query: string, limit = 30, matches?: MatchRow[]): Promise<SearchHit[]> {
  const terms = [...new Set(tokenize(query))];
  if (!terms.length) return [];
  const matchedCompanies = liveMatches(matches ?? (await db.matches.toArray()));
  const best = new Map<string, SearchHit>();
  // Word by word; when that finds nothing, the whole query run together ("ndgsrv01", or a typo
  // across the parts of one name).
  const readings = terms.length > 1 ? [terms, [terms.join('')]] : [terms];
  for (const reading of readings) {
    if (best.size && reading !== terms) break;
    for (const hit of await scoredCandidates(db, reading, matchedCompanies)) {
      const key = `${hit.row.integrationId}:${hit.row.entity}:${hit.row.remoteId}`;
      if ((best.get(key)?.score ?? 0) < hit.score) best.set(key, hit);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || ENTITY_RANK[a.row.entity] - ENTITY_RANK[b.row.entity] || a.row.sortName.length - b.row.sortName.length || a.row.sortName.localeCompare(b.row.sortName))
    .slice(0, limit);
}

async function scoredCandidates(db: SidecarDb, terms: string[], matchedCompanies: Set<string>): Promise<SearchHit[]> {
  // The longest word narrows best; its matching words give the candidate records.
  const lead = [...terms].sort((a, b) => b.length - a.length)[0]!;
  const words = await matchingWords(db, lead);
  if (!words.length) return [];
  const rows = await db.records.where('words').anyOf(words).limit(MAX_CANDIDATE_ROWS).toArray();
  const hits: SearchHit[] = [];
  for (const row of rows) {
    if (row.archivedAt !== undefined) continue;
    // Companies count as client spaces only when matched; their records only exist when matched.
    if (row.entity === 'company' && !matchedCompanies.has(`${row.integrationId}:${row.remoteId}`)) continue;
    let score = 0;
    for (const term of terms) {
      const best = Math.max(0, ...(row.words ?? []).map((word) => wordScore(term, word)));
      if (!best) {
        score = 0;
        break;
      }
      score += best;
    }
    if (score) hits.push({ row, score });
  }
  return hits;
}

/** Indexed words the query word may mean: same first letter, then exact, prefix or within the allowed typos. */
async function matchingWords(db: SidecarDb, term: string): Promise<string[]> {
  const edits = allowedEdits(term.length);
  // With typos allowed, words starting like it: the same two letters, those two swapped, or the
  // first and third (a swap or a slip in the second letter). Scanning by one letter costs too much.
  const starts = edits ? [...new Set([term.slice(0, 2), `${term[1]!}${term[0]!}`, `${term[0]!}${term[2]!}`])] : [term];
  const found = new Set<string>();
  for (const start of starts) {
    const keys = (await db.records.where('words').startsWith(start).limit(MAX_CANDIDATE_WORDS * 4).uniqueKeys()) as string[];
    for (const word of keys) if (wordScore(term, word) > 0) found.add(word);
  }
  return [...found].slice(0, MAX_CANDIDATE_WORDS);
}

function liveMatches(matches: MatchRow[]): Set<string> {
  return new Set(matches.filter((row) => row.state === 'matched').map((row) => `${row.integrationId}:${row.companyRemoteId}`));
}
