import type { SidecarDb } from '../db/schema';
import type { CanonicalCompany, CanonicalRecord } from '../psa/types';

/**
 * A details page (capability readsFullCompanies): each company's full record, read for what its
 * list row cannot carry. Only those fields (the stored row's `unlistedFields`) are taken from it;
 * the rest stays as the list wrote it, so list and details passes never undo each other.
 * Companies not stored, or whose rows lack nothing, are left alone.
 */
export async function patchedByDetails(db: SidecarDb, integrationId: string, records: CanonicalRecord[]): Promise<CanonicalCompany[]> {
  const stored = await db.records.bulkGet(records.map((record) => [integrationId, 'company', record.remoteId] as [string, 'company', string]));
  return records.flatMap((record, index) => {
    const previous = stored[index]?.data as CanonicalCompany | undefined;
    const fields = previous?.unlistedFields ?? [];
    if (!previous || !fields.length) return [];
    const patched: CanonicalCompany = { ...previous };
    for (const field of fields) {
      const value = (record as CanonicalCompany)[field];
      if (value === undefined) delete patched[field];
      else patched[field] = value;
    }
    return [patched];
  });
}
