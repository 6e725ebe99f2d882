import { browser } from '../browser';
import type { PacingStore } from '../psa/pacing';

/**
 * The pacer's request log in `storage.session`: it outlives a stopped worker (so a restart does
 * not begin a fresh burst) and is gone with the browser session, as the vendors' windows are.
 * The worker keeps its own copy: every request reads and writes the log, and two round trips to
 * the browser per request were most of the time between one page's answer and the next request
 * (#17). The copy is read from storage once per worker life; each write is sent to storage as it
 * is made, without holding the request up.
 */
export function sessionPacingStore(area: Pick<typeof browser.storage.session, 'get' | 'set'> = browser.storage.session): PacingStore {
  const name = (key: string) => `pacing:${key}`;
  const copies = new Map<string, Promise<number[]>>();
  return {
    load(key) {
      let copy = copies.get(key);
      if (!copy) {
        copy = area.get(name(key)).then((stored) => {
          const value = stored[name(key)];
          return Array.isArray(value) ? value.filter((stamp): stamp is number => typeof stamp === 'number') : [];
        });
        copies.set(key, copy);
        // A failed read is tried again next time rather than kept.
        copy.catch(() => copies.delete(key));
      }
      return copy.then((stamps) => [...stamps]);
    },
    async save(key, stamps) {
      copies.set(key, Promise.resolve([...stamps]));
      // Not awaited: the browser applies one context's storage calls in the order they are made.
      area.set({ [name(key)]: [...stamps] }).catch((error: unknown) => console.warn('Sidecar: the pacing log was not saved', error));
    },
  };
}
