import type { DetectedPage } from '../detect';

/**
 * The answer for a record page asked while the overlay bundle is still being injected, so the
 * background's lookup (and a first ticket's PSA call) overlaps the bundle's load. Used once: later
 * refetches ask anew. Kept for the record it was asked for only.
 */
export interface Prefetch {
  /** The raw reply, if it was asked for this record and not taken yet. */
  take(page: DetectedPage): Promise<unknown> | undefined;
}

const recordKey = (page: DetectedPage) => `${page.psa}|${page.kind}|${page.id ?? ''}`;

export function prefetchFor(page: DetectedPage, ask: (page: DetectedPage) => Promise<unknown>): Prefetch {
  let reply: Promise<unknown> | undefined = ask(page);
  reply.catch(() => undefined); // a failed prefetch is asked again by the overlay, not reported
  const key = recordKey(page);
  return {
    take(target) {
      if (recordKey(target) !== key) return undefined;
      const taken = reply;
      reply = undefined;
      return taken;
    },
  };
}
