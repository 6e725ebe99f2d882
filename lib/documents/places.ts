import { HandledError } from '../errors';
import type { IntegrationRow, SidecarDb } from '../db/schema';
import type { RecordRef } from '../docstore/schemas';
import { PSA_DESCRIPTORS } from '../psa/all';
import type { DocumentedEntity } from './entities';

/**
 * Where a note or credential belongs, as a page asks (a client space, or a record of one of this
 * browser's integrations) and as it is stored (a space id, or a record by its PSA tenant, the same
 * on every install: docs/design/documentation-store.md §2).
 */

export type PlaceRequest = { spaceId: string } | { integrationId: string; entity: DocumentedEntity; remoteId: string };
export type StoredPlace = { spaceId: string } | { record: RecordRef };

export function sourceKeyOf(integration: Pick<IntegrationRow, 'psa' | 'settings'>): string {
  const descriptor = PSA_DESCRIPTORS.find((candidate) => candidate.kind === integration.psa);
  const key = descriptor?.sourceKeyFor(integration.settings);
  if (!key) throw new HandledError('invalid', 'This integration’s settings are incomplete: open it in Sidecar’s options and save it again.');
  return key;
}

export const recordKeyOf = (record: RecordRef): string => `${record.source}/${record.entity}/${record.remoteId}`;

/** A live (not archived) client space, or a clear refusal. */
export async function requireSpace(db: SidecarDb, spaceId: string) {
  const space = await db.clientSpaces.get(spaceId);
  if (!space) throw new HandledError('not-found', 'That client space does not exist (any more).');
  return space;
}

export async function storedPlace(db: SidecarDb, request: PlaceRequest): Promise<StoredPlace> {
  if ('spaceId' in request) return { spaceId: (await requireSpace(db, request.spaceId)).id };
  const integration = await db.integrations.get(request.integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  const record = await db.records.get([request.integrationId, request.entity, request.remoteId]);
  if (!record) throw new HandledError('not-found', 'That record is not synced here (any more).');
  return { record: { source: sourceKeyOf(integration), entity: request.entity, remoteId: request.remoteId } };
}
