import type { IntegrationRow, RecordRow, SidecarDb } from '../db/schema';
import { ENTITY_KINDS } from '../psa/types';
import { compareNames, isFindable, KIND_RANK, type SearchScope } from './rules';

/**
 * What the palette answers while its index is first built (a large tenant's takes seconds, and
 * records have no IndexedDB index of their words: #17): records whose name starts with what was
 * typed, read through the records' name index, a few rows per integration and kind. No typos, no
 * words inside a name, no documents: the palette says so, and asks again once the index is there.
 */
export async function namesStartingWith(
  db: SidecarDb,
  query: string,
  integrations: readonly IntegrationRow[],
  scope: SearchScope,
  limit: number,
): Promise<RecordRow[]> {
  const prefix = query.trim().toLowerCase();
  if (!prefix) return [];
  const lists = await Promise.all(
    integrations.flatMap((integration) =>
      ENTITY_KINDS.map((entity) =>
        db.records
          .where('[integrationId+entity+sortName]')
          .between([integration.id, entity, prefix], [integration.id, entity, `${prefix}\uffff`], true, true)
          .filter((row) => row.archivedAt === undefined && isFindable(row.integrationId, row.entity, row.remoteId, scope.companies))
          .limit(limit)
          .toArray(),
      ),
    ),
  );
  // Ranked as the index ranks equal scores (lib/search/rules.ts): kind, name length, name.
  return lists
    .flat()
    .sort((a, b) => KIND_RANK[a.entity] - KIND_RANK[b.entity] || a.sortName.length - b.sortName.length || compareNames(a.sortName, b.sortName))
    .slice(0, limit);
}
