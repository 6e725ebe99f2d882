/**
 * How many PSA lookups one tab may start: a small burst, then one every few seconds (a token
 * bucket per tab). A technician opening tickets one after another stays well inside it; a page
 * that navigates itself in a loop (pushState, hash changes, forged ids in its DOM) is held to it.
 * Answers already in the ticket cache cost nothing and are never throttled.
 */
export interface LookupBudgetOptions {
  /** Lookups allowed at once. */
  burst: number;
  /** One more allowed every this many milliseconds. */
  refillMs: number;
}

export const DEFAULT_LOOKUP_BUDGET: LookupBudgetOptions = { burst: 8, refillMs: 3_000 };

export type LookupGrant = { ok: true } | { ok: false; retryAfterMs: number };

export class LookupBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly options: LookupBudgetOptions;

  constructor(options: LookupBudgetOptions = DEFAULT_LOOKUP_BUDGET) {
    this.options = options;
  }

  take(key: string, now = Date.now()): LookupGrant {
    const { burst, refillMs } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const refilled = Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - refilled) * refillMs) };
    }
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    if (this.buckets.size > 500) this.forgetFull(now);
    return { ok: true };
  }

  /** A closed tab's bucket. */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  private forgetFull(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) / this.options.refillMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}
