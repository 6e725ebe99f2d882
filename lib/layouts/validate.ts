import type { ConnectedField, IntegrationOptions, SyncLocations } from '../db/schema';
import { fieldTypeProblem, type FieldType } from './field-types';
import { LAYOUT_NAME_MAX, MAX_SOURCE_LENGTH } from './limits';
import { locationsOf, normaliseTypeName } from './placement';

export { LAYOUT_NAME_MAX, MAX_LAYOUT_FIELDS, MAX_SOURCE_LENGTH } from './limits';

/**
 * The rules for layouts, sync locations, sort rules and connected fields, as pure functions over
 * the layouts and integrations they would live beside. The options page's saves (service.ts,
 * connected-fields.ts) and setup import (lib/setup/import.ts) both call these, so what one
 * accepts the other accepts too.
 *
 * Each problem says where it is (a path inside what was checked, for a setup file), the sentence
 * the options page shows, and the form field it belongs to with its short message there.
 */
export interface Problem {
  /** Inside what was checked: ['name'], ['fields', 1], [2] (the third rule). */
  path: (string | number)[];
  message: string;
  /** The options form's field key and the short message shown at it. */
  field: string;
  fieldMessage: string;
  /** A reference to something that is not there (e.g. `layout gone`): a setup file names it. */
  missing?: string;
}

/** What the checks need of a layout. */
export interface LayoutFacts {
  id: string;
  name: string;
  active: boolean;
  fields?: readonly { id: string; name: string }[];
}

/** What the checks need of an integration. */
export interface IntegrationFacts {
  label: string;
  options?: Pick<IntegrationOptions, 'syncLocations'>;
}

/** One layout field, as the options form keys its messages. */
export const fieldKey = (layoutId: string, fieldId: string) => `${layoutId}:${fieldId}`;

/** Layout names as stored: trimmed, inner runs of whitespace made one space. */
export const normaliseLayoutName = (name: string): string => name.trim().replace(/\s+/g, ' ');

const sameLayoutName = (a: string, b: string) => normaliseLayoutName(a).toLowerCase() === normaliseLayoutName(b).toLowerCase();

/**
 * A layout's own name and custom fields. `others` are the layouts it would live beside (not
 * itself): names are unique, case and spacing aside.
 */
export function layoutProblems(layout: { name: string; fields: readonly LayoutFieldInput[] }, others: readonly Pick<LayoutFacts, 'name'>[]): Problem[] {
  const problems: Problem[] = [];
  const name = normaliseLayoutName(layout.name);
  if (!name) problems.push({ path: ['name'], message: 'Give the layout a name.', field: 'name', fieldMessage: 'Give the layout a name.' });
  else if (name.length > LAYOUT_NAME_MAX) {
    problems.push({
      path: ['name'],
      message: `Layout names are at most ${LAYOUT_NAME_MAX} characters.`,
      field: 'name',
      fieldMessage: `At most ${LAYOUT_NAME_MAX} characters.`,
    });
  }
  const seen = new Set<string>();
  for (const [index, field] of layout.fields.entries()) {
    const fieldName = field.name.trim();
    if (!fieldName) continue; // an empty row of the form: not a field
    if (seen.has(fieldName.toLowerCase())) {
      problems.push({
        path: ['fields', index],
        message: `The field "${fieldName}" appears twice.`,
        field: 'fields',
        fieldMessage: `"${fieldName}" appears twice.`,
      });
    }
    seen.add(fieldName.toLowerCase());
    const typeProblem = fieldTypeProblem({ ...field, name: fieldName });
    if (typeProblem) problems.push({ path: ['fields', index], message: typeProblem, field: 'fields', fieldMessage: typeProblem });
  }
  const clash = name ? others.find((other) => sameLayoutName(other.name, name)) : undefined;
  if (clash) problems.push({ path: ['name'], message: `A layout named "${clash.name}" already exists.`, field: 'name', fieldMessage: 'That name is taken.' });
  return problems;
}

/** A custom field as a form or a setup file gives it. */
export interface LayoutFieldInput {
  name: string;
  type?: FieldType | undefined;
  options?: readonly string[] | undefined;
}

const LOCATION_LABEL: Record<keyof SyncLocations, string> = { people: 'contacts', locations: 'sites', configurations: 'the primary location' };

/**
 * Turning an active layout inactive: refused while an integration files records into it (its
 * sync locations, defaults included). `integrations` are those whose locations stay as they are.
 */
export function deactivationProblem(layout: Pick<LayoutFacts, 'id' | 'name'>, integrations: readonly IntegrationFacts[]): Problem | undefined {
  for (const integration of integrations) {
    const locations = locationsOf(integration.options);
    const used = (Object.keys(locations) as (keyof SyncLocations)[]).find((key) => locations[key] === layout.id);
    if (used) {
      return {
        path: ['active'],
        message: `"${layout.name}" is where ${integration.label} files ${LOCATION_LABEL[used]}: choose another sync location first.`,
        field: 'active',
        fieldMessage: 'In use as a sync location.',
      };
    }
  }
  return undefined;
}

/** Every sync location must be an active layout. */
export function syncLocationProblems(locations: SyncLocations, layouts: ReadonlyMap<string, LayoutFacts>): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(locations) as (keyof SyncLocations)[]) {
    const layout = layouts.get(locations[key]);
    if (!layout)
      problems.push({
        path: [key],
        message: 'That layout no longer exists.',
        field: key,
        fieldMessage: 'That layout no longer exists.',
        missing: `layout ${locations[key]}`,
      });
    else if (!layout.active) {
      const message = `"${layout.name}" is inactive: only active layouts can be sync locations.`;
      problems.push({ path: [key], message, field: key, fieldMessage: message });
    }
  }
  return problems;
}

export interface RuleInput {
  typeName: string;
  layoutId: string;
}

/**
 * Sort rules in order (rule 1 first): each has a type and an active layout, and no two are for
 * the same type (the first would always win). Returns the rules as stored (types trimmed).
 */
export function sortRuleProblems(rules: readonly RuleInput[], layouts: ReadonlyMap<string, LayoutFacts>): { rules: RuleInput[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const kept: RuleInput[] = [];
  const seen = new Map<string, number>();
  for (const [index, rule] of rules.entries()) {
    const at = `rule-${index}`;
    const typeName = rule.typeName.trim();
    const layout = layouts.get(rule.layoutId);
    if (!typeName) problems.push({ path: [index, 'typeName'], message: `Rule ${index + 1} has no type.`, field: at, fieldMessage: 'Enter a type.' });
    else if (!layout) {
      problems.push({
        path: [index],
        message: `Rule ${index + 1} points to a layout that no longer exists.`,
        field: at,
        fieldMessage: 'Choose a layout.',
        missing: `layout ${rule.layoutId}`,
      });
    } else if (!layout.active) {
      problems.push({ path: [index], message: `Rule ${index + 1}: "${layout.name}" is inactive.`, field: at, fieldMessage: 'Choose an active layout.' });
    } else {
      const key = normaliseTypeName(typeName);
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({
          path: [index],
          message: `Rules ${first + 1} and ${index + 1} are both for "${typeName}": the first would always win.`,
          field: at,
          fieldMessage: `Same type as rule ${first + 1}.`,
        });
      } else seen.set(key, index);
    }
    kept.push({ typeName, layoutId: rule.layoutId });
  }
  return { rules: kept, problems };
}

/**
 * Connected fields: each names an existing layout field, at most once, and a PSA field of at most
 * MAX_SOURCE_LENGTH characters. An empty PSA field means disconnected: left out of `connections`.
 */
export function connectionProblems(
  connections: readonly ConnectedField[],
  layouts: ReadonlyMap<string, LayoutFacts>,
): { connections: ConnectedField[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const kept: ConnectedField[] = [];
  const seen = new Set<string>();
  for (const [index, connection] of connections.entries()) {
    const key = fieldKey(connection.layoutId, connection.fieldId);
    const source = connection.source.trim();
    const field = layouts.get(connection.layoutId)?.fields?.find((candidate) => candidate.id === connection.fieldId);
    const twice = seen.has(key);
    seen.add(key);
    if (!field) {
      problems.push({
        path: [index],
        message: 'That layout field no longer exists.',
        field: key,
        fieldMessage: 'That layout field no longer exists.',
        missing: `field ${connection.fieldId} of layout ${connection.layoutId}`,
      });
    } else if (twice) {
      const message = `"${field.name}" is connected twice: keep one.`;
      problems.push({ path: [index], message, field: key, fieldMessage: message });
    } else if (source.length > MAX_SOURCE_LENGTH) {
      problems.push({
        path: [index, 'source'],
        message: `PSA field names are at most ${MAX_SOURCE_LENGTH} characters.`,
        field: key,
        fieldMessage: `At most ${MAX_SOURCE_LENGTH} characters.`,
      });
    } else if (source) kept.push({ layoutId: connection.layoutId, fieldId: connection.fieldId, source });
  }
  return { connections: kept, problems };
}
