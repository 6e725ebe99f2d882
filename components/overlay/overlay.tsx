import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { DetectedPage } from '@/lib/detect';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { loadOverlayPrefs, saveOverlayPrefs, type OverlayPrefs } from '@/lib/content/overlay-prefs';
import { queryKeys } from '@/components/ui/query-keys';
import { OverlayHeader } from './overlay-header';
import { ReadyView } from './ready-view';
import { ResizeHandle } from './resize-handle';
import { useNow } from '@/components/ui/use-now';
import { MessageState, NotMatchedState } from './view-states';

/** How often the overlay asks again while a running sync reads the company's lists first, and while they only wait for the sync. */
const FETCHING_POLL_MS = 2_000;
const WAITING_POLL_MS = 10_000;

/** The panel docked beside the PSA page (or its small tab, collapsed), showing what Sidecar has for the page's record. */
export function Overlay({ page, link }: { page: DetectedPage; link: HostLink }) {
  const client = useQueryClient();
  const prefsKey = queryKeys.overlayPrefs(page.psa);
  // Dock side, collapsed state and width, remembered per PSA; nothing is drawn before they are known (no jump).
  const prefs = useQuery({ queryKey: prefsKey, queryFn: () => loadOverlayPrefs(page.psa, link.narrow()), staleTime: Infinity });
  const view = useQuery({
    queryKey: queryKeys.overlayView(page),
    // The host asks the background as the PSA tab's content script (and may have asked already, while this frame loaded).
    queryFn: async () => {
      performance.mark('sidecar:view-asked');
      const answer = await link.request('overlay.forPage', { page });
      performance.mark('sidecar:view-answered');
      return answer;
    },
    // A tab held to its PSA lookup budget is told when to ask again; a company whose lists a
    // running sync is still importing is asked about until they are in.
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data?.state === 'ready' && data.importing) return data.importing.fetching ? FETCHING_POLL_MS : WAITING_POLL_MS;
      return data?.state === 'error' && data.retryAfterMs !== undefined ? data.retryAfterMs + 250 : false;
    },
  });
  const layout = prefs.data;
  // The host sizes this frame to the layout (the panel, or the small tab when collapsed).
  useEffect(() => {
    if (layout) link.setLayout(layout);
  }, [link, layout]);
  // Where focus goes once a collapse, an expand or the shortcut has been drawn: never to the body.
  const focusNext = useRef<'panel' | 'tab' | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const tabRef = useRef<HTMLButtonElement>(null);
  const update = (next: Partial<OverlayPrefs>) => {
    const current = client.getQueryData<OverlayPrefs>(prefsKey);
    if (!current) return;
    const merged = { ...current, ...next };
    client.setQueryData(prefsKey, merged);
    void saveOverlayPrefs(page.psa, merged);
  };
  const updateRef = useRef(update);
  updateRef.current = update;
  useEffect(
    () =>
      link.onFocusRequest(() => {
        focusNext.current = 'panel';
        if (client.getQueryData<OverlayPrefs>(prefsKey)?.collapsed) updateRef.current({ collapsed: false });
        else focusInside(panelRef.current);
      }),
    [client, link, prefsKey],
  );
  useEffect(() => {
    const want = focusNext.current;
    if (!want || !layout) return;
    if (want === 'tab' && layout.collapsed) tabRef.current?.focus();
    else if (want === 'panel' && !layout.collapsed) focusInside(panelRef.current);
    else return;
    focusNext.current = null;
  });
  if (!layout) return null;
  // Escape anywhere in the overlay gives focus back to the PSA page.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    link.leave();
  };

  if (layout.collapsed) {
    return (
      <button
        type="button"
        className={`sc-tab sc-dock-${layout.dock}`}
        data-testid="sidecar-expand"
        aria-label="Show Sidecar"
        ref={tabRef}
        onKeyDown={onKeyDown}
        onClick={() => {
          focusNext.current = 'panel';
          update({ collapsed: false });
        }}
      >
        Sidecar
      </button>
    );
  }
  return (
    <aside
      className={`sc-panel sc-dock-${layout.dock}`}
      data-testid="sidecar-overlay"
      data-dock={layout.dock}
      aria-label="Sidecar documentation"
      ref={panelRef}
      onKeyDown={onKeyDown}
    >
      {/* While dragging only the cached prefs change (the frame follows); the width is saved on release. */}
      <ResizeHandle
        width={layout.width}
        dock={layout.dock}
        onResize={(width) => client.setQueryData(prefsKey, { ...layout, width })}
        onDone={(width) => update({ width })}
      />
      <OverlayHeader
        page={page}
        push={layout.push}
        onPush={(push) => update({ push })}
        dock={layout.dock}
        onDock={(dock) => update({ dock })}
        onCollapse={() => {
          focusNext.current = 'tab';
          update({ collapsed: true });
        }}
      />
      <div className="sc-body">
        {view.isPending ? (
          <p className="sc-state" data-testid="sidecar-loading">
            Loading…
          </p>
        ) : view.isError ? (
          <p className="sc-state sc-error" data-testid="sidecar-state" data-state="error">
            {view.error.message}
          </p>
        ) : (
          <ViewBody view={view.data} link={link} />
        )}
      </div>
    </aside>
  );
}

/** The search box when the view has one (what the shortcut is for), else the first control. */
function focusInside(panel: HTMLElement | null) {
  const target =
    panel?.querySelector<HTMLElement>('.sc-body .sc-search') ?? panel?.querySelector<HTMLElement>('.sc-body a[href], .sc-body button, header button');
  target?.focus();
}

function ViewBody({ view, link }: { view: OverlayView; link: HostLink }) {
  const now = useNow();
  switch (view.state) {
    case 'not-configured':
    case 'not-synced':
    case 'not-found':
    case 'error':
      return <MessageState view={view} link={link} />;
    case 'not-matched':
      return <NotMatchedState view={view} now={now} link={link} />;
    case 'ready':
      return <ReadyView view={view} now={now} link={link} />;
  }
}
