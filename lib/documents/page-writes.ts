import { HandledError } from '../errors';
import type { SidecarDb } from '../db/schema';
import type { DocumentedEntity } from './entities';
import { recordKeyOf, sourceKeyOf, type PlaceRequest } from './places';

/**
 * What a write from the overlay may touch (docs/design/documentation-store.md §4). The page names
 * only the company it shows (which the background checked it served) and, for a record, which
 * one; everything else is worked out here: the client space is the one that company is matched
 * to, a record must be one of that company's, and an existing note must already belong to one of
 * them. A forged id of another client's note is refused, whatever the page sends.
 */

export type OverlayAbout = { kind: 'space' } | { kind: 'record'; entity: DocumentedEntity; remoteId: string };

export async function overlayNotePlace(db: SidecarDb, integrationId: string, companyRemoteId: string, about: OverlayAbout): Promise<PlaceRequest> {
  const spaceId = await matchedSpace(db, integrationId, companyRemoteId);
  if (about.kind === 'space') return { spaceId };
  await requireCompanyRecord(db, integrationId, companyRemoteId, about.entity, about.remoteId);
  return { integrationId, entity: about.entity, remoteId: about.remoteId };
}

/** Throws unless `noteId` is a note on the company's client space or on one of the company's records. */
export async function requireOverlayNote(db: SidecarDb, integrationId: string, companyRemoteId: string, noteId: string): Promise<void> {
  const spaceId = await matchedSpace(db, integrationId, companyRemoteId);
  const row = await db.docs.get(noteId);
  if (!row || row.kind !== 'note' || row.invalid) throw notThisClients();
  if (row.spaceId !== undefined) {
    if (row.spaceId !== spaceId) throw notThisClients();
    return;
  }
  const integration = await db.integrations.get(integrationId);
  const source = integration ? sourceKeyOf(integration) : undefined;
  const [rowSource, entity, remoteId] = splitRecordKey(row.recordKey);
  if (!source || rowSource !== source || !entity || !remoteId) throw notThisClients();
  await requireCompanyRecord(db, integrationId, companyRemoteId, entity, remoteId);
  if (recordKeyOf({ source, entity: entity as DocumentedEntity, remoteId }) !== row.recordKey) throw notThisClients();
}

async function matchedSpace(db: SidecarDb, integrationId: string, companyRemoteId: string): Promise<string> {
  const match = await db.matches.get([integrationId, companyRemoteId]);
  if (match?.state !== 'matched' || !match.clientSpaceId) throw new HandledError('forbidden', 'This company is not matched to a client space.');
  return match.clientSpaceId;
}

async function requireCompanyRecord(db: SidecarDb, integrationId: string, companyRemoteId: string, entity: string, remoteId: string): Promise<void> {
  const record = await db.records.get([integrationId, entity as DocumentedEntity, remoteId]);
  if (!record || record.companyRemoteId !== companyRemoteId) throw notThisClients();
}

/** `source/entity/remoteId`; the source key itself may hold slashes only before the last two parts. */
function splitRecordKey(key: string | undefined): [string?, string?, string?] {
  if (!key) return [];
  const parts = key.split('/');
  const remoteId = parts.pop();
  const entity = parts.pop();
  return [parts.join('/'), entity, remoteId];
}

const notThisClients = () => new HandledError('forbidden', 'That note is not one of this client’s.');

/** The layout of one of the company's records, for a field value written from the overlay. */
export async function overlayFieldLayout(
  db: SidecarDb,
  integrationId: string,
  companyRemoteId: string,
  entity: DocumentedEntity,
  remoteId: string,
): Promise<string> {
  await matchedSpace(db, integrationId, companyRemoteId);
  const record = await db.records.get([integrationId, entity, remoteId]);
  if (!record || record.companyRemoteId !== companyRemoteId) throw new HandledError('forbidden', 'That record is not one of this client’s.');
  if (!record.layoutId) throw new HandledError('invalid', 'That record has no layout (any more): reload the page.');
  return record.layoutId;
}
