import type { RecordRow } from '@/lib/db/schema';
import type { EntityKind } from '@/lib/psa/types';

/** A minimal stored record (a child of company "1", or the company itself), for tests of what reads and writes records. */
export const recordRow = (integrationId: string, entity: EntityKind, remoteId: string): RecordRow => ({
  integrationId,
  entity,
  remoteId,
  companyRemoteId: entity === 'company' ? remoteId : '1',
  data: { remoteId, companyRemoteId: '1', name: `${entity} ${remoteId}` } as unknown as RecordRow['data'],
  sortName: `${entity} ${remoteId}`,
  syncedAt: 1,
});
