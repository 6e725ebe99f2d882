import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { DetectedPage } from '../detect';
import type { Prefetch } from './prefetch';

/** What the overlay bundle (entrypoints/overlay.ts) leaves for the content script, in their shared isolated world. */
export interface OverlayApi {
  /** `prefetch`: the answer for this record, asked while the bundle loaded (lib/content/prefetch.ts). */
  show(page: DetectedPage, prefetch?: Prefetch): void;
  hide(): void;
}

export interface OverlayModule {
  create(ctx: ContentScriptContext): Promise<OverlayApi>;
}

export const OVERLAY_GLOBAL = '__sidecarOverlay';
/** The bundle's path in the extension, injected into the page's tab by the background. */
export const OVERLAY_FILE = '/overlay.js';
