import type { ClientSpaceRow, IntegrationRow, MatchRow, RecordRow, SidecarDb } from '../db/schema';
import type { CanonicalCompany } from '../psa/types';
import type { MatchDecision } from './decision';
import { HandledError } from '../errors';
import { fitClientSpaceName } from './client-space-name';
import { exactNameKey, formatPhoneKey, normalisedNameKey, phoneKey, websiteKey } from './keys';

/**
 * Company matching, Hudu's flow: suggest client spaces for each PSA company, each with a
 * confidence (0–100) and a reason people can read, then apply the user's decisions: match to an
 * existing space, create a new one, or leave unmatched.
 *
 * Rules, strongest first (one suggestion per client space: its strongest rule):
 *   psa-id          100  the same PSA company id is matched through another integration of that PSA
 *   exact-name       95  same name, case-insensitive and whitespace-collapsed
 *   normalised-name  85  same name without legal suffixes, punctuation, "&"/"and", a leading "The"
 *   website          75  same website host as a company another integration matched to the space
 *   phone            60  same phone number (last 10 digits) as such a company
 * Names compare with the client space's name and with the names of other integrations' companies
 * matched to it; websites and phones only with those companies (client spaces have neither).
 */

export type SuggestionReason = 'psa-id' | 'exact-name' | 'normalised-name' | 'website' | 'phone';

export const CONFIDENCE: Record<SuggestionReason, number> = {
  'psa-id': 100,
  'exact-name': 95,
  'normalised-name': 85,
  website: 75,
  phone: 60,
};

/** Accept and bulk match suggestions at or above this confidence unless the user says otherwise. */
export const DEFAULT_THRESHOLD = 85;

export interface MatchSuggestion {
  clientSpaceId: string;
  reason: SuggestionReason;
  /** 0–100, from the rule (see CONFIDENCE). */
  confidence: number;
  /** Why, for people: "normalised name: northwind dental", "website: contoso.com (Contoso Ltd. in ConnectWise)". */
  detail: string;
}

/** The company to suggest for: a company record of the integration being matched. */
export type CompanyToMatch = Pick<RecordRow, 'remoteId' | 'data'> & { integrationId: string };

/** A company record of another integration (only those with a 'matched' MatchRow count). */
export type MatchedCompany = Pick<RecordRow, 'integrationId' | 'remoteId' | 'data'>;

export interface MatchContext {
  integrations: IntegrationRow[];
  matches: MatchRow[];
  clientSpaces: ClientSpaceRow[];
  /**
   * Company records of integrations matched to client spaces (see lib/match/match-data.ts);
   * records of the integration being matched, and records without a 'matched' row, are ignored.
   * Absent: only PSA ids and client space names are compared.
   */
  matchedCompanies?: MatchedCompany[];
}

interface Source {
  clientSpaceId: string;
  /** Set when the key comes from another integration's company (not the space's own name). */
  integrationId?: string;
  /** How the detail names where the key came from, e.g. "Contoso Ltd. in ConnectWise". */
  origin?: string;
}

type Index = Map<string, Source[]>;

const add = (index: Index, key: string | undefined, source: Source) => {
  if (!key) return;
  const list = index.get(key);
  if (list) list.push(source);
  else index.set(key, [source]);
};

const companyData = (record: Pick<RecordRow, 'data'>) => record.data as Partial<CanonicalCompany>;

/**
 * Builds the lookup once for many companies (a matching table has thousands): returns a pure
 * function from a company to all its suggestions, strongest first.
 */
export function createMatcher(context: MatchContext): (company: CompanyToMatch) => MatchSuggestion[] {
  const integrationOf = new Map(context.integrations.map((integration) => [integration.id, integration]));
  const spaceOf = new Map(context.clientSpaces.map((space) => [space.id, space]));
  const matchedTo = new Map<string, string>();
  const byPsaId = new Map<string, { integrationId: string; clientSpaceId: string }[]>();
  for (const match of context.matches) {
    if (match.state !== 'matched' || !match.clientSpaceId || !spaceOf.has(match.clientSpaceId)) continue;
    matchedTo.set(`${match.integrationId}\u0000${match.companyRemoteId}`, match.clientSpaceId);
    const psa = integrationOf.get(match.integrationId)?.psa;
    if (!psa) continue;
    const key = `${psa}\u0000${match.companyRemoteId}`;
    byPsaId.set(key, [...(byPsaId.get(key) ?? []), { integrationId: match.integrationId, clientSpaceId: match.clientSpaceId }]);
  }

  const exact: Index = new Map();
  const normalised: Index = new Map();
  const websites: Index = new Map();
  const phones: Index = new Map();
  // The space's own name first: at equal confidence its detail is the plainer one.
  for (const space of context.clientSpaces) {
    if (space.archivedAt !== undefined) continue; // an archived client is not suggested
    add(exact, exactNameKey(space.name), { clientSpaceId: space.id });
    add(normalised, normalisedNameKey(space.name), { clientSpaceId: space.id });
  }
  for (const record of context.matchedCompanies ?? []) {
    const clientSpaceId = matchedTo.get(`${record.integrationId}\u0000${record.remoteId}`);
    if (!clientSpaceId) continue;
    const data = companyData(record);
    const label = integrationOf.get(record.integrationId)?.label ?? 'another integration';
    const source = { clientSpaceId, integrationId: record.integrationId, origin: `${data.name ?? `#${record.remoteId}`} in ${label}` };
    add(exact, exactNameKey(data.name), source);
    add(normalised, normalisedNameKey(data.name), source);
    add(websites, websiteKey(data.website), source);
    add(phones, phoneKey(data.phone), source);
  }

  return (company) => {
    const best = new Map<string, MatchSuggestion>();
    const offer = (clientSpaceId: string, reason: SuggestionReason, detail: string) => {
      const confidence = CONFIDENCE[reason];
      const current = best.get(clientSpaceId);
      if (!current || current.confidence < confidence) best.set(clientSpaceId, { clientSpaceId, reason, confidence, detail });
    };
    const fromIndex = (index: Index, key: string | undefined, reason: SuggestionReason, describe: (source: Source) => string) => {
      if (!key) return;
      for (const source of index.get(key) ?? []) {
        if (source.integrationId === company.integrationId) continue;
        offer(source.clientSpaceId, reason, describe(source));
      }
    };
    const via = (source: Source) => (source.origin ? ` (${source.origin})` : '');

    const psa = integrationOf.get(company.integrationId)?.psa;
    if (psa) {
      for (const other of byPsaId.get(`${psa}\u0000${company.remoteId}`) ?? []) {
        if (other.integrationId === company.integrationId) continue;
        const label = integrationOf.get(other.integrationId)?.label ?? 'another integration';
        offer(other.clientSpaceId, 'psa-id', `same PSA id: #${company.remoteId} is matched through ${label}`);
      }
    }
    const data = companyData(company);
    const exactKey = exactNameKey(data.name);
    fromIndex(
      exact,
      exactKey,
      'exact-name',
      (source) => `exact name: ${source.origin ? data.name!.trim() : spaceOf.get(source.clientSpaceId)!.name.trim()}${via(source)}`,
    );
    const nameKey = normalisedNameKey(data.name);
    fromIndex(normalised, nameKey, 'normalised-name', (source) => `normalised name: ${nameKey}${via(source)}`);
    const host = websiteKey(data.website);
    fromIndex(websites, host, 'website', (source) => `website: ${host}${via(source)}`);
    const phone = phoneKey(data.phone);
    fromIndex(phones, phone, 'phone', (source) => `phone: ${formatPhoneKey(phone!)}${via(source)}`);

    const name = (id: string) => spaceOf.get(id)?.name ?? '';
    return [...best.values()].sort(
      (a, b) => b.confidence - a.confidence || name(a.clientSpaceId).localeCompare(name(b.clientSpaceId)) || a.clientSpaceId.localeCompare(b.clientSpaceId),
    );
  };
}

/** Every suggested client space for a company, strongest first (best per space). */
export function suggestMatches(company: CompanyToMatch, context: MatchContext): MatchSuggestion[] {
  return createMatcher(context)(company);
}

/** The strongest suggestion for a company, or undefined when no rule fires. */
export function suggestMatch(company: CompanyToMatch, context: MatchContext): MatchSuggestion | undefined {
  return suggestMatches(company, context)[0];
}

export async function applyMatches(
  db: SidecarDb,
  integrationId: string,
  decisions: MatchDecision[],
  now: number = Date.now(),
): Promise<{ matched: number; created: number; unmatched: number }> {
  return db.transaction('rw', [db.matches, db.clientSpaces, db.records, db.integrations], async () => {
    if (!(await db.integrations.get(integrationId))) throw new HandledError('not-found', 'That integration no longer exists.');
    const counts = { matched: 0, created: 0, unmatched: 0 };
    const rows: MatchRow[] = [];
    for (const decision of decisions) {
      const company = await db.records.get([integrationId, 'company', decision.companyRemoteId]);
      // Validate everything before writing anything: a bad decision leaves nothing half-applied.
      if (!company) throw new HandledError('invalid', `Company ${decision.companyRemoteId} is not in the last sync; sync again.`);
      if (decision.action === 'unmatched') {
        rows.push({ integrationId, companyRemoteId: decision.companyRemoteId, state: 'unmatched', decidedAt: now });
        counts.unmatched += 1;
        continue;
      }
      let clientSpaceId: string;
      if (decision.action === 'create') {
        clientSpaceId = crypto.randomUUID();
        await db.clientSpaces.add({
          id: clientSpaceId,
          name: fitClientSpaceName((company.data as { name: string }).name, `Company ${decision.companyRemoteId}`),
          createdAt: now,
          nameFollows: { integrationId, companyRemoteId: decision.companyRemoteId },
        });
        counts.created += 1;
      } else {
        const chosen = await db.clientSpaces.get(decision.clientSpaceId);
        if (!chosen || chosen.mergedInto !== undefined) {
          throw new HandledError('invalid', `The client space chosen for ${(company.data as { name: string }).name} no longer exists.`);
        }
        clientSpaceId = decision.clientSpaceId;
        counts.matched += 1;
      }
      rows.push({ integrationId, companyRemoteId: decision.companyRemoteId, state: 'matched', clientSpaceId, decidedAt: now });
    }
    await db.matches.bulkPut(rows);
    return counts;
  });
}
