import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLEAR_AFTER_SECONDS, ClipboardClearer } from '@/lib/background/clipboard-writer';

/**
 * The clipboard's 30-second clear (Chrome's offscreen document, Firefox's background page): what
 * it does when it can read the clipboard, and when it cannot (Chrome's offscreen document, which
 * has no focus, and Sidecar asks for no `clipboardRead`).
 */

let held: string;
let readable: boolean;
const writes: string[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  held = 'before';
  readable = true;
  writes.length = 0;
  vi.stubGlobal('navigator', {
    clipboard: {
      writeText: async (text: string) => {
        writes.push(text);
        held = text;
      },
      readText: async () => {
        if (!readable) throw new DOMException('Document is not focused.', 'NotAllowedError');
        return held;
      },
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const later = (seconds: number) => vi.advanceTimersByTimeAsync(seconds * 1000);
/** The clear runs WebCrypto (not a timer): waited for until it says it is done. */
const cleared = (idle: ReturnType<typeof vi.fn>, times = 1) => vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(times));
const DELAY = CLEAR_AFTER_SECONDS * 1000;

describe('ClipboardClearer', () => {
  it('clears the secret it copied after the delay, then says it is idle', async () => {
    const idle = vi.fn();
    const clearer = new ClipboardClearer(idle);
    await clearer.copy('s3cret', DELAY);
    expect(held).toBe('s3cret');
    expect(clearer.idle).toBe(false);
    await later(CLEAR_AFTER_SECONDS - 1);
    expect(held).toBe('s3cret');
    await later(1);
    await cleared(idle);
    expect(held).toBe('');
    expect(clearer.idle).toBe(true);
  });

  it('leaves alone what the person copied since, when it can read the clipboard', async () => {
    const idle = vi.fn();
    const clearer = new ClipboardClearer(idle);
    await clearer.copy('s3cret', DELAY);
    held = 'their own text';
    await later(CLEAR_AFTER_SECONDS);
    await cleared(idle);
    expect(held).toBe('their own text');
    expect(writes).toEqual(['s3cret']);
  });

  it('writes an empty text when it cannot read the clipboard (whatever it holds)', async () => {
    readable = false;
    const idle = vi.fn();
    const clearer = new ClipboardClearer(idle);
    await clearer.copy('s3cret', DELAY);
    held = 'their own text';
    await later(CLEAR_AFTER_SECONDS);
    await cleared(idle);
    expect(held).toBe('');
  });

  it('a new copy replaces the pending clear: cleared 30 s after the last one, once', async () => {
    const idle = vi.fn();
    const clearer = new ClipboardClearer(idle);
    await clearer.copy('first', DELAY);
    await later(20);
    await clearer.copy('second', DELAY);
    await later(20);
    expect(held).toBe('second');
    expect(idle).not.toHaveBeenCalled();
    await later(10);
    await cleared(idle);
    expect(held).toBe('');
    expect(writes).toEqual(['first', 'second', '']);
  });
});
