/**
 * Cross-context mutual exclusion: navigator.locks where the platform has it (released by the
 * browser if the worker dies, R6), otherwise a promise chain within this context.
 */
let tail: Promise<unknown> = Promise.resolve();

export function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  if (locks) return locks.request(name, work);
  const next = tail.then(work, work);
  tail = next.catch(() => undefined);
  return next;
}
