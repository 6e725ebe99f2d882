/**
 * Calls back when the page's URL changes without a reload. PSA web apps navigate with
 * pushState/hash changes that an isolated-world script cannot hook, so we compare
 * location.href on a short interval (plus popstate/hashchange for the instant cases).
 * Page events only prompt a re-read of location; they carry no data we trust (R12).
 */
export interface WatchTarget {
  setInterval(handler: () => void, timeout: number): number;
  addEventListener(target: Window, type: 'popstate' | 'hashchange', handler: () => void): void;
}

export function watchLocation(target: WatchTarget, read: () => string, onChange: (href: string) => void, intervalMs = 250): void {
  let last = read();
  const check = () => {
    const href = read();
    if (href === last) return;
    last = href;
    onChange(href);
  };
  target.setInterval(check, intervalMs);
  target.addEventListener(window, 'popstate', check);
  target.addEventListener(window, 'hashchange', check);
}
