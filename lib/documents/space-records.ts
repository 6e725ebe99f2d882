import type { IntegrationRow, LayoutRow, RecordRow, SidecarDb } from '../db/schema';
import { noteDocSchema } from '../docstore/schemas';
import { toItem } from '../items/to-item';
import { connectedValues } from '../layouts/connected-fields';
import type { DocumentedEntity } from './entities';
import { handValues, type HandValue } from './hand-values';
import { sourceKeyOf } from './places';
import { credentialView, type CredentialView, type NoteView } from './read';

/**
 * The client-space page's "Records": what the PSAs matched to the space hold, by layout, each with
 * its custom fields (a PSA value where connected, else the hand-filled one) and its pinned notes.
 */

export interface SpaceRecordField {
  layoutId: string;
  fieldId: string;
  name: string;
  type: NonNullable<NonNullable<LayoutRow['fields']>[number]['type']>;
  options?: string[];
  /** The connected PSA field's value: shown, not editable here. */
  fromPsa?: string;
  hand?: HandValue;
}

export interface SpaceRecord {
  key: string;
  integrationId: string;
  entity: DocumentedEntity | 'agreement';
  remoteId: string;
  title: string;
  subtitle?: string;
  fields: SpaceRecordField[];
  notes: NoteView[];
  /** Credentials on this record (clear fields only). */
  credentials: CredentialView[];
}

export interface SpaceRecordGroup {
  title: string;
  records: SpaceRecord[];
}

const KINDS = ['contact', 'configuration', 'site', 'agreement'] as const;

export async function spaceRecords(db: SidecarDb, spaceId: string): Promise<SpaceRecordGroup[]> {
  const matches = (await db.matches.where('clientSpaceId').equals(spaceId).toArray()).filter((match) => match.state === 'matched');
  const integrations = new Map(
    (await db.integrations.bulkGet(matches.map((match) => match.integrationId))).filter((row): row is IntegrationRow => !!row).map((row) => [row.id, row]),
  );
  const rows: RecordRow[] = [];
  for (const match of matches) {
    if (!integrations.has(match.integrationId)) continue;
    for (const entity of KINDS) {
      rows.push(
        ...(await db.records
          .where('[integrationId+entity+companyRemoteId]')
          .equals([match.integrationId, entity, match.companyRemoteId])
          .filter((row) => row.archivedAt === undefined)
          .toArray()),
      );
    }
  }
  rows.sort((a, b) => a.sortName.localeCompare(b.sortName));
  const sources = new Map<string, string>();
  for (const [id, integration] of integrations) {
    try {
      sources.set(id, sourceKeyOf(integration));
    } catch {
      // Settings that no longer parse: its records show without documentation.
    }
  }
  const keyOf = (row: RecordRow) => `${sources.get(row.integrationId) ?? `?${row.integrationId}`}/${row.entity}/${row.remoteId}`;
  const keys = rows.map(keyOf);
  const [hands, noteRows, layouts] = await Promise.all([
    handValues(db, keys),
    db.docs
      .where('recordKey')
      .anyOf(keys)
      .filter((row) => (row.kind === 'note' || row.kind === 'credential') && !row.invalid && row.doc.binnedAt === undefined)
      .toArray(),
    db.layouts.toArray(),
  ]);
  const layoutOf = new Map(layouts.map((layout) => [layout.id, layout]));
  const notesOf = new Map<string, NoteView[]>();
  const credentialsOf = new Map<string, CredentialView[]>();
  for (const row of noteRows) {
    if (row.kind === 'credential') {
      const view = credentialView(row);
      if (view && row.recordKey) credentialsOf.set(row.recordKey, [...(credentialsOf.get(row.recordKey) ?? []), view]);
      continue;
    }
    const note = noteDocSchema.safeParse(row.doc);
    if (!note.success || !row.recordKey) continue;
    const view: NoteView = {
      id: row.id,
      rev: row.rev,
      text: note.data.text,
      by: note.data.updatedBy.name || 'Unnamed technician',
      at: note.data.updatedAt,
      createdBy: note.data.createdBy.name || 'Unnamed technician',
    };
    notesOf.set(row.recordKey, [...(notesOf.get(row.recordKey) ?? []), view]);
  }

  const groups = new Map<string, SpaceRecord[]>();
  for (const row of rows) {
    const layout = layoutOf.get(row.layoutId ?? '');
    const connections = integrations.get(row.integrationId)?.options?.connectedFields ?? [];
    const fromPsa = new Map(connectedValues(row, layout, connections).map(({ label, value }) => [label, value]));
    const key = keyOf(row);
    const documented = row.entity !== 'agreement' && sources.has(row.integrationId);
    const fields: SpaceRecordField[] = documented
      ? (layout?.fields ?? []).map((field) => {
          const connected = connections.some((connection) => connection.layoutId === layout!.id && connection.fieldId === field.id);
          const hand = hands.get(key)?.get(`${layout!.id}/${field.id}`);
          return {
            layoutId: layout!.id,
            fieldId: field.id,
            name: field.name,
            type: field.type ?? 'text',
            ...(field.options ? { options: field.options } : {}),
            ...(connected ? { fromPsa: fromPsa.get(field.name) ?? '' } : {}),
            ...(hand && !connected ? { hand } : {}),
          };
        })
      : [];
    const item = toItem(row, undefined);
    const group = row.entity === 'configuration' ? (layout?.name ?? 'Configurations') : GROUP_TITLE[row.entity as 'contact' | 'site' | 'agreement'];
    groups.set(group, [
      ...(groups.get(group) ?? []),
      {
        key,
        integrationId: row.integrationId,
        entity: row.entity as SpaceRecord['entity'],
        remoteId: row.remoteId,
        title: item.title,
        ...(item.subtitle ? { subtitle: item.subtitle } : {}),
        fields,
        notes: (notesOf.get(key) ?? []).sort((a, b) => b.at - a.at),
        credentials: (credentialsOf.get(key) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      },
    ]);
  }
  const order = (title: string) => (title === 'Contacts' ? 0 : title === 'Sites' ? 2 : title === 'Agreements' ? 3 : 1);
  return [...groups].map(([title, records]) => ({ title, records })).sort((a, b) => order(a.title) - order(b.title) || a.title.localeCompare(b.title));
}

const GROUP_TITLE = { contact: 'Contacts', site: 'Sites', agreement: 'Agreements' } as const;
