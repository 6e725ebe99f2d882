import { attribute, exists, firstValue, text, textContent, type QueryableDocument } from '../../detect/dom-read';
import type { DomPage, TicketHints } from '../../detect/types';
import { classifyKaseyaBmsFormAction } from './page-url';

/**
 * Kaseya BMS (docs/psa/kaseya-bms.md#two-uis, #page-hooks): legacy pages post back to themselves, so
 * `#aspnetForm[action]` (`./TicketEdit.aspx?ID=N`) names the record, including the unconfirmed
 * `AccountEdit.aspx` account page; `.TicketTitle em span` reads `Ticket# <number> <title>` (the
 * display number, not the id); the React ticket view has `.psa-ticket-view-title`.
 */

/** `Ticket# 1187-10232023 Printer is down` → `1187-10232023`. */
const BMS_TICKET_TITLE = /^\s*ticket\s*#\s*([A-Za-z0-9][\w.\-/]{0,63})/i;

export function kaseyaBmsDom(doc: QueryableDocument): DomPage | null {
  const action = attribute(doc, '#aspnetForm', 'action');
  const fromForm = action === undefined ? undefined : classifyKaseyaBmsFormAction(action);
  const title = text(doc, '.TicketTitle em span') ?? text(doc, '.TicketTitle');
  const number = title === undefined ? undefined : BMS_TICKET_TITLE.exec(title)?.[1];
  const ticket = (id?: string): DomPage => ({
    kind: 'ticket',
    ...(id === undefined ? {} : { id }),
    ...(number === undefined ? {} : { number }),
  });

  if (fromForm !== undefined && fromForm.kind !== 'other') {
    if (fromForm.kind === 'ticket') return ticket(fromForm.id);
    if (fromForm.id !== undefined) return { kind: fromForm.kind, id: fromForm.id };
  }
  if (title !== undefined || exists(doc, '.psa-ticket-view-title')) return ticket();
  // An account page without its id in the form action is still an account page.
  if (fromForm !== undefined && fromForm.kind !== 'other') return { kind: fromForm.kind };
  return null;
}

/** The ticket's account: `.psa-ticket-info-summary-account` (React) or `.itg-org` (legacy) (docs/psa/kaseya-bms.md#page-hooks). */
export function kaseyaBmsTicketHints(doc: QueryableDocument): TicketHints {
  const companyName = firstValue(doc, ['.psa-ticket-info-summary-account', '.itg-org'], textContent);
  return companyName ? { companyName } : {};
}
