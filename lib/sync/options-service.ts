import Dexie from 'dexie';
import type { IntegrationOptions, SidecarDb, SkipOptions } from '../db/schema';
import { HandledError } from '../messaging/router';
import type { EntityKind } from '../psa/types';
import { effectiveOptions, skippedEntity, skipsRecord } from './options';
import { CHILD_ENTITIES } from './plan';

export interface SyncOptionsInput {
  skip: SkipOptions;
  autoUpdateNames: boolean;
  autoArchiveDeletedDevices: boolean;
  keepCompanyDetails: boolean;
}

/**
 * Saves an integration's skip and additional options. Records the new options leave out are
 * archived at once (not deleted), and the affected cursors are reset, so turning a skip off again
 * brings the records back in full on the next sync.
 */
export async function saveSyncOptions(db: SidecarDb, integrationId: string, input: SyncOptionsInput, now = Date.now()): Promise<{ archived: number }> {
  return db.transaction('rw', [db.integrations, db.records, db.cursors], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
    const tidy = (types: string[] | undefined) => [...new Set((types ?? []).map((type) => type.trim()).filter(Boolean))];
    const configurationTypes = tidy(input.skip.configurationTypes);
    const companyTypes = tidy(input.skip.companyTypes);
    const options: IntegrationOptions = {
      syncLocations: integration.options?.syncLocations ?? { people: 'layout-people', locations: 'layout-locations', configurations: 'layout-configurations' },
      ...integration.options,
      skip: { ...input.skip, configurationTypes, companyTypes },
      autoUpdateNames: input.autoUpdateNames,
      autoArchiveDeletedDevices: input.autoArchiveDeletedDevices,
      keepCompanyDetails: input.keepCompanyDetails,
    };
    const skipped = { archivedAt: now, archivedReason: 'skipped' as const };
    const before = effectiveOptions(integration.options);
    const after = effectiveOptions(options);
    await db.integrations.update(integrationId, { options });

    let archived = await db.records
      .where('[integrationId+entity+remoteId]')
      .between([integrationId, 'company', Dexie.minKey], [integrationId, 'company', Dexie.maxKey])
      .filter((row) => row.archivedAt === undefined && skipsRecord('company', row.data, after))
      .modify(skipped);
    if (companySkipsLifted(before, after)) await db.cursors.delete([integrationId, 'company']);
    for (const entity of CHILD_ENTITIES) {
      const rows = db.records
        .where('[integrationId+entity+remoteId]')
        .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
        .filter((row) => row.archivedAt === undefined);
      if (skippedEntity(entity, after)) {
        archived += await rows.modify(skipped);
      } else if (entity === 'configuration') {
        archived += await rows.filter((row) => skipsRecord(entity, row.data, after)).modify(skipped);
      }
      if (needsFullPass(entity, before, after)) await db.cursors.delete([integrationId, entity]);
    }
    return { archived };
  });
}

/** Anything that used to be left out and no longer is must be read again in full. */
function needsFullPass(entity: EntityKind, before: ReturnType<typeof effectiveOptions>, after: ReturnType<typeof effectiveOptions>): boolean {
  if (skippedEntity(entity, before) !== skippedEntity(entity, after)) return true;
  if (entity !== 'configuration') return false;
  const typesBefore = new Set(before.skip.configurationTypes.map((type) => type.toLowerCase()));
  const typeDropped = [...typesBefore].some((type) => !after.skip.configurationTypes.some((other) => other.toLowerCase() === type));
  return typeDropped || (before.skip.inactiveConfigurations && !after.skip.inactiveConfigurations);
}

function companySkipsLifted(before: ReturnType<typeof effectiveOptions>, after: ReturnType<typeof effectiveOptions>): boolean {
  const remaining = new Set((after.skip.companyTypes ?? []).map((type) => type.toLowerCase()));
  const typeDropped = (before.skip.companyTypes ?? []).some((type) => !remaining.has(type.toLowerCase()));
  return typeDropped || (!!before.skip.inactiveCompanies && !after.skip.inactiveCompanies);
}
