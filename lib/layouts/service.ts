import type { LayoutRow, SidecarDb, SortRuleRow, SyncLocations } from '../db/schema';
import { HandledError } from '../errors';
import type { ChangePreview } from '../db/change-preview';
import { tidyChoices, type FieldType } from './field-types';
import { previewResort, resortAll, resortIntegration } from './resort';
import { deactivationProblem, layoutProblems, normaliseLayoutName, sortRuleProblems, syncLocationProblems, type Problem, type RuleInput } from './validate';

/**
 * The options page's writes for asset layouts, sync locations and sort rules. Each validates
 * everything before writing (lib/layouts/validate.ts, the rules setup import applies too), writes
 * in one transaction, then re-files synced records (no PSA calls) and says how many moved.
 */

export interface LayoutInput {
  id?: string;
  name: string;
  active: boolean;
  fields: { id?: string; name: string; type?: FieldType | undefined; options?: string[] | undefined }[];
}

/** The options page shows one problem of a layout or of rules at a time: the first. */
function refuse(problems: readonly (Problem | undefined)[]): void {
  const first = problems.find((problem) => problem !== undefined);
  if (first) throw new HandledError('invalid', first.message, { [first.field]: first.fieldMessage });
}

export async function saveLayout(db: SidecarDb, input: LayoutInput, now = Date.now()): Promise<{ layoutId: string; moved: number }> {
  const name = normaliseLayoutName(input.name);
  refuse(layoutProblems(input, []));

  const layoutId = await db.transaction('rw', [db.layouts, db.integrations, db.sortRules], async () => {
    const layouts = await db.layouts.toArray();
    const previous = input.id ? layouts.find((layout) => layout.id === input.id) : undefined;
    if (input.id && !previous) throw new HandledError('not-found', 'That layout no longer exists.');
    refuse(
      layoutProblems(
        input,
        layouts.filter((layout) => layout.id !== input.id),
      ),
    );
    if (previous?.active && !input.active) refuse([deactivationProblem(previous, await db.integrations.toArray())]);
    const layout: LayoutRow = {
      ...(previous ?? { createdAt: now }),
      id: previous?.id ?? crypto.randomUUID(),
      name,
      active: input.active,
      fields: input.fields
        .filter((field) => field.name.trim())
        .map((field) => ({
          id: field.id ?? crypto.randomUUID(),
          name: field.name.trim(),
          ...(field.type && field.type !== 'text' ? { type: field.type } : {}),
          ...(field.type === 'choice' ? { options: tidyChoices(field.options ?? []) } : {}),
        })),
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
    const problems = syncLocationProblems(locations, new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout])));
    if (problems.length)
      throw new HandledError(
        'invalid',
        'Choose active layouts for every sync location.',
        Object.fromEntries(problems.map((problem) => [problem.field, problem.fieldMessage])),
      );
    await db.integrations.update(integrationId, { options: { ...integration.options, syncLocations: locations } });
  });
  return { moved: await resortIntegration(db, integrationId) };
}

/** Checks rules (in order) and turns them into rows; throws with the rule at fault named. */
async function validatedRules(db: SidecarDb, integrationId: string, rules: RuleInput[]): Promise<SortRuleRow[]> {
  if (!(await db.integrations.get(integrationId))) throw new HandledError('not-found', 'That integration no longer exists.');
  const checked = sortRuleProblems(rules, new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout])));
  refuse(checked.problems);
  return checked.rules.map((rule, order) => ({ id: crypto.randomUUID(), integrationId, order, ...rule }));
}

export async function saveSortRules(db: SidecarDb, integrationId: string, rules: RuleInput[]): Promise<{ moved: number }> {
  await db.transaction('rw', [db.integrations, db.layouts, db.sortRules], async () => {
    const rows = await validatedRules(db, integrationId, rules);
    await db.sortRules.where('integrationId').equals(integrationId).delete();
    await db.sortRules.bulkAdd(rows);
  });
  return { moved: await resortIntegration(db, integrationId) };
}

/** What saving these rules would move, without saving them. */
export async function previewSortRules(db: SidecarDb, integrationId: string, rules: RuleInput[]): Promise<ChangePreview> {
  const rows = await db.transaction('r', [db.integrations, db.layouts], () => validatedRules(db, integrationId, rules));
  return previewResort(db, integrationId, { rules: rows });
}
