import type { DetectedPage } from '../detect';
import type { Prefetch } from './prefetch';

/** The overlay's host (./overlay-mount.ts), as the content script uses it. */
export interface OverlayApi {
  /** `prefetch`: the answer for this record, asked while the bundle loaded (lib/content/prefetch.ts). */
  show(page: DetectedPage, prefetch?: Prefetch): void;
  hide(): void;
}
