import type { SidecarDb } from '../db/schema';
import { matchingData, type MatchingData } from '../db/queries';
import type { MatchedCompany } from './company-match';

export interface MatchingContextData extends MatchingData {
  /** Company records of the other integrations' matched companies: websites and phones to compare. */
  matchedCompanies: MatchedCompany[];
}

/**
 * What the matching table needs: matchingData plus the company records other integrations
 * matched to client spaces (client spaces have no website or phone of their own).
 */
export async function matchingContextData(db: SidecarDb, integrationId: string): Promise<MatchingContextData> {
  const data = await matchingData(db, integrationId);
  const keys = data.matches
    .filter((match) => match.state === 'matched' && match.integrationId !== integrationId)
    .map((match) => [match.integrationId, 'company', match.companyRemoteId] as [string, 'company', string]);
  const records = keys.length ? await db.records.bulkGet(keys) : [];
  const matchedCompanies = records.flatMap((record) => (record ? [{ integrationId: record.integrationId, remoteId: record.remoteId, data: record.data }] : []));
  return { ...data, matchedCompanies };
}
