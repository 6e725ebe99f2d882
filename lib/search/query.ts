import type { RecordRow, SidecarDb } from '../db/schema';
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

export async function searchRecords(db: SidecarDb, query: string, limit = 30): Promise<SearchHit[]> {
  const terms = [...new Set(tokenize(query))];
  if (!terms.length) return [];
  // The longest word narrows best; its matching words give the candidate records.
  const lead = [...terms].sort((a, b) => b.length - a.length)[0]!;
  const words = await matchingWords(db, lead);
  if (!words.length) return [];
  const rows = await db.records.where('words').anyOf(words).limit(MAX_CANDIDATE_ROWS).toArray();

  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  const matchedCompanies = await liveMatches(db);
  for (const row of rows) {
    const key = `${row.integrationId}:${row.entity}:${row.remoteId}`;
    if (seen.has(key) || row.archivedAt !== undefined) continue;
    seen.add(key);
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
  return hits
    .sort((a, b) => b.score - a.score || ENTITY_RANK[a.row.entity] - ENTITY_RANK[b.row.entity] || a.row.sortName.length - b.row.sortName.length || a.row.sortName.localeCompare(b.row.sortName))
    .slice(0, limit);
}

/** Indexed words the query word may mean: same first letter, then exact, prefix or within the allowed typos. */
async function matchingWords(db: SidecarDb, term: string): Promise<string[]> {
  const edits = allowedEdits(term.length);
  const candidates = await db.records
    .where('words')
    .between(edits ? term[0]! : term, edits ? term[0]! + '\uffff' : term + '\uffff', true, true)
    .limit(MAX_CANDIDATE_WORDS * 4)
    .uniqueKeys();
  return (candidates as string[]).filter((word) => wordScore(term, word) > 0).slice(0, MAX_CANDIDATE_WORDS);
}

async function liveMatches(db: SidecarDb): Promise<Set<string>> {
  const rows = await db.matches.filter((row) => row.state === 'matched').toArray();
  return new Set(rows.map((row) => `${row.integrationId}:${row.companyRemoteId}`));
}
