import { liveQuery } from 'dexie';
import { browser } from '../browser';
import type { SidecarDb } from '../db/schema';
import { destroyDocStore, type DocStore, type remoteStore } from '../docstore/pouch';
import type { DocumentService } from '../documents/service';
import { hostPattern } from '../host-pattern';
import { removeIntegration } from '../integrations/service';
import type { Vault } from '../secrets/vault';
import { managedTeamSettings } from '../team/managed';
import { resealForTeam } from '../team/reseal';
import { TeamService } from '../team/service';
import { teamMembership } from '../team/state';

/**
 * The team (#15) wired to this browser's documentation and setup: what a pull brings is settled
 * and projected; what a person changes here is published; the worker is kept alive while the live
 * replication runs (it dies with the worker: toolchain.md §13).
 */

/** An extension API call this often keeps the worker (and so the live replication) alive. */
const KEEP_ALIVE_MS = 20_000;

export interface TeamWiring {
  team: TeamService;
  /** Starts watching the setup for changes to publish (once per worker). */
  watchSetup(onOriginsChanged: () => Promise<void>): void;
}

export function wireTeam(deps: { db: SidecarDb; vault: Vault; documents: DocumentService; local: () => DocStore; remote: typeof remoteStore }): TeamWiring {
  const { db, vault, documents } = deps;
  // Pulls arrive in bursts: one pass at a time over what arrived (conflicts settled, then
  // projected), and one more if anything came meanwhile.
  const pulledIds = new Set<string>();
  let projecting: Promise<void> | undefined;
  const projectPulled = (ids: readonly string[]): void => {
    for (const id of ids) pulledIds.add(id);
    if (projecting) return;
    const batch = [...pulledIds];
    pulledIds.clear();
    projecting = documents
      .settleConflicts(batch)
      .then(() => undefined)
      .catch((error: unknown) => console.warn('Sidecar could not take in what the team sent', error))
      .finally(() => {
        projecting = undefined;
        if (pulledIds.size) projectPulled([]);
      });
  };
  /** The integrations this browser has synced itself (their records may be the first the team gets). */
  const syncedHere = async () =>
    (await db.integrations.toArray()).filter((integration) => integration.connection?.ok && integration.lastSyncAt).map((integration) => integration.id);

  const team = new TeamService({
    db,
    vault,
    local: deps.local,
    remote: deps.remote,
    prepare: async () => {
      // Boxes under this browser's own key are re-sealed for the team before any is sent; every
      // client space, source, match and layout has its document, and records theirs if the team has none yet.
      await documents.exclusive(({ store }) => resealForTeam(store, db, vault));
      await documents.publishSpaces();
      await documents.publishShared();
      // Written to the team server directly: one that does not answer now must not keep the
      // replication from starting (it retries on its own); the next start publishes them.
      await team
        .publishRecords(await syncedHere(), { onlyIfFirst: true })
        .catch((error: unknown) => console.warn('Sidecar could not publish its records for the team yet', error));
      await documents.settleConflicts();
    },
    pulled: (ids) => projectPulled(ids),
    dropDocumentation: async () => {
      await documents.exclusive(async () => {
        await destroyDocStore();
        await db.transaction('rw', db.docs, db.docCursor, () => Promise.all([db.docs.clear(), db.docCursor.clear()]));
      });
      // The PSAs the team brought (no API keys here) go with it, their records and matches too.
      for (const integration of await db.integrations.toArray()) {
        if (integration.team && !integration.connection) await removeIntegration(db, integration.id);
      }
    },
    hasHostPermission: (serverUrl) => browser.permissions.contains({ origins: [hostPattern(new URL(serverUrl).origin)] }),
    managed: managedTeamSettings,
  });

  const keepAlive = setInterval(() => {
    if (team.busy) void browser.runtime.getPlatformInfo().catch(() => undefined);
  }, KEEP_ALIVE_MS);
  // Tests create services without a worker: the interval must not keep Node alive.
  (keepAlive as { unref?: () => void }).unref?.();

  let watching: { unsubscribe(): void }[] | undefined;
  return {
    team,
    watchSetup(onOriginsChanged) {
      if (watching) return;
      // What a person changes here (by any page or handler) is published: client spaces always
      // (their documents hold the documentation's places), the rest of the setup while in a team.
      // A source the team brings may add a PSA site for the overlay.
      let origins = '';
      const setup = liveQuery(() =>
        Promise.all([db.clientSpaces.toArray(), db.integrations.toArray(), db.matches.toArray(), db.layouts.toArray(), db.sortRules.toArray()]),
      ).subscribe({
        next: ([, integrations]) => {
          void (async () => {
            // A start is pulling what the team has (and applying it here): it publishes when the pull
            // ends. A PSA site the pull brings is taken up at once all the same.
            if (!team.holdsPublishing) {
              await documents.publishSpaces();
              if (await teamMembership(db)) await documents.publishShared();
            }
            const now = JSON.stringify(integrations.map((integration) => integration.uiOrigin).sort());
            if (origins && now !== origins) await onOriginsChanged();
            origins = now;
          })().catch((error: unknown) => console.warn('Sidecar could not publish its setup for the team', error));
        },
        error: (error: unknown) => console.warn('Sidecar stopped watching its setup', error),
      });
      // A ticket looked up here is shared with the team. Watched apart: every overlay on a new
      // ticket writes one, and the setup's tables (thousands of spaces and matches) are not
      // re-read, nor the spaces re-published, for it (#17: that was most of the worker's time per new ticket).
      let firstTicket = true;
      const tickets = liveQuery(() => db.tickets.orderBy('fetchedAt').last()).subscribe({
        next: () => {
          // The setup's own first pass publishes what was already there.
          if (firstTicket) return void (firstTicket = false);
          void (async () => {
            if (!team.holdsPublishing && (await teamMembership(db))) await documents.publishShared();
          })().catch((error: unknown) => console.warn('Sidecar could not publish a ticket for the team', error));
        },
        error: (error: unknown) => console.warn('Sidecar stopped watching its ticket answers', error),
      });
      watching = [setup, tickets];
    },
  };
}
