import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { DetectedPage } from '@/lib/detect';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import type { OverlayItem, OverlayView } from '@/lib/overlay-view/view-model';
import { ago, syncedAgo } from '@/lib/content/relative-time';
import { itemMatches } from '@/lib/overlay-view/filter';
import { onTrusted } from '@/lib/content/gesture';
import { clampWidth, loadOverlayPrefs, MAX_WIDTH, MIN_WIDTH, saveOverlayPrefs, type OverlayPrefs } from '@/lib/content/overlay-prefs';

const KIND_LABEL: Record<DetectedPage['kind'], string> = {
  company: 'company',
  ticket: 'ticket',
  contact: 'contact',
  configuration: 'configuration',
  agreement: 'agreement',
  site: 'site',
  other: 'page',
};

function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Overlay({ page, link }: { page: DetectedPage; link: HostLink }) {
  const client = useQueryClient();
  // Dock side, collapsed state and width, remembered per PSA; nothing is drawn before they are known (no jump).
  const prefs = useQuery({ queryKey: ['overlay-prefs', page.psa], queryFn: () => loadOverlayPrefs(page.psa), staleTime: Infinity });
  const view = useQuery({
    queryKey: ['overlay', page.psa, page.kind, page.id ?? ''],
    // The host asks the background as the PSA tab's content script (and may have asked already, while this frame loaded).
    queryFn: () => link.request('overlay.forPage', { page }),
    // A tab held to its PSA lookup budget is told when to ask again.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data?.state === 'error' && data.retryAfterMs !== undefined ? data.retryAfterMs + 250 : false;
    },
  });
  const layout = prefs.data;
  // The host sizes this frame to the layout (the panel, or the small tab when collapsed).
  useEffect(() => {
    if (layout) link.setLayout(layout);
  }, [link, layout]);
  if (!layout) return null;
  const update = (next: Partial<OverlayPrefs>) => {
    const merged = { ...layout, ...next };
    client.setQueryData(['overlay-prefs', page.psa], merged);
    void saveOverlayPrefs(page.psa, merged);
  };
  const other = layout.dock === 'right' ? 'left' : 'right';

  if (layout.collapsed) {
    return (
      <button type="button" className={`sc-tab sc-dock-${layout.dock}`} data-testid="sidecar-expand" aria-label="Show Sidecar" onClick={() => update({ collapsed: false })}>
        Sidecar
      </button>
    );
  }
  return (
    <aside className={`sc-panel sc-dock-${layout.dock}`} data-testid="sidecar-overlay" data-dock={layout.dock} aria-label="Sidecar documentation">
      <ResizeHandle width={layout.width} dock={layout.dock} onResize={(width) => client.setQueryData(['overlay-prefs', page.psa], { ...layout, width })} onDone={(width) => update({ width })} />
      <header className="sc-header">
        <span className="sc-brand">Sidecar</span>
        <span className="sc-page" data-testid="sidecar-page">
          {KIND_LABEL[page.kind]}
          {page.id ? ` #${page.id}` : ''}
        </span>
        <button type="button" className="sc-icon" aria-label={`Dock Sidecar on the ${other}`} onClick={() => update({ dock: other })}>
          ⇆
        </button>
        <button type="button" className="sc-icon" aria-label="Collapse Sidecar" onClick={() => update({ collapsed: true })}>
          {layout.dock === 'right' ? '⟩' : '⟨'}
        </button>
      </header>
      <div className="sc-body">
        {view.isPending ? (
          <p className="sc-state" data-testid="sidecar-loading">Loading…</p>
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

function ViewBody({ view, link }: { view: OverlayView; link: HostLink }) {
  const now = useNow();
  switch (view.state) {
    case 'not-configured':
    case 'not-synced':
    case 'not-found':
    case 'error':
      return (
        <div>
          <p className={`sc-state${view.state === 'error' ? ' sc-error' : ''}`} data-testid="sidecar-state" data-state={view.state}>
            {view.message}
          </p>
          {view.state === 'not-configured' || view.state === 'not-synced' ? (
            <button type="button" className="sc-icon" onClick={onTrusted(() => void link.request('overlay.openOptions', {}))}>
              Open Sidecar’s options
            </button>
          ) : null}
        </div>
      );
    case 'not-matched':
      return (
        <div data-testid="sidecar-state" data-state="not-matched">
          <h2 className="sc-company">{view.company.name}</h2>
          {view.archived ? (
            <p className="sc-state">
              This company is archived in Sidecar (inactive in the PSA). Restore it from the Museum in Sidecar’s options to match it and import its
              documentation.
            </p>
          ) : (
            <>
              <p className="sc-state">This company is not matched to a client space, so Sidecar has not imported its documentation.</p>
              <MatchButton company={view.company} offer={view.offer} link={link} />
              <p className="sc-muted">Or choose another client space in Sidecar’s options (Match companies).</p>
            </>
          )}
          <p className="sc-muted">{syncedAgo(view.lastSyncAt, now)}</p>
        </div>
      );
    case 'ready':
      return <ReadyView view={view} now={now} link={link} />;
  }
}

/**
 * When the overlay first showed a page's docs (read by `npm run bench`): after the frame that
 * drew them, not when React committed them; in epoch milliseconds, since this frame's clock
 * starts later than the PSA page's.
 */
function markPainted(node: HTMLElement | null) {
  if (!node || node.dataset.paintedAt) return;
  node.dataset.paintedAt = 'pending';
  requestAnimationFrame(() =>
    setTimeout(() => {
      node.dataset.paintedAt = (performance.timeOrigin + performance.now()).toFixed(1);
      performance.mark('sidecar:painted');
    }, 0),
  );
}

function ReadyView({ view, now, link }: { view: Extract<OverlayView, { state: 'ready' }>; now: number; link: HostLink }) {
  const [query, setQuery] = useState('');
  const only = (items: OverlayItem[]) => items.filter((item) => itemMatches(item, query));
  return (
        <div data-testid="sidecar-state" data-state="ready" ref={markPainted}>
          <RefreshButton companyRemoteId={view.company.remoteId} link={link} />
          <h2 className="sc-company" data-testid="sidecar-company">
            {view.company.url ? (
              <a href={view.company.url} target="_top">
                {view.clientSpaceName}
              </a>
            ) : (
              view.clientSpaceName
            )}
          </h2>
          <p className="sc-muted" data-testid="sidecar-synced">
            {syncedAgo(view.lastSyncAt, now)}
            {view.ticket ? ` · ticket #${view.ticket.id}` : ''}
          </p>
          {view.failed ? (
            <p className="sc-banner sc-banner-error" role="alert" data-testid="sidecar-failed">
              {view.failed}
            </p>
          ) : null}
          {view.stale ? (
            <p className="sc-banner" role="status" data-testid="sidecar-stale">
              {view.stale}
            </p>
          ) : null}
          {view.ticket ? <TicketSection ticket={view.ticket} now={now} /> : null}
          {view.focus ? (
            <section className="sc-section sc-ticket" data-testid="sidecar-focus" aria-label="On this page">
              <h3>On this page</h3>
              <ItemList items={[view.focus]} />
            </section>
          ) : null}
          <Fields item={view.company} />
          <input
            className="sc-search"
            type="search"
            aria-label="Search this company"
            placeholder="Search this company"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <Section title="Contacts" testId="sidecar-contacts" items={only(view.contacts)} />
          {view.configurations.length ? (
            view.configurations.map((group) => (
              <Section key={group.layout} title={group.layout} testId="sidecar-configurations" items={only(group.items)} />
            ))
          ) : (
            <Section title="Configurations" testId="sidecar-configurations" items={[]} />
          )}
          <Section title="Agreements" testId="sidecar-agreements" items={only(view.agreements)} />
          <Section title="Sites" testId="sidecar-sites" items={only(view.sites)} />
        </div>
  );
}

/** What the ticket names, first: its contact and configurations, and the agreement that covers it. */
function TicketSection({ ticket, now }: { ticket: NonNullable<Extract<OverlayView, { state: 'ready' }>['ticket']>; now: number }) {
  const warn = ticket.coverage.kind === 'none' || ticket.coverage.kind === 'expired';
  return (
    <section className="sc-section sc-ticket" data-testid="sidecar-ticket" aria-label="On this ticket">
      <h3>On this ticket{ticket.summary ? `: ${ticket.summary}` : ''}</h3>
      {ticket.offline ? (
        <p className="sc-banner" role="status" data-testid="sidecar-ticket-offline">
          {ticket.offline} Ticket details from {ticket.cachedAt ? ago(ticket.cachedAt, now) : 'earlier'}.
        </p>
      ) : null}
      {ticket.items.length ? <ItemList items={ticket.items} /> : <p className="sc-muted">The ticket names no contact or configuration Sidecar has.</p>}
      <div className={`sc-coverage${warn ? ' sc-warning' : ''}`} data-testid="sidecar-coverage" data-coverage={ticket.coverage.kind} role={warn ? 'alert' : undefined}>
        {ticket.coverage.agreement ? <ItemList items={[ticket.coverage.agreement]} /> : null}
        <p>{ticket.coverage.message}</p>
      </div>
    </section>
  );
}

function Section({ title, items, testId }: { title: string; items: OverlayItem[]; testId: string }) {
  return (
    <section className="sc-section" data-testid={testId} aria-label={title}>
      <h3>
        {title} <span className="sc-count">{items.length}</span>
      </h3>
      {items.length === 0 ? <p className="sc-muted">None</p> : <ItemList items={items} />}
    </section>
  );
}

/** Long lists render a page of rows at a time as the list scrolls into view (rows off screen also skip layout). */
export const LIST_PAGE = 100;

function ItemList({ items }: { items: OverlayItem[] }) {
  const [shown, setShown] = useState(LIST_PAGE);
  const more = items.length - shown;
  const sentinel = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || more <= 0) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setShown((count) => count + LIST_PAGE);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [more]);
  return (
        <ul>
          {items.slice(0, shown).map((item) => (
            <li key={`${item.source ?? ''}:${item.remoteId}`} className={`${item.inactive ? 'sc-inactive' : ''}${item.focused ? ' sc-focused' : ''}`} data-testid="sidecar-item" data-remote-id={item.remoteId}>
              <div className="sc-title">
                {item.url ? (
                  <a href={item.url} target="_top">
                    {item.title}
                  </a>
                ) : (
                  item.title
                )}
                {item.inactive ? <span className="sc-badge">inactive</span> : null}
                {item.onTicket ? <span className="sc-badge sc-on-ticket">on ticket</span> : null}
                {item.source ? (
                  <span className="sc-badge sc-source" data-testid="sidecar-source">
                    {item.source}
                  </span>
                ) : null}
              </div>
              {item.subtitle ? <div className="sc-subtitle">{item.subtitle}</div> : null}
              <Fields item={item} />
            </li>
          ))}
          {more > 0 ? (
            <li ref={sentinel} className="sc-more">
              <button type="button" className="sc-icon" onClick={() => setShown((count) => count + LIST_PAGE)} data-testid="sidecar-more">
                Show {Math.min(more, LIST_PAGE)} more of {more}
              </button>
            </li>
          ) : null}
        </ul>
  );
}

function Fields({ item }: { item: OverlayItem }) {
  if (!item.fields.length) return null;
  return (
    <dl className="sc-fields">
      {item.fields.map((field) => (
        <div key={field.label} className="sc-field">
          <dt>{field.label}</dt>
          <dd>
            <span>{field.value}</span>
            {field.copy ? <CopyButton label={field.label} value={field.value} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CopyButton({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="sc-copy"
      aria-label={`Copy ${label}`}
      onClick={onTrusted(() => {
        void navigator.clipboard.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      })}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/**
 * The panel's inner edge: drag it, or focus it and use the arrow keys, to change the width.
 * Dragging reads screen coordinates: the frame itself moves and resizes under the pointer.
 */
function ResizeHandle({ width, dock, onResize, onDone }: { width: number; dock: 'left' | 'right'; onResize: (width: number) => void; onDone: (width: number) => void }) {
  const drag = useRef<{ screenX: number; width: number } | null>(null);
  const fromPointer = (screenX: number) => {
    const start = drag.current!;
    return clampWidth(start.width + (dock === 'right' ? start.screenX - screenX : screenX - start.screenX));
  };
  return (
    <div
      className="sc-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize Sidecar"
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      aria-valuenow={width}
      tabIndex={0}
      data-testid="sidecar-resize"
      onPointerDown={(event) => {
        drag.current = { screenX: event.screenX, width };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (drag.current && event.currentTarget.hasPointerCapture(event.pointerId)) onResize(fromPointer(event.screenX));
      }}
      onPointerUp={(event) => {
        if (!drag.current || !event.currentTarget.hasPointerCapture(event.pointerId)) return;
        event.currentTarget.releasePointerCapture(event.pointerId);
        onDone(fromPointer(event.screenX));
        drag.current = null;
      }}
      onKeyDown={(event) => {
        const grow = dock === 'right' ? 'ArrowLeft' : 'ArrowRight';
        const shrink = dock === 'right' ? 'ArrowRight' : 'ArrowLeft';
        if (event.key !== grow && event.key !== shrink) return;
        event.preventDefault();
        onDone(clampWidth(width + (event.key === grow ? 20 : -20)));
      }}
    />
  );
}

/** One click: match to the best suggestion (or a new client space), then import its records. */
function MatchButton({ company, offer, link }: { company: { remoteId: string; name: string }; offer?: { clientSpaceName?: string; confidence?: number; detail?: string }; link: HostLink }) {
  const client = useQueryClient();
  const match = useMutation({
    mutationFn: () => link.request('overlay.match', { companyRemoteId: company.remoteId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['overlay'] }),
  });
  const label = offer?.clientSpaceName ? `Match to ${offer.clientSpaceName}` : `Create client space “${company.name}”`;
  const failed = match.isError ? match.error.message : match.data?.status === 'failed' ? match.data.message : undefined;
  return (
    <div className="sc-match">
      <button type="button" className="sc-primary" disabled={match.isPending} onClick={onTrusted(() => match.mutate())} data-testid="sidecar-match">
        {match.isPending ? 'Matching and importing…' : label}
      </button>
      {offer?.clientSpaceName ? (
        <p className="sc-muted" data-testid="sidecar-match-why">
          Suggested with confidence {offer.confidence}: {offer.detail}.
        </p>
      ) : null}
      {failed ? (
        <p className="sc-error" role="alert">
          {failed}
        </p>
      ) : null}
    </div>
  );
}

/** Resyncs this company now (its contacts, configurations, agreements and sites), then redraws. */
function RefreshButton({ companyRemoteId, link }: { companyRemoteId: string; link: HostLink }) {
  const client = useQueryClient();
  const refresh = useMutation({
    mutationFn: () => link.request('overlay.refresh', { companyRemoteId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['overlay'] }),
  });
  const failed = refresh.isError ? refresh.error.message : refresh.data?.status === 'failed' ? refresh.data.message : undefined;
  return (
    <div className="sc-refresh">
      <button type="button" className="sc-icon" disabled={refresh.isPending} onClick={onTrusted(() => refresh.mutate())} data-testid="sidecar-refresh">
        {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
      </button>
      {failed ? (
        <span className="sc-error" role="alert">
          {' '}
          {failed}
        </span>
      ) : null}
    </div>
  );
}
