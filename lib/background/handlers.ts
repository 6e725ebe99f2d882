import { browser } from '../browser';
import { previewSortRules, saveLayout, saveSortRules, saveSyncLocations } from '../layouts/service';
import { applyMatches } from '../match/company-match';
import { importSetup } from '../setup/import';
import { exportSetupFile } from '../setup/export';
import { restoreRecord } from '../sync/museum';
import { dismissPreview } from '../sync/dry-run';
import { whenReadFirst } from '../sync/company-first';
import type { SyncRequestResult } from '../sync/scheduler';
import { badgeFor, clearBadge, showBadge } from './badge';
import { VaultError } from '../secrets/vault';
import { matchFromOverlay } from '../match/overlay-match';
import { saveConnectedFields } from '../layouts/connected-fields';
import { psaConfigurationTypes } from '../layouts/psa-types';
import { saveSchedule } from '../sync/schedule';
import { previewSyncOptions, saveSyncOptions } from '../sync/options-service';
import { HandledError } from '../errors';
import type { Handlers } from '../messaging/router';
import type { ClassifiedSender } from '../messaging/sender';
import { buildOverlayView } from '../overlay-view/view';
import { removeIntegration, saveIntegration, testIntegration } from '../integrations/service';
import { saveAuthorName } from '../docstore/author';
import { archiveSpace, createSpace, mergeSpaces, renameSpace } from '../match/spaces';
import { GLOBAL_SPACE } from '../documents/entities';
import { overlayFieldLayout, overlayNotePlace, requireOverlayNote } from '../documents/page-writes';
import type { BackgroundServices } from './services';
import type { RunRow } from '../db/schema';
import { requireServed, servedBy } from './served-records';
import { sharedContext } from '../documents/shared-context';
import { teamMembership } from '../team/state';
import { ticketHandlers } from './ticket-handlers';
import { billingHandlers } from './billing-handlers';

/** Binds each protocol channel to the service that answers it. No logic of its own. */
/** Vault failures as the options page shows them: the message, at the field concerned. */
async function vaultCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VaultError) throw new HandledError(error.code, error.message, error.field ? { [error.field]: error.message } : undefined);
    throw error;
  }
}

/**
 * A one-company resync waited for; when the integration's sync was running, only until it has
 * read the company's lists first (lib/sync/company-first.ts), not the whole sync.
 */
async function companyResynced(services: BackgroundServices, { runId, readFirst }: SyncRequestResult, companyRemoteId: string) {
  if (!readFirst) {
    await services.kick();
    return resyncOutcome(await services.db.runs.get(runId));
  }
  void services.kick();
  return { status: (await whenReadFirst(services.db, runId, companyRemoteId)) ? ('succeeded' as const) : ('running' as const) };
}

/** A one-company resync as the overlay shows it; one a person stopped (options page) counts as not done. */
function resyncOutcome(run: RunRow | undefined): { status: 'running' | 'succeeded' | 'failed'; message?: string } {
  if (run?.status === 'failed') return { status: 'failed', message: run.error?.message ?? 'The resync failed.' };
  if (run?.status === 'stopped') return { status: 'failed', message: 'The resync was stopped.' };
  return { status: run?.status ?? 'running' };
}

export function createHandlers(services: BackgroundServices): Handlers {
  const { db } = services;
  /** Per tab, the number of the latest overlay.forPage question (lib/background/served-records.ts). */
  const latestQuestion = new Map<number, number>();
  /** The integration configured for the sender's page origin, as the browser stamped it. */
  const pageIntegration = async (sender: ClassifiedSender) => {
    const integration = sender.pageOrigin ? await db.integrations.where('uiOrigin').equals(sender.pageOrigin).first() : undefined;
    if (!integration) throw new HandledError('forbidden', 'This page is not a configured PSA.');
    return integration;
  };
  return {
    ...ticketHandlers(services, pageIntegration),
    ...billingHandlers(services),
    'integration.save': async (request) => {
      const { integration, note } = await saveIntegration(
        { db, vault: services.vault, hasHostPermission: services.hasHostPermission },
        { ...(request.integrationId ? { integrationId: request.integrationId } : {}), psa: request.psa, form: request.form },
      );
      await services.refreshContentScripts();
      return { integrationId: integration.id, ...(note ? { note } : {}) };
    },
    'integration.test': async (request) => {
      const info = await testIntegration(db, request.integrationId, services.adapterFor);
      return {
        companyName: info.companyName,
        ...(info.version ? { version: info.version } : {}),
        ...(info.writeRights ? { writeRights: info.writeRights } : {}),
      };
    },
    'integration.remove': async (request) => {
      const removed = await removeIntegration(db, request.integrationId);
      await services.refreshContentScripts();
      if (removed) await services.releaseOrigins(removed.origins);
      return { removed: !!removed };
    },
    'sync.start': async (request) => {
      const connected = (await db.integrations.toArray()).filter((integration) => integration.connection?.ok);
      const targets = request.integrationId
        ? [request.integrationId]
        : connected.filter((integration) => !integration.disabled).map((integration) => integration.id);
      if (!targets.length) {
        throw new HandledError(
          'nothing-to-sync',
          connected.length
            ? 'Nothing to sync: the connected integrations are turned off (Options).'
            : 'No connected integration to sync. Test the connection first.',
        );
      }
      const runs = [];
      for (const integrationId of targets) {
        runs.push({ integrationId, ...(await services.scheduler.requestSync(integrationId, 'manual')) });
      }
      void services.kick();
      return { runs };
    },
    'sync.stop': async (request) => services.scheduler.stop(request.integrationId),
    'integration.enable': async (request) => {
      const integration = await db.integrations.get(request.integrationId);
      if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
      await db.integrations.update(integration.id, { disabled: !request.enabled || undefined });
      if (!request.enabled) {
        await services.scheduler.stop(integration.id);
        await db.log.add({
          at: Date.now(),
          integrationId: integration.id,
          level: 'info',
          message: 'Turned off: nothing syncs from it or is written to it until it is turned on.',
        });
      } else {
        await db.log.add({ at: Date.now(), integrationId: integration.id, level: 'info', message: 'Turned on again.' });
        void services.ticketing.send(); // tickets that waited for it
      }
      return { enabled: request.enabled };
    },
    'sync.preview': async (request) => {
      const result = await services.scheduler.requestSync(request.integrationId, 'manual', { dryRun: true });
      void services.kick();
      return result;
    },
    'sync.preview.dismiss': async (request) => ({ dismissed: await dismissPreview(db, request.runId) }),
    'match.apply': async (request) => applyMatches(db, request.integrationId, request.decisions),
    'layouts.save': async (request) => saveLayout(db, request.layout),
    'integration.locations': async (request) => saveSyncLocations(db, request.integrationId, request.syncLocations),
    'integration.configurationTypes': async (request) => psaConfigurationTypes(await services.adapterFor(request.integrationId)),
    'rules.save': async (request) => saveSortRules(db, request.integrationId, request.rules),
    'fields.connect': async (request) => saveConnectedFields(db, request.integrationId, request.connections),
    'integration.syncOptions': async (request) => saveSyncOptions(db, request.integrationId, request.options),
    'integration.syncOptions.preview': async (request) => previewSyncOptions(db, request.integrationId, request.options),
    'rules.preview': async (request) => previewSortRules(db, request.integrationId, request.rules),
    'vault.status': async () => services.vault.status(),
    'vault.unlock': async (request) => {
      await vaultCall(() => services.vault.unlock(request.passphrase));
      void services.kick(); // runs that waited for the credentials can go on
      void services.team.restart().catch((error: unknown) => console.warn('Sidecar could not start the team replication', error));
      return services.vault.status();
    },
    'vault.lock': async () => {
      await services.vault.lock();
      return services.vault.status();
    },
    'vault.passphrase': async (request) => vaultCall(() => services.vault.setPassphrase(request.next, request.current)),
    'records.link': async (request) => {
      const url = (await services.adapterFor(request.integrationId)).recordUrl(request.entity, request.remoteId);
      return url ? { url } : {};
    },
    'records.search': async (request) => services.search.search(request.query, request.limit),
    'records.restore': async (request) => {
      await restoreRecord(db, request.integrationId, request.entity, request.remoteId);
      return { restored: true };
    },
    'setup.import': async (request) => importSetup(db, request.text, { passphrase: request.passphrase, documents: services.documents }),
    'setup.export': async (request) => {
      await services.documents.catchUp();
      return exportSetupFile(db, { credentials: request.credentials ? { passphrase: request.credentials.passphrase, vault: services.vault } : undefined });
    },
    'author.save': async (request) => ({ name: (await saveAuthorName(db, request.name)).name }),
    'team.test': async (request) => services.team.test(request),
    'integration.refreshPages': async () => {
      await services.refreshContentScripts();
      return { refreshed: true };
    },
    'team.join': async ({ passphrase, ...settings }) => {
      const joined = await services.team.join(settings, passphrase);
      return { created: joined.created, teamId: joined.membership.teamId };
    },
    'team.leave': async () => {
      const membership = await teamMembership(db);
      await services.team.leave();
      // The team server's site was allowed for the team: given back, unless a PSA's integration uses that host too.
      if (membership) await services.releaseOrigins([new URL(membership.serverUrl).origin]);
      return { left: true };
    },
    'team.leases': async () => {
      const [leases, shared, integrations] = await Promise.all([services.team.leases(), sharedContext(db), db.integrations.toArray()]);
      const labelOf = (source: string) => integrations.find((integration) => shared.sources.get(integration.id)?.source === source)?.label ?? source;
      return { leases: leases.map(({ source, ...lease }) => ({ label: labelOf(source), ...lease })) };
    },
    'team.restart': async () => {
      await services.team.restart();
      return { restarted: true };
    },
    'spaces.create': async (request) => {
      const space = await createSpace(db, request.name);
      return { spaceId: space.id, name: space.name };
    },
    'spaces.rename': async (request) => ({ name: (await renameSpace(db, request.spaceId, request.name)).name }),
    'spaces.archive': async (request) => ({ archived: (await archiveSpace(db, request.spaceId, request.archived)).archivedAt !== undefined }),
    'spaces.merge': async (request) => {
      const { matches } = await mergeSpaces(db, request.fromId, request.intoId);
      return { matches, documents: await services.documents.moveStragglers() };
    },
    'docs.note.save': async (request) => services.documents.saveNote(request),
    'docs.article.save': async (request) => services.documents.saveArticle(request),
    'docs.field.save': async (request) => services.documents.saveFieldValue(request),
    'docs.bin': async (request) => services.documents.bin(request.id, request.baseRev),
    'docs.unbin': async (request) => services.documents.unbin(request.id, request.baseRev),
    'docs.history': async (request) => ({ entries: await services.documents.history(request.id) }),
    'docs.version.restore': async (request) => services.documents.restoreVersion(request.id, request.rev, request.baseRev),
    'docs.credential.save': async (request) => services.documents.saveCredential(request),
    'docs.credential.reveal': async (request) => services.documents.revealCredential(request.id),
    'schedule.save': async (request) => {
      const saved = await saveSchedule(db, request);
      await services.applySchedule();
      return { intervalHours: saved.intervalHours };
    },
    'sync.company': async (request) => {
      const result = await services.scheduler.requestCompanySync(request.integrationId, request.companyRemoteId);
      void services.kick();
      return result;
    },
    'overlay.refresh': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'ready' });
      return companyResynced(services, await services.scheduler.requestCompanySync(integration.id, request.companyRemoteId), request.companyRemoteId);
    },
    'overlay.match': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'not-matched' });
      const matched = await matchFromOverlay(db, integration.id, request.companyRemoteId);
      // Its records arrive now: a one-company resync, waited for like "Refresh now".
      return {
        ...matched,
        ...(await companyResynced(services, await services.scheduler.requestCompanySync(integration.id, request.companyRemoteId), request.companyRemoteId)),
      };
    },
    'overlay.context': async (_request, sender) => {
      if (!sender.pageOrigin) return { psa: null };
      const integration = await db.integrations.where('uiOrigin').equals(sender.pageOrigin).first();
      return { psa: integration?.psa ?? null };
    },
    'overlay.forPage': async (request, sender) => {
      if (!sender.pageOrigin) throw new HandledError('forbidden', 'Unknown page.');
      const tabId = sender.tabId;
      // Only the answer to a tab's latest question says what it shows (answers may finish out of order).
      const turn = tabId === undefined ? 0 : (latestQuestion.set(tabId, (latestQuestion.get(tabId) ?? 0) + 1), latestQuestion.get(tabId)!);
      const view = await buildOverlayView(
        {
          db,
          adapterFor: services.adapterFor,
          tickets: services.tickets,
          vaultLocked: async () => {
            const status = await services.vault.status();
            return status.protected && status.locked;
          },
          ...(tabId !== undefined ? { mayAskPsa: () => services.lookupBudget.take(String(tabId)) } : {}),
          // A company opened while its lists are still to be imported: read first, now.
          readFirst: async (integrationId, companyRemoteId) => {
            const result = await services.scheduler.readCompanyFirst(integrationId, companyRemoteId);
            if (result?.entities.length) void services.kick();
            return result;
          },
        },
        sender.pageOrigin,
        {
          psa: request.page.psa,
          kind: request.page.kind,
          ...(request.page.id ? { id: request.page.id } : {}),
          ...(request.page.hints ? { hints: request.page.hints } : {}),
        },
      );
      if (tabId !== undefined && latestQuestion.get(tabId) === turn) {
        const integration = await db.integrations.where('uiOrigin').equals(sender.pageOrigin).first();
        await services.served.set(tabId, servedBy(view, integration?.id));
        void showBadge(tabId, badgeFor(view)).catch(() => {});
      }
      return view;
    },
    'overlay.note.save': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'ready' });
      if (request.noteId) {
        await requireOverlayNote(db, integration.id, request.companyRemoteId, request.noteId);
        return services.documents.saveNote({ id: request.noteId, baseRev: request.baseRev, text: request.text });
      }
      const place = await overlayNotePlace(db, integration.id, request.companyRemoteId, request.about);
      return services.documents.saveNote({ place, text: request.text });
    },
    'overlay.field.save': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'ready' });
      const layoutId = await overlayFieldLayout(db, integration.id, request.companyRemoteId, request.entity, request.remoteId);
      const { companyRemoteId: _served, ...target } = request;
      return services.documents.saveFieldValue({ ...target, integrationId: integration.id, layoutId });
    },
    'overlay.openSpace': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'ready' });
      const match = await db.matches.get([integration.id, request.companyRemoteId]);
      if (match?.state !== 'matched' || !match.clientSpaceId) throw new HandledError('not-found', 'This company is not matched to a client space any more.');
      // An article of this client or one of the MSP's own, never another client's.
      const article = request.articleId ? await db.docs.get(request.articleId) : undefined;
      if (request.articleId && (article?.kind !== 'article' || (article.spaceId !== GLOBAL_SPACE && article.spaceId !== match.clientSpaceId))) {
        throw new HandledError('forbidden', 'That article is not one of this client’s.');
      }
      const path = `/space.html#/space/${encodeURIComponent(match.clientSpaceId)}${article ? `/article/${encodeURIComponent(article.id)}` : ''}`;
      await browser.tabs.create({ url: browser.runtime.getURL(path as '/space.html') });
      return { opened: true };
    },
    'overlay.credential.copy': async (request, sender) => {
      const integration = await pageIntegration(sender);
      await requireServed(services.served, sender.tabId, { integrationId: integration.id, companyRemoteId: request.companyRemoteId, state: 'ready' });
      const match = await db.matches.get([integration.id, request.companyRemoteId]);
      if (match?.state !== 'matched' || !match.clientSpaceId) throw new HandledError('not-found', 'This company is not matched to a client space any more.');
      // Only a credential of that client is opened, and its secret goes to the clipboard, never into the reply.
      const secret = await services.documents.credentialSecret(request.credentialId, match.clientSpaceId);
      const { clearsInSeconds } = await services.clipboard.copy(secret);
      return { copied: true as const, clearsInSeconds };
    },
    'overlay.openOptions': async () => {
      await browser.runtime.openOptionsPage();
      return { opened: true };
    },
    'overlay.frame.register': async (request, sender) => {
      if (sender.tabId === undefined) throw new HandledError('forbidden', 'Unknown page.');
      await services.frameSecrets.set(sender.tabId, request.secret);
      return { registered: true };
    },
    // Only an extension page shown in a tab asks: the overlay's frame, in the tab whose host registered.
    'overlay.frame.secret': async (_request, sender) => ({
      secret: sender.tabId === undefined ? null : ((await services.frameSecrets.get(sender.tabId)) ?? null),
    }),
    'overlay.left': async (_request, sender) => {
      if (sender.tabId !== undefined) await Promise.all([clearBadge(sender.tabId), services.served.set(sender.tabId, undefined)]);
      return { cleared: sender.tabId !== undefined };
    },
  };
}
