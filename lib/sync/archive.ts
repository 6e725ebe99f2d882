import type { ArchiveReason, RecordRow } from '../db/schema';
import type { CanonicalRecord, EntityKind } from '../psa/types';

/**
 * Deleted records are archived; so are inactive companies unless the user skips them (then they
 * never arrive) or restored one from the Museum. A record seen live again leaves the Museum.
 */
export function archiveReasonOf(entity: EntityKind, record: CanonicalRecord, previous: RecordRow | undefined): ArchiveReason | undefined {
  if (record.deleted) return 'deleted';
  if (entity === 'company' && record.inactive && !previous?.restoredAt) return 'inactive';
  return undefined;
}
