import { idFrom, text, type QueryableDocument } from '../../detect/dom-read';
import type { DomPage } from '../../detect/types';

/**
 * HaloPSA (docs/psa/halo.md#ticket-page): the reference knows no stable ticket-header hook (React, no
 * documented classes) and no ticket-page hints; the only page-level hint is `document.title`,
 * which ends with a "- Halo…"/"| Halo…" suffix (docs/psa/halo.md#web-ui). UNCONFIRMED: a title that starts with
 * `Ticket #N`/`Ticket N` (optionally zero-padded) before that suffix is read as ticket N.
 */
const HALO_TICKET_TITLE = /^\s*ticket\s*#?\s*(\d{1,10})\b.*\s[-|–]\s*halo[\w ]*\s*$/i;

export function haloDom(doc: QueryableDocument): DomPage | null {
  const id = idFrom(text(doc, 'title'), HALO_TICKET_TITLE);
  return id === undefined ? null : { kind: 'ticket', id };
}
