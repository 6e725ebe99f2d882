import type { SidecarDb } from '../db/schema';
import { locationsOf, type PlacementContext } from './placement';

/** Reads what placement needs for one integration (inside the caller's transaction, if any). */
export async function loadPlacementContext(db: SidecarDb, integrationId: string): Promise<PlacementContext> {
  const [integration, rules, layouts] = await Promise.all([
    db.integrations.get(integrationId),
    db.sortRules.where('integrationId').equals(integrationId).toArray(),
    db.layouts.toArray(),
  ]);
  return { rules, locations: locationsOf(integration?.options), layouts: new Map(layouts.map((layout) => [layout.id, layout])) };
}
