import type { SidecarDb } from '../db/schema';
import { fieldDocSchema } from '../docstore/schemas';

export interface HandValue {
  docId: string;
  rev: string;
  value: { type: string; v: string | number | boolean };
  /** Cleared: in the bin, so refilling it needs this revision. */
  binned: boolean;
  by: string;
  at: number;
}

/** The hand-filled values of these records (by `source/entity/remoteId`), by layout field. */
export async function handValues(db: SidecarDb, recordKeys: readonly string[]): Promise<Map<string, Map<string, HandValue>>> {
  const byRecord = new Map<string, Map<string, HandValue>>();
  if (!recordKeys.length) return byRecord;
  const rows = await db.docs
    .where('recordKey')
    .anyOf([...recordKeys])
    .filter((row) => row.kind === 'field' && !row.invalid)
    .toArray();
  for (const row of rows) {
    const parsed = fieldDocSchema.safeParse(row.doc);
    if (!parsed.success || !row.recordKey) continue;
    const fields = byRecord.get(row.recordKey) ?? new Map<string, HandValue>();
    fields.set(`${parsed.data.layoutId}/${parsed.data.fieldId}`, {
      docId: row.id,
      rev: row.rev,
      value: parsed.data.value,
      binned: parsed.data.binnedAt !== undefined,
      by: parsed.data.updatedBy.name || 'Unnamed technician',
      at: parsed.data.updatedAt,
    });
    byRecord.set(row.recordKey, fields);
  }
  return byRecord;
}
