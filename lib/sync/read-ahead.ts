import type { EntityKind, PageRequest, PageResult, PsaAdapter } from '../psa/types';

/**
 * The next page of a run, asked for while the current one commits, so that the PSA's latency and
 * IndexedDB's writing overlap instead of adding up. Still one request in flight at a time (the
 * vendors ask for one sync at a time), still paced. Memory only: a stopped worker loses it and
 * the next slice simply asks again; a slice whose resume point moved meanwhile finds no match.
 */
interface Ahead {
  key: string;
  page: Promise<PageResult>;
}

const aheadByRun = new Map<string, Ahead>();

// The whole request: two steps of one run may differ only in their company scope.
const keyOf = (entity: EntityKind, request: PageRequest) =>
  JSON.stringify([entity, request.pageToken, request.since ?? null, request.idsOnly ?? false, request.details ?? false, request.companyRemoteIds ?? null]);

/** This slice's page: the one read ahead for exactly this request, or a fresh read. */
export function pageFor(runId: string, adapter: PsaAdapter, entity: EntityKind, request: PageRequest): Promise<PageResult> {
  const ahead = aheadByRun.get(runId);
  aheadByRun.delete(runId);
  if (ahead?.key === keyOf(entity, request)) return ahead.page;
  return adapter.listPage(entity, request);
}

/** Starts reading the page after this one (its failure surfaces in the slice that uses it). */
export function readAhead(runId: string, adapter: PsaAdapter, entity: EntityKind, request: PageRequest): void {
  const page = adapter.listPage(entity, request);
  page.catch(() => undefined);
  aheadByRun.set(runId, { key: keyOf(entity, request), page });
}

/** A run that ended or failed leaves nothing behind. */
export function dropReadAhead(runId: string): void {
  aheadByRun.delete(runId);
}
