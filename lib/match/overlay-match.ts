import type { SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { applyMatches, DEFAULT_THRESHOLD, suggestMatch, type MatchSuggestion } from './company-match';
import { matchingContextData } from './match-data';

/**
 * Matching one company from the overlay, in one click: to the strongest suggestion when it is
 * at or above the default threshold, else to a new client space named after the company. The
 * page says only which company; the choice is worked out here, never taken from the page.
 */
export interface OverlayMatchOffer {
  /** The client space it would be matched to; absent: a new one would be created. */
  clientSpaceName?: string;
  confidence?: number;
  detail?: string;
}

async function bestSuggestion(db: SidecarDb, integrationId: string, companyRemoteId: string): Promise<{ suggestion?: MatchSuggestion; name?: string }> {
  const data = await matchingContextData(db, integrationId);
  const company = data.companies.find((row) => row.remoteId === companyRemoteId);
  if (!company) return {};
  const suggestion = suggestMatch({ integrationId, remoteId: company.remoteId, data: company.data }, data);
  if (!suggestion || suggestion.confidence < DEFAULT_THRESHOLD) return {};
  return { suggestion, name: data.clientSpaces.find((space) => space.id === suggestion.clientSpaceId)?.name };
}

export async function overlayMatchOffer(db: SidecarDb, integrationId: string, companyRemoteId: string): Promise<OverlayMatchOffer> {
  const { suggestion, name } = await bestSuggestion(db, integrationId, companyRemoteId);
  return suggestion && name ? { clientSpaceName: name, confidence: suggestion.confidence, detail: suggestion.detail } : {};
}

export async function matchFromOverlay(db: SidecarDb, integrationId: string, companyRemoteId: string): Promise<{ clientSpaceName: string; created: boolean }> {
  const match = await db.matches.get([integrationId, companyRemoteId]);
  if (match?.state === 'matched') throw new HandledError('invalid', 'This company is matched already.');
  const company = await db.records.get([integrationId, 'company', companyRemoteId]);
  if (!company || company.archivedAt !== undefined) throw new HandledError('not-found', 'This company is not among the synced, live companies: resync first.');
  const { suggestion, name } = await bestSuggestion(db, integrationId, companyRemoteId);
  if (suggestion && name) {
    await applyMatches(db, integrationId, [{ companyRemoteId, action: 'match', clientSpaceId: suggestion.clientSpaceId }]);
    return { clientSpaceName: name, created: false };
  }
  await applyMatches(db, integrationId, [{ companyRemoteId, action: 'create' }]);
  return { clientSpaceName: (company.data as { name: string }).name, created: true };
}
