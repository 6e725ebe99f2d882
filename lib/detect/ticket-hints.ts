import type { PsaKind } from '../psa/types';
import type { QueryableDocument } from './dom';

/**
 * What a ticket page itself shows about the ticket, by the hooks the reference documents:
 * ConnectWise's `input.cw_company` / `[data-cwid="company"] input` and `input.cw_contact`
 * (connectwise-api.md §11.4), Kaseya BMS's `.psa-ticket-info-summary-account` (React) and
 * `.itg-org` (legacy) (kaseya-bms-api.md §9.3). HaloPSA documents none (halo-api.md §10.5).
 * Names only, no ids: the background uses them when the PSA cannot be asked. Never throws.
 */
export interface TicketHints {
  companyName?: string;
  contactName?: string;
}

const MAX = 200;

const clean = (value: string | null | undefined) => {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, MAX) : undefined;
};

function first(doc: QueryableDocument, selectors: string[], read: (element: Element) => string | null | undefined): string | undefined {
  for (const selector of selectors) {
    const element = doc.querySelector(selector);
    const value = element ? clean(read(element)) : undefined;
    if (value) return value;
  }
  return undefined;
}

const inputValue = (element: Element) => (element as HTMLInputElement).value ?? element.getAttribute('value');

export function ticketHintsFromDom(psa: PsaKind, doc: QueryableDocument): TicketHints {
  try {
    const hints: TicketHints = {};
    if (psa === 'connectwise') {
      const companyName = first(doc, ['input.cw_company', '[data-cwid="company"] input'], inputValue);
      const contactName = first(doc, ['input.cw_contact', '[data-cwid="contact"] input'], inputValue);
      if (companyName) hints.companyName = companyName;
      if (contactName) hints.contactName = contactName;
    } else if (psa === 'kaseya-bms') {
      const companyName = first(doc, ['.psa-ticket-info-summary-account', '.itg-org'], (element) => element.textContent);
      if (companyName) hints.companyName = companyName;
    }
    return hints;
  } catch {
    return {};
  }
}
