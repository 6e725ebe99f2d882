import { z } from 'zod';
import { memoryTabStore, sessionTabStore, type TabStore } from './tab-store';
import type { OverlayView } from '../overlay-view/view-model';
import { HandledError } from '../errors';

/**
 * Which record the background last showed in each tab's overlay (its top frame: the only one
 * Sidecar serves). The overlay's actions (Refresh, Match, and every write later) name a record;
 * the background acts only when it is the one it served to that very tab, so a content script
 * that was made to ask for another company (or a forged request) gets nothing done.
 */
export interface ServedRecord {
  integrationId: string;
  companyRemoteId: string;
  /** What the overlay offered for it: Refresh on a ready view, Match on a not-matched one. */
  state: 'ready' | 'not-matched';
}

const servedSchema = z.object({ integrationId: z.string(), companyRemoteId: z.string(), state: z.enum(['ready', 'not-matched']) });

export type ServedStore = TabStore<ServedRecord>;

/** The record a view offers actions on, if any. */
export function servedBy(view: OverlayView, integrationId: string | undefined): ServedRecord | undefined {
  if (!integrationId) return undefined;
  if (view.state === 'ready' || view.state === 'not-matched') return { integrationId, companyRemoteId: view.company.remoteId, state: view.state };
  return undefined;
}

/** Throws unless the tab was last served this company of this integration, in the state the action needs. */
export async function requireServed(store: ServedStore, tabId: number | undefined, wanted: ServedRecord): Promise<void> {
  const served = tabId === undefined ? undefined : await store.get(tabId);
  const same = served && served.integrationId === wanted.integrationId && served.companyRemoteId === wanted.companyRemoteId && served.state === wanted.state;
  if (!same) throw new HandledError('forbidden', 'This page no longer shows that company in Sidecar. Reload the page and try again.');
}

export const sessionServedStore = (): ServedStore => sessionTabStore('served', servedSchema);
export const memoryServedStore = (): ServedStore => memoryTabStore<ServedRecord>();
