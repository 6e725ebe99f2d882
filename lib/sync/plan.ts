import type { CursorRow, RunStep } from '../db/schema';
import type { EntityCapabilities, EntityKind } from '../psa/types';

/** Re-read this far behind the cursor: PSA timestamps tie and land late; upserts make it harmless. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
/** How often a scheduled sync also runs a full id pass to find deletions. */
export const RECONCILE_EVERY_MS = 24 * 60 * 60_000;

export const CHILD_ENTITIES = ['contact', 'configuration', 'agreement', 'site'] as const satisfies readonly EntityKind[];

export interface PlanInput {
  capabilities: Record<EntityKind, EntityCapabilities>;
  cursors: Partial<Record<EntityKind, CursorRow>>;
  /** Companies matched to a client space: only their child records are imported. */
  matchedCompanyIds: string[];
  now: number;
  /** Manual resyncs also look for deletions. */
  reconcile: boolean;
  /** Entities the integration's skip options leave out. */
  skippedEntities?: EntityKind[];
  /** For lists read whole at a pace (`pacedWhole`): the least time between two whole reads (lib/sync/whole-list-pace.ts); 0 or absent: every sync. */
  wholeReadEveryMs?: Partial<Record<EntityKind, number>>;
  /** Stored companies whose list rows lack fields only the full record has (`unlistedFields`), and when that record was last read. */
  companiesLackingDetails?: { remoteId: string; readAt?: number }[];
}

const behind = (iso: string) => new Date(Date.parse(iso) - CURSOR_OVERLAP_MS).toISOString();

function reconcileDue(input: PlanInput, cursor: CursorRow | undefined): boolean {
  return input.reconcile || !cursor?.lastFullPassAt || input.now - cursor.lastFullPassAt >= RECONCILE_EVERY_MS;
}

/** A paced list (`pacedWhole`) is read whole on a manual sync, or once its spacing has passed. */
function pacedReadDue(input: PlanInput, entity: EntityKind, cursor: CursorRow | undefined): boolean {
  return input.reconcile || !cursor?.lastFullPassAt || input.now - cursor.lastFullPassAt >= (input.wholeReadEveryMs?.[entity] ?? 0);
}

/** A company's full record is read again after this long (a website rarely changes). */
export const DETAILS_REFRESH_MS = 7 * 24 * 60 * 60_000;
/**
 * Full records read by one run at most: each costs a request (Halo: 2,000 matched clients would be
 * over an hour at half of 300 per 5 minutes), so a large tenant's are spread over several runs.
 */
export const DETAILS_PER_RUN = 50;

/** The matched companies whose full record is due: never read first (newly matched), then the oldest read. */
function companiesDueForDetails(input: PlanInput, matched: string[]): string[] {
  const isMatched = new Set(matched);
  return (input.companiesLackingDetails ?? [])
    .filter((company) => isMatched.has(company.remoteId) && (company.readAt === undefined || input.now - company.readAt >= DETAILS_REFRESH_MS))
    .sort((a, b) => (a.readAt ?? -Infinity) - (b.readAt ?? -Infinity) || a.remoteId.localeCompare(b.remoteId, 'en', { numeric: true }))
    .slice(0, DETAILS_PER_RUN)
    .map((company) => company.remoteId);
}

/**
 * The steps of one run. Companies first (matching needs them all), then the children of
 * matched companies: a full pass for companies matched since the last run, an incremental
 * pass for the rest, and a deletion pass when one is due.
 */
export function planRun(input: PlanInput): RunStep[] {
  const steps: RunStep[] = [];
  const companyCursor = input.cursors.company;
  const companyCaps = input.capabilities.company;
  if (companyCaps.incremental && companyCursor?.highWater) {
    steps.push({ entity: 'company', mode: 'changes', since: behind(companyCursor.highWater), scope: null, sweep: false, fullPass: false });
    if (reconcileDue(input, companyCursor)) {
      steps.push({ entity: 'company', mode: companyCaps.idsOnly ? 'ids' : 'changes', since: null, scope: null, sweep: true, fullPass: true });
    }
  } else {
    steps.push({ entity: 'company', mode: 'changes', since: null, scope: null, sweep: true, fullPass: true });
  }

  const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const matched = [...new Set(input.matchedCompanyIds)].sort(byId);
  if (!matched.length) return steps;

  for (const entity of CHILD_ENTITIES) {
    if (input.skippedEntities?.includes(entity)) continue;
    const caps = input.capabilities[entity];
    const cursor = input.cursors[entity];
    if (!caps.incremental) {
      const wholeReadWaits = caps.wholeOnReconcile ? !reconcileDue(input, cursor) : caps.pacedWhole ? !pacedReadDue(input, entity, cursor) : false;
      if (wholeReadWaits && cursor?.lastFullPassAt) {
        const covered = new Set(cursor.coveredCompanyIds);
        const fresh = onlyOrAll(matched, (id) => !covered.has(id));
        if (fresh.length) steps.push({ entity, mode: 'changes', since: null, scope: fresh, sweep: true, fullPass: false, extendsCoverage: true });
        continue;
      }
      steps.push({ entity, mode: 'changes', since: null, scope: matched, sweep: true, fullPass: true });
      continue;
    }
    const covered = new Set(cursor?.highWater ? cursor.coveredCompanyIds : []);
    // The matched list itself where a part is all of it: steps sharing one array are stored once
    // (IndexedDB's structured clone keeps shared references), and the run row is read and written
    // on every page a sync commits.
    const fresh = onlyOrAll(matched, (id) => !covered.has(id));
    const known = onlyOrAll(matched, (id) => covered.has(id));
    if (fresh.length) {
      steps.push({ entity, mode: 'changes', since: null, scope: fresh, sweep: true, fullPass: known.length === 0 });
    }
    if (known.length && cursor?.highWater) {
      steps.push({ entity, mode: 'changes', since: behind(cursor.highWater), scope: known, sweep: false, fullPass: false });
      if (reconcileDue(input, cursor)) {
        steps.push({ entity, mode: caps.idsOnly ? 'ids' : 'changes', since: null, scope: matched, sweep: true, fullPass: true });
      }
    }
  }
  // Last: the children matter more to a technician than a website, and each full record costs a request.
  const due = companyCaps.readsFullCompanies ? companiesDueForDetails(input, matched).sort(byId) : [];
  if (due.length) steps.push({ entity: 'company', mode: 'details', since: null, scope: due, sweep: false, fullPass: false });
  return steps;
}

/** Steps of a one-company resync: every child list of that company, read whole, deletions swept. */
export function planCompanyRun(companyRemoteId: string, skippedEntities: EntityKind[] = []): RunStep[] {
  return CHILD_ENTITIES.filter((entity) => !skippedEntities.includes(entity)).map((entity) => ({
    entity,
    mode: 'changes' as const,
    since: null,
    scope: [companyRemoteId],
    sweep: true,
    fullPass: false,
  }));
}

/** The ids that pass, or `all` itself when every one does (see planRun). */
function onlyOrAll(all: string[], passes: (id: string) => boolean): string[] {
  const some = all.filter(passes);
  return some.length === all.length ? all : some;
}
