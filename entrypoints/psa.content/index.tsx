import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayRoot } from '@/components/overlay/overlay-root';
import overlayCss from '@/components/overlay/overlay.css?inline';
import { watchLocation } from '@/lib/content/location-watcher';
import { detectPage } from '@/lib/detect';

// Registered at runtime for the configured PSA origins only (lib/background/content-scripts.ts).
export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  async main(ctx) {
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

    // One overlay per page: mounted on the first recognised record, re-rendered (never
    // re-mounted) as the PSA navigates, removed on pages that show no record.
    const show = (href: string) => {
      const page = detectPage(href);
      if (!page || page.kind === 'other') {
        if (ui.mounted) ui.remove();
        return;
      }
      if (!ui.mounted) ui.mount();
      root?.render(createElement(OverlayRoot, { page }));
    };
    show(location.href);
    watchLocation(ctx, () => location.href, show);
  },
});
