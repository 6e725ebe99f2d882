import { PsaError } from './errors';
import type { RateLimit } from './types';

export type { RateLimit } from './types';

/**
 * Keeps a sync inside a share of the vendor's documented rate limit, so the MSP's other
 * integrations keep their headroom (default: half). A sliding-window log of request times per
 * key (the whole API, or Kaseya BMS's method + endpoint); a short wait is slept in place, a long
 * one becomes a 'rate-limited' PsaError with retryAt, which the engine persists and resumes by
 * alarm (a stopped worker loses nothing). The log is kept in a store that outlives the worker
 * (`storage.session` in the extension), so a restart does not start a fresh burst.
 */

export const DEFAULT_RATE_SHARE = 0.5;

/** The limit as a person reads it: "1,000 requests a minute", "300 requests every 5 minutes", "1,500 requests an hour". */
export function describeRate(limit: RateLimit): string {
  const minutes = limit.windowMs / 60_000;
  const window =
    minutes === 1 ? 'a minute' : minutes === 60 ? 'an hour' : Number.isInteger(minutes) ? `every ${minutes} minutes` : `per ${limit.windowMs / 1000} s`;
  return `${limit.limit.toLocaleString('en-US')} requests ${window}`;
}
/** Requests a window allows at this share of the limit (at least one; the share kept within 1%–100%). */
export function allowedPerWindow(limit: RateLimit, share: number): number {
  return Math.max(1, Math.floor(limit.limit * Math.min(1, Math.max(0.01, share))));
}

/** Waits up to this long in place; longer ones are handed to the engine's alarm. */
const MAX_IN_PLACE_WAIT_MS = 15_000;

export interface PacingStore {
  load(key: string): Promise<number[]>;
  save(key: string, stamps: number[]): Promise<void>;
}

export function memoryPacingStore(): PacingStore {
  const logs = new Map<string, number[]>();
  return {
    load: async (key) => logs.get(key) ?? [],
    save: async (key, stamps) => void logs.set(key, stamps),
  };
}

export interface PacerOptions {
  limit: RateLimit;
  share?: number;
  store?: PacingStore;
  /** Prefix of the store keys (the integration), so two integrations of one PSA pace apart. */
  scope?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  maxWaitMs?: number;
}

/** The endpoint a request counts against: method + path with ids replaced (BMS counts per path template). */
export function endpointKey(method: string, url: string): string {
  const path = new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, '/{id}').toLowerCase();
  return `${method.toUpperCase()} ${path}`;
}

export class Pacer {
  private readonly options: Required<Omit<PacerOptions, 'scope'>> & { scope: string };
  private chain: Promise<unknown> = Promise.resolve();
  /** Requests this window allows us. */
  readonly allowed: number;

  constructor(options: PacerOptions) {
    this.options = {
      share: DEFAULT_RATE_SHARE,
      store: memoryPacingStore(),
      scope: '',
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      maxWaitMs: MAX_IN_PLACE_WAIT_MS,
      ...options,
    };
    this.allowed = allowedPerWindow(this.options.limit, this.options.share);
  }

  /** Resolves when a request may go; one at a time, so concurrent callers queue fairly. */
  acquire(method: string, url: string): Promise<void> {
    const next = this.chain.then(() => this.take(method, url));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async take(method: string, url: string): Promise<void> {
    const { limit, store, now, sleep, maxWaitMs, scope } = this.options;
    const key = `${scope}|${limit.per === 'endpoint' ? endpointKey(method, url) : 'api'}`;
    for (;;) {
      const at = now();
      const stamps = (await store.load(key)).filter((stamp) => stamp > at - limit.windowMs);
      if (stamps.length < this.allowed) {
        stamps.push(at);
        await store.save(key, stamps);
        return;
      }
      const wait = stamps[stamps.length - this.allowed]! + limit.windowMs - at + 1;
      if (wait > maxWaitMs) {
        throw new PsaError(
          'rate-limited',
          `Sidecar keeps to ${Math.round(this.options.share * 100)}% of this PSA's API limit (${limit.limit} requests per ${describeWindow(limit.windowMs)}); the sync goes on at ${new Date(at + wait).toLocaleTimeString()}.`,
          {
            retryAt: at + wait,
          },
        );
      }
      await sleep(wait);
    }
  }
}

const describeWindow = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);
