import type { LayoutRow, SidecarDb, SortRuleRow, SyncLocations } from '../db/schema';
import { HandledError } from '../messaging/router';
import { locationsOf, normaliseTypeName } from './placement';
import type { ChangePreview } from '../sync/preview';
import { previewResort, resortAll, resortIntegration } from './resort';

/**
 * The options page's writes for asset layouts, sync locations and sort rules. Each validates
 * everything before writing, writes in one transaction, then re-files synced records (no PSA
 * calls) and says how many moved.
 */

export interface LayoutInput {
  id?: string;
  name: string;
  active: boolean;
  fields: { id?: string; name: string }[];
}

const LOCATION_LABEL: Record<keyof SyncLocations, string> = { people: 'contacts', locations: 'sites', configurations: 'the primary location' };

export async function saveLayout(db: SidecarDb, input: LayoutInput, now = Date.now()): Promise<{ layoutId: string; moved: number }> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new HandledError('invalid', 'Give the layout a name.', { name: 'Give the layout a name.' });
  if (name.length > 60) throw new HandledError('invalid', 'Layout names are at most 60 characters.', { name: 'At most 60 characters.' });
  const fieldNames = input.fields.map((field) => field.name.trim()).filter(Boolean);
  const duplicateField = fieldNames.find((field, index) => fieldNames.findIndex((other) => other.toLowerCase() === field.toLowerCase()) !== index);
  if (duplicateField) throw new HandledError('invalid', `The field "${duplicateField}" appears twice.`, { fields: `"${duplicateField}" appears twice.` });

  const layoutId = await db.transaction('rw', [db.layouts, db.integrations, db.sortRules], async () => {
    const layouts = await db.layouts.toArray();
    const previous = input.id ? layouts.find((layout) => layout.id === input.id) : undefined;
    if (input.id && !previous) throw new HandledError('not-found', 'That layout no longer exists.');
    const clash = layouts.find((layout) => layout.id !== input.id && layout.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new HandledError('invalid', `A layout named "${clash.name}" already exists.`, { name: 'That name is taken.' });
    if (previous && previous.active && !input.active) {
      for (const integration of await db.integrations.toArray()) {
        const locations = locationsOf(integration.options);
        const used = (Object.keys(locations) as (keyof SyncLocations)[]).find((key) => locations[key] === previous.id);
        if (used) {
          throw new HandledError('invalid', `"${previous.name}" is where ${integration.label} files ${LOCATION_LABEL[used]}: choose another sync location first.`, {
            active: 'In use as a sync location.',
          });
        }
      }
    }
    const layout: LayoutRow = {
      ...(previous ?? { createdAt: now }),
      id: previous?.id ?? crypto.randomUUID(),
      name,
      active: input.active,
      fields: input.fields
        .filter((field) => field.name.trim())
        .map((field) => ({ id: field.id ?? crypto.randomUUID(), name: field.name.trim() })),
    };
    await db.layouts.put(layout);
    return layout.id;
  });
  return { layoutId, moved: await resortAll(db) };
}

export async function saveSyncLocations(db: SidecarDb, integrationId: string, locations: SyncLocations): Promise<{ moved: number }> {
  await db.transaction('rw', [db.integrations, db.layouts], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
    const fields: Record<string, string> = {};
    for (const key of Object.keys(locations) as (keyof SyncLocations)[]) {
      const layout = await db.layouts.get(locations[key]);
      if (!layout) fields[key] = 'That layout no longer exists.';
      else if (!layout.active) fields[key] = `"${layout.name}" is inactive: only active layouts can be sync locations.`;
    }
    if (Object.keys(fields).length) throw new HandledError('invalid', 'Choose active layouts for every sync location.', fields);
    await db.integrations.update(integrationId, { options: { ...integration.options, syncLocations: locations } });
  });
  return { moved: await resortIntegration(db, integrationId) };
}

/** Checks rules (in order) and turns them into rows; throws with the rule at fault named. */
async function validatedRules(db: SidecarDb, integrationId: string, rules: { typeName: string; layoutId: string }[]): Promise<SortRuleRow[]> {
  if (!(await db.integrations.get(integrationId))) throw new HandledError('not-found', 'That integration no longer exists.');
  const rows: SortRuleRow[] = [];
  const seen = new Map<string, number>();
  for (const [index, rule] of rules.entries()) {
    const typeName = rule.typeName.trim();
    if (!typeName) throw new HandledError('invalid', `Rule ${index + 1} has no type.`, { [`rule-${index}`]: 'Enter a type.' });
    const layout = await db.layouts.get(rule.layoutId);
    if (!layout) throw new HandledError('invalid', `Rule ${index + 1} points to a layout that no longer exists.`, { [`rule-${index}`]: 'Choose a layout.' });
    if (!layout.active) throw new HandledError('invalid', `Rule ${index + 1}: "${layout.name}" is inactive.`, { [`rule-${index}`]: 'Choose an active layout.' });
    const key = normaliseTypeName(typeName);
    if (seen.has(key)) {
      throw new HandledError('invalid', `Rules ${seen.get(key)! + 1} and ${index + 1} are both for "${typeName}": the first would always win.`, {
        [`rule-${index}`]: `Same type as rule ${seen.get(key)! + 1}.`,
      });
    }
    seen.set(key, index);
    rows.push({ id: crypto.randomUUID(), integrationId, order: index, typeName, layoutId: layout.id });
  }
  return rows;
}

export async function saveSortRules(db: SidecarDb, integrationId: string, rules: { typeName: string; layoutId: string }[]): Promise<{ moved: number }> {
  await db.transaction('rw', [db.integrations, db.layouts, db.sortRules], async () => {
    const rows = await validatedRules(db, integrationId, rules);
    await db.sortRules.where('integrationId').equals(integrationId).delete();
    await db.sortRules.bulkAdd(rows);
  });
  return { moved: await resortIntegration(db, integrationId) };
}

/** What saving these rules would move, without saving them. */
export async function previewSortRules(db: SidecarDb, integrationId: string, rules: { typeName: string; layoutId: string }[]): Promise<ChangePreview> {
  const rows = await db.transaction('r', [db.integrations, db.layouts], () => validatedRules(db, integrationId, rules));
  return previewResort(db, integrationId, { rules: rows });
}
