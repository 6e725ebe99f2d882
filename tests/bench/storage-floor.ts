import type { Page } from '@playwright/test';

/**
 * The storage floor (#17): how long this browser's IndexedDB takes to store the same rows a full
 * sync stored, in a table with no secondary index, one transaction per PSA page as the sync
 * commits them. Measured in the same run, from an extension page, on the rows the sync wrote (read
 * from Sidecar's database in chunks; only the writing is timed), into a scratch database deleted after.
 */
export interface FloorIndex {
  name: string;
  keyPath: string | string[];
}

/** The records table's secondary indexes today (lib/db/versions.ts), to measure what they cost beside the floor. */
export const RECORD_INDEXES: FloorIndex[] = [
  { name: 'company', keyPath: ['integrationId', 'entity', 'companyRemoteId'] },
  { name: 'sortName', keyPath: ['integrationId', 'entity', 'sortName'] },
];

export async function measureStorageFloor(page: Page, pageSize: number, indexes: FloorIndex[] = []): Promise<{ rows: number; ms: number }> {
  return page.evaluate(
    async ({ rowsPerPage, indexes }) => {
      const request = <T>(target: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          target.onsuccess = () => resolve(target.result);
          target.onerror = () => reject(target.error);
        });
      const done = (tx: IDBTransaction) =>
        new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      const name = 'sidecar-storage-floor';
      await request(indexedDB.deleteDatabase(name));
      const opening = indexedDB.open(name, 1);
      opening.onupgradeneeded = () => {
        const store = opening.result.createObjectStore('rows', { keyPath: ['integrationId', 'entity', 'remoteId'] });
        for (const index of indexes) store.createIndex(index.name, index.keyPath);
      };
      const floor = await request(opening);
      const source = await request(indexedDB.open('sidecar'));
      let after: IDBValidKey | undefined;
      let rows = 0;
      let ms = 0;
      for (;;) {
        const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
        const chunk = (await request(source.transaction('records').objectStore('records').getAll(range, 5000))) as {
          integrationId: string;
          entity: string;
          remoteId: string;
        }[];
        if (!chunk.length) break;
        const started = performance.now();
        for (let at = 0; at < chunk.length; at += rowsPerPage) {
          const tx = floor.transaction('rows', 'readwrite');
          const store = tx.objectStore('rows');
          for (const row of chunk.slice(at, at + rowsPerPage)) store.put(row);
          await done(tx);
        }
        ms += performance.now() - started;
        rows += chunk.length;
        const last = chunk.at(-1)!;
        after = [last.integrationId, last.entity, last.remoteId];
      }
      source.close();
      floor.close();
      await request(indexedDB.deleteDatabase(name));
      return { rows, ms: Math.round(ms) };
    },
    { rowsPerPage: pageSize, indexes },
  );
}
