import type { RecordRow, SidecarDb } from '../db/schema';
import { displayValue } from '../documents/field-values';
import { handValues } from '../documents/hand-values';
import { sourceKeyOf } from '../documents/places';
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
    case 'configurations-with-field': {
      const integration = await db.integrations.get(integrationId);
      if (!integration) return 0;
      const rows = (await liveRows(db, integrationId, 'configuration', companyRemoteId)).filter((row) => row.layoutId === spec.layoutId);
      const source = sourceKeyOf(integration);
      const keyOf = (row: RecordRow) => `${source}/configuration/${row.remoteId}`;
      const values = await handValues(db, rows.map(keyOf));
      const wanted = spec.value.trim().toLowerCase();
      return rows.filter((row) => {
        const hand = values.get(keyOf(row))?.get(`${spec.layoutId}/${spec.fieldId}`);
        return !!hand && !hand.binned && displayValue(hand.value).trim().toLowerCase() === wanted;
      }).length;
    }
    case 'configurations-of-type': {
      const wanted = spec.typeName.trim().toLowerCase();
      return (await liveRows(db, integrationId, 'configuration', companyRemoteId)).filter(
        (row) => (row.data as CanonicalConfiguration).typeName.trim().toLowerCase() === wanted,
      ).length;
    }
  }
}

/** "Active contacts", "Configurations in Workstations", as the preview and log name a count. */
export function describeCount(
  spec: CountSpec,
  layoutName: (id: string) => string | undefined,
  fieldName: (layoutId: string, fieldId: string) => string | undefined = () => undefined,
): string {
  switch (spec.kind) {
    case 'active-contacts':
      return 'Active contacts';
    case 'configurations-in-layout':
      return `Configurations in ${layoutName(spec.layoutId) ?? 'a removed layout'}`;
    case 'configurations-of-type':
      return `Configurations of type ${spec.typeName}`;
    case 'configurations-with-field':
      return `Configurations in ${layoutName(spec.layoutId) ?? 'a removed layout'} with ${fieldName(spec.layoutId, spec.fieldId) ?? 'a removed field'} “${spec.value}”`;
  }
}
