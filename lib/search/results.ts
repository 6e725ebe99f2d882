import type { ClientSpaceRow, IntegrationRow, LayoutRow, MatchRow, RecordRow } from '../db/schema';
import type { OverlayItem } from '../items/item-model';
import { toItem } from '../items/to-item';
import type { EntityKind } from '../psa/types';
import { ALL_CLIENTS, DOCUMENT_LABEL, documentHref, fieldTitle, type FoundDocument } from './documents';
import { clientSpacesByCompany, companyKey, type DocumentKind } from './rules';
import { shortSourceLabels } from '../psa/short-label';

/** A palette row for a record: the record, where it belongs, and its details for when it has no link. */
export interface RecordResult {
  type: 'record';
  key: string;
  integrationId: string;
  entity: EntityKind;
  remoteId: string;
  kind: string;
  clientSpace?: string;
  source: string;
  item: OverlayItem;
}

/** A palette row for a document technicians wrote: what it is, where, and the client-space page at it (never a secret). */
export interface DocumentResult {
  type: 'document';
  key: string;
  id: string;
  documentKind: DocumentKind;
  /** Article, Note, Credential, Field. */
  kind: string;
  title: string;
  snippet?: string;
  /** The record it is about, by its title. */
  record?: string;
  /** Its client space's name ("All clients" for the MSP's own procedures). */
  clientSpace: string;
  /** The client-space page at it, an extension page (`/space.html#/space/…`). */
  href: string;
}

export type PaletteResult = RecordResult | DocumentResult;

const KIND: Record<EntityKind, string> = { company: 'Client', contact: 'Contact', configuration: 'Configuration', agreement: 'Agreement', site: 'Site' };

/** What a palette row needs of a record, or of a document (with its client space: null for every client's). */
export type Shown =
  | { type: 'record'; integrationId: string; entity: EntityKind; remoteId: string; companyRemoteId: string; item: OverlayItem }
  | { type: 'document'; document: FoundDocument; spaceId: string | null; recordTitle?: string };

/** A record row as the palette shows it. */
export const shownRecord = (row: RecordRow): Shown => ({
  type: 'record',
  integrationId: row.integrationId,
  entity: row.entity,
  remoteId: row.remoteId,
  companyRemoteId: row.companyRemoteId,
  item: toItem(row, undefined),
});

/** The small tables a page of results is named from. */
export interface ResultTables {
  matches: MatchRow[];
  spaces: ClientSpaceRow[];
  integrations: IntegrationRow[];
  layouts: LayoutRow[];
}

export function toPaletteResults(hits: Shown[], { matches, spaces, integrations, layouts }: ResultTables): PaletteResult[] {
  const spaceOf = clientSpacesByCompany(matches);
  const spaceName = new Map(spaces.map((space) => [space.id, space.name]));
  const label = shortSourceLabels(integrations);
  // A global article opens on a client space's page (every one shows it): the first by name.
  const anySpace = spaces.map((space) => space.id).sort((a, b) => (spaceName.get(a)! < spaceName.get(b)! ? -1 : 1))[0];
  return hits.map((hit): PaletteResult => {
    if (hit.type === 'document') {
      const { document, spaceId } = hit;
      return {
        type: 'document',
        key: `document:${document.id}`,
        id: document.id,
        documentKind: document.kind,
        kind: DOCUMENT_LABEL[document.kind],
        title: document.kind === 'field' ? fieldTitle(document, layouts) : document.title,
        ...(document.snippet ? { snippet: document.snippet } : {}),
        ...(hit.recordTitle !== undefined ? { record: hit.recordTitle } : {}),
        clientSpace: spaceId === null ? ALL_CLIENTS : (spaceName.get(spaceId) ?? ''),
        href: documentHref(document.kind, document.id, spaceId ?? anySpace),
      };
    }
    const clientSpace = spaceName.get(spaceOf.get(companyKey(hit.integrationId, hit.companyRemoteId)) ?? '');
    return {
      type: 'record',
      key: `${hit.integrationId}:${hit.entity}:${hit.remoteId}`,
      integrationId: hit.integrationId,
      entity: hit.entity,
      remoteId: hit.remoteId,
      kind: KIND[hit.entity],
      ...(clientSpace ? { clientSpace } : {}),
      source: label.get(hit.integrationId) ?? hit.integrationId,
      item: hit.item,
    };
  });
}
