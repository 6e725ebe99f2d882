import { liveCompanies, matchingTables, type MatchingData } from '../db/queries';
import type { MatchRow, SidecarDb } from '../db/schema';
import type { MatchedCompany } from './company-match';

export interface MatchingContextData extends MatchingData {
  /** Company records of the other integrations' matched companies: websites and phones to compare. */
  matchedCompanies: MatchedCompany[];
}

/**
 * What the matching table needs: its small tables and companies plus the company records other integrations
 * matched to client spaces (client spaces have no website or phone of their own).
 */
export async function matchingContextData(db: SidecarDb, integrationId: string): Promise<MatchingContextData> {
  const tables = await matchingTables(db);
  return { ...tables, ...(await matchingRecords(db, integrationId, tables.matches)) };
}

/** The records matching reads: this integration's companies, and the companies others matched (by `matches`). */
export async function matchingRecords(
  db: SidecarDb,
  integrationId: string,
  matches: readonly MatchRow[],
): Promise<Pick<MatchingContextData, 'companies' | 'matchedCompanies'>> {
  const keys = matches
    .filter((match) => match.state === 'matched' && match.integrationId !== integrationId)
    .map((match) => [match.integrationId, 'company', match.companyRemoteId] as [string, 'company', string]);
  const [companies, records] = await Promise.all([liveCompanies(db, integrationId), keys.length ? db.records.bulkGet(keys) : []]);
  const matchedCompanies = records.flatMap((record) => (record ? [{ integrationId: record.integrationId, remoteId: record.remoteId, data: record.data }] : []));
  return { companies, matchedCompanies };
}
