import { RateLimiter } from '../framework/rate-limit.ts';
import type { RateLimitConfig } from '../framework/rate-limit.ts';

/** "The V2 API call limit is 1500 per hour per endpoint." (Kaseya's BMS REST APIs v2 help page; docs/psa/kaseya-bms.md#rate-limits) */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 1500, windowMs: 3_600_000 };

/**
 * Per-endpoint limiter: one rolling window per `METHOD + path template` [G: granularity and
 * window type are unpublished]. It stands in for the framework's global limiter in the
 * emulator core (so `control.setRateLimit` and `POST /__emulator/rate-limit` configure it);
 * the framework's own global check (`take`) is therefore a no-op, and the BMS module calls
 * `takeFor` once it knows which endpoint a request hits.
 */
export class EndpointRateLimiter extends RateLimiter {
  private cfg: RateLimitConfig | null;
  private readonly hits = new Map<string, number[]>();

  constructor(config: RateLimitConfig | null = DEFAULT_RATE_LIMIT) {
    super();
    this.cfg = config;
  }

  override set(config: RateLimitConfig | null): void {
    this.cfg = config;
    this.hits.clear();
  }

  override get(): RateLimitConfig | null {
    return this.cfg;
  }

  override take(_nowMs: number): number | null {
    return null;
  }

  /** Counts a call to `endpoint`; null when allowed, else whole seconds until a slot frees up. */
  takeFor(endpoint: string, nowMs: number): number | null {
    const c = this.cfg;
    if (!c) return null;
    let list = this.hits.get(endpoint);
    if (!list) this.hits.set(endpoint, (list = []));
    const cutoff = nowMs - c.windowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= cutoff) drop++;
    if (drop) list.splice(0, drop);
    if (list.length < c.limit) {
      list.push(nowMs);
      return null;
    }
    const oldest = list[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + c.windowMs - nowMs) / 1000));
  }

  /** Calls counted in the current window, per endpoint (for `/__emulator/state`). */
  usage(): Record<string, number> {
    return Object.fromEntries([...this.hits].filter(([, v]) => v.length).map(([k, v]) => [k, v.length]));
  }
}
