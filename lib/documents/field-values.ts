import { HandledError } from '../errors';
import type { SidecarDb } from '../db/schema';
import { fieldValueSchema, type RecordRef } from '../docstore/schemas';
import { fieldDocId } from '../docstore/ids';
import type { DocumentedEntity } from './entities';
import { sourceKeyOf } from './places';
import { invalid } from './write';

/**
 * A hand-filled value of a layout's custom field on a record (issue #14). Only for a field the
 * record's layout has, of the field's type (a choice among its list), and never for a field
 * connected to a PSA field: that one shows the PSA's value, which a sync keeps current. No sync
 * ever writes these: they live in the documentation store, apart from the PSA's records.
 */

export interface FieldValueRequest {
  integrationId: string;
  entity: DocumentedEntity;
  remoteId: string;
  layoutId: string;
  fieldId: string;
  /** Null: clear it (the value goes to the bin, restorable). */
  value: { type: string; v: unknown } | null;
}

export interface CheckedFieldValue {
  id: string;
  record: RecordRef;
  value: ReturnType<typeof fieldValueSchema.parse> | null;
}

export async function checkFieldValue(db: SidecarDb, request: FieldValueRequest): Promise<CheckedFieldValue> {
  const [integration, record, layout] = await Promise.all([
    db.integrations.get(request.integrationId),
    db.records.get([request.integrationId, request.entity, request.remoteId]),
    db.layouts.get(request.layoutId),
  ]);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  if (!record) throw new HandledError('not-found', 'That record is not synced here (any more).');
  if (!layout || record.layoutId !== layout.id) throw new HandledError('invalid', 'That record is not in that layout (any more): reload the page.');
  const field = layout.fields?.find((candidate) => candidate.id === request.fieldId);
  if (!field) throw new HandledError('not-found', 'That field is no longer in the layout.');
  const connected = integration.options?.connectedFields?.some((connection) => connection.layoutId === layout.id && connection.fieldId === field.id);
  if (connected) throw new HandledError('invalid', `“${field.name}” shows a PSA field: change it in the PSA.`, { value: 'Filled from the PSA.' });
  const ref: RecordRef = { source: sourceKeyOf(integration), entity: request.entity, remoteId: request.remoteId };
  const id = await fieldDocId(ref, layout.id, field.id);
  if (request.value === null) return { id, record: ref, value: null };
  const type = field.type ?? 'text';
  if (request.value.type !== type) throw new HandledError('invalid', `“${field.name}” holds ${type} values: reload the page.`, { value: 'Reload the page.' });
  const parsed = fieldValueSchema.safeParse(request.value);
  if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => ({ ...issue, path: ['value'] })));
  if (parsed.data.type === 'choice' && !(field.options ?? []).includes(parsed.data.v)) {
    throw new HandledError('invalid', `“${String(parsed.data.v)}” is not one of the choices of “${field.name}”.`, { value: 'Choose one from the list.' });
  }
  return { id, record: ref, value: parsed.data };
}

/** A value as shown (overlay, client-space page, palette). */
export function displayValue(value: { type: string; v: unknown }): string {
  if (value.type === 'yesno') return value.v ? 'Yes' : 'No';
  return String(value.v);
}
