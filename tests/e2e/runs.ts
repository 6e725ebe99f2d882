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
  timing?: { fetchMs: number; writeMs: number };
}

/** The latest run (previews apart), read from IndexedDB by an extension page (it shares the extension's origin). */
export const latestStoredRun = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<StoredRun | undefined>((resolve, reject) => {
        const open = indexedDB.open('sidecar');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll();
          request.onsuccess = () => {
            const runs = (request.result as StoredRun[]).filter((run) => !run.dryRun).sort((a, b) => b.startedAt - a.startedAt);
            open.result.close();
            resolve(runs[0]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
