import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createOverlay } from '@/lib/content/overlay-mount';
import { OVERLAY_GLOBAL, type OverlayModule } from '@/lib/content/overlay-api';

// The overlay's host bundle: injected by the background into a PSA tab's isolated world the first
// time the content script meets a record page; it only hands the content script its factory. The
// overlay itself is drawn in entrypoints/overlay-frame, which the host frames.
export default defineUnlistedScript(() => {
  const module: OverlayModule = { create: createOverlay };
  (globalThis as Record<string, unknown>)[OVERLAY_GLOBAL] = module;
});
