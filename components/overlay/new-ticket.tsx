import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/components/ui/query-keys';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { onTrusted } from '@/lib/content/gesture';
import { TicketForm, type TicketApi, type TicketStart } from '@/components/tickets/ticket-form';

/** Opens the overlay's ticket form, from the company or from a contact's or configuration's row. */
const NewTicket = createContext<((start: TicketStart) => void) | undefined>(undefined);

/**
 * The ticket form for the page's own company (#16): the host relays the requests as this tab, and
 * the background checks the company is the one this tab was shown.
 */
type MadeTickets = NonNullable<Extract<OverlayView, { state: 'ready' }>['madeTickets']>;
const STATE_WORDS: Record<MadeTickets[number]['state'], string> = {
  waiting: 'waiting in the outbox',
  sending: 'sending',
  created: 'created',
  failed: 'refused by the PSA',
};

export function NewTicketProvider({
  companyRemoteId,
  link,
  made,
  children,
}: {
  companyRemoteId: string;
  link: HostLink;
  made?: MadeTickets;
  children: ReactNode;
}) {
  const [start, setStart] = useState<TicketStart>();
  const client = useQueryClient();
  const api = useMemo<TicketApi>(
    () => ({
      key: `overlay:${companyRemoteId}`,
      form: (refresh) => link.request('overlay.ticket.form', { companyRemoteId, ...(refresh ? { refresh } : {}) }),
      preview: (input) => link.request('overlay.ticket.preview', { companyRemoteId, input }),
      create: (input) => link.request('overlay.ticket.create', { companyRemoteId, input }),
    }),
    [companyRemoteId, link],
  );
  return (
    <NewTicket.Provider value={setStart}>
      <section className="sc-section sc-new-ticket" aria-label="New ticket">
        {start ? (
          <TicketForm
            key={JSON.stringify(start)}
            api={api}
            start={start}
            onClose={() => setStart(undefined)}
            onCreated={() => client.invalidateQueries({ queryKey: queryKeys.overlayViews() })}
          />
        ) : (
          <button type="button" className="sc-icon" onClick={onTrusted(() => setStart({}))} data-testid="sidecar-new-ticket">
            New ticket
          </button>
        )}
        {made?.length ? (
          <ul className="sc-made-tickets" aria-label="Tickets made in Sidecar" data-testid="sidecar-made-tickets">
            {made.map((ticket) => (
              <li key={ticket.id} data-state={ticket.state}>
                {ticket.url ? (
                  <a href={ticket.url} target="_top">
                    #{ticket.number}
                  </a>
                ) : ticket.number ? (
                  `#${ticket.number}`
                ) : null}{' '}
                {ticket.title} <span className="sc-muted">({STATE_WORDS[ticket.state]})</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {children}
    </NewTicket.Provider>
  );
}

/** "New ticket" on a record's row: the form opens with this contact or configuration chosen. */
export function NewTicketForRecord({ entity, remoteId, title }: { entity: 'contact' | 'configuration'; remoteId: string; title: string }) {
  const open = useContext(NewTicket);
  if (!open) return null;
  return (
    <button
      type="button"
      className="sc-icon"
      aria-label={`New ticket for ${title}`}
      onClick={onTrusted(() => open(entity === 'contact' ? { contactRemoteId: remoteId } : { configurationRemoteId: remoteId }))}
      data-testid="sidecar-new-ticket-for"
    >
      New ticket
    </button>
  );
}
