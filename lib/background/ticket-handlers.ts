import { DEFAULT_SYNC_LOCATIONS, type IntegrationRow, type OutboxTicketRow } from '../db/schema';
import { HandledError } from '../errors';
import type { Handlers } from '../messaging/router';
import type { ClassifiedSender } from '../messaging/sender';
import { discard, retryNow } from '../tickets/outbox';
import { readTicketSettings } from '../tickets/settings';
import type { TicketPreview } from '../tickets/service';
import type { OutboxItem, TicketPreviewWire } from '../tickets/view-model';
import type { BackgroundServices } from './services';
import { requireServed } from './served-records';

type TicketChannels =
  | 'overlay.ticket.form'
  | 'overlay.ticket.preview'
  | 'overlay.ticket.create'
  | 'tickets.form'
  | 'tickets.preview'
  | 'tickets.create'
  | 'tickets.outbox'
  | 'tickets.retry'
  | 'tickets.discard'
  | 'tickets.settings'
  | 'tickets.settings.save';

const previewWire = ({ composed, request }: TicketPreview): TicketPreviewWire => ({
  fields: composed.fields,
  appended: composed.appended,
  errors: composed.errors,
  ...(composed.filedUnderCatchAll ? { filedUnderCatchAll: composed.filedUnderCatchAll } : {}),
  title: composed.draft.title,
  details: composed.draft.details,
  request,
});

/**
 * The ticket channels (#16). The overlay's name no integration: the page's origin decides it, and
 * the company must be the one this tab's overlay was served (a page cannot pick another client).
 */
export function ticketHandlers(
  services: BackgroundServices,
  pageIntegration: (sender: ClassifiedSender) => Promise<IntegrationRow>,
): Pick<Handlers, TicketChannels> {
  const { db, ticketing } = services;

  const item = async (row: OutboxTicketRow): Promise<OutboxItem> => {
    let url: string | undefined;
    if (row.ticket)
      url = await services.adapterFor(row.integrationId).then(
        (adapter) => adapter.recordUrl('ticket', row.ticket!.ticketId),
        () => undefined,
      );
    const { draft, ...rest } = row;
    return {
      id: rest.id,
      integrationId: rest.integrationId,
      companyRemoteId: rest.companyRemoteId,
      companyName: rest.companyName,
      title: draft.title,
      state: rest.state,
      attempts: rest.attempts,
      createdAt: rest.createdAt,
      ...(rest.by ? { by: rest.by } : {}),
      ...(rest.nextAttemptAt ? { nextAttemptAt: rest.nextAttemptAt } : {}),
      ...(rest.lastError ? { lastError: rest.lastError } : {}),
      ...(rest.ticket ? { ticket: rest.ticket } : {}),
      ...(url ? { url } : {}),
    };
  };

  const servedCompany = async (sender: ClassifiedSender, companyRemoteId: string) => {
    const integration = await pageIntegration(sender);
    await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId, state: 'ready' });
    return integration.id;
  };

  const knownIntegration = async (integrationId: string) => {
    if (!(await db.integrations.get(integrationId))) throw new HandledError('not-found', 'That integration no longer exists.');
    return integrationId;
  };

  return {
    'overlay.ticket.form': async (request, sender) =>
      ticketing.formView(await servedCompany(sender, request.companyRemoteId), request.companyRemoteId, request.refresh),
    'overlay.ticket.preview': async (request, sender) =>
      previewWire(await ticketing.preview(await servedCompany(sender, request.companyRemoteId), request.companyRemoteId, request.input)),
    'overlay.ticket.create': async (request, sender) =>
      item(await ticketing.create(await servedCompany(sender, request.companyRemoteId), request.companyRemoteId, request.input)),
    'tickets.form': async (request) => ticketing.formView(await knownIntegration(request.integrationId), request.companyRemoteId, request.refresh),
    'tickets.preview': async (request) =>
      previewWire(await ticketing.preview(await knownIntegration(request.integrationId), request.companyRemoteId, request.input)),
    'tickets.create': async (request) => item(await ticketing.create(await knownIntegration(request.integrationId), request.companyRemoteId, request.input)),
    'tickets.outbox': async () => ({ items: await Promise.all((await ticketing.outbox()).map(item)) }),
    'tickets.retry': async (request) => {
      const retried = await retryNow(db, request.id);
      if (retried) void ticketing.send();
      return { retried };
    },
    'tickets.discard': async (request) => ({ discarded: await discard(db, request.id) }),
    'tickets.settings': async (request) => {
      const integration = await db.integrations.get(request.integrationId);
      if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
      const settings = readTicketSettings(integration.options?.tickets);
      const rights = integration.connection?.ok ? integration.connection.writeRights : undefined;
      const adapter = await services.adapterFor(integration.id).catch(() => undefined);
      const supported = adapter ? !!adapter.tickets : true;
      try {
        const { form, fetchedAt } = await ticketing.form(integration.id, request.refresh);
        return { settings, form, fetchedAt, supported, ...(rights ? { rights } : {}) };
      } catch (error) {
        const formError = error instanceof Error ? error.message : String(error);
        return { settings, form: null, formError, supported, ...(rights ? { rights } : {}) };
      }
    },
    'tickets.settings.save': async (request) => {
      // The catch-all contact must be a synced contact of the catch-all company.
      const catchAll = request.settings.catchAll;
      if (catchAll) {
        const contact = await db.records.get([request.integrationId, 'contact', catchAll.contactRemoteId]);
        if (!contact || contact.companyRemoteId !== catchAll.companyRemoteId) {
          throw new HandledError('invalid', 'The catch-all contact must be a contact of the catch-all company.', {
            catchAll: 'Choose a contact of that company.',
          });
        }
      }
      await db.transaction('rw', db.integrations, async () => {
        const integration = await db.integrations.get(request.integrationId);
        if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
        await db.integrations.update(integration.id, {
          options: { syncLocations: integration.options?.syncLocations ?? DEFAULT_SYNC_LOCATIONS, ...integration.options, tickets: request.settings },
        });
      });
      return { saved: true as const };
    },
  };
}
