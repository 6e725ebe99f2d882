import type { ClientSpaceRow, IntegrationRow, MatchRow, SidecarDb } from '../db/schema';
import type { OverlayItem } from '../items/item-model';
import { toItem } from '../items/to-item';
import type { EntityKind } from '../psa/types';
import { searchRecords, type SearchHit } from './query';
import { clientSpacesByCompany, companyKey } from './rules';

/** A palette row: the record, where it belongs, and its details for when it has no link. */
export interface PaletteResult {
  key: string;
  integrationId: string;
  entity: EntityKind;
  remoteId: string;
  kind: string;
  clientSpace?: string;
  source: string;
  item: OverlayItem;
}

const KIND: Record<EntityKind, string> = { company: 'Client', contact: 'Contact', configuration: 'Configuration', agreement: 'Agreement', site: 'Site' };

/** Straight from IndexedDB (the background serves the palette from its index: lib/search/service.ts). */
export async function paletteResults(db: SidecarDb, query: string, limit = 30): Promise<PaletteResult[]> {
  const matches = await db.matches.toArray();
  const hits = await searchRecords(db, query, limit, matches);
  if (!hits.length) return [];
  const [spaces, integrations] = await Promise.all([db.clientSpaces.toArray(), db.integrations.toArray()]);
  return toPaletteResults(hits.map(shown), matches, spaces, integrations);
}

/** What a palette row needs of a record. */
export interface ShownRecord {
  integrationId: string;
  entity: EntityKind;
  remoteId: string;
  companyRemoteId: string;
  item: OverlayItem;
}

export const shown = ({ row }: SearchHit): ShownRecord => ({
  integrationId: row.integrationId,
  entity: row.entity,
  remoteId: row.remoteId,
  companyRemoteId: row.companyRemoteId,
  item: toItem(row, undefined),
});

export function toPaletteResults(hits: ShownRecord[], matches: MatchRow[], spaces: ClientSpaceRow[], integrations: IntegrationRow[]): PaletteResult[] {
  const spaceOf = clientSpacesByCompany(matches);
  const spaceName = new Map(spaces.map((space) => [space.id, space.name]));
  const label = new Map(integrations.map((integration) => [integration.id, integration.label]));
  return hits.map((row) => {
    const clientSpace = spaceName.get(spaceOf.get(companyKey(row.integrationId, row.companyRemoteId)) ?? '');
    return {
      key: `${row.integrationId}:${row.entity}:${row.remoteId}`,
      integrationId: row.integrationId,
      entity: row.entity,
      remoteId: row.remoteId,
      kind: KIND[row.entity],
      ...(clientSpace ? { clientSpace } : {}),
      source: label.get(row.integrationId) ?? row.integrationId,
      item: row.item,
    };
  });
}
