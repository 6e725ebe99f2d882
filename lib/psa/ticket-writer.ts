/**
 * Creating a ticket in the PSA (#16, Helpdesk Buttons' guide): the one contract between Sidecar's
 * ticket form, rules and outbox and a PSA. Each PSA implements it in lib/psa/<kind>/tickets.ts;
 * nothing above this file knows which PSA it talks to.
 */

/** The Helpdesk Buttons variables a PSA field answers to, so rules and defaults can set it. */
export const TICKET_FIELD_VARIABLES = ['priority', 'ticketStatus', 'queue', 'ticketType', 'ticketSource', 'assignee'] as const;
export type TicketFieldVariable = (typeof TICKET_FIELD_VARIABLES)[number];

/** One field of the PSA's new-ticket form whose value is picked from a list. */
export interface TicketFieldSpec {
  /** Stable key, used in drafts, defaults and errors: 'queue', 'priority', 'board', 'team', 'location', … */
  key: string;
  /** As the PSA labels it: "Queue", "Board", "Ticket type". */
  label: string;
  /** The rule variable that sets this field, when one does (rules set it by choice name or id). */
  variable?: TicketFieldVariable;
  /** The PSA refuses a ticket without it (and no default fills it). */
  required: boolean;
  /**
   * Where the choices come from: the PSA's own list (`choices` of TicketFormChoices), or this
   * browser's synced records of the ticket's company (BMS locations are its sites, contracts its
   * agreements) so the form asks nothing per company.
   */
  source: 'psa' | 'company-sites' | 'company-agreements';
  /** For 'psa' choices that belong to another field's value (ConnectWise statuses and types per board). */
  dependsOn?: string;
}

export interface TicketChoice {
  id: string;
  name: string;
  /** The other field's value this choice belongs to (`dependsOn`). */
  parentId?: string;
  /** The PSA marks it as its default (e.g. the default priority). */
  isDefault?: boolean;
}

/** The PSA's ticket form: read once per integration and cached by the caller. */
export interface TicketFormChoices {
  fields: TicketFieldSpec[];
  /** Keyed by field key, for fields whose source is 'psa'. */
  choices: Record<string, TicketChoice[]>;
}

/** A ticket as Sidecar will send it, PSA ids as strings. */
export interface TicketDraft {
  companyRemoteId: string;
  contactRemoteId?: string;
  /** The first one is the ticket's configuration/asset where the PSA takes only one. */
  configurationRemoteIds: string[];
  title: string;
  /** Plain text, the marker already appended by the caller. */
  details: string;
  /** Choice ids by field key; fields left out are not sent. */
  fields: Record<string, string>;
  /** ISO-8601 UTC; when the technician made the ticket (BMS `openDate`). */
  openDate: string;
  /**
   * A token unique to this draft, also inside `details`, by which a retry finds a ticket an
   * earlier attempt created (ConnectWise `externalXRef`, or a search of the details).
   */
  marker: string;
}

export interface CreatedTicket {
  ticketId: string;
  /** As the PSA shows it when it differs from the id (BMS "1187-10232023"). */
  ticketNumber?: string;
}

/** What will be sent, for the preview: exactly the request createTicket makes. */
export interface TicketRequestPreview {
  method: 'POST';
  /** API path, relative to the integration's API base (e.g. `v2/servicedesk/tickets`). */
  path: string;
  body: unknown;
}

export interface TicketWriter {
  /** The PSA's own lists for the form (queues, statuses, priorities, …). */
  formChoices(): Promise<TicketFormChoices>;
  /** Refusals before any request, by field key (e.g. BMS: neither queue nor assignee). Empty: fine. */
  validate(draft: TicketDraft, form: TicketFormChoices): Record<string, string>;
  preview(draft: TicketDraft): TicketRequestPreview;
  /** Sends preview(draft). Throws PsaError ('unreachable'/'timeout' kinds mean: may be retried). */
  create(draft: TicketDraft): Promise<CreatedTicket>;
  /** The ticket an earlier attempt at this draft created, or null when there is none. */
  findByMarker(draft: TicketDraft): Promise<CreatedTicket | null>;
}
