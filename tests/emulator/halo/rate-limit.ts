import { EmulatorCore } from '../framework/core.ts';
import { RateLimiter } from '../framework/rate-limit.ts';
import type { RateLimitConfig } from '../framework/rate-limit.ts';

/**
 * Halo limits hosted instances to 300 requests per **rolling** 5-minute window (docs/psa/halo.md#rate-limits);
 * the framework's limiter uses fixed windows, so Halo brings its own. Rejected requests are not
 * counted [INFER]. Retry-After = seconds until the oldest counted request leaves the window.
 */
export class RollingRateLimiter extends RateLimiter {
  private cfg: RateLimitConfig | null = null;
  /** Timestamps (ms) of counted requests, oldest first; a ring would be faster, this is ≤ limit long. */
  private hits: number[] = [];

  override set(config: RateLimitConfig | null): void {
    this.cfg = config;
    this.hits = [];
  }

  override get(): RateLimitConfig | null {
    return this.cfg;
  }

  override take(nowMs: number): number | null {
    const c = this.cfg;
    if (!c) return null;
    const from = nowMs - c.windowMs;
    let drop = 0;
    while (drop < this.hits.length && (this.hits[drop] as number) <= from) drop++;
    if (drop) this.hits.splice(0, drop);
    if (this.hits.length < c.limit) {
      this.hits.push(nowMs);
      return null;
    }
    const oldest = this.hits[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + c.windowMs - nowMs) / 1000));
  }
}

export const HALO_RATE_LIMIT: RateLimitConfig = { limit: 300, windowMs: 5 * 60_000 };

/** The framework core with Halo's rolling-window limiter. */
export class HaloCore extends EmulatorCore {
  override readonly rateLimiter: RollingRateLimiter = new RollingRateLimiter();
}

/** "Rate Limit Reached - 300 Requests per rolling 5 minute window" for the configured numbers. */
export function rateLimitMessage(c: RateLimitConfig | null): string {
  const limit = c?.limit ?? HALO_RATE_LIMIT.limit;
  const ms = c?.windowMs ?? HALO_RATE_LIMIT.windowMs;
  const span = ms % 60_000 === 0 ? `${ms / 60_000} minute` : `${Math.round(ms / 1000)} second`;
  return `Rate Limit Reached - ${limit} Requests per rolling ${span} window`;
}
