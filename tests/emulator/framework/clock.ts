/**
 * Emulator clock. Real time by default, pinnable for tests. PSA timestamps have whole-second
 * resolution, so `stamp()` hands out strictly increasing seconds that are also later than any
 * request already served: a client that synced with `lastUpdated > [hwm]` then sees a mutation
 * made right after, even within the same second.
 */
export class Clock {
  private pinned: number | null = null;
  private lastStampSec = 0;
  private lastSeenSec = 0;

  now(): Date {
    return new Date(this.pinned ?? Date.now());
  }

  setNow(date: Date | string | number | null): void {
    this.pinned = date === null ? null : new Date(date).getTime();
  }

  /** Record that something (a request, a generated record) happened at `ms` (default now). */
  observe(ms: number = this.now().getTime()): void {
    const sec = Math.floor(ms / 1000);
    if (sec > this.lastSeenSec) this.lastSeenSec = sec;
  }

  /** A mutation timestamp, strictly later than every earlier stamp and observed instant. */
  stamp(): Date {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const sec = Math.max(nowSec, this.lastStampSec + 1, this.lastSeenSec + 1);
    this.lastStampSec = sec;
    return new Date(sec * 1000);
  }
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the PSA wire format (no fractional seconds). */
export function isoSeconds(date: Date | number): string {
  return `${new Date(date).toISOString().slice(0, 19)}Z`;
}
