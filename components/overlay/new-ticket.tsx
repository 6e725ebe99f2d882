import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/components/ui/query-keys';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { onTrusted } from '@/lib/content/gesture';
import { TicketForm, type TicketApi, type TicketStart } from '@/components/tickets/ticket-form';

type MadeTickets = NonNullable<Extract<OverlayView, { state: 'ready' }>['madeTickets']>;
const STATE_WORDS: Record<MadeTickets[number]['state'], string> = {
  waiting: 'waiting in the outbox',
  sending: 'sending',
  created: 'created',
  failed: 'refused by the PSA',
};

interface NewTicketState {
  api: TicketApi;
  start: TicketStart | undefined;
  open(start: TicketStart): void;
  close(): void;
}

/** The overlay's one ticket form: opened from the New ticket section or from a contact's or configuration's row. */
const NewTicket = createContext<NewTicketState | undefined>(undefined);

/**
 * The ticket form for the page's own company (#16): the host relays the requests as this tab, and
 * the background checks the company is the one this tab was shown.
 */
export function NewTicketProvider({ companyRemoteId, link, children }: { companyRemoteId: string; link: HostLink; children: ReactNode }) {
  const [start, setStart] = useState<TicketStart>();
  const api = useMemo<TicketApi>(
    () => ({
      key: `overlay:${companyRemoteId}`,
      form: (refresh) => link.request('overlay.ticket.form', { companyRemoteId, ...(refresh ? { refresh } : {}) }),
      preview: (input) => link.request('overlay.ticket.preview', { companyRemoteId, input }),
      create: (input) => link.request('overlay.ticket.create', { companyRemoteId, input }),
    }),
    [companyRemoteId, link],
  );
  const state = useMemo<NewTicketState>(() => ({ api, start, open: setStart, close: () => setStart(undefined) }), [api, start]);
  return <NewTicket.Provider value={state}>{children}</NewTicket.Provider>;
}

/** "New ticket", the form when open, and the tickets made here for the company (after the pinned notes). */
export function NewTicketSection({ made }: { made?: MadeTickets }) {
  const state = useContext(NewTicket);
  const client = useQueryClient();
  // A ticket still in the outbox is sent by the background later: look again every few seconds until none waits.
  const waiting = made?.some((ticket) => ticket.state === 'waiting' || ticket.state === 'sending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void client.invalidateQueries({ queryKey: queryKeys.overlayViews() }), 5_000);
    return () => clearInterval(timer);
  }, [waiting, client]);
  if (!state) return null;
  return (
    <section className="sc-section sc-new-ticket" aria-label="New ticket" data-testid="sidecar-new-ticket-section">
      {state.start ? (
        <TicketForm
          key={JSON.stringify(state.start)}
          api={state.api}
          start={state.start}
          onClose={state.close}
          onCreated={() => client.invalidateQueries({ queryKey: queryKeys.overlayViews() })}
        />
      ) : (
        <button type="button" className="sc-icon" onClick={onTrusted(() => state.open({}))} data-testid="sidecar-new-ticket">
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
  );
}

/** "New ticket" on a record's row: the form opens with this contact or configuration chosen. */
export function NewTicketForRecord({ entity, remoteId, title }: { entity: 'contact' | 'configuration'; remoteId: string; title: string }) {
  const state = useContext(NewTicket);
  if (!state) return null;
  return (
    <button
      type="button"
      className="sc-icon"
      aria-label={`New ticket for ${title}`}
      onClick={onTrusted(() => state.open(entity === 'contact' ? { contactRemoteId: remoteId } : { configurationRemoteId: remoteId }))}
      data-testid="sidecar-new-ticket-for"
    >
      New ticket
    </button>
  );
}
