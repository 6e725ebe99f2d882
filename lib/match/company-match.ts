import type { ClientSpaceRow, IntegrationRow, MatchRow, RecordRow, SidecarDb } from '../db/schema';
import type { MatchDecision } from '../messaging/protocol';
import { HandledError } from '../messaging/router';

/**
 * Company matching, Hudu's flow: suggest a client space for each PSA company (the same PSA id
 * already matched through another integration of that PSA, then an exact name), then apply the
 * user's decisions: match to an existing space, create a new one, or leave unmatched.
 */

export type SuggestionReason = 'psa-id' | 'exact-name';

export interface MatchSuggestion {
  clientSpaceId: string;
  reason: SuggestionReason;
}

export const normaliseName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

export function suggestMatch(
  company: Pick<RecordRow, 'remoteId' | 'data'> & { integrationId: string },
  context: { integrations: IntegrationRow[]; matches: MatchRow[]; clientSpaces: ClientSpaceRow[] },
): MatchSuggestion | undefined {
  const psaOf = new Map(context.integrations.map((integration) => [integration.id, integration.psa]));
  const psa = psaOf.get(company.integrationId);
  const samePsaId = context.matches.find(
    (match) =>
      match.state === 'matched' &&
      match.integrationId !== company.integrationId &&
      match.companyRemoteId === company.remoteId &&
      psaOf.get(match.integrationId) === psa &&
      match.clientSpaceId,
  );
  if (samePsaId?.clientSpaceId) return { clientSpaceId: samePsaId.clientSpaceId, reason: 'psa-id' };
  const name = normaliseName((company.data as { name: string }).name);
  const sameName = context.clientSpaces.find((space) => normaliseName(space.name) === name);
  return sameName ? { clientSpaceId: sameName.id, reason: 'exact-name' } : undefined;
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
        await db.clientSpaces.add({ id: clientSpaceId, name: (company.data as { name: string }).name, createdAt: now });
        counts.created += 1;
      } else {
        if (!(await db.clientSpaces.get(decision.clientSpaceId))) {
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
