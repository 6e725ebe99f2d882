import { describe, expect, it } from 'vitest';
import { watchLocation, type WatchTarget } from '@/lib/content/location-watcher';
import { onTrusted } from '@/lib/content/gesture';
import { LookupBudget } from '@/lib/overlay-view/lookup-budget';
import { TicketCache } from '@/lib/overlay-view/tickets';

/** Issue #12: what the PSA page can drive (its URL, its events) is bounded or ignored. */

function fakeTarget() {
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const listeners: (() => void)[] = [];
  const target: WatchTarget = {
    setInterval: () => 0,
    setTimeout: (run, ms) => (timers.push({ at: now + ms, run }), 0),
    addEventListener: (_window, _type, handler) => void listeners.push(handler),
  };
  return {
    target,
    now: () => now,
    fire: () => listeners.forEach((listener) => listener()),
    advance(ms: number) {
      now += ms;
      for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
        if (timer.at <= now) timer.run();
        else timers.push(timer);
      }
    },
  };
}

describe('watchLocation', () => {
  it('calls back at most once per gap however fast the page changes its URL, ending on the latest', () => {
    (globalThis as { window?: unknown }).window ??= globalThis;
    const clock = fakeTarget();
    let href = 'https://psa/#0';
    const seen: string[] = [];
    watchLocation(
      clock.target,
      () => href,
      (next) => seen.push(next),
      { minGapMs: 250, now: clock.now },
    );
    for (let step = 1; step <= 1000; step += 1) {
      href = `https://psa/#${step}`;
      clock.fire();
      if (step % 100 === 0) clock.advance(10);
    }
    expect(seen).toEqual(['https://psa/#1']);
    clock.advance(250);
    expect(seen).toEqual(['https://psa/#1', 'https://psa/#1000']);
    clock.advance(1000);
    expect(seen).toHaveLength(2);
    // A navigation after a quiet spell is shown at once.
    href = 'https://psa/#ticket';
    clock.fire();
    expect(seen.at(-1)).toBe('https://psa/#ticket');
  });
});

describe('onTrusted', () => {
  it('acts on a person’s events only', () => {
    const acted: string[] = [];
    const handler = onTrusted(() => acted.push('acted'));
    handler({ nativeEvent: { isTrusted: false } as Event });
    expect(acted).toEqual([]);
    handler({ nativeEvent: { isTrusted: true } as Event });
    expect(acted).toEqual(['acted']);
  });
});

describe('LookupBudget', () => {
  it('allows a burst, then one per refill period, per tab', () => {
    const budget = new LookupBudget({ burst: 2, refillMs: 1000 });
    expect(budget.take('7', 0)).toEqual({ ok: true });
    expect(budget.take('7', 0)).toEqual({ ok: true });
    expect(budget.take('7', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(budget.take('8', 0)).toEqual({ ok: true });
    expect(budget.take('7', 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(budget.take('7', 1000)).toEqual({ ok: true });
    expect(budget.take('7', 1000)).toMatchObject({ ok: false });
  });
});

describe('TicketCache', () => {
  it('keeps failures for the window too, and asks once for concurrent lookups of one ticket', async () => {
    const cache = new TicketCache(10_000);
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('PSA down'));
    };
    await Promise.all([1, 2, 3].map(() => expect(cache.get('t', failing, 0)).rejects.toThrow('PSA down')));
    await expect(cache.get('t', failing, 9_999)).rejects.toThrow('PSA down');
    expect(calls).toBe(1);
    expect(cache.has('t', 9_999)).toBe(true);
    await expect(cache.get('t', async () => ({ ticketId: 't', companyRemoteId: '1' }), 10_000)).resolves.toMatchObject({ companyRemoteId: '1' });
  });
});
