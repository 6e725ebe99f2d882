import { browser } from '../browser';
import type { SessionKeyStore } from './vault';

const KEY = 'sidecar-vault-key';

/**
 * The unlocked data key in `storage.session`: memory only, gone when the browser closes, and by
 * default not readable by content scripts (trusted contexts only).
 */
export function sessionKeyStore(): SessionKeyStore {
  const area = browser.storage.session;
  return {
    async get() {
      const value = (await area.get(KEY))[KEY];
      return typeof value === 'string' ? value : undefined;
    },
    async set(rawKey) {
      await area.set({ [KEY]: rawKey });
    },
    async clear() {
      await area.remove(KEY);
    },
  };
}

/** The same in memory, for tests and contexts without storage.session. */
export function memoryKeyStore(): SessionKeyStore {
  let key: string | undefined;
  return {
    get: async () => key,
    set: async (rawKey) => {
      key = rawKey;
    },
    clear: async () => {
      key = undefined;
    },
  };
}
