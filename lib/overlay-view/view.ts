import Dexie from 'dexie';
import type { IntegrationRow, RecordRow, SidecarDb } from '../db/schema';
import type { OverlayView } from './view-model';
import type { OverlayItem } from '../items/item-model';
import { isPsaError } from '../psa/errors';
import type { EntityKind, PsaAdapter } from '../psa/types';
import { toItem, withMainSiteAddress } from '../items/to-item';
import { connectedValues } from '../layouts/connected-fields';
import { agreementIsActive, coveringAgreement } from './coverage';
import { freshnessOf } from './freshness';
import { lookupTicket, teamTicket, ticketFromPage, TicketCache, type TicketLookup } from './tickets';
import { overlayMatchOffer } from '../match/overlay-match';
import type { LookupGrant } from './lookup-budget';
import { overlayArticles, overlayNotes } from './notes';
import { overlayCredentials } from './credentials';
import { sourceKeyOf } from '../documents/places';
import { handValues } from '../documents/hand-values';
import { displayValue } from '../documents/field-values';
import { companiesReadFirst, companyStanding, COMPANIES_FIRST_PER_RUN, readableForOneCompany, type CompanyStanding } from '../sync/company-first';
import type { ReadFirstResult } from '../sync/scheduler';
import { importingNote } from './importing';
import { shortSourceLabels } from '../psa/short-label';

/** The integration's PSA tenant, or none when its settings no longer parse (its notes then do not show). */
function sourceKeyOrNone(integration: IntegrationRow): string | undefined {
  try {
    return sourceKeyOf(integration);
  } catch {
    return undefined;
  }
}

export { TicketCache };

/**
 * What the overlay shows for one detected page. The integration is chosen by the page's origin
 * as the browser stamped it on the message, so a content script only ever sees data of the PSA
 * it runs on.
 */

export interface OverlayPage {
  psa: IntegrationRow['psa'];
  kind: EntityKind | 'ticket' | 'other';
  id?: string;
  /** Names a ticket page shows (untrusted page content: only used to pick among this PSA's own companies). */
  hints?: { companyName?: string; contactName?: string };
}

export interface OverlayDeps {
  db: SidecarDb;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  tickets: TicketCache;
  /** Whether the vault is locked (credentials are then listed as locked); not locked when not given. */
  vaultLocked?: () => Promise<boolean>;
  /** Reads the company's lists ahead of the integration's running sync (SyncScheduler.readCompanyFirst); not given: they wait for the sync. */
  readFirst?: (integrationId: string, companyRemoteId: string) => Promise<ReadFirstResult | undefined>;
  /** Whether this page may start a PSA lookup now (lib/overlay-view/lookup-budget.ts); cached answers never ask. */
  mayAskPsa?: () => LookupGrant;
  now?: () => number;
}

const CHILD_KINDS = ['contact', 'configuration', 'agreement', 'site'] as const;
/** What a ready view reads (lib/overlay-view/*.ts and freshness), in one read transaction. */
const VIEW_TABLES = (db: SidecarDb) => [
  db.records,
  db.matches,
  db.clientSpaces,
  db.integrations,
  db.layouts,
  db.docs,
  db.preferences,
  db.runs,
  db.cursors,
  db.ticketOutbox,
];

export async function buildOverlayView(deps: OverlayDeps, pageOrigin: string, page: OverlayPage): Promise<OverlayView> {
  const { db } = deps;
  const integration = await db.integrations.where('uiOrigin').equals(pageOrigin).first();
  if (!integration || integration.psa !== page.psa) {
    return { state: 'not-configured', message: 'This PSA is not set up in Sidecar. Open Sidecar’s options to connect it.' };
  }
  // A PSA the team brought (#15), with no API keys here: its records come from the team.
  const fromTeam = !!integration.team && !integration.connection;
  if (!integration.connection?.ok && !fromTeam) {
    return { state: 'not-configured', message: `${integration.label} is not connected yet. Open Sidecar’s options and test the connection.` };
  }
  if (!integration.lastSyncAt) {
    return {
      state: 'not-synced',
      message: fromTeam
        ? 'Your team has not synced this PSA yet: its records arrive when a teammate’s browser syncs it.'
        : 'Sidecar has not synced this PSA yet. Start a sync from the options page or the toolbar popup.',
    };
  }
  if (!page.id || page.kind === 'other') return { state: 'not-found', message: 'This page shows no record Sidecar knows.' };

  let adapter: PsaAdapter | undefined;
  try {
    adapter = await deps.adapterFor(integration.id);
  } catch {
    adapter = undefined; // Links to the PSA are a nicety; the synced data still shows.
  }

  const now = (deps.now ?? Date.now)();
  let companyRemoteId: string;
  let ticket: TicketLookup | undefined;
  if (page.kind === 'company') {
    companyRemoteId = page.id;
  } else if (page.kind === 'ticket') {
    const pageId = page.id;
    if (!adapter && fromTeam) {
      // No API keys here: the team's last answer for this ticket, else the names the page shows.
      ticket = await teamTicket(db, integration.id, pageId, page.hints);
      if (!ticket) {
        return {
          state: 'error',
          message: `Nobody in your team has looked ticket #${pageId} up yet, and this browser has no API keys for ${integration.label}: open the ticket’s company page, or add your keys in Sidecar’s options.`,
        };
      }
    }
    if (!adapter && !ticket) return { state: 'error', message: `${integration.label} has incomplete credentials; open Sidecar’s options.` };
    const grant = ticket || deps.tickets.has(`${integration.id}:${pageId}`, now) ? undefined : deps.mayAskPsa?.();
    if (grant && !grant.ok) {
      const seconds = Math.ceil(grant.retryAfterMs / 1000);
      return {
        state: 'error',
        message: `This tab changed pages too often: Sidecar looks ticket #${pageId} up in ${integration.label} in ${seconds} s.`,
        retryAfterMs: grant.retryAfterMs,
      };
    }
    try {
      ticket ??= await lookupTicket(db, deps.tickets, integration.id, pageId, () => adapter!.getTicket(pageId), now);
      companyRemoteId = ticket.info.companyRemoteId;
    } catch (error) {
      if (isPsaError(error) && error.code === 'not-found') return { state: 'not-found', message: error.message };
      // The PSA cannot say: the names the page shows may still pick the company.
      const fromPage = await ticketFromPage(db, integration.id, page.id, page.hints, error);
      if (!fromPage) return { state: 'error', message: `Could not look up ticket #${page.id}: ${error instanceof Error ? error.message : String(error)}` };
      ticket = fromPage;
      companyRemoteId = ticket.info.companyRemoteId;
    }
  } else {
    const record = await db.records.get([integration.id, page.kind, page.id]);
    if (!record) {
      return { state: 'not-found', message: `This ${page.kind} is not in Sidecar: its company may not be matched, or it was added after the last sync.` };
    }
    companyRemoteId = record.companyRemoteId;
  }

  // Whether credentials show as locked: asked before the reads below, which await nothing but IndexedDB.
  const locked = await (deps.vaultLocked ?? (async () => false))().catch(() => false);
  // The rest only reads IndexedDB: in one read transaction instead of one per query (each is a
  // round trip to the browser's IndexedDB; #17). Other sources' adapters (their credentials are
  // decrypted) are made after it, for the links only.
  const adapters = new Map<string, PsaAdapter | undefined>([[integration.id, adapter]]);
  const read = await db.transaction('r', VIEW_TABLES(db), () => readView(integration));
  if (read.kind === 'not-matched') {
    const { company } = read;
    // An archived company (inactive in the PSA) is matched from the Museum first, not from here.
    const offer = company.archivedAt === undefined ? await overlayMatchOffer(db, integration.id, companyRemoteId) : undefined;
    return {
      state: 'not-matched',
      company: { remoteId: companyRemoteId, name: (company.data as { name: string }).name },
      lastSyncAt: integration.lastSyncAt,
      ...(offer ? { offer } : { archived: true }),
    };
  }
  if (read.kind === 'view') {
    for (const integrationId of read.sources) {
      if (!adapters.has(integrationId)) adapters.set(integrationId, await deps.adapterFor(integrationId).catch(() => undefined));
    }
    const importing = await importingNow(read.standing);
    return { ...read.view(), ...(importing ? { importing } : {}) };
  }
  return read.view;

  /** A running sync that has not imported this company's lists yet is asked to read them first. */
  async function importingNow(standing: CompanyStanding & { mayReadFirst: boolean }): Promise<ReturnType<typeof importingNote>> {
    let { fetching, waiting } = standing;
    const readable = waiting.filter((entity) => adapter && readableForOneCompany(adapter.capabilities, entity));
    if (readable.length && standing.mayReadFirst && deps.readFirst) {
      const put = (await deps.readFirst(integration!.id, companyRemoteId).catch(() => undefined))?.entities ?? [];
      fetching = [...fetching, ...put];
      waiting = waiting.filter((entity) => !put.includes(entity));
    }
    return importingNote(fetching, waiting);
  }

  async function readView(
    integration: IntegrationRow,
  ): Promise<
    | { kind: 'done'; view: OverlayView }
    | { kind: 'not-matched'; company: RecordRow }
    | { kind: 'view'; sources: string[]; standing: CompanyStanding & { mayReadFirst: boolean }; view: () => OverlayView }
  > {
    const [company, match] = await Promise.all([
      db.records.get([integration.id, 'company', companyRemoteId]),
      db.matches.get([integration.id, companyRemoteId]),
    ]);
    if (!company) {
      return {
        kind: 'done',
        view: {
          state: 'not-found',
          message: 'This company is not in Sidecar yet: it was probably added after the last sync. Sync now (in Sidecar’s popup) to bring it in.',
        },
      };
    }
    const clientSpace = match?.state === 'matched' && match.clientSpaceId ? await db.clientSpaces.get(match.clientSpaceId) : undefined;
    if (!clientSpace) return { kind: 'not-matched', company };

    // One client space can be fed by several PSAs (e.g. during a migration): gather every matched
    // company's records, and say where each came from when there is more than one source.
    const sources = (await db.matches.where('clientSpaceId').equals(clientSpace.id).toArray()).filter((match) => match.state === 'matched');
    const integrations = new Map(
      (await db.integrations.bulkGet(sources.map((source) => source.integrationId))).filter((row): row is IntegrationRow => !!row).map((row) => [row.id, row]),
    );
    const live = sources.filter((source) => integrations.has(source.integrationId));
    const [children, layoutList] = await Promise.all([
      Promise.all(
        CHILD_KINDS.map(async (entity) => {
          // Read whole (getAll) and filtered here: a filtered Dexie query walks a cursor, one request per row.
          const rows = await Promise.all(
            live.map((source) =>
              db.records.where('[integrationId+entity+companyRemoteId]').equals([source.integrationId, entity, source.companyRemoteId]).toArray(),
            ),
          );
          return rows
            .flat()
            .filter((row) => row.archivedAt === undefined)
            .sort((a, b) => a.sortName.localeCompare(b.sortName));
        }),
      ),
      db.layouts.toArray(),
    ]);
    const [contacts, configurations, agreements, sites] = children as [RecordRow[], RecordRow[], RecordRow[], RecordRow[]];
    const severalSources = new Set(live.map((source) => source.integrationId)).size > 1;
    const badges = shortSourceLabels([...integrations.values()]);
    const focusKind = page.kind === 'ticket' || page.kind === 'company' ? undefined : page.kind;
    const layoutRows = new Map(layoutList.map((layout) => [layout.id, layout]));
    // The ticket's contact and configurations come first, flagged; so does its agreement.
    const onTicket = new Set<string>();
    if (ticket) {
      const key = (entity: EntityKind, remoteId: string) => `${integration.id}:${entity}:${remoteId}`;
      if (ticket.info.contactRemoteId) onTicket.add(key('contact', ticket.info.contactRemoteId));
      for (const remoteId of ticket.info.configurationRemoteIds ?? []) onTicket.add(key('configuration', remoteId));
    }
    const isOnTicket = (row: RecordRow) => onTicket.has(`${row.integrationId}:${row.entity}:${row.remoteId}`);
    const ticketFirst = (rows: RecordRow[]) => [...rows.filter(isOnTicket), ...rows.filter((row) => !isOnTicket(row))];

    const sourceKeys = new Map([...integrations].flatMap(([id, row]) => (sourceKeyOrNone(row) ? [[id, sourceKeyOrNone(row)!]] : [])));
    const documented = [...contacts, ...configurations, ...sites].flatMap((row) => {
      const source = sourceKeys.get(row.integrationId);
      return source ? [{ row, source, title: toItem(row, undefined).title }] : [];
    });
    const keyOf = (row: RecordRow) => `${sourceKeys.get(row.integrationId)}/${row.entity}/${row.remoteId}`;
    // What technicians wrote, read while the rest of the view is worked out (awaited together below):
    // hand-filled values beside what the PSA's connected fields show, and the article titles.
    const handsRead = handValues(
      db,
      documented.map(({ row }) => keyOf(row)),
    );
    const articlesRead = overlayArticles(db, clientSpace.id);
    // Awaited below; a failure before then must not go unhandled meanwhile.
    void handsRead.catch(() => undefined);
    void articlesRead.catch(() => undefined);
    let hands: Awaited<typeof handsRead> = new Map();

    const item = (row: RecordRow) => {
      const layout = layoutRows.get(row.layoutId ?? '');
      const connected = connectedValues(row, layout, integrations.get(row.integrationId)?.options?.connectedFields ?? []);
      const filled = hands.get(keyOf(row));
      if (filled && layout?.fields) {
        for (const field of layout.fields) {
          const hand = filled.get(`${layout.id}/${field.id}`);
          if (hand && !hand.binned && !connected.some((shown) => shown.label === field.name))
            connected.push({ label: field.name, value: displayValue(hand.value) });
        }
      }
      const base: OverlayItem = toItem(row, adapters.get(row.integrationId)?.recordUrl(row.entity, row.remoteId), connected);
      const connections = integrations.get(row.integrationId)?.options?.connectedFields ?? [];
      const handFields = (layout?.fields ?? []).filter(
        (field) => !connections.some((connection) => connection.layoutId === layout!.id && connection.fieldId === field.id),
      );
      if (handFields.length && sourceKeys.has(row.integrationId) && (row.entity === 'contact' || row.entity === 'configuration' || row.entity === 'site')) {
        base.editable = {
          entity: row.entity,
          fields: handFields.map((field) => {
            const hand = filled?.get(`${layout!.id}/${field.id}`);
            return {
              fieldId: field.id,
              label: field.name,
              type: field.type ?? 'text',
              ...(field.options ? { options: field.options } : {}),
              ...(hand && !hand.binned ? { value: hand.value } : {}),
              ...(hand ? { rev: hand.rev } : {}),
            };
          }),
        };
      }
      const sourced = severalSources ? { ...base, source: badges.get(row.integrationId) ?? row.integrationId } : base;
      const onTicket = isOnTicket(row) ? { ...sourced, onTicket: true } : sourced;
      // "New ticket" on a row: only the page's own company's contacts and configurations (#16).
      const ticketable =
        row.integrationId === integration.id && row.companyRemoteId === companyRemoteId && (row.entity === 'contact' || row.entity === 'configuration');
      const flagged = ticketable ? { ...onTicket, ticketAs: row.entity as 'contact' | 'configuration' } : onTicket;
      return focusKind === row.entity && row.remoteId === page.id && row.integrationId === integration.id ? { ...flagged, focused: true } : flagged;
    };

    const byLayout = new Map<string, RecordRow[]>();
    for (const row of ticketFirst(configurations)) {
      const name = layoutRows.get(row.layoutId ?? '')?.name ?? 'Configurations';
      byLayout.set(name, [...(byLayout.get(name) ?? []), row]);
    }
    const { lastSyncAt, stale, failed } = await freshnessOf(db, integration, now);
    const today = new Date(now).toISOString().slice(0, 10);
    const coverage = ticket ? coveringAgreement(agreements, ticket.info, integration.id, today) : undefined;
    const focusRow = focusKind
      ? [...contacts, ...configurations, ...agreements, ...sites].find(
          (row) => row.entity === focusKind && row.remoteId === page.id && row.integrationId === integration.id,
        )
      : undefined;
    // The summary says how the company is covered: "2 active, 1 not active".
    const activeCount = agreements.filter((row) => agreementIsActive(row, today)).length;
    const summary = withMainSiteAddress(
      toItem(company, adapter?.recordUrl('company', companyRemoteId)),
      company,
      sites.filter((row) => row.integrationId === company.integrationId),
    );
    if (agreements.length) {
      summary.fields.push({
        label: 'Agreements',
        value: [activeCount ? `${activeCount} active` : 'none active', agreements.length > activeCount ? `${agreements.length - activeCount} not active` : '']
          .filter(Boolean)
          .join(', '),
      });
    }

    const scope = {
      spaceId: clientSpace.id,
      records: documented,
      first: new Set([...(focusRow ? [focusRow] : []), ...contacts.filter(isOnTicket), ...configurations.filter(isOnTicket)].map(keyOf)),
    };
    const [filled, notes, credentials, articles, made] = await Promise.all([
      handsRead,
      overlayNotes(db, scope),
      overlayCredentials(db, scope, async () => locked),
      articlesRead,
      madeTickets(db, integration.id, companyRemoteId, adapter),
    ]);
    hands = filled;

    // Drawn once the other sources' adapters are there (links), after the transaction.
    const view = (): OverlayView => ({
      state: 'ready',
      company: summary,
      clientSpaceName: clientSpace.name,
      notes,
      articles,
      credentials,
      ...(focusRow ? { focus: item(focusRow) } : {}),
      ...(made.length ? { madeTickets: made } : {}),
      ...(lastSyncAt ? { lastSyncAt } : {}),
      ...(stale ? { stale } : {}),
      ...(failed ? { failed } : {}),
      ...(ticket && coverage
        ? {
            ticket: {
              id: ticket.info.ticketId,
              ...(ticket.info.summary ? { summary: ticket.info.summary } : {}),
              items: [...contacts, ...configurations].filter(isOnTicket).map(item),
              coverage: { kind: coverage.kind, message: coverage.message, ...(coverage.agreement ? { agreement: item(coverage.agreement) } : {}) },
              ...(ticket.cachedAt
                ? { cachedAt: ticket.cachedAt, offline: `${integration.label} could not be reached (${ticket.offlineReason ?? 'no answer'}).` }
                : {}),
              ...(ticket.fromPage
                ? {
                    offline: `${integration.label} could not be asked about this ticket (${ticket.offlineReason ?? 'no answer'}): its company${ticket.info.contactRemoteId ? ' and contact were' : ' was'} read from the page.`,
                  }
                : {}),
            },
          }
        : {}),
      contacts: ticketFirst(contacts).map(item),
      configurations: [...byLayout].map(([layout, rows]) => ({ layout, items: rows.map(item) })),
      agreements: coverage?.agreement ? [coverage.agreement, ...agreements.filter((row) => row !== coverage.agreement)].map(item) : agreements.map(item),
      sites: sites.map(item),
    });
    return { kind: 'view', sources: live.map((source) => source.integrationId), standing: await standingInSync(), view };
  }

  /** Where the company's lists stand in the integration's running sync, if one runs. */
  async function standingInSync(): Promise<CompanyStanding & { mayReadFirst: boolean }> {
    const run = await db.runs.where('[integrationId+status]').equals([integration!.id, 'running']).first();
    if (!run || run.dryRun || run.companyRemoteId) return { fetching: [], waiting: [], mayReadFirst: false };
    const cursors = await db.cursors.where('[integrationId+entity]').between([integration!.id, Dexie.minKey], [integration!.id, Dexie.maxKey]).toArray();
    const standing = companyStanding(run, Object.fromEntries(cursors.map((cursor) => [cursor.entity, cursor])), companyRemoteId);
    return { ...standing, mayReadFirst: companiesReadFirst(run) < COMPANIES_FIRST_PER_RUN };
  }
}

/** The latest tickets made in Sidecar for the company (the outbox keeps them), with links once the PSA has them. */
async function madeTickets(db: SidecarDb, integrationId: string, companyRemoteId: string, adapter: PsaAdapter | undefined) {
  const rows = await db.ticketOutbox.where('integrationId').equals(integrationId).toArray();
  return rows
    .filter((row) => row.companyRemoteId === companyRemoteId)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, 5)
    .map((row) => {
      const url = row.ticket ? adapter?.recordUrl('ticket', row.ticket.ticketId) : undefined;
      const number = row.ticket ? (row.ticket.ticketNumber ?? row.ticket.ticketId) : undefined;
      return { id: row.id, title: row.draft.title, state: row.state, createdAt: row.createdAt, ...(number ? { number } : {}), ...(url ? { url } : {}) };
    });
}
