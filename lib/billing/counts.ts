import type { RecordRow, SidecarDb } from '../db/schema';
import type { CanonicalConfiguration } from '../psa/types';
import type { CountSpec } from './settings';

/** Live rows of one entity of a company: archived ones (deleted, inactive, skipped) never count. */
async function liveRows(db: SidecarDb, integrationId: string, entity: 'contact' | 'configuration', companyRemoteId: string): Promise<RecordRow[]> {
  const rows = await db.records.where('[integrationId+entity+companyRemoteId]').equals([integrationId, entity, companyRemoteId]).toArray();
  return rows.filter((row) => row.archivedAt === undefined && !row.data.inactive && !row.data.deleted);
}

/** What a mapping counts for one company, from the records synced for it. */
export async function countFor(db: SidecarDb, integrationId: string, companyRemoteId: string, spec: CountSpec): Promise<number> {
  switch (spec.kind) {
    case 'active-contacts':
      return (await liveRows(db, integrationId, 'contact', companyRemoteId)).length;
    case 'configurations-in-layout':
      return (await liveRows(db, integrationId, 'configuration', companyRemoteId)).filter((row) => row.layoutId === spec.layoutId).length;
    case 'configurations-of-type': {
      const wanted = spec.typeName.trim().toLowerCase();
      return (await liveRows(db, integrationId, 'configuration', companyRemoteId)).filter(
        (row) => (row.data as CanonicalConfiguration).typeName.trim().toLowerCase() === wanted,
      ).length;
    }
  }
}

/** "Active contacts", "Configurations in Workstations", as the preview and log name a count. */
export function describeCount(spec: CountSpec, layoutName: (id: string) => string | undefined): string {
  switch (spec.kind) {
    case 'active-contacts':
      return 'Active contacts';
    case 'configurations-in-layout':
      return `Configurations in ${layoutName(spec.layoutId) ?? 'a removed layout'}`;
    case 'configurations-of-type':
      return `Configurations of type ${spec.typeName}`;
  }
}
