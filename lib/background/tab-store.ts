import type { z } from 'zod';
import { browser } from '../browser';

/**
 * Something the background keeps per tab (what it served there, its overlay frame's secret):
 * in `storage.session`, so it outlives a stopped worker and stays out of content scripts' reach,
 * and is read back through a schema like anything stored.
 */
export interface TabStore<T> {
  get(tabId: number): Promise<T | undefined>;
  set(tabId: number, value: T | undefined): Promise<void>;
}

export function sessionTabStore<T>(prefix: string, schema: z.ZodType<T>): TabStore<T> {
  const area = browser.storage.session;
  const key = (tabId: number) => `${prefix}:${tabId}`;
  return {
    async get(tabId) {
      const parsed = schema.safeParse((await area.get(key(tabId)))[key(tabId)]);
      return parsed.success ? parsed.data : undefined;
    },
    async set(tabId, value) {
      if (value === undefined) await area.remove(key(tabId));
      else await area.set({ [key(tabId)]: value });
    },
  };
}

export function memoryTabStore<T>(): TabStore<T> {
  const values = new Map<number, T>();
  return {
    get: async (tabId) => values.get(tabId),
    set: async (tabId, value) => {
      if (value === undefined) values.delete(tabId);
      else values.set(tabId, value);
    },
  };
}
