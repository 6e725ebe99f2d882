import type { SidecarDb } from '../db/schema';
import { conflictKeptSchema } from '../docstore/schemas';
import { sourceKeyOf } from './places';

/** Another decision on a company's match, made on a second computer at the same moment and kept as a version (lib/documents/conflicts.ts). */
export interface KeptDecision {
  by: string;
  at: number;
}

/**
 * The companies of an integration whose match met another decision made at the same moment on
 * another computer (#15): who made the other one and when. The matching table shows the later
 * decision and says so, until the company's match is decided again.
 */
export async function keptMatchDecisions(db: SidecarDb, integrationId: string): Promise<Record<string, KeptDecision[]>> {
  const integration = await db.integrations.get(integrationId);
  if (!integration) return {};
  let source: string;
  try {
    source = integration.team?.source ?? sourceKeyOf(integration);
  } catch {
    return {}; // incomplete settings: nothing of it is shared
  }
  const kept: Record<string, KeptDecision[]> = {};
  for (const row of await db.docs.where('kind').equals('match').toArray()) {
    const { source: docSource, companyRemoteId, conflictKept } = row.doc;
    if (docSource !== source || typeof companyRemoteId !== 'string') continue;
    const mark = conflictKeptSchema.safeParse(conflictKept);
    if (!mark.success || !mark.data.length) continue;
    kept[companyRemoteId] = mark.data.map((entry) => ({ by: entry.updatedBy.name || 'A teammate', at: entry.updatedAt }));
  }
  return kept;
}
