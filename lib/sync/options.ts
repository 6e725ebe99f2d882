import type { IntegrationOptions, SkipOptions } from '../db/schema';
import { normaliseTypeName } from '../layouts/placement';
import type { CanonicalCompany, CanonicalConfiguration, CanonicalRecord, EntityKind } from '../psa/types';

/** The sync options of one integration with their defaults filled in. */
export interface EffectiveOptions {
  skip: SkipOptions;
  autoUpdateNames: boolean;
  autoArchiveDeletedDevices: boolean;
  keepCompanyDetails: boolean;
  apiSharePercent: number;
}

/** Half of the vendor's limit: room for the MSP's other integrations (RMM, backup, billing) that share it. */
export const DEFAULT_API_SHARE_PERCENT = 50;

export const DEFAULT_SKIP: SkipOptions = {
  contacts: false,
  agreements: false,
  configurations: false,
  sites: false,
  inactiveConfigurations: false,
  configurationTypes: [],
  inactiveCompanies: false,
  companyTypes: [],
};

/** Skip options as saved: type names trimmed, without blanks or repeats. */
export function tidySkip(skip: SkipOptions): SkipOptions {
  const tidy = (types: string[] | undefined) => [...new Set((types ?? []).map((type) => type.trim()).filter(Boolean))];
  return { ...skip, configurationTypes: tidy(skip.configurationTypes), companyTypes: tidy(skip.companyTypes) };
}

export function effectiveOptions(options: IntegrationOptions | undefined): EffectiveOptions {
  return {
    skip: { ...DEFAULT_SKIP, ...options?.skip },
    autoUpdateNames: options?.autoUpdateNames ?? true,
    autoArchiveDeletedDevices: options?.autoArchiveDeletedDevices ?? true,
    keepCompanyDetails: options?.keepCompanyDetails ?? false,
    apiSharePercent: options?.apiSharePercent ?? DEFAULT_API_SHARE_PERCENT,
  };
}

const SKIP_ENTITY: Partial<Record<EntityKind, keyof SkipOptions>> = {
  contact: 'contacts',
  agreement: 'agreements',
  configuration: 'configurations',
  site: 'sites',
};

/** Entities the integration does not import at all. */
export function skippedEntity(entity: EntityKind, options: EffectiveOptions): boolean {
  const key = SKIP_ENTITY[entity];
  return !!key && options.skip[key] === true;
}

/** Records left out one by one (inactive configurations, chosen types). */
export function skipsRecord(entity: EntityKind, record: CanonicalRecord, options: EffectiveOptions): boolean {
  if (entity === 'company') {
    const company = record as CanonicalCompany;
    if (options.skip.inactiveCompanies && company.inactive) return true;
    const skippedTypes = new Set((options.skip.companyTypes ?? []).map(normaliseTypeName));
    return company.types.some((type) => skippedTypes.has(normaliseTypeName(type)));
  }
  if (entity !== 'configuration') return false;
  const configuration = record as CanonicalConfiguration;
  if (options.skip.inactiveConfigurations && configuration.inactive) return true;
  const type = normaliseTypeName(configuration.typeName);
  return options.skip.configurationTypes.some((skipped) => normaliseTypeName(skipped) === type);
}

/**
 * What is written for a record that is already stored: the PSA's version, except for the
 * fields the user asked Sidecar to keep, and a company's fields its list row cannot carry
 * (`unlistedFields`), which stay as the last full record gave them. `fromFullRecord`: the
 * record is that full record's reading, so those fields are its to set (or clear).
 */
export function mergeWithStored(
  entity: EntityKind,
  incoming: CanonicalRecord,
  stored: CanonicalRecord | undefined,
  options: EffectiveOptions,
  fromFullRecord = false,
): CanonicalRecord {
  if (!stored) return incoming;
  if (entity === 'company' && !fromFullRecord) incoming = withUnlistedKept(incoming as CanonicalCompany, stored as CanonicalCompany);
  if (entity === 'configuration' && !options.autoUpdateNames) {
    return { ...incoming, name: (stored as CanonicalConfiguration).name } as CanonicalRecord;
  }
  if (entity === 'company' && options.keepCompanyDetails) {
    const kept = stored as { name: string; address?: string; phone?: string; website?: string };
    const merged: Record<string, unknown> = { ...incoming, name: kept.name };
    for (const key of ['address', 'phone', 'website'] as const) {
      if (kept[key] === undefined) delete merged[key];
      else merged[key] = kept[key];
    }
    return merged as unknown as CanonicalRecord;
  }
  return incoming;
}

function withUnlistedKept(incoming: CanonicalCompany, stored: CanonicalCompany): CanonicalCompany {
  const kept = (incoming.unlistedFields ?? []).filter((field) => incoming[field] === undefined && stored[field] !== undefined);
  if (!kept.length) return incoming;
  return { ...incoming, ...Object.fromEntries(kept.map((field) => [field, stored[field]])) };
}
