import type { OutboxTicketRow, RecordRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { PsaError } from '../psa/errors';
import type { TicketFormChoices, TicketRequestPreview, TicketWriter } from '../psa/ticket-writer';
import type { CanonicalConfiguration, CanonicalContact, CanonicalSite, EntityKind, PsaAdapter } from '../psa/types';
import { composeTicket, newMarker, type ComposedTicket, type ComposeRecords } from './compose';
import type { TicketInput } from './input';
import { enqueueTicket, sendDue } from './outbox';
import { readTicketSettings, type TicketSettings } from './settings';

/**
 * Tickets from Sidecar (#16): the form's lists, composing and previewing a ticket for a company,
 * and handing it to the outbox. The caller (the background) has already decided which company the
 * ticket is for; nothing here takes a company from a page.
 */

export interface TicketServiceDeps {
  db: SidecarDb;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  wakeAt(at: number): void;
  /** Who is making the ticket (the author name), for the outbox. */
  author?(): Promise<string | undefined>;
}

/** The form's lists are the PSA's setup; a day-old copy is fine (Refresh lists reads them again). */
const FORM_MAX_AGE_MS = 24 * 60 * 60_000;
/** How long Create waits for the first attempt before answering "waiting in the outbox". */
const FIRST_ATTEMPT_WAIT_MS = 10_000;

export interface TicketFormView {
  form: TicketFormChoices;
  fetchedAt: number;
  companyName: string;
  contacts: { remoteId: string; name: string; email?: string }[];
  configurations: { remoteId: string; name: string; typeName: string }[];
  sites: { remoteId: string; name: string; primary?: boolean }[];
  agreements: { remoteId: string; name: string }[];
  defaults: Record<string, string>;
  catchAll: boolean;
}

export interface TicketPreview {
  composed: ComposedTicket;
  request: TicketRequestPreview;
}

async function companyRows(db: SidecarDb, integrationId: string, entity: EntityKind, companyRemoteId: string): Promise<RecordRow[]> {
  const rows = await db.records.where('[integrationId+entity+companyRemoteId]').equals([integrationId, entity, companyRemoteId]).toArray();
  return rows.filter((row) => row.archivedAt === undefined).sort((a, b) => a.sortName.localeCompare(b.sortName));
}

export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  private async writer(integrationId: string): Promise<TicketWriter> {
    const adapter = await this.deps.adapterFor(integrationId);
    if (!adapter.tickets) throw new HandledError('unsupported', 'Sidecar cannot create tickets in this PSA yet.');
    return adapter.tickets;
  }

  private async settings(integrationId: string): Promise<TicketSettings> {
    return readTicketSettings((await this.deps.db.integrations.get(integrationId))?.options?.tickets);
  }

  /** The PSA's lists, from the copy kept here unless it is old or a refresh is asked for. */
  async form(integrationId: string, refresh = false): Promise<{ form: TicketFormChoices; fetchedAt: number }> {
    const kept = await this.deps.db.ticketForms.get(integrationId);
    if (kept && !refresh && Date.now() - kept.fetchedAt < FORM_MAX_AGE_MS) return kept;
    try {
      const form = await (await this.writer(integrationId)).formChoices();
      const row = { integrationId, form, fetchedAt: Date.now() };
      await this.deps.db.ticketForms.put(row);
      return row;
    } catch (error) {
      // An old copy beats no form while the PSA cannot be reached: the ticket waits in the outbox anyway.
      if (kept && error instanceof PsaError && error.retryable) return kept;
      throw error;
    }
  }

  async records(integrationId: string, companyRemoteId: string): Promise<ComposeRecords> {
    const { db } = this.deps;
    const company = await db.records.get([integrationId, 'company', companyRemoteId]);
    if (!company) throw new HandledError('not-found', 'That company is not among the synced records.');
    const [contacts, configurations, sites, agreements] = await Promise.all(
      (['contact', 'configuration', 'site', 'agreement'] as const).map((entity) => companyRows(db, integrationId, entity, companyRemoteId)),
    );
    return {
      companyName: (company.data as { name: string }).name,
      contacts: new Map(
        contacts!.map((row) => [
          row.remoteId,
          { name: (row.data as CanonicalContact).name, ...((row.data as CanonicalContact).email ? { email: (row.data as CanonicalContact).email } : {}) },
        ]),
      ),
      configurations: new Map(
        configurations!.map((row) => {
          const data = row.data as CanonicalConfiguration;
          return [row.remoteId, { name: data.name, typeName: data.typeName, ipAddress: data.ipAddress, macAddress: data.macAddress }];
        }),
      ),
      sites: sites!.map((row) => ({
        remoteId: row.remoteId,
        name: (row.data as CanonicalSite).name,
        ...((row.data as CanonicalSite).primary ? { primary: true } : {}),
      })),
      agreements: agreements!.map((row) => ({ remoteId: row.remoteId, name: (row.data as { name: string }).name })),
    };
  }

  async formView(integrationId: string, companyRemoteId: string, refresh = false): Promise<TicketFormView> {
    const [{ form, fetchedAt }, records, settings] = await Promise.all([
      this.form(integrationId, refresh),
      this.records(integrationId, companyRemoteId),
      this.settings(integrationId),
    ]);
    return {
      form,
      fetchedAt,
      companyName: records.companyName,
      contacts: [...records.contacts].map(([remoteId, contact]) => ({ remoteId, ...contact })),
      configurations: [...records.configurations].map(([remoteId, row]) => ({ remoteId, name: row.name, typeName: row.typeName })),
      sites: records.sites,
      agreements: records.agreements,
      defaults: settings.defaults,
      catchAll: !!settings.catchAll,
    };
  }

  /** What would be sent, and every refusal, without sending anything. */
  async preview(integrationId: string, companyRemoteId: string, input: TicketInput, marker = 'sc-preview'): Promise<TicketPreview> {
    const [writer, { form }, settings] = await Promise.all([this.writer(integrationId), this.form(integrationId), this.settings(integrationId)]);
    const records = await this.records(integrationId, companyRemoteId);
    // A ticket for someone outside the PSA is the catch-all company's: its sites and agreements apply.
    if (input.person.kind === 'outsider' && settings.catchAll && settings.catchAll.companyRemoteId !== companyRemoteId) {
      const catchAll = await this.records(integrationId, settings.catchAll.companyRemoteId).catch(() => undefined);
      if (catchAll) Object.assign(records, { sites: catchAll.sites, agreements: catchAll.agreements });
    }
    const composed = composeTicket(input, { companyRemoteId, form, records, settings, now: new Date().toISOString(), marker });
    const refusals = writer.validate(composed.draft, form);
    composed.errors = { ...refusals, ...composed.errors };
    return { composed, request: writer.preview(composed.draft) };
  }

  /**
   * Stores the ticket in the outbox (nothing is lost from here on) and makes the first attempt,
   * answering with its outcome when it comes quickly, else with the ticket waiting.
   */
  async create(integrationId: string, companyRemoteId: string, input: TicketInput): Promise<OutboxTicketRow> {
    const integration = await this.deps.db.integrations.get(integrationId);
    if (integration?.disabled) throw new HandledError('disabled', `${integration.label} is turned off: turn it on (Options) to create tickets in it.`);
    const { composed } = await this.preview(integrationId, companyRemoteId, input, newMarker());
    const errors = Object.entries(composed.errors);
    if (errors.length) throw new HandledError('invalid', errors[0]![1], composed.errors);
    const by = await this.deps.author?.();
    const row = await enqueueTicket(this.deps.db, {
      id: crypto.randomUUID(),
      integrationId,
      companyRemoteId,
      companyName: (await this.records(integrationId, companyRemoteId)).companyName,
      draft: composed.draft,
      createdAt: Date.now(),
      ...(by ? { by } : {}),
    });
    const sending = this.send();
    await Promise.race([sending, new Promise((resolve) => setTimeout(resolve, FIRST_ATTEMPT_WAIT_MS))]);
    return (await this.deps.db.ticketOutbox.get(row.id)) ?? row;
  }

  send(): Promise<void> {
    return sendDue({ db: this.deps.db, writerFor: (id) => this.writer(id), wakeAt: this.deps.wakeAt }).catch((error: unknown) =>
      console.warn('Sidecar could not send its outbox', error),
    );
  }

  /** Tickets made for one company from this browser, newest first (the overlay lists them). */
  async forCompany(integrationId: string, companyRemoteId: string, limit = 10): Promise<OutboxTicketRow[]> {
    const rows = await this.deps.db.ticketOutbox.where('integrationId').equals(integrationId).toArray();
    return rows
      .filter((row) => row.companyRemoteId === companyRemoteId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }

  /** The outbox as the popup shows it: waiting and failed first, then the latest created. */
  async outbox(limit = 50): Promise<OutboxTicketRow[]> {
    const rows = await this.deps.db.ticketOutbox.orderBy('id').toArray();
    const rank = (row: OutboxTicketRow) => (row.state === 'created' ? 1 : 0);
    return rows.sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt).slice(0, limit);
  }
}
