/**
 * Page detection from the DOM, for what the URL cannot settle: a page the URL calls 'other', or a
 * record page whose URL carries no id (ConnectWise's undecodable hash states, BMS's unconfirmed
 * page shapes, a Halo ticket list whose address has not caught up with the open ticket yet).
 *
 * Pure: it only calls `doc.querySelector` and reads `textContent` / `getAttribute` of what that
 * returns, so a tiny fake document is enough to test it. No side effects, never throws.
 *
 * Hooks, per reference:
 * - ConnectWise (connectwise-api.md §11.4 item 2): the banner `.cw_BannerView .detailLabel` (also
 *   `.detailLabel.cw_CwLabel`) reads `Service Ticket #123456 - <summary>`; the ticket header pod
 *   `.pod_service_ticket_ticket_header` marks a ticket whose number is not shown. "Project
 *   Ticket #N" is not a service ticket and is not claimed.
 * - Kaseya BMS (kaseya-bms-api.md §9.1, §9.3): legacy pages post back to themselves, so
 *   `#aspnetForm[action]` (`./TicketEdit.aspx?ID=N`) names the record, including the unconfirmed
 *   `AccountEdit.aspx` account page; `.TicketTitle em span` reads `Ticket# <number> <title>` (the
 *   display number, not the id); the React ticket view has `.psa-ticket-view-title`.
 * - HaloPSA (halo-api.md §10.5): the reference knows no stable ticket-header hook (React, no
 *   documented classes); the only page-level hint is `document.title`, which ends with a
 *   "- Halo…"/"| Halo…" suffix (§10.1). UNCONFIRMED: a title that starts with
 *   `Ticket #N`/`Ticket N` (optionally zero-padded) before that suffix is read as ticket N.
 */
import type { PsaKind } from '../psa/types';
import { parseRecordId } from './connectwise-hash';
import { classifyKaseyaBmsFormAction } from './kaseya-bms';
import type { PageKind } from './types';

/**
 * What the DOM says the page shows. `id` as in DetectedPage (canonical decimal record id).
 * `number` is a PSA's display number when the page shows that instead of the id (Kaseya BMS
 * ticket numbers such as `T20231023.0001` or `1187-10232023`); the caller can look it up.
 */
export interface DomPage {
  kind: PageKind;
  id?: string;
  number?: string;
}

/** The minimal document this needs (a real `document`, a linkedom one, or a test fake). */
export type QueryableDocument = Pick<Document, 'querySelector'>;

/** The record the page's DOM shows for `psa`, or null when the DOM says nothing useful. */
export function detectByDom(psa: PsaKind, doc: QueryableDocument): DomPage | null {
  try {
    if (typeof doc !== 'object' || doc === null || typeof doc.querySelector !== 'function') return null;
    switch (psa) {
      case 'connectwise':
        return connectwiseDom(doc);
      case 'kaseya-bms':
        return kaseyaBmsDom(doc);
      case 'halo':
        return haloDom(doc);
      default:
        return null;
    }
  } catch {
    return null; // a hostile or half-built page must not break the content script
  }
}

const CW_TICKET_LABEL = /\bservice\s*ticket\s*#\s*(\d{1,10})\b/i;

function connectwiseDom(doc: QueryableDocument): DomPage | null {
  for (const selector of ['.cw_BannerView .detailLabel', '.detailLabel.cw_CwLabel']) {
    const id = idFrom(text(doc, selector), CW_TICKET_LABEL);
    if (id !== undefined) return { kind: 'ticket', id };
  }
  if (exists(doc, '.pod_service_ticket_ticket_header')) return { kind: 'ticket' };
  return null;
}

/** `Ticket# 1187-10232023 Printer is down` → `1187-10232023`. */
const BMS_TICKET_TITLE = /^\s*ticket\s*#\s*([A-Za-z0-9][\w.\-/]{0,63})/i;

function kaseyaBmsDom(doc: QueryableDocument): DomPage | null {
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

/** UNCONFIRMED (see the file comment): `Ticket #0001234 - Printer - HaloPSA` → ticket 1234. */
const HALO_TICKET_TITLE = /^\s*ticket\s*#?\s*(\d{1,10})\b.*\s[-|–]\s*halo[\w ]*\s*$/i;

function haloDom(doc: QueryableDocument): DomPage | null {
  const id = idFrom(text(doc, 'title'), HALO_TICKET_TITLE);
  return id === undefined ? null : { kind: 'ticket', id };
}

function idFrom(value: string | undefined, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  const id = parseRecordId(pattern.exec(value.slice(0, 2_000))?.[1]);
  return id === 0 ? undefined : id;
}

function exists(doc: QueryableDocument, selector: string): boolean {
  return doc.querySelector(selector) != null;
}

function text(doc: QueryableDocument, selector: string): string | undefined {
  const value: unknown = doc.querySelector(selector)?.textContent;
  return typeof value === 'string' ? value : undefined;
}

function attribute(doc: QueryableDocument, selector: string, name: string): string | undefined {
  const element = doc.querySelector(selector);
  if (element == null || typeof element.getAttribute !== 'function') return undefined;
  const value: unknown = element.getAttribute(name);
  return typeof value === 'string' ? value : undefined;
}
