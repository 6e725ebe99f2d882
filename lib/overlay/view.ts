import type { IntegrationRow, RecordRow, SidecarDb } from '../db/schema';
import type { OverlayView } from '../messaging/protocol';
import { isPsaError } from '../psa/errors';
import type { EntityKind, PsaAdapter, TicketInfo } from '../psa/types';
import { toItem } from './items';
import { connectedValues } from '../layouts/connected-fields';

/**
 * What the overlay shows for one detected page. The integration is chosen by the page's origin
 * as the browser stamped it on the message, so a content script only ever sees data of the PSA
 * it runs on.
 */

export interface OverlayPage {
  psa: IntegrationRow['psa'];
  kind: EntityKind | 'ticket' | 'other';
  id?: string;
}

export interface OverlayDeps {
  db: SidecarDb;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  tickets: TicketCache;
  now?: () => number;
}

/** Ticket -> company answers, kept briefly so flipping between tickets costs no API calls. */
export class TicketCache {
  private readonly entries = new Map<string, { at: number; info: TicketInfo }>();
  private readonly ttlMs: number;
  constructor(ttlMs = 10 * 60_000) {
    this.ttlMs = ttlMs;
  }
  async get(key: string, load: () => Promise<TicketInfo>, now = Date.now()): Promise<TicketInfo> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.info;
    const info = await load();
    this.entries.set(key, { at: now, info });
    return info;
  }
}

const CHILD_KINDS = ['contact', 'configuration', 'agreement', 'site'] as const;

export async function buildOverlayView(deps: OverlayDeps, pageOrigin: string, page: OverlayPage): Promise<OverlayView> {
  const { db } = deps;
  const integration = await db.integrations.where('uiOrigin').equals(pageOrigin).first();
  if (!integration || integration.psa !== page.psa) {
    return { state: 'not-configured', message: 'This PSA is not set up in Sidecar. Open Sidecar’s options to connect it.' };
  }
  if (!integration.connection?.ok) {
    return { state: 'not-configured', message: `${integration.label} is not connected yet. Open Sidecar’s options and test the connection.` };
  }
  if (!integration.lastSyncAt) {
    return { state: 'not-synced', message: 'Sidecar has not synced this PSA yet. Start a sync from the options page or the toolbar popup.' };
  }
  if (!page.id || page.kind === 'other') return { state: 'not-found', message: 'This page shows no record Sidecar knows.' };

  let adapter: PsaAdapter | undefined;
  try {
    adapter = await deps.adapterFor(integration.id);
  } catch {
    adapter = undefined; // Links to the PSA are a nicety; the synced data still shows.
  }

  let companyRemoteId: string;
  let ticket: { id: string; summary?: string } | undefined;
  if (page.kind === 'company') {
    companyRemoteId = page.id;
  } else if (page.kind === 'ticket') {
    if (!adapter) return { state: 'error', message: `${integration.label} has incomplete credentials; open Sidecar’s options.` };
    try {
      const pageId = page.id;
      const info = await deps.tickets.get(`${integration.id}:${pageId}`, () => adapter!.getTicket(pageId), (deps.now ?? Date.now)());
      companyRemoteId = info.companyRemoteId;
      ticket = { id: info.ticketId, ...(info.summary ? { summary: info.summary } : {}) };
    } catch (error) {
      if (isPsaError(error) && error.code === 'not-found') return { state: 'not-found', message: error.message };
      return { state: 'error', message: `Could not look up ticket #${page.id}: ${error instanceof Error ? error.message : String(error)}` };
    }
  } else {
    const record = await db.records.get([integration.id, page.kind, page.id]);
    if (!record) {
      return { state: 'not-found', message: `This ${page.kind} is not in Sidecar: its company may not be matched, or it was added after the last sync.` };
    }
    companyRemoteId = record.companyRemoteId;
  }

  const company = await db.records.get([integration.id, 'company', companyRemoteId]);
  if (!company) {
    return { state: 'not-found', message: 'This company is not in Sidecar yet: it was probably added after the last sync. Resync to bring it in.' };
  }
  const match = await db.matches.get([integration.id, companyRemoteId]);
  const clientSpace = match?.state === 'matched' && match.clientSpaceId ? await db.clientSpaces.get(match.clientSpaceId) : undefined;
  if (!clientSpace) {
    return {
      state: 'not-matched',
      company: { remoteId: companyRemoteId, name: (company.data as { name: string }).name },
      lastSyncAt: integration.lastSyncAt,
    };
  }

  // One client space can be fed by several PSAs (e.g. during a migration): gather every matched
  // company's records, and say where each came from when there is more than one source.
  const sources = (await db.matches.where('clientSpaceId').equals(clientSpace.id).toArray()).filter((match) => match.state === 'matched');
  const integrations = new Map((await db.integrations.bulkGet(sources.map((source) => source.integrationId))).filter((row): row is IntegrationRow => !!row).map((row) => [row.id, row]));
  const live = sources.filter((source) => integrations.has(source.integrationId));
  const adapters = new Map<string, PsaAdapter | undefined>([[integration.id, adapter]]);
  for (const source of live) {
    if (!adapters.has(source.integrationId)) adapters.set(source.integrationId, await deps.adapterFor(source.integrationId).catch(() => undefined));
  }
  const children = await Promise.all(
    CHILD_KINDS.map(async (entity) => {
      const rows = await Promise.all(
        live.map((source) =>
          db.records
            .where('[integrationId+entity+companyRemoteId]')
            .equals([source.integrationId, entity, source.companyRemoteId])
            .filter((row) => row.archivedAt === undefined)
            .toArray(),
        ),
      );
      return rows.flat().sort((a, b) => a.sortName.localeCompare(b.sortName));
    }),
  );
  const [contacts, configurations, agreements, sites] = children as [RecordRow[], RecordRow[], RecordRow[], RecordRow[]];
  const severalSources = new Set(live.map((source) => source.integrationId)).size > 1;
  const focusKind = page.kind === 'ticket' || page.kind === 'company' ? undefined : page.kind;
  const layoutRows = new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout]));
  const item = (row: RecordRow) => {
    const connected = connectedValues(row, layoutRows.get(row.layoutId ?? ''), integrations.get(row.integrationId)?.options?.connectedFields ?? []);
    const base = toItem(row, adapters.get(row.integrationId)?.recordUrl(row.entity, row.remoteId), connected);
    const sourced = severalSources ? { ...base, source: integrations.get(row.integrationId)?.label ?? row.integrationId } : base;
    return focusKind === row.entity && row.remoteId === page.id && row.integrationId === integration.id ? { ...sourced, focused: true } : sourced;
  };

  const byLayout = new Map<string, RecordRow[]>();
  for (const row of configurations) {
    const name = layoutRows.get(row.layoutId ?? '')?.name ?? 'Configurations';
    byLayout.set(name, [...(byLayout.get(name) ?? []), row]);
  }

  return {
    state: 'ready',
    company: toItem(company, adapter?.recordUrl('company', companyRemoteId)),
    clientSpaceName: clientSpace.name,
    lastSyncAt: integration.lastSyncAt,
    ...(ticket ? { ticket } : {}),
    contacts: contacts.map(item),
    configurations: [...byLayout].map(([layout, rows]) => ({ layout, items: rows.map(item) })),
    agreements: agreements.map(item),
    sites: sites.map(item),
  };
}
