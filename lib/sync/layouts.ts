import type { EntityKind } from '../psa/types';

/**
 * Where a synced record is filed until sort rules exist (#4): contacts to People, sites to
 * Locations, every configuration to the primary Configurations layout.
 */
const DEFAULT_LAYOUT: Partial<Record<EntityKind, string>> = {
  contact: 'layout-people',
  site: 'layout-locations',
  configuration: 'layout-configurations',
};

export function layoutFor(entity: EntityKind): string | undefined {
  return DEFAULT_LAYOUT[entity];
}
