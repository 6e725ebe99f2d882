import type { MatchRow } from '../db/schema';
import type { EntityKind } from '../psa/types';
import type { DocumentKind } from './document-kinds';
import { wordScore } from './fuzzy';

export { DOCUMENT_KINDS, type DocumentKind } from './document-kinds';

/**
 * The palette's search rules (what matches, how it scores and ranks), apart from how the
 * background's in-memory index (lib/search/memory.ts) answers them fast.
 */

/** A record's primary key in IndexedDB (lib/db/schema.ts). */
export type RecordKey = [integrationId: string, entity: EntityKind, remoteId: string];

/** What a palette result is: a PSA record's kind or a document's. */
export type SearchKind = EntityKind | DocumentKind;

/**
 * Among results scoring alike: companies first, then configurations, contacts, sites, agreements,
 * then documents: articles, notes, credentials, custom field values.
 */
export const KIND_RANK: Record<SearchKind, number> = {
  company: 0,
  configuration: 1,
  contact: 2,
  site: 3,
  agreement: 4,
  article: 5,
  note: 6,
  credential: 7,
  field: 8,
};

export const isDocumentKind = (kind: SearchKind): kind is DocumentKind => KIND_RANK[kind] >= KIND_RANK.article;

/**
 * Where a query word's typos are looked for: words starting with the same two letters, those two
 * swapped, or the first and third (a slip in the second letter). Looking everywhere would mean
 * aligning the query word against every indexed word, on every keystroke.
 */
export function typoStarts(term: string): string[] {
  return [...new Set([term.slice(0, 2), `${term[1]!}${term[0]!}`, `${term[0]!}${term[2]!}`])];
}

/** How a query word matches a record's word: 3 exactly, 2 as its start, 1 a typo among words starting like it (`typoStarts`), 0 not at all. */
export function termScore(term: string, word: string): number {
  const score = wordScore(term, word);
  if (score !== 1) return score;
  return typoStarts(term).some((start) => word.startsWith(start)) ? 1 : 0;
}

/** A record's score: the sum of every query word's best score in it (`bestScore`), 0 unless every query word matches. */
export function queryScore<Term>(terms: readonly Term[], bestScore: (term: Term) => number): number {
  let total = 0;
  for (const term of terms) {
    const best = bestScore(term);
    if (!best) return 0;
    total += best;
  }
  return total;
}

/** How a query is read: word by word; when that finds nothing, the whole query run together ("ndg srv01" as "ndgsrv01", or a typo across a name's parts). */
export function readings(terms: string[]): string[][] {
  return terms.length > 1 ? [terms, [terms.join('')]] : [terms];
}

/**
 * The ranking before names, as one number (smaller first): higher score, then kind
 * (`KIND_RANK`), then shorter name. One number so a large page of hits is cut cheaply before
 * names are compared.
 */
export function rankBeforeName(score: number, kind: SearchKind, nameLength: number): number {
  return -score * 1e7 + KIND_RANK[kind] * 1e6 + Math.min(nameLength, 999_999);
}

const collator = new Intl.Collator();
const PLAIN_NAME = /^[a-z0-9 -]*$/;

/** Names of lower-case letters, digits, spaces and dashes only: these compare as the collator does, by code points (much faster). */
export const isPlainName = (sortName: string): boolean => PLAIN_NAME.test(sortName);

/** Last of the ranking: alphabetical by sort name. `bothPlain` when the caller knows (`isPlainName`). */
export function compareNames(a: string, b: string, bothPlain = isPlainName(a) && isPlainName(b)): number {
  if (bothPlain) return a < b ? -1 : a > b ? 1 : 0;
  return collator.compare(a, b);
}

/** A scored record or document, as the whole ranking needs it (a document's sort name: its title, lower-cased). */
export interface RankedHit {
  score: number;
  kind: SearchKind;
  sortName: string;
}

/** The whole ranking, for hits at hand: score, kind, name length, name. */
export function compareHits(a: RankedHit, b: RankedHit): number {
  return rankBeforeName(a.score, a.kind, a.sortName.length) - rankBeforeName(b.score, b.kind, b.sortName.length) || compareNames(a.sortName, b.sortName);
}

/** A company, as `clientSpacesByCompany` names it. */
export const companyKey = (integrationId: string, companyRemoteId: string): string => `${integrationId}:${companyRemoteId}`;

/** The companies matched to a client space (`companyKey` -> the space's id): only those are found as companies, and records show their company's space. */
export function clientSpacesByCompany(matches: MatchRow[]): Map<string, string | undefined> {
  return new Map(matches.filter((row) => row.state === 'matched').map((row) => [companyKey(row.integrationId, row.companyRemoteId), row.clientSpaceId]));
}

/** What decides which results may be shown, read once per query. */
export interface SearchScope {
  /** The companies matched to a client space (`clientSpacesByCompany`). */
  companies: ReadonlyMap<string, string | undefined>;
  /** The client spaces there are: a document shows in one of them (or is the MSP's own, for all clients). */
  spaces: ReadonlySet<string>;
}

/** Where a found document belongs: a client space or all of them (null), or the company of the record it is about (lib/search/documents.ts). */
export type DocumentPlace = { spaceId: string | null } | { integrationId: string; companyRemoteId: string };

/**
 * A document's client space: its own, or its record's company's; null for the MSP's own
 * procedures (every client's). Undefined: not shown (no such client space, or a record whose
 * company is none).
 */
export function documentSpace(place: DocumentPlace, scope: SearchScope): string | null | undefined {
  const space = 'spaceId' in place ? place.spaceId : scope.companies.get(companyKey(place.integrationId, place.companyRemoteId));
  return space === null || (space !== undefined && scope.spaces.has(space)) ? space : undefined;
}

/** Whether a record may be shown: a company only when it is a client space (`clientSpacesByCompany`), anything else always. */
export function isFindable(integrationId: string, entity: EntityKind, remoteId: string, clientSpaces: ReadonlyMap<string, unknown>): boolean {
  return entity !== 'company' || clientSpaces.has(companyKey(integrationId, remoteId));
}
