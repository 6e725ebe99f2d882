import { exists, firstValue, idFrom, inputValue, text, type QueryableDocument } from '../../detect/dom-read';
import type { DomPage, TicketHints } from '../../detect/types';

/**
 * ConnectWise (docs/psa/connectwise.md#ticket-page-hooks, item 2): the banner `.cw_BannerView .detailLabel` (also
 * `.detailLabel.cw_CwLabel`) reads `Service Ticket #123456 - <summary>`; the ticket header pod
 * `.pod_service_ticket_ticket_header` marks a ticket whose number is not shown. "Project
 * Ticket #N" is not a service ticket and is not claimed.
 */
const CW_TICKET_LABEL = /\bservice\s*ticket\s*#\s*(\d{1,10})\b/i;

export function connectwiseDom(doc: QueryableDocument): DomPage | null {
  for (const selector of ['.cw_BannerView .detailLabel', '.detailLabel.cw_CwLabel']) {
    const id = idFrom(text(doc, selector), CW_TICKET_LABEL);
    if (id !== undefined) return { kind: 'ticket', id };
  }
  if (exists(doc, '.pod_service_ticket_ticket_header')) return { kind: 'ticket' };
  return null;
}

/** The ticket's company and contact inputs, `input.cw_company` / `[data-cwid="company"] input` (docs/psa/connectwise.md#ticket-page-hooks). */
export function connectwiseTicketHints(doc: QueryableDocument): TicketHints {
  const hints: TicketHints = {};
  const companyName = firstValue(doc, ['input.cw_company', '[data-cwid="company"] input'], inputValue);
  const contactName = firstValue(doc, ['input.cw_contact', '[data-cwid="contact"] input'], inputValue);
  if (companyName) hints.companyName = companyName;
  if (contactName) hints.contactName = contactName;
  return hints;
}
