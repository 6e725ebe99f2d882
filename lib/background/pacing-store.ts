import { browser } from '../browser';
import type { PacingStore } from '../psa/pacing';

/**
 * The pacer's request log in `storage.session`: it outlives a stopped worker (so a restart does
 * not begin a fresh burst) and is gone with the browser session, as the vendors' windows are.
 */
export function sessionPacingStore(): PacingStore {
  const area = browser.storage.session;
  const name = (key: string) => `pacing:${key}`;
  return {
    async load(key) {
      const value = (await area.get(name(key)))[name(key)];
      return Array.isArray(value) ? value.filter((stamp): stamp is number => typeof stamp === 'number') : [];
    },
    async save(key, stamps) {
      await area.set({ [name(key)]: stamps });
    },
  };
}
