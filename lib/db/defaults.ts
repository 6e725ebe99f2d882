import type { LayoutRow, SyncLocations } from './rows';

/** Where a new integration files records until the user chooses: the built-in layouts below. */
export const DEFAULT_SYNC_LOCATIONS: SyncLocations = {
  people: 'layout-people',
  locations: 'layout-locations',
  configurations: 'layout-configurations',
};

/** The layouts a new database starts with (added when it is created, see ./versions.ts). */
export const DEFAULT_LAYOUTS: Omit<LayoutRow, 'createdAt'>[] = [
  { id: 'layout-people', name: 'People', role: 'people', active: true },
  { id: 'layout-locations', name: 'Locations', role: 'locations', active: true },
  { id: 'layout-configurations', name: 'Configurations', role: 'configurations', active: true, primary: true },
];
