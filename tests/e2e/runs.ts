import type { Page } from '@playwright/test';

/** A sync run as stored (lib/db/rows.ts RunRow), the fields the tests read. */
export interface StoredRun {
  id: string;
  status: string;
  startedAt: number;
  finishedAt?: number;
  dryRun?: boolean;
  stepIndex: number;
  steps: unknown[];
  progress?: { entity: string; done: number; total?: number };
  counts: Record<string, { written: number }>;
  timing?: { fetchMs: number; writeMs: number; setupMs?: number; commitMs?: number };
}

/**
 * The latest run (previews apart), read from IndexedDB by an extension page (it shares the
 * extension's origin): newest first by the startedAt index, so a poll reads a row or two, not
 * every run (the bench polls while a sync reads and writes the same database).
 */
export const latestStoredRun = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<StoredRun | undefined>((resolve, reject) => {
        const open = indexedDB.open('sidecar');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').index('startedAt').openCursor(null, 'prev');
          request.onsuccess = () => {
            const cursor = request.result;
            if (cursor && (cursor.value as StoredRun).dryRun) return cursor.continue();
            open.result.close();
            resolve(cursor ? (cursor.value as StoredRun) : undefined);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
