import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { browser } from '@/lib/browser';
import { getDb } from '@/lib/db/schema';
import { toItem } from '@/lib/items/to-item';
import { request } from '@/lib/messaging/client';
import type { PaletteResult, RecordResult } from '@/lib/search/results';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { TicketForm, type TicketApi, type TicketStart } from '@/components/tickets/ticket-form';

/** "new ticket for contoso", "ticket contoso": the palette offers new tickets for what the rest finds. */
const TICKET_COMMAND = /^\s*(?:new\s+)?ticket\s+(?:for\s+)?/i;
const TICKETABLE = new Set(['company', 'contact', 'configuration']);

interface TicketTarget {
  integrationId: string;
  companyRemoteId: string;
  start: TicketStart;
}

/** The company a palette result belongs to, and the form's starting contact or configuration. */
async function ticketTargetOf(result: RecordResult): Promise<TicketTarget | undefined> {
  if (result.entity === 'company') return { integrationId: result.integrationId, companyRemoteId: result.remoteId, start: {} };
  const row = await getDb().records.get([result.integrationId, result.entity, result.remoteId]);
  if (!row) return undefined;
  const start = result.entity === 'contact' ? { contactRemoteId: result.remoteId } : { configurationRemoteId: result.remoteId };
  return { integrationId: result.integrationId, companyRemoteId: row.companyRemoteId, start };
}

function ticketApi(target: TicketTarget): TicketApi {
  const { integrationId, companyRemoteId } = target;
  return {
    key: `palette:${integrationId}:${companyRemoteId}`,
    form: (refresh) => request('tickets.form', { integrationId, companyRemoteId, ...(refresh ? { refresh } : {}) }),
    preview: (input) => request('tickets.preview', { integrationId, companyRemoteId, input }),
    create: (input) => request('tickets.create', { integrationId, companyRemoteId, input }),
  };
}

/**
 * The palette (Ctrl+K opens the popup): search every client space from what Sidecar has (the
 * background's search index, lib/search/service.ts), so it works with the PSA down; arrows
 * move, Enter opens the record in its PSA (the overlay there shows it), or shows its details
 * here when the PSA has no link for it; a document technicians wrote opens on its client-space page.
 */
export function Palette() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [expanded, setExpanded] = useState<string>();
  const [ticketTarget, setTicketTarget] = useState<TicketTarget>();
  const ticketCommand = TICKET_COMMAND.exec(query);
  const searched = ticketCommand ? query.slice(ticketCommand[0].length) : query;
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  // How long the search took, read by `npm run bench`: from the keystroke that changed the query
  // to its answer committed to the page (search, query scheduling and render), found or not.
  const typedAt = useRef<{ query: string; at: number }>(undefined);
  const results = useQuery({
    queryKey: queryKeys.palette(searched),
    queryFn: () => request('records.search', { query: searched }),
    enabled: searched.trim().length > 0,
    placeholderData: keepPreviousData,
    // Answered while the search index is first built (names starting with the query): asked again until it is there.
    refetchInterval: (query) => (query.state.data?.indexed === false ? 1000 : false),
  });
  const found = searched.trim() ? (results.data?.results ?? []) : [];
  const partial = results.data?.indexed === false;
  const rows = ticketCommand ? found.filter((result) => result.type === 'record' && TICKETABLE.has(result.entity)) : found;
  const current = rows[Math.min(active, rows.length - 1)];
  // The highlighted result stays in sight as the arrow keys move it through a long list.
  const currentKey = current?.key;
  useEffect(() => {
    if (currentKey) document.getElementById(`${listId}-${currentKey}`)?.scrollIntoView({ block: 'nearest' });
  }, [listId, currentKey]);
  // Opening the palette has the background build its search index (no-op when it has one).
  useEffect(() => {
    request('records.search', { query: '' }).catch(() => undefined);
  }, []);
  const fresh = results.isSuccess && !results.isPlaceholderData;
  useLayoutEffect(() => {
    if (!fresh || typedAt.current?.query !== query) return;
    root.current?.setAttribute('data-search-ms', (performance.now() - typedAt.current.at).toFixed(2));
    typedAt.current = undefined;
  }, [fresh, query, results.data]);

  // Opens the record in its PSA; a record the PSA has no link for shows (or hides) its details here.
  // A document opens on its client-space page (an extension page: the protocol checks its href).
  const opening = useAction(async (result: PaletteResult) => {
    if (result.type === 'document') {
      await browser.tabs.create({ url: browser.runtime.getURL(result.href as '/space.html') });
      window.close();
      return;
    }
    const { url } = await request('records.link', { integrationId: result.integrationId, entity: result.entity, remoteId: result.remoteId });
    if (!url) {
      setExpanded((shown) => (shown === result.key ? undefined : result.key));
      return;
    }
    await browser.tabs.create({ url });
    window.close();
  });
  const startTicket = useAction(async (result: RecordResult) => {
    const target = await ticketTargetOf(result);
    if (!target) throw new Error('That record is no longer among the synced records.');
    setTicketTarget(target);
  });
  const open = (result: PaletteResult) => (ticketCommand && result.type === 'record' ? startTicket.run(result) : opening.run(result));

  if (ticketTarget) {
    return (
      <div className="palette" data-testid="palette">
        <TicketForm api={ticketApi(ticketTarget)} start={ticketTarget.start} onClose={() => setTicketTarget(undefined)} />
      </div>
    );
  }

  return (
    <div className="palette" data-testid="palette" ref={root} data-query={fresh ? query : undefined}>
      <input
        className="palette-input"
        type="search"
        autoFocus
        role="combobox"
        aria-label="Search all client spaces"
        aria-expanded={rows.length > 0}
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.key}` : undefined}
        placeholder="Search clients, contacts, configurations, or “new ticket for …” (Ctrl+K)"
        value={query}
        onChange={(event) => {
          typedAt.current = { query: event.target.value, at: performance.now() };
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((index) => Math.min(index + 1, rows.length - 1));
          else if (event.key === 'ArrowUp') setActive((index) => Math.max(index - 1, 0));
          else if (event.key === 'Enter' && current) void open(current);
          else return;
          event.preventDefault();
        }}
      />
      {searched.trim() && results.isPending ? (
        <p className="muted" role="status" data-testid="palette-waiting">
          Searching…
        </p>
      ) : null}
      {searched.trim() && partial ? (
        <p className="muted" role="status" data-testid="palette-partial">
          Preparing the search index: for now, only names that start with “{searched.trim()}”.
        </p>
      ) : null}
      {searched.trim() && results.isError ? (
        <p className="error" role="alert">
          {results.error.message}
        </p>
      ) : null}
      {query.trim() && results.isSuccess && !partial && rows.length === 0 ? (
        <p className="muted" data-testid="palette-empty">
          Nothing found for “{query.trim()}”.
        </p>
      ) : null}
      {rows.length ? (
        <ul id={listId} role="listbox" aria-label="Results" className="palette-results">
          {rows.map((result, index) => (
            <li
              key={result.key}
              id={`${listId}-${result.key}`}
              role="option"
              aria-selected={result === current}
              className={result === current ? 'active' : undefined}
              data-testid="palette-result"
              onMouseEnter={() => setActive(index)}
              onClick={() => void open(result)}
            >
              {result.type === 'record' ? (
                <>
                  <div className="palette-title">{ticketCommand ? `New ticket for ${result.item.title}` : result.item.title}</div>
                  <div className="muted">{subtitleOf([result.kind, result.item.subtitle, result.clientSpace], result.item.title, result.source)}</div>
                  {expanded === result.key ? <Details result={result} /> : null}
                </>
              ) : (
                <>
                  <div className="palette-title">{result.title}</div>
                  <div className="muted">{subtitleOf([result.kind, result.record, result.clientSpace], result.title)}</div>
                  {result.snippet ? <div className="palette-snippet muted">{result.snippet}</div> : null}
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <StatusMessage status={opening.status} role="alert" />
      <StatusMessage status={startTicket.status} role="alert" />
    </div>
  );
}

/**
 * A result's second line: what it is, its detail and its client, each said once (a company's
 * client space usually bears its name), and which PSA it is from.
 */
function subtitleOf(parts: (string | undefined)[], title: string, source?: string): string {
  const said: string[] = [];
  for (const part of parts) if (part && part !== title && !said.includes(part)) said.push(part);
  return [...said, ...(source ? [source] : [])].join(' · ');
}

/** A record's details, for records the PSA has no link for: search results carry none, so they are read here. */
function Details({ result }: { result: RecordResult }) {
  const fields = useQuery({
    queryKey: queryKeys.paletteDetails(result.key),
    queryFn: async () => {
      if (result.item.fields.length) return result.item.fields;
      const row = await getDb().records.get([result.integrationId, result.entity, result.remoteId]);
      return row ? toItem(row, undefined).fields : [];
    },
  });
  return (
    <dl className="palette-details" data-testid="palette-details">
      {(fields.data ?? []).map((field) => (
        <div key={field.label}>
          <dt>{field.label}</dt>
          <dd>{field.value}</dd>
        </div>
      ))}
      <div>
        <dt>From</dt>
        <dd>{result.source} (no link to this record in the PSA)</dd>
      </div>
    </dl>
  );
}
