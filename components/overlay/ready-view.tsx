import type { OverlayView } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { CompanyCard } from './company-card';
import { useState } from 'react';
import { CompanyRecords, CompanySearch } from './company-records';
import { ItemFields } from './item-fields';
import { ItemList } from './item-list';
import { NotesSection } from './notes-section';
import { OverlayWrites } from './item-edit';
import { ArticlesSection } from './articles-section';
import { CredentialsSection } from './credentials-section';
import { TicketSection } from './ticket-section';
import { NewTicketProvider, NewTicketSection } from './new-ticket';

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

/**
 * A matched company's documentation: the search over its records at the top, then pinned notes,
 * its credentials (by name), the ticket's records, what this page shows, its articles, the
 * company's own details, then all its records. While a search is typed, only the records show.
 */
export function ReadyView({ view, now, link }: { view: Extract<OverlayView, { state: 'ready' }>; now: number; link: HostLink }) {
  const [query, setQuery] = useState('');
  const searching = query.trim() !== '';
  return (
    <OverlayWrites.Provider value={{ companyRemoteId: view.company.remoteId, link }}>
      <div data-testid="sidecar-state" data-state="ready" ref={markPainted}>
        <CompanyCard view={view} now={now} link={link} />
        <CompanySearch query={query} onQuery={setQuery} />
        <NewTicketProvider companyRemoteId={view.company.remoteId} link={link}>
          <div hidden={searching}>
            <NotesSection notes={view.notes} now={now} companyRemoteId={view.company.remoteId} link={link} />
            <CredentialsSection credentials={view.credentials} companyRemoteId={view.company.remoteId} link={link} />
            {view.ticket ? <TicketSection ticket={view.ticket} now={now} /> : null}
            <NewTicketSection made={view.madeTickets} />
            {view.focus ? (
              <section className="sc-section sc-ticket" data-testid="sidecar-focus" aria-label="On this page">
                <h3>On this page</h3>
                <ItemList items={[view.focus]} />
              </section>
            ) : null}
            <ArticlesSection articles={view.articles} companyRemoteId={view.company.remoteId} link={link} />
            {view.company.fields.length ? (
              <section className="sc-section" data-testid="sidecar-company-details" aria-label="Company details">
                <h3>Company</h3>
                <ItemFields item={view.company} />
              </section>
            ) : null}
          </div>
          <CompanyRecords view={view} query={query} />
        </NewTicketProvider>
      </div>
    </OverlayWrites.Provider>
  );
}
