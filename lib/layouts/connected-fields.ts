import { DEFAULT_SYNC_LOCATIONS, type ConnectedField, type LayoutRow, type RecordRow, type SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { connectionProblems } from './validate';

export { fieldKey, MAX_SOURCE_LENGTH } from './validate';

/**
 * Connected fields: a PSA field (by the label the adapter gives it, custom fields and questions
 * included) shown in a layout's custom field. Resolved when records are read, so connecting or
 * disconnecting a field changes what the overlay shows at once, without a resync.
 */

/** The layout's custom fields, in order, with the PSA value each is connected to (when it has one). */
export function connectedValues(row: RecordRow, layout: LayoutRow | undefined, connections: readonly ConnectedField[]): { label: string; value: string }[] {
  if (!layout?.fields?.length || !row.data.fields) return [];
  const values: { label: string; value: string }[] = [];
  for (const field of layout.fields) {
    const connection = connections.find((candidate) => candidate.layoutId === layout.id && candidate.fieldId === field.id);
    const value = connection ? row.data.fields[connection.source] : undefined;
    if (value) values.push({ label: field.name, value });
  }
  return values;
}

/**
 * Replaces an integration's connected fields. Every connection must name an existing layout
 * field and a PSA field (lib/layouts/validate.ts); nothing is written when one is wrong.
 */
export async function saveConnectedFields(db: SidecarDb, integrationId: string, connections: ConnectedField[]): Promise<{ connected: number }> {
  return db.transaction('rw', [db.integrations, db.layouts], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
    const layouts = new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout]));
    const checked = connectionProblems(connections, layouts);
    if (checked.problems.length) {
      const errors = Object.fromEntries(checked.problems.map((problem) => [problem.field, problem.fieldMessage]));
      throw new HandledError(
        'invalid',
        `${Object.keys(errors).length === 1 ? 'One connection is' : 'Some connections are'} not valid: nothing was saved.`,
        errors,
      );
    }
    await db.integrations.update(integrationId, {
      options: { syncLocations: DEFAULT_SYNC_LOCATIONS, ...integration.options, connectedFields: checked.connections },
    });
    return { connected: checked.connections.length };
  });
}
