import Dexie from 'dexie';
import { DEFAULT_SYNC_LOCATIONS, type IntegrationOptions, type IntegrationRow, type RecordRow, type SidecarDb, type SkipOptions } from '../db/schema';
import { HandledError } from '../errors';
import { ENTITY_PLURAL, type EntityKind } from '../psa/types';
import { effectiveOptions, skippedEntity, skipsRecord, tidySkip, type EffectiveOptions } from './options';
import { CHILD_ENTITIES } from './plan';
import { addChange, emptyPreview, recordName, type ChangePreview } from '../db/change-preview';

export interface SyncOptionsInput {
  skip: SkipOptions;
  autoUpdateNames: boolean;
  autoArchiveDeletedDevices: boolean;
  keepCompanyDetails: boolean;
  /** Percent of the PSA's rate limit the sync may use; left as it is when absent. */
  apiSharePercent?: number;
}

export interface OptionsChange {
  integrationId: string;
  options: IntegrationOptions;
  /** Live records the new options leave out: archived on save. */
  archive: RecordRow[];
  /** Entities read again in full on the next sync (something left out comes back). */
  fullPass: EntityKind[];
}

/**
 * Saves an integration's skip and additional options. Records the new options leave out are
 * archived at once (not deleted), and the affected cursors are reset, so turning a skip off again
 * brings the records back in full on the next sync.
 */
export async function saveSyncOptions(db: SidecarDb, integrationId: string, input: SyncOptionsInput, now = Date.now()): Promise<{ archived: number }> {
  return db.transaction('rw', [db.integrations, db.records, db.cursors], async () => {
    const integration = await existingIntegration(db, integrationId);
    return { archived: await applyOptionsChange(db, await planOptionsChange(db, integration, optionsWithInput(integration, input)), now) };
  });
}

/**
 * Writes an integration's new options with what they imply: records they leave out archived,
 * cursors of what they bring back reset. Runs inside the caller's transaction (integrations,
 * records, cursors); setup import applies a file's options through this too.
 */
export async function applyOptionsChange(db: SidecarDb, change: OptionsChange, now: number): Promise<number> {
  const { integrationId } = change;
  await db.integrations.update(integrationId, { options: change.options });
  await db.records.bulkPut(change.archive.map((row) => ({ ...row, archivedAt: now, archivedReason: 'skipped' as const })));
  await db.cursors.bulkDelete(change.fullPass.map((entity) => [integrationId, entity] as [string, EntityKind]));
  return change.archive.length;
}

/** What saving these options would do, without saving them. */
export async function previewSyncOptions(db: SidecarDb, integrationId: string, input: SyncOptionsInput): Promise<ChangePreview> {
  return db.transaction('r', [db.integrations, db.records], async () => {
    const integration = await existingIntegration(db, integrationId);
    const change = await planOptionsChange(db, integration, optionsWithInput(integration, input));
    const preview = emptyPreview();
    for (const row of change.archive)
      addChange(preview, {
        entity: row.entity,
        name: recordName(row.data as { name?: string; remoteId: string }),
        change: 'archive',
        detail: 'left out by the new options',
      });
    if (change.fullPass.length) {
      preview.notes.push(`The next sync reads ${change.fullPass.map((entity) => ENTITY_PLURAL[entity]).join(', ')} again in full.`);
    }
    return preview;
  });
}

async function existingIntegration(db: SidecarDb, integrationId: string): Promise<IntegrationRow> {
  const integration = await db.integrations.get(integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  return integration;
}

/** The integration's options with the form's skip and additional options in place. */
function optionsWithInput(integration: IntegrationRow, input: SyncOptionsInput): IntegrationOptions {
  return {
    syncLocations: integration.options?.syncLocations ?? DEFAULT_SYNC_LOCATIONS,
    ...integration.options,
    skip: tidySkip(input.skip),
    autoUpdateNames: input.autoUpdateNames,
    autoArchiveDeletedDevices: input.autoArchiveDeletedDevices,
    keepCompanyDetails: input.keepCompanyDetails,
    ...(input.apiSharePercent !== undefined ? { apiSharePercent: input.apiSharePercent } : {}),
  };
}

/** What replacing the integration's options with `options` archives and reads again. */
export async function planOptionsChange(db: SidecarDb, integration: IntegrationRow, options: IntegrationOptions): Promise<OptionsChange> {
  const integrationId = integration.id;
  const before = effectiveOptions(integration.options);
  const after = effectiveOptions(options);
  const liveRows = (entity: EntityKind) =>
    db.records
      .where('[integrationId+entity+remoteId]')
      .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
      .filter((row) => row.archivedAt === undefined);

  const archive = await liveRows('company')
    .filter((row) => skipsRecord('company', row.data, after))
    .toArray();
  const fullPass: EntityKind[] = companySkipsLifted(before, after) ? ['company'] : [];
  for (const entity of CHILD_ENTITIES) {
    if (skippedEntity(entity, after)) archive.push(...(await liveRows(entity).toArray()));
    else if (entity === 'configuration')
      archive.push(
        ...(await liveRows(entity)
          .filter((row) => skipsRecord(entity, row.data, after))
          .toArray()),
      );
    if (needsFullPass(entity, before, after)) fullPass.push(entity);
  }
  return { integrationId, options, archive, fullPass };
}

/** Anything that used to be left out and no longer is must be read again in full. */
function needsFullPass(entity: EntityKind, before: EffectiveOptions, after: EffectiveOptions): boolean {
  if (skippedEntity(entity, before) !== skippedEntity(entity, after)) return true;
  if (entity !== 'configuration') return false;
  const typesBefore = new Set(before.skip.configurationTypes.map((type) => type.toLowerCase()));
  const typeDropped = [...typesBefore].some((type) => !after.skip.configurationTypes.some((other) => other.toLowerCase() === type));
  return typeDropped || (before.skip.inactiveConfigurations && !after.skip.inactiveConfigurations);
}

function companySkipsLifted(before: EffectiveOptions, after: EffectiveOptions): boolean {
  const remaining = new Set((after.skip.companyTypes ?? []).map((type) => type.toLowerCase()));
  const typeDropped = (before.skip.companyTypes ?? []).some((type) => !remaining.has(type.toLowerCase()));
  return typeDropped || (!!before.skip.inactiveCompanies && !after.skip.inactiveCompanies);
}
