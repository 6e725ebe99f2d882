import Dexie from 'dexie';
import type { AuthorPreference, ClientSpaceRow, IntegrationRow, MatchRow, RecordRow, RunRow, SidecarDb, TeamPreference, TeamStatusPreference } from './schema';
import type { EntityKind } from '../psa/types';
import { ENTITY_KINDS } from '../psa/types';

/** Read models for the options page and popup (extension pages read IndexedDB directly). */

export async function listIntegrations(db: SidecarDb): Promise<IntegrationRow[]> {
  return (await db.integrations.toArray()).sort((a, b) => a.createdAt - b.createdAt);
}

/** The latest sync (previews apart: they change nothing, so they say nothing about the data). */
export function latestRun(db: SidecarDb, integrationId: string): Promise<RunRow | undefined> {
  return latestOf(db, integrationId, (run) => !run.dryRun);
}

/** A preview's run id starts so (lib/sync/scheduler.ts): previews are one key range apart from the syncs. */
export const PREVIEW_ID_PREFIX = 'preview-';

/**
 * Null, not undefined, when there is none: TanStack Query ignores undefined data, so a dismissed
 * preview would linger. Read by the previews' key range: a live query scanning the runs for one
 * re-read every run (months of them, each with its steps) on every page a sync commits (#17).
 */
export async function latestPreview(db: SidecarDb, integrationId: string): Promise<RunRow | null> {
  const previews = await db.runs
    .where(':id')
    .startsWith(PREVIEW_ID_PREFIX)
    .filter((run) => run.integrationId === integrationId && !!run.dryRun)
    .toArray();
  return previews.sort((a, b) => b.startedAt - a.startedAt)[0] ?? null;
}

/** Newest first, stopping at the first wanted one: runs pile up over months and the overlay asks on every page. */
function latestOf(db: SidecarDb, integrationId: string, wanted: (run: RunRow) => boolean): Promise<RunRow | undefined> {
  return db.runs
    .orderBy('startedAt')
    .reverse()
    .filter((run) => run.integrationId === integrationId && wanted(run))
    .first();
}

export async function recordCounts(db: SidecarDb, integrationId: string): Promise<Record<EntityKind, number>> {
  const counts = await Promise.all(
    ENTITY_KINDS.map((entity) =>
      db.records
        .where('[integrationId+entity+remoteId]')
        .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
        .filter((row) => row.archivedAt === undefined)
        .count(),
    ),
  );
  return Object.fromEntries(ENTITY_KINDS.map((entity, index) => [entity, counts[index]!])) as Record<EntityKind, number>;
}

export interface MatchingData {
  companies: RecordRow[];
  matches: MatchRow[];
  clientSpaces: ClientSpaceRow[];
  integrations: IntegrationRow[];
}

/** The integration's companies that are not archived, by name. */
export function liveCompanies(db: SidecarDb, integrationId: string): Promise<RecordRow[]> {
  return db.records
    .where('[integrationId+entity+sortName]')
    .between([integrationId, 'company', Dexie.minKey], [integrationId, 'company', Dexie.maxKey])
    .filter((row) => row.archivedAt === undefined)
    .toArray();
}

/** Matching's small tables: read live on their own, apart from the records (lib/db/record-changes.ts). */
export async function matchingTables(db: SidecarDb): Promise<Omit<MatchingData, 'companies'>> {
  const [matches, clientSpaces, integrations] = await Promise.all([
    db.matches.toArray(),
    // A merged-away space only redirects: nothing is matched to it any more.
    db.clientSpaces
      .orderBy('name')
      .filter((space) => space.mergedInto === undefined)
      .toArray(),
    db.integrations.toArray(),
  ]);
  return { matches, clientSpaces, integrations };
}

/** Who this installation writes as (lib/docstore/author.ts saves it), or undefined before a name is chosen. */
export async function loadAuthor(db: SidecarDb): Promise<AuthorPreference | undefined> {
  const saved = await db.preferences.get('author');
  return saved?.id === 'author' ? saved : undefined;
}

/** Documentation kinds whose History a person can open (a conflict's kept edit is there). */
const SHOWS_HISTORY: ReadonlySet<string> = new Set(['space', 'note', 'article', 'field', 'credential']);

/** The team this browser replicates with and how that goes (lib/team writes both), or nulls outside a team. */
export async function loadTeam(db: SidecarDb): Promise<{ membership: TeamPreference | null; status: TeamStatusPreference | null; conflictsKept: number }> {
  const [membership, status] = await Promise.all([db.preferences.get('team'), db.preferences.get('team-status')]);
  // Documents settled after an edit on two computers at once carry a mark until a person saves
  // them again. Only documentation, whose History shows the edit kept (a match's does not yet).
  const conflictsKept = membership
    ? await db.docs.filter((row) => SHOWS_HISTORY.has(row.kind) && Array.isArray(row.doc.conflictKept) && row.doc.conflictKept.length > 0).count()
    : 0;
  return {
    membership: membership?.id === 'team' ? membership : null,
    status: status?.id === 'team-status' ? status : null,
    conflictsKept,
  };
}
