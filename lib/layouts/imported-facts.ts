import Dexie from 'dexie';
import type { SidecarDb } from '../db/schema';

/**
 * What the options page offers from an integration's imported records: configuration types and
 * company types (skip options, sort rules) and PSA fields (connected fields). One pass over the
 * records, kept by nobody; the options page asks again when a sync ends, not on every page a sync
 * writes (a live query over 150,000 configurations re-read them all on each commit).
 */
export interface ImportedFacts {
  configurationTypes: string[];
  companyTypes: string[];
  fieldSources: string[];
}

/** Records filed in layouts, the ones whose PSA fields can be connected. */
const FILED = ['configuration', 'contact', 'site'] as const;

export async function importedFacts(db: SidecarDb, integrationId: string): Promise<ImportedFacts> {
  const configurationTypes = new Set<string>();
  const companyTypes = new Set<string>();
  const fieldSources = new Set<string>();
  const rangeOf = (entity: string) =>
    db.records.where('[integrationId+entity+remoteId]').between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey]);
  await rangeOf('company').each((row) => {
    for (const type of (row.data as { types?: string[] }).types ?? []) companyTypes.add(type);
  });
  for (const entity of FILED) {
    await rangeOf(entity).each((row) => {
      if (entity === 'configuration') {
        const type = (row.data as { typeName?: string }).typeName;
        if (type) configurationTypes.add(type);
      }
      for (const name of Object.keys(row.data.fields ?? {})) fieldSources.add(name);
    });
  }
  const sorted = (values: Set<string>) => [...values].sort((a, b) => a.localeCompare(b));
  return { configurationTypes: sorted(configurationTypes), companyTypes: sorted(companyTypes), fieldSources: sorted(fieldSources) };
}
