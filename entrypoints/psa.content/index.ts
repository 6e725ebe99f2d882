import { defineContentScript } from 'wxt/utils/define-content-script';
import { PSA_KINDS, type PsaKind } from '@/lib/psa/types';
import type { OverlayApi } from '@/lib/content/overlay-api';
import { createOverlay } from '@/lib/content/overlay-mount';
import { watchLocation } from '@/lib/content/location-watcher';
import type { DetectedPage } from '@/lib/detect';
import { detectByDom, detectPage, ticketHintsFromDom } from '@/lib/psa/pages';
import { send, sendRaw } from '@/lib/messaging/loader-client';
import { prefetchFor, type Prefetch } from '@/lib/content/prefetch';

// Registered at runtime for the configured PSA origins only (lib/background/content-scripts.ts),
// at document_start: a record named by the URL has its overlay's frame started and its docs asked
// for while the PSA's own page is still loading. Small on purpose: it recognises pages and hosts
// the overlay's frame (lib/content/overlay-mount.ts); the overlay itself (React) is that frame.
// (The host was once injected by the background on the first record page: a round trip to the
// worker and an executeScript before the frame could start, #17.)
export default defineContentScript({
  registration: 'runtime',
  async main(ctx) {
    performance.mark('sidecar:loader');
    let overlay: Promise<OverlayApi> | undefined;
    const load = () =>
      (overlay ??= createOverlay(ctx).then((api) => {
        performance.mark('sidecar:overlay-host');
        return api;
      }));
    let prefetch: Prefetch | undefined;
    const startEarly = (page: DetectedPage | null) => {
      if (prefetch || !page || page.kind === 'other') return;
      void load().catch(() => (overlay = undefined));
      prefetch = prefetchFor(page, (asked) => sendRaw('overlay.forPage', { page: asked }).finally(() => performance.mark('sidecar:view-prefetched')));
    };

    // The URL alone names most records: the bundle and the lookup start before the DOM is there,
    // on cloud PSAs (known by their host) even before the background has answered.
    const loading = document.readyState === 'loading';
    if (loading) startEarly(detectPage(location.href));
    // Self-hosted Halo and BMS run on any domain: the background says which PSA this origin is.
    const answer = (await send('overlay.context', {}).catch(() => null)) as { psa?: unknown } | null;
    performance.mark('sidecar:context');
    const psa = PSA_KINDS.includes(answer?.psa as PsaKind) ? (answer!.psa as PsaKind) : undefined;
    const context = psa ? { hosts: [{ host: location.host, psa }] } : undefined;
    const detect = (href: string): DetectedPage | null => {
      const page = detectPage(href, context);
      if (!page || page.kind === 'other') return page;
      const fromDom = detectByDom(page.psa, document);
      // The URL names a record but not its id: the page itself may show it.
      if (!page.id) return fromDom?.id ? { psa: page.psa, kind: fromDom.kind, id: fromDom.id } : page;
      // A ticket page's own company and contact names, only once its DOM shows this very ticket
      // (right after in-app navigation it may still show the previous one).
      if (page.kind !== 'ticket' || fromDom?.kind !== 'ticket' || fromDom.id !== page.id) return page;
      const hints = ticketHintsFromDom(page.psa, document);
      return hints.companyName ? { ...page, hints } : page;
    };
    if (loading) {
      startEarly(detectPage(location.href, context));
      if (document.readyState === 'loading')
        await new Promise<void>((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
    }

    // One overlay per page: shown on recognised records, hidden elsewhere; the latest page wins.
    let turn = 0;
    let showing = false;
    const show = (href: string) => {
      const mine = ++turn;
      const page = detect(href);
      if (!page || page.kind === 'other') {
        if (!showing) return;
        showing = false;
        void overlay?.then((api) => api.hide());
        void send('overlay.left', {}).catch(() => {});
        return;
      }
      showing = true;
      // First record of this page: ask for its docs while the bundle loads (later ones: the overlay asks).
      if (!overlay) startEarly(page);
      const early = prefetch;
      prefetch = undefined;
      load()
        .then((api) => {
          if (mine === turn) api.show(page, early);
        })
        .catch((error: unknown) => {
          overlay = undefined; // try again on the next page
          console.warn('Sidecar overlay', error);
        });
    };
    show(location.href);
    watchLocation(ctx, () => location.href, show);
  },
});
