import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayRoot } from '@/components/overlay/overlay-root';
import overlayCss from '@/components/overlay/overlay.css?inline';
import type { DetectedPage } from '../detect';
import { OVERLAY_HOST_GLOBAL, type OverlayApi } from './overlay-api';
import type { Prefetch } from './prefetch';

/**
 * Events that would carry what a person types or selects in the overlay out to the page's
 * bubbling listeners (an InputEvent's `data` is the typed text). Stopped at the shadow root.
 * Listeners the page registers for the capture phase still see key events first: a browser
 * limit, said in the README.
 */
const ISOLATED_EVENTS = [
  'keydown',
  'keyup',
  'keypress',
  'beforeinput',
  'input',
  'change',
  'compositionstart',
  'compositionupdate',
  'compositionend',
  'focusin',
  'focusout',
  'copy',
  'cut',
  'paste',
  'selectstart',
];

/**
 * The overlay itself (React, its styles, the typed messaging): the heavy part, loaded only when a
 * page first shows a record. Mounted once per page in a CLOSED shadow root, so the PSA page's own
 * scripts cannot read what it shows (`host.shadowRoot` is null for them); re-rendered, never
 * re-mounted, as the PSA navigates; removed on pages that show no record.
 */
export async function createOverlay(ctx: ContentScriptContext): Promise<OverlayApi> {
  let root: Root | undefined;
  const ui = await createShadowRootUi(ctx, {
    name: 'sidecar-overlay',
    mode: 'closed',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: overlayCss,
    isolateEvents: ISOLATED_EVENTS,
    onMount(container) {
      root = createRoot(container);
      return root;
    },
    onRemove(mounted) {
      mounted?.unmount();
      root = undefined;
    },
  });
  // The genuine host, kept in this isolated world only (the page's world cannot see it, nor forge
  // it with an element of the same name): how Sidecar's own scripts, and the e2e suite through
  // the DevTools protocol, tell the overlay from a look-alike the page made.
  (globalThis as Record<string, unknown>)[OVERLAY_HOST_GLOBAL] = ui.shadowHost;
  return {
    show(page: DetectedPage, prefetch?: Prefetch) {
      if (!ui.mounted) ui.mount();
      root?.render(createElement(OverlayRoot, { page, prefetch }));
    },
    hide() {
      if (ui.mounted) ui.remove();
    },
  };
}
