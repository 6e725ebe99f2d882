import { useEffect, useRef, useState } from 'react';
import { ItemEdit } from './item-edit';
import type { OverlayItem } from '@/lib/items/item-model';
import { ItemFields } from './item-fields';
import { NewTicketForRecord } from './new-ticket';

/** Long lists render a page of rows at a time as the list scrolls into view (rows off screen also skip layout). */
export const LIST_PAGE = 100;

/** One titled list of the company's records (contacts, a layout's configurations…), with its count. */
export function ItemSection({ title, items, testId }: { title: string; items: OverlayItem[]; testId: string }) {
  return (
    <section className="sc-section" data-testid={testId} aria-label={title}>
      <h3>
        {title} <span className="sc-count">{items.length}</span>
      </h3>
      {items.length === 0 ? <p className="sc-muted">None</p> : <ItemList items={items} />}
    </section>
  );
}

export function ItemList({ items }: { items: OverlayItem[] }) {
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
        <ItemRow key={`${item.source ?? ''}:${item.remoteId}`} item={item} />
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

function ItemRow({ item }: { item: OverlayItem }) {
  return (
    <li className={`${item.inactive ? 'sc-inactive' : ''}${item.focused ? ' sc-focused' : ''}`} data-testid="sidecar-item" data-remote-id={item.remoteId}>
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
      <ItemFields item={item} />
      <ItemEdit item={item} />
      {item.ticketAs ? <NewTicketForRecord entity={item.ticketAs} remoteId={item.remoteId} title={item.title} /> : null}
    </li>
  );
}
