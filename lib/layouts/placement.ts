import { DEFAULT_SYNC_LOCATIONS, type LayoutRow, type SortRuleRow, type SyncLocations } from '../db/schema';
import type { CanonicalRecord, EntityKind } from '../psa/types';

/**
 * Where a synced record is filed (Hudu's sync locations and sort rules): contacts to the people
 * location, sites to the locations location, configurations to the layout of the first sort rule
 * for their type, else to the primary location. Inactive layouts receive nothing.
 */

export interface PlacementContext {
  /** This integration's rules, any order (sorted here). */
  rules: SortRuleRow[];
  locations: SyncLocations;
  layouts: Map<string, LayoutRow>;
}

export interface Placement {
  layoutId?: string;
  /** Why: the rule that decided, the sync location, or nothing active to file it in. */
  reason: { kind: 'rule'; rule: SortRuleRow; position: number } | { kind: 'location'; location: keyof SyncLocations } | { kind: 'none' };
}

export const normaliseTypeName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

const active = (context: PlacementContext, layoutId: string | undefined) => (layoutId && context.layouts.get(layoutId)?.active ? layoutId : undefined);

export function placeConfigurationType(typeName: string, context: PlacementContext): Placement {
  const wanted = normaliseTypeName(typeName);
  const rules = [...context.rules].sort((a, b) => a.order - b.order);
  for (const [index, rule] of rules.entries()) {
    if (normaliseTypeName(rule.typeName) === wanted && active(context, rule.layoutId)) {
      return { layoutId: rule.layoutId, reason: { kind: 'rule', rule, position: index + 1 } };
    }
  }
  const primary = active(context, context.locations.configurations);
  return primary ? { layoutId: primary, reason: { kind: 'location', location: 'configurations' } } : { reason: { kind: 'none' } };
}

export function placeRecord(entity: EntityKind, record: CanonicalRecord, context: PlacementContext): Placement {
  if (entity === 'configuration') return placeConfigurationType((record as { typeName: string }).typeName, context);
  const location = entity === 'contact' ? 'people' : entity === 'site' ? 'locations' : undefined;
  if (!location) return { reason: { kind: 'none' } };
  const layoutId = active(context, context.locations[location]);
  return layoutId ? { layoutId, reason: { kind: 'location', location } } : { reason: { kind: 'none' } };
}

export function locationsOf(options: { syncLocations?: Partial<SyncLocations> } | undefined): SyncLocations {
  return { ...DEFAULT_SYNC_LOCATIONS, ...options?.syncLocations };
}
