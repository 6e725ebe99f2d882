import { DEFAULT_SYNC_LOCATIONS, type ConnectedField, type LayoutRow, type RecordRow, type SidecarDb } from '../db/schema';
import { HandledError } from '../messaging/router';

/**
 * Connected fields: a PSA field (by the label the adapter gives it, custom fields and questions
 * included) shown in a layout's custom field. Resolved when records are read, so connecting or
 * disconnecting a field changes what the overlay shows at once, without a resync.
 */

export const MAX_SOURCE_LENGTH = 200;

export const fieldKey = (layoutId: string, fieldId: string) => `${layoutId}:${fieldId}`;

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
 * field and a PSA field; nothing is written when one is wrong.
 */
export async function saveConnectedFields(db: SidecarDb, integrationId: string, connections: ConnectedField[]): Promise<{ connected: number }> {
  return db.transaction('rw', [db.integrations, db.layouts], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
    const layouts = new Map((await db.layouts.toArray()).map((layout) => [layout.id, layout]));
    const errors: Record<string, string> = {};
    const seen = new Set<string>();
    const kept: ConnectedField[] = [];
    for (const connection of connections) {
      const key = fieldKey(connection.layoutId, connection.fieldId);
      const source = connection.source.trim();
      const layout = layouts.get(connection.layoutId);
      const field = layout?.fields?.find((candidate) => candidate.id === connection.fieldId);
      const twice = seen.has(key);
      seen.add(key);
      if (!layout || !field) errors[key] = 'That layout field no longer exists.';
      else if (twice) errors[key] = `"${field.name}" is connected twice: keep one.`;
      else if (source.length > MAX_SOURCE_LENGTH) errors[key] = `At most ${MAX_SOURCE_LENGTH} characters.`;
      else if (source) kept.push({ layoutId: layout.id, fieldId: field.id, source }); // empty: disconnected
    }
    if (Object.keys(errors).length) {
      throw new HandledError('invalid', `${Object.keys(errors).length === 1 ? 'One connection is' : 'Some connections are'} not valid: nothing was saved.`, errors);
    }
    await db.integrations.update(integrationId, { options: { syncLocations: DEFAULT_SYNC_LOCATIONS, ...integration.options, connectedFields: kept } });
    return { connected: kept.length };
  });
}
