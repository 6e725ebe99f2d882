import type { MatchRow, SidecarDb, SortRuleRow } from '../db/schema';
import { resortAll } from '../layouts/resort';
import { HandledError } from '../messaging/router';
import { parseSetup } from './format';

export interface ImportSummary {
  layouts: number;
  clientSpaces: number;
  integrations: number;
  /** Integrations in the file that are not configured here (add them, then import again). */
  notConfigured: string[];
  moved: number;
}

/**
 * Applies a setup file in one transaction after checking every reference in it: nothing is
 * written unless all of it can be. Integrations are matched by PSA and web address; those not
 * configured here are reported, not created (they need credentials).
 */
export async function importSetup(db: SidecarDb, text: string, now = Date.now()): Promise<ImportSummary> {
  const parsed = parseSetup(text);
  if (!parsed.ok) throw new HandledError('invalid-file', parsed.errors.join('\n'));
  const { setup } = parsed;

  const summary = await db.transaction('rw', [db.layouts, db.clientSpaces, db.integrations, db.sortRules, db.matches], async () => {
    const layoutIds = new Set([...(await db.layouts.toArray()).map((layout) => layout.id), ...setup.layouts.map((layout) => layout.id)]);
    const activeAfter = new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout.active]));
    for (const layout of setup.layouts) activeAfter.set(layout.id, layout.active);
    const fieldsAfter = new Map((await db.layouts.toArray()).map((layout) => [layout.id, new Set((layout.fields ?? []).map((field) => field.id))]));
    for (const layout of setup.layouts) fieldsAfter.set(layout.id, new Set(layout.fields.map((field) => field.id)));
    const spaceIds = new Set([...(await db.clientSpaces.toArray()).map((space) => space.id), ...setup.clientSpaces.map((space) => space.id)]);
    const names = new Map<string, string>();
    for (const layout of setup.layouts) {
      const key = layout.name.trim().toLowerCase();
      if (names.has(key)) throw new HandledError('invalid-file', `layouts: two layouts are named "${layout.name}".`);
      names.set(key, layout.id);
    }
    // A layout of the file may not take the name of another layout here (names are unique, as saveLayout keeps them).
    const fileIds = new Set(setup.layouts.map((layout) => layout.id));
    for (const existing of await db.layouts.toArray()) {
      const clash = names.get(existing.name.trim().toLowerCase());
      if (clash !== undefined && clash !== existing.id && !fileIds.has(existing.id)) {
        throw new HandledError('invalid-file', `layouts: "${existing.name}" already exists here as another layout; rename one of them before importing.`);
      }
    }

    const configured = await db.integrations.toArray();
    const errors: string[] = [];
    const apply: { integrationId: string; entry: (typeof setup.integrations)[number] }[] = [];
    const notConfigured: string[] = [];
    for (const [index, entry] of setup.integrations.entries()) {
      const where = `integrations.${index} (${entry.label ?? entry.uiOrigin})`;
      for (const [ruleIndex, rule] of entry.sortRules.entries()) {
        if (!layoutIds.has(rule.layoutId)) errors.push(`${where}.sortRules.${ruleIndex}: layout ${rule.layoutId} is neither in the file nor here.`);
        else if (activeAfter.get(rule.layoutId) === false) errors.push(`${where}.sortRules.${ruleIndex}: layout ${rule.layoutId} is inactive.`);
      }
      for (const [key, layoutId] of Object.entries(entry.options?.syncLocations ?? {})) {
        if (!layoutIds.has(layoutId)) errors.push(`${where}.options.syncLocations.${key}: layout ${layoutId} is neither in the file nor here.`);
        else if (activeAfter.get(layoutId) === false) errors.push(`${where}.options.syncLocations.${key}: layout ${layoutId} is inactive.`);
      }
      for (const [fieldIndex, connection] of (entry.options?.connectedFields ?? []).entries()) {
        if (!fieldsAfter.get(connection.layoutId)?.has(connection.fieldId)) {
          errors.push(`${where}.options.connectedFields.${fieldIndex}: field ${connection.fieldId} of layout ${connection.layoutId} is neither in the file nor here.`);
        }
      }
      for (const [matchIndex, match] of entry.matches.entries()) {
        if (match.state === 'matched' && (!match.clientSpaceId || !spaceIds.has(match.clientSpaceId))) {
          errors.push(`${where}.matches.${matchIndex}: client space ${match.clientSpaceId ?? '(none)'} is neither in the file nor here.`);
        }
      }
      const target = configured.find((integration) => integration.psa === entry.psa && integration.uiOrigin === entry.uiOrigin);
      if (target) apply.push({ integrationId: target.id, entry });
      else notConfigured.push(entry.label ?? `${entry.psa} at ${entry.uiOrigin}`);
    }
    if (errors.length) throw new HandledError('invalid-file', errors.slice(0, 20).join('\n'));

    const existingLayouts = new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout]));
    await db.layouts.bulkPut(setup.layouts.map((layout) => ({ ...existingLayouts.get(layout.id), ...layout, createdAt: existingLayouts.get(layout.id)?.createdAt ?? now })));
    const existingSpaces = new Map((await db.clientSpaces.toArray()).map((space) => [space.id, space]));
    await db.clientSpaces.bulkPut(setup.clientSpaces.map((space) => ({ ...space, createdAt: existingSpaces.get(space.id)?.createdAt ?? now })));
    for (const { integrationId, entry } of apply) {
      if (entry.options) await db.integrations.update(integrationId, { options: entry.options });
      await db.sortRules.where('integrationId').equals(integrationId).delete();
      await db.sortRules.bulkAdd(entry.sortRules.map((rule, order): SortRuleRow => ({ id: crypto.randomUUID(), integrationId, order, ...rule })));
      await db.matches.bulkPut(
        entry.matches.map((match): MatchRow => ({ integrationId, companyRemoteId: match.companyRemoteId, state: match.state, ...(match.clientSpaceId ? { clientSpaceId: match.clientSpaceId } : {}), decidedAt: now })),
      );
    }
    return { layouts: setup.layouts.length, clientSpaces: setup.clientSpaces.length, integrations: apply.length, notConfigured };
  });
  return { ...summary, moved: await resortAll(db) };
}
