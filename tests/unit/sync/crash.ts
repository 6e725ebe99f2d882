import type { DBCore, DBCoreMutateRequest, DBCoreTable, Middleware } from 'dexie';
import type { EntityKind, PageRequest, PageResult, PsaAdapter } from '@/lib/psa/types';

/**
 * Crash-and-restart machinery for the interruption property test (issue #6, R9). A `Life` is one
 * life of the service worker: the sync runs in it until a cut point kills it. From the moment
 * it is killed nothing it does reaches IndexedDB or the PSA any more (a dead worker does
 * nothing), so whatever is on disk is what the last committed transaction left there. The next
 * life starts from that alone: a fresh SidecarDb on the same database, adapter and scheduler.
 */

export class CrashError extends Error {
  constructor(where: string) {
    super(`the worker died (${where})`);
    this.name = 'CrashError';
  }
}

/**
 * Where a life ends.
 * - `after-commit`: after `at` slices have committed, before the next one fetches (also between
 *   entities when that slice finished a step).
 * - `after-fetch`: the `at`-th page (0-based) arrived from the PSA, and the worker died before
 *   the transaction that would have written it.
 * - `mid-commit`: the `at`-th write (1-based, any table, any transaction of this life) fails and
 *   the worker dies inside that transaction, so IndexedDB rolls it back (with what it wrote).
 */
export type CutKind = 'after-commit' | 'after-fetch' | 'mid-commit';

export interface Cut {
  kind: CutKind;
  at: number;
}

export class Life {
  readonly cut: Cut | null;
  dead = false;
  /** Pages asked of the PSA in this life. */
  fetches = 0;
  /** Writes (DBCore mutate calls) in this life. */
  writes = 0;
  /** Where it died, for the report. */
  diedAt?: string;

  constructor(cut: Cut | null) {
    this.cut = cut;
  }

  kill(where: string): CrashError {
    if (!this.dead) {
      this.dead = true;
      this.diedAt = where;
    }
    return new CrashError(where);
  }
}

/**
 * DBCore middleware: once the life is dead no transaction starts and no write lands; the cut
 * `mid-commit` kills the life at its N-th write, inside the transaction doing it.
 */
export function crashMiddleware(life: Life): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'crash',
    create: (down) => ({
      ...down,
      transaction(stores, mode, options) {
        if (life.dead) throw new CrashError('no transaction after death');
        return down.transaction(stores, mode, options);
      },
      table(name: string): DBCoreTable {
        const table = down.table(name);
        return {
          ...table,
          mutate(request: DBCoreMutateRequest) {
            if (life.dead) return Promise.reject(new CrashError('no write after death'));
            life.writes += 1;
            if (life.cut?.kind === 'mid-commit' && life.writes === life.cut.at) {
              return Promise.reject(life.kill(`write ${life.writes}: ${request.type} on ${name}`));
            }
            return table.mutate(request);
          },
        };
      },
    }),
  };
}

/** The adapter with its `listPage` replaced; everything else is the adapter's own. */
function withListPage(inner: PsaAdapter, listPage: PsaAdapter['listPage']): PsaAdapter {
  return new Proxy(inner, { get: (target, property) => (property === 'listPage' ? listPage : Reflect.get(target, property, target)) });
}

/**
 * The PSA as one life sees it: `observe` runs before every slice's fetch (the previous slice has
 * committed by then), and the `after-commit` and `after-fetch` cuts fire here.
 */
export function lifeAdapter(inner: PsaAdapter, life: Life, observe: () => Promise<void>): PsaAdapter {
  return withListPage(inner, async (entity, request) => {
    if (life.dead) throw new CrashError('no request after death');
    const index = life.fetches++;
    await observe();
    if (life.cut?.kind === 'after-commit' && index === life.cut.at) throw life.kill(`after ${index} committed slice(s), before fetching ${entity}`);
    const page = await inner.listPage(entity, request);
    if (life.dead) throw new CrashError('response after death');
    if (life.cut?.kind === 'after-fetch' && index === life.cut.at) life.kill(`${entity} page fetched (${page.records.length} records), not committed`);
    return page;
  });
}

/**
 * Splits every page of an adapter into pages of at most `size` records, so that a small dataset
 * still gives passes of many pages (many places to cut). Keyset by numeric remote id inside the
 * adapter's own page, so that records added or removed in the PSA between two sub-pages shift
 * nothing (as the adapters' own keyset paging); stateless, the token says everything.
 */
export function subPaging(inner: PsaAdapter, size: number): PsaAdapter {
  return withListPage(inner, async <E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> => {
    const token = request.pageToken ? (JSON.parse(request.pageToken) as { inner: string | null; after: number | null }) : { inner: null, after: null };
    const page = await inner.listPage(entity, { ...request, pageToken: token.inner });
    const sorted = [...page.records].sort((a, b) => Number(a.remoteId) - Number(b.remoteId));
    const unread = token.after === null ? sorted : sorted.filter((record) => Number(record.remoteId) > token.after!);
    const records = unread.slice(0, size);
    const nextPageToken =
      unread.length > records.length
        ? JSON.stringify({ inner: token.inner, after: Number(records.at(-1)!.remoteId) })
        : page.nextPageToken === null
          ? null
          : JSON.stringify({ inner: page.nextPageToken, after: null });
    const { total, ...rest } = page;
    return {
      ...rest, // what else the adapter says of its page (e.g. that the list shifted) holds for each part
      records,
      // Set-aside records and the total are reported once, with the first part of the adapter's page.
      rejected: token.after === null ? page.rejected : [],
      nextPageToken,
      ...(total !== undefined && token.after === null ? { total } : {}),
    };
  });
}
