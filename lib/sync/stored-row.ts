import type { RecordRow } from '../db/schema';
import { placeRecord, type PlacementContext } from '../layouts/placement';
import type { CanonicalRecord, EntityKind } from '../psa/types';
import { searchWords } from '../search/words';
import { archiveReasonOf } from './archive';
import { mergeWithStored, type EffectiveOptions } from './options';
import { sameData } from './same-data';

/** What turning a PSA record into a stored row depends on besides the record. */
export interface StoredRowContext {
  integrationId: string;
  runId: string;
  now: number;
  /** Where records are filed; undefined for entities no layout holds (companies, agreements). */
  placement: PlacementContext | undefined;
  options: EffectiveOptions;
  /** Companies' full records (a details step): they set the fields their list rows lack. */
  fromFullRecord?: boolean;
}

/** The company a record belongs to (a company: itself). */
export function companyOf(entity: EntityKind, record: CanonicalRecord): string {
  return entity === 'company' ? record.remoteId : (record as { companyRemoteId: string }).companyRemoteId;
}

/**
 * The row a sync stores for a PSA record, given the row stored before (if any): the fields the
 * user keeps, sort name, search words, layout and archive state. The one place a row is built,
 * so a preview (lib/sync/dry-run.ts) compares against exactly what a sync would write.
 */
export function storedRow(entity: EntityKind, incoming: CanonicalRecord, previous: RecordRow | undefined, context: StoredRowContext): RecordRow {
  const record = mergeWithStored(entity, incoming, previous?.data, context.options, context.fromFullRecord);
  const name = (record as { name?: string }).name ?? record.remoteId;
  const row: RecordRow = {
    integrationId: context.integrationId,
    entity,
    remoteId: record.remoteId,
    companyRemoteId: companyOf(entity, record),
    data: record,
    sortName: name.toLowerCase(),
    words: searchWords(entity, record),
    seenRunId: context.runId,
    syncedAt: context.now,
  };
  const layoutId = context.placement ? placeRecord(entity, record, context.placement).layoutId : undefined;
  if (layoutId) row.layoutId = layoutId;
  if (record.updatedAt) row.updatedAt = record.updatedAt;
  if (previous?.restoredAt) row.restoredAt = previous.restoredAt;
  // When the full record was last read: now for a details step, else as it was.
  const detailsReadAt = context.fromFullRecord ? context.now : previous?.detailsReadAt;
  if (detailsReadAt !== undefined) row.detailsReadAt = detailsReadAt;
  const reason = archiveReasonOf(entity, record, previous);
  if (reason) {
    row.archivedAt = previous?.archivedAt ?? context.now;
    row.archivedReason = reason;
  }
  return row;
}

/** The row a sync would write holds what is stored already: nothing to write (which run wrote it, and when, is not content). */
export function sameStoredRow(next: RecordRow, stored: RecordRow | undefined): boolean {
  if (!stored) return false;
  const { syncedAt: _nextAt, seenRunId: _nextRun, ...nextContent } = next;
  const { syncedAt: _storedAt, seenRunId: _storedRun, ...storedContent } = stored;
  return sameData(nextContent, storedContent);
}
