/**
 * Calls back when the page's URL changes without a reload. PSA web apps navigate with
 * pushState/hash changes that an isolated-world script cannot hook, so we compare
 * location.href on a short interval (plus popstate/hashchange for the instant cases).
 * Page events only prompt a re-read of location; they carry no data we trust (R12).
 *
 * The page decides how often its URL changes, so it could make Sidecar look records up in a
 * loop: calls are at most one per `minGapMs` (the first at once, then the latest URL once the
 * gap has passed), whatever the page does.
 */
export interface WatchTarget {
  setInterval(handler: () => void, timeout: number): number;
  setTimeout(handler: () => void, timeout: number): number;
  addEventListener(target: Window, type: 'popstate' | 'hashchange', handler: () => void): void;
}

export function watchLocation(
  target: WatchTarget,
  read: () => string,
  onChange: (href: string) => void,
  options: { intervalMs?: number; minGapMs?: number; now?: () => number } = {},
): void {
  const { intervalMs = 250, minGapMs = 250, now = () => performance.now() } = options;
  let last = read();
  let lastCall = -Infinity;
  let waiting = false;
  const check = () => {
    const href = read();
    if (href === last || waiting) return;
    const wait = lastCall + minGapMs - now();
    if (wait > 0) {
      waiting = true;
      target.setTimeout(() => {
        waiting = false;
        check();
      }, wait);
      return;
    }
    last = href;
    lastCall = now();
    onChange(href);
  };
  target.setInterval(check, intervalMs);
  target.addEventListener(window, 'popstate', check);
  target.addEventListener(window, 'hashchange', check);
}
