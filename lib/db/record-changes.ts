import type { DBCore, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import type { EntityKind } from '../psa/types';
import type { RecordChangeRow } from './rows';

/**
 * Which records changed, per integration and entity: a version each, raised in the same
 * transaction as any write to `records`, whoever writes (a sync, a sweep, the Museum, the team);
 * and one version for all the documents technicians write (`docs`).
 *
 * Why: Dexie marks a whole table as changed when 50 rows or more are put at once, so every live
 * query that reads any record re-ran on every page a sync committed: the options page re-read
 * and re-matched its 2,000 companies once a second through a sync of contacts (#17). A UI query
 * reads these few versions live instead, and reads its records again only when the versions it
 * depends on move (./record-stamps.ts, components/ui/use-live-records.ts).
 */

export const RECORD_CHANGES = 'recordChanges';
/** A write whose integration or entity is not known (a range delete across them): every reader's. */
export const ANY = '*';
/** The documents technicians write (`docs`) have one version of their own, under this integration id. */
export const DOCUMENTS = '#docs';
const TRACKED = new Set(['records', 'docs']);

type Touched = Map<string, [string, RecordChangeRow['entity']]>;

/** The (integration, entity) pairs a write to `records` touches. */
function touchedBy(request: DBCoreMutateRequest): Touched {
  const touched: Touched = new Map();
  const add = (integrationId: unknown, entity: unknown) => {
    const pair: [string, RecordChangeRow['entity']] = [
      typeof integrationId === 'string' ? integrationId : ANY,
      typeof entity === 'string' ? (entity as EntityKind) : ANY,
    ];
    touched.set(pair.join('\u0000'), pair);
  };
  const addKey = (key: unknown) => (Array.isArray(key) ? add(key[0], key[1]) : add(ANY, ANY));
  if (request.type === 'deleteRange') {
    const { lower, upper } = request.range;
    const same = (index: number) => Array.isArray(lower) && Array.isArray(upper) && typeof lower[index] === 'string' && lower[index] === upper[index];
    if (same(0)) add(lower[0], same(1) ? lower[1] : ANY);
    else add(ANY, ANY);
  } else if (request.type === 'delete') request.keys.forEach(addKey);
  else if (request.values.length)
    for (const value of request.values as { integrationId?: unknown; entity?: unknown }[]) add(value?.integrationId, value?.entity);
  // No values: the keys say what it touches. None (an empty batch: a page whose records were all
  // unchanged, or a modify that matched nothing) touches nothing, or every reader would read
  // again on each such page (#17).
  else (request.keys ?? (request.type === 'put' ? request.updates?.keys : undefined) ?? []).forEach(addKey);
  return touched;
}

/** Raises the version of each pair, in the write's own transaction. */
async function raise(changes: DBCoreTable, trans: DBCoreTransaction, touched: Touched): Promise<void> {
  if (!touched.size) return;
  const keys = [...touched.values()];
  const stored = (await changes.getMany({ trans, keys })) as (RecordChangeRow | undefined)[];
  const values: RecordChangeRow[] = keys.map(([integrationId, entity], index) => ({ integrationId, entity, version: (stored[index]?.version ?? 0) + 1 }));
  await changes.mutate({ type: 'put', trans, values });
}

/**
 * Outermost (level 20), so that its own writes pass Dexie's observability below it and reach
 * live queries in every context. Upgrades are left alone: a migration may run before the table exists.
 */
export const recordChangesMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'RecordChanges',
  level: 20,
  create: (down) => ({
    ...down,
    transaction: (stores, mode, options) =>
      down.transaction(
        mode === 'readwrite' && stores.some((store) => TRACKED.has(store)) && !stores.includes(RECORD_CHANGES) ? [...stores, RECORD_CHANGES] : stores,
        mode,
        options,
      ),
    table: (name) => {
      const table = down.table(name);
      if (!TRACKED.has(name)) return table;
      const touched = (request: DBCoreMutateRequest): Touched => (name === 'docs' ? new Map([[DOCUMENTS, [DOCUMENTS, ANY]]]) : touchedBy(request));
      return {
        ...table,
        mutate: async (request) => {
          const result = await table.mutate(request);
          const idb = request.trans as Partial<IDBTransaction>;
          if (idb.mode === 'readwrite' && idb.objectStoreNames?.contains(RECORD_CHANGES))
            await raise(down.table(RECORD_CHANGES), request.trans, touched(request));
          return result;
        },
      };
    },
  }),
};
