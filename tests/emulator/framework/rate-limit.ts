export interface RateLimitConfig {
  limit: number;
  windowMs: number;
}

/** Fixed-window request counter; enough to exercise a client's 429 / Retry-After handling. */
export class RateLimiter {
  private config: RateLimitConfig | null = null;
  private windowStart = 0;
  private count = 0;

  set(config: RateLimitConfig | null): void {
    this.config = config;
    this.windowStart = 0;
    this.count = 0;
  }

  get(): RateLimitConfig | null {
    return this.config;
  }

  /** Counts the request; returns null when allowed, else whole seconds until the window resets. */
  take(nowMs: number): number | null {
    const c = this.config;
    if (!c) return null;
    if (nowMs - this.windowStart >= c.windowMs) {
      this.windowStart = nowMs;
      this.count = 0;
    }
    this.count++;
    if (this.count <= c.limit) return null;
    return Math.max(1, Math.ceil((this.windowStart + c.windowMs - nowMs) / 1000));
  }
}
