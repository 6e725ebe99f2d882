/**
 * The only place that decides who sent a message (Bitwarden's sender.ts, R11). It reads the
 * fields the browser stamps on a sender — id, origin, tab, frameId — and never `url`, which a
 * compromised page can influence. Everything not positively recognised is untrusted.
 */

export type SenderClass = 'extension-page' | 'content-script' | 'untrusted';

export interface SenderFacts {
  id?: string;
  origin?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export interface Self {
  id: string;
  /** e.g. chrome-extension://abcdef… (no trailing slash) */
  origin: string;
}

export interface ClassifiedSender {
  kind: SenderClass;
  /** The web origin of a content script's page, as stamped by the browser. */
  pageOrigin?: string;
  /** The tab of a content script, or of an extension page shown in a tab (e.g. the overlay's frame). */
  tabId?: number;
}

export function classifySender(sender: SenderFacts, self: Self): ClassifiedSender {
  if (sender.id !== self.id) return { kind: 'untrusted' };
  if (sender.origin === self.origin) return { kind: 'extension-page', ...(sender.tab?.id !== undefined ? { tabId: sender.tab.id } : {}) };
  // COMPAT(firefox-pre-126): no `origin`; a sender without tab is then the popup or background.
  if (sender.origin === undefined && !sender.tab) return { kind: 'extension-page' };
  if (sender.tab && sender.frameId === 0 && sender.origin && /^https?:\/\/[^/]+$/.test(sender.origin)) {
    return { kind: 'content-script', pageOrigin: sender.origin, ...(sender.tab.id !== undefined ? { tabId: sender.tab.id } : {}) };
  }
  return { kind: 'untrusted' };
}
