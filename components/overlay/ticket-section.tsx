import type { OverlayView } from '@/lib/overlay-view/view-model';
import { ago } from '@/lib/content/relative-time';
import { ItemList } from './item-list';

export type TicketView = NonNullable<Extract<OverlayView, { state: 'ready' }>['ticket']>;

/** What the ticket names, first: its contact and configurations, and the agreement that covers it. */
export function TicketSection({ ticket, now }: { ticket: TicketView; now: number }) {
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
      <div
        className={`sc-coverage${warn ? ' sc-warning' : ''}`}
        data-testid="sidecar-coverage"
        data-coverage={ticket.coverage.kind}
        role={warn ? 'alert' : undefined}
      >
        {ticket.coverage.agreement ? <ItemList items={[ticket.coverage.agreement]} /> : null}
        <p>{ticket.coverage.message}</p>
      </div>
    </section>
  );
}
