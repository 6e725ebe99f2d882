import type { EntityKind, PageRequest, PageResult, PsaAdapter } from '../psa/types';

/**
 * The pages after the one a run is committing (after a step's last page, the next step's first),
 * asked for back to back while it commits, so that the PSA's latency and IndexedDB's writing (a
 * step's last commit sweeps the list it read) overlap instead of adding up: up to `DEPTH` pages
 * ahead, so one slow commit (a sweep, a collection) does not leave the PSA idle. Still one
 * request in flight at a time (the vendors ask for one sync at a time; the one exception: a
 * company read first goes out while the paused step's last page may still be on its way), still
 * paced. Memory only: a stopped worker loses them and the next slice simply asks again; a slice
 * whose resume point moved meanwhile finds no match and reads afresh.
 */

/** Pages held or in flight ahead of the slice's own (a large page is 1,000 records). */
const DEPTH = 2;

interface Ahead {
  adapter: PsaAdapter;
  entity: EntityKind;
  /** The step's request; each page's differs only by its token. */
  request: PageRequest;
  pages: Map<string, Promise<PageResult>>;
  /** The token to ask for next, once there is room and nothing in flight (null: the step's first page; undefined: its last page is asked). */
  next?: string | null;
  inFlight: boolean;
}

const aheadByRun = new Map<string, Ahead>();
/**
 * The pages read ahead for a step that other steps were put in front of (a company read first,
 * lib/sync/company-first.ts): kept, one set per run, so that step resumes without asking again.
 */
const parkedByRun = new Map<string, Ahead>();

// The whole request: two steps of one run may differ only in their company scope.
const keyOf = (entity: EntityKind, request: PageRequest) =>
  JSON.stringify([entity, request.pageToken, request.since ?? null, request.idsOnly ?? false, request.details ?? false, request.companyRemoteIds ?? null]);

const holds = (ahead: Ahead | undefined, adapter: PsaAdapter, key: string): ahead is Ahead => ahead?.adapter === adapter && ahead.pages.has(key);

/** This slice's page: the one read ahead for exactly this request, or a fresh read. */
export function pageFor(runId: string, adapter: PsaAdapter, entity: EntityKind, request: PageRequest): Promise<PageResult> {
  const key = keyOf(entity, request);
  let ahead = aheadByRun.get(runId);
  if (!holds(ahead, adapter, key)) {
    const parked = parkedByRun.get(runId);
    if (holds(parked, adapter, key)) {
      // The paused step resumes with what was read for it.
      parkedByRun.delete(runId);
      aheadByRun.set(runId, parked);
      ahead = parked;
    } else {
      // Read ahead for another resume point (a commit that did not land) or another step: parked
      // in case that step resumes, replacing what was parked before.
      if (ahead) parkedByRun.set(runId, ahead);
      aheadByRun.delete(runId);
      return adapter.listPage(entity, request);
    }
  }
  const page = ahead.pages.get(key)!;
  ahead.pages.delete(key);
  askNext(runId, ahead);
  return page;
}

/** Starts reading from the page after this one on (a failure surfaces in the slice that uses the page). */
export function readAhead(runId: string, adapter: PsaAdapter, entity: EntityKind, request: PageRequest): void {
  const ahead = aheadByRun.get(runId);
  const key = keyOf(entity, request);
  // The pages follow each other: this one is held, on its way, or the next to ask.
  if (
    ahead?.adapter === adapter &&
    (ahead.pages.has(key) || (ahead.next !== undefined && keyOf(ahead.entity, { ...ahead.request, pageToken: ahead.next }) === key))
  )
    return;
  const fresh: Ahead = { adapter, entity, request, pages: new Map(), next: request.pageToken, inFlight: false };
  aheadByRun.set(runId, fresh);
  askNext(runId, fresh);
}

function askNext(runId: string, ahead: Ahead): void {
  if (ahead.inFlight || ahead.next === undefined || ahead.pages.size >= DEPTH) return;
  const request = { ...ahead.request, pageToken: ahead.next };
  const page = ahead.adapter.listPage(ahead.entity, request);
  ahead.pages.set(keyOf(ahead.entity, request), page);
  ahead.inFlight = true;
  ahead.next = undefined;
  page.then(
    (result) => {
      ahead.inFlight = false;
      ahead.next = result.nextPageToken ?? undefined;
      // Parked or dropped: it asks nothing more unless its step resumes.
      if (aheadByRun.get(runId) === ahead) askNext(runId, ahead);
    },
    // The slice that takes this page meets the failure (and its retry asks again); nothing more is read ahead.
    () => {
      ahead.inFlight = false;
    },
  );
}

/** A run that ended or failed leaves nothing behind. */
export function dropReadAhead(runId: string): void {
  aheadByRun.delete(runId);
  parkedByRun.delete(runId);
}
