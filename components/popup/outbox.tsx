import { useQuery, useQueryClient } from '@tanstack/react-query';
import { browser } from '@/lib/browser';
import { request } from '@/lib/messaging/client';
import type { OutboxItem } from '@/lib/tickets/view-model';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';

const OUTBOX_KEY = queryKeys.ticketsOutbox();

function stateLine(item: OutboxItem, now: number): string {
  switch (item.state) {
    case 'created':
      return `Created as #${item.ticket?.ticketNumber ?? item.ticket?.ticketId}`;
    case 'sending':
      return 'Sending…';
    case 'failed':
      return `Refused: ${item.lastError?.message ?? 'no reason given'}`;
    case 'waiting': {
      const wait = item.nextAttemptAt ? Math.max(0, Math.round((item.nextAttemptAt - now) / 1000)) : 0;
      const why = item.lastError ? ` (${item.lastError.message})` : '';
      return `Waiting for the PSA${why}; next try ${wait ? `in ${wait} s` : 'now'}`;
    }
  }
}

/**
 * Tickets made in Sidecar (#16): those still waiting for the PSA (or refused by it) first, each with
 * its state, then the latest created. Retry sends one now; Discard drops one the PSA never took.
 */
export function Outbox() {
  const client = useQueryClient();
  // The outbox changes as the background sends: read again every few seconds while the popup is open.
  const outbox = useQuery({ queryKey: OUTBOX_KEY, queryFn: async () => (await request('tickets.outbox', {})).items, refetchInterval: 2_000 });
  const refresh = () => client.invalidateQueries({ queryKey: OUTBOX_KEY });
  const retry = useAction((id: string) => request('tickets.retry', { id }), { onSuccess: refresh });
  const drop = useAction((id: string) => request('tickets.discard', { id }), { onSuccess: refresh });
  const items = outbox.data ?? [];
  if (!items.length) return null;
  const now = Date.now();
  const pending = items.filter((item) => item.state !== 'created').length;
  return (
    <section aria-label="Tickets" data-testid="popup-outbox">
      <h2>Tickets{pending ? ` · ${pending} not yet in the PSA` : ''}</h2>
      <ul className="outbox">
        {items.slice(0, 8).map((item) => (
          <li key={item.id} data-testid="outbox-item" data-state={item.state}>
            <div>
              {item.url ? (
                <a
                  href={item.url}
                  onClick={(event) => {
                    event.preventDefault();
                    void browser.tabs.create({ url: item.url });
                  }}
                >
                  {item.title}
                </a>
              ) : (
                item.title
              )}{' '}
              <span className="muted">· {item.companyName}</span>
            </div>
            <div className={item.state === 'failed' ? 'error' : 'muted'} data-testid="outbox-state">
              {stateLine(item, now)}
              {item.attempts > 1 && item.state !== 'created' ? ` · ${item.attempts} attempts` : ''}
            </div>
            {item.state === 'waiting' || item.state === 'failed' ? (
              <div className="actions">
                <button type="button" className="secondary" onClick={() => void retry.run(item.id)} data-testid="outbox-retry">
                  Try again now
                </button>
                <button type="button" className="secondary" onClick={() => void drop.run(item.id)} data-testid="outbox-discard">
                  Discard
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <StatusMessage status={retry.status ?? drop.status} role="alert" />
    </section>
  );
}
