import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayRoot } from '@/components/overlay/overlay-root';
import overlayCss from '@/components/overlay/overlay.css?inline';
import { watchLocation } from '@/lib/content/location-watcher';
import { detectByDom, detectPage, type DetectedPage } from '@/lib/detect';
import { request } from '@/lib/messaging/client';

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

    // Self-hosted Halo and BMS run on any domain: the background says which PSA this origin is.
    const { psa } = await request('overlay.context', {}).catch(() => ({ psa: null }));
    const context = psa ? { hosts: [{ host: location.host, psa }] } : undefined;
    const detect = (href: string): DetectedPage | null => {
      const page = detectPage(href, context);
      if (!page || page.kind === 'other' || page.id) return page;
      // The URL names a record but not its id: the page itself may show it.
      const fromDom = detectByDom(page.psa, document);
      return fromDom?.id ? { psa: page.psa, kind: fromDom.kind, id: fromDom.id } : page;
    };

    // One overlay per page: mounted on the first recognised record, re-rendered (never
    // re-mounted) as the PSA navigates, removed on pages that show no record.
    const show = (href: string) => {
      const page = detect(href);
      if (!page || page.kind === 'other') {
        if (ui.mounted) {
          ui.remove();
          void request('overlay.left', {}).catch(() => {});
        }
        return;
      }
      if (!ui.mounted) ui.mount();
      root?.render(createElement(OverlayRoot, { page }));
    };
    show(location.href);
    watchLocation(ctx, () => location.href, show);
  },
});
