import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayRoot } from '@/components/overlay/overlay-root';
import overlayCss from '@/components/overlay/overlay.css?inline';
import type { DetectedPage } from '../detect';
import type { OverlayApi } from './overlay-api';
import type { Prefetch } from './prefetch';

/**
 * The overlay itself (React, its styles, the typed messaging): the heavy part, loaded only when a
 * page first shows a record. Mounted once per page in a shadow root; re-rendered, never
 * re-mounted, as the PSA navigates; removed on pages that show no record.
 */
export async function createOverlay(ctx: ContentScriptContext): Promise<OverlayApi> {
  let root: Root | undefined;
  const ui = await createShadowRootUi(ctx, {
    name: 'sidecar-overlay',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: overlayCss,
    isolateEvents: true,
    onMount(container) {
      root = createRoot(container);
      return root;
    },
    onRemove(mounted) {
      mounted?.unmount();
      root = undefined;
    },
  });
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
