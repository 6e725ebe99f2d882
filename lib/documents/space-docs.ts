import type { ClientSpaceRow, DocRow, IntegrationRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import type { DocStore } from '../docstore/pouch';
import { spaceDocSchema, type Author, type SpaceDoc } from '../docstore/schemas';
import { sourceKeyOf } from './places';
import { saveDocument } from './write';

/**
 * Client spaces travel to the team as `space:<id>` documents (#15). Dexie's `clientSpaces` stays
 * what matches and pages use; this keeps the two in step both ways: a space changed here is
 * published (publishSpaces), a space document that arrives is applied (applySpaceDocs, inside the
 * projector's transaction). A space row that differs from the document last projected for it was
 * changed here and not published yet: an arriving document does not overwrite it, and the next
 * publish (with the arriving revision as its base) makes the later decision the team's.
 * A company a space follows is named by its PSA tenant (`source`), the same on every install.
 */

const SPACE_FIELDS = ['name', 'nameFollows', 'archivedAt', 'mergedInto', 'mergedAt'] as const;

const spaceIdOf = (docId: string) => docId.slice('space:'.length);
export const spaceDocId = (spaceId: string) => `space:${spaceId}`;

function sourceKeys(integrations: readonly IntegrationRow[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const integration of integrations) {
    try {
      keys.set(integration.id, sourceKeyOf(integration));
    } catch {
      // Incomplete settings: its spaces publish without the company they follow.
    }
  }
  return keys;
}

/** The document fields a space row stands for; a followed company of no integration here stays as the document had it. */
function contentOf(row: ClientSpaceRow, keys: Map<string, string>, doc: Partial<SpaceDoc> | undefined): Record<string, unknown> {
  const source = row.nameFollows ? keys.get(row.nameFollows.integrationId) : undefined;
  const foreignFollow = doc?.nameFollows && ![...keys.values()].includes(doc.nameFollows.source) ? doc.nameFollows : undefined;
  return {
    name: row.name,
    ...(row.nameFollows && source
      ? { nameFollows: { source, companyRemoteId: row.nameFollows.companyRemoteId } }
      : !row.nameFollows && foreignFollow
        ? { nameFollows: foreignFollow }
        : {}),
    ...(row.archivedAt !== undefined ? { archivedAt: row.archivedAt } : {}),
    ...(row.mergedInto !== undefined ? { mergedInto: row.mergedInto, ...(row.mergedAt !== undefined ? { mergedAt: row.mergedAt } : {}) } : {}),
  };
}

function docFields(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(SPACE_FIELDS.filter((field) => doc[field] !== undefined).map((field) => [field, doc[field]]));
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
      )
    : value;

function rowOf(doc: SpaceDoc, integrationBySource: Map<string, string>, existing: ClientSpaceRow | undefined): ClientSpaceRow {
  const integrationId = doc.nameFollows ? integrationBySource.get(doc.nameFollows.source) : undefined;
  return {
    id: spaceIdOf(doc._id),
    name: doc.name,
    createdAt: existing?.createdAt ?? doc.createdAt,
    ...(doc.nameFollows && integrationId ? { nameFollows: { integrationId, companyRemoteId: doc.nameFollows.companyRemoteId } } : {}),
    ...(doc.archivedAt !== undefined ? { archivedAt: doc.archivedAt } : {}),
    ...(doc.mergedInto !== undefined ? { mergedInto: doc.mergedInto, ...(doc.mergedAt !== undefined ? { mergedAt: doc.mergedAt } : {}) } : {}),
  };
}

/**
 * Applies arriving space documents to `clientSpaces`. Runs inside the projector's transaction,
 * which must include `clientSpaces` and `integrations`; `previous` are the projected rows before
 * this batch (what this browser last knew of each document).
 */
export async function applySpaceDocs(db: SidecarDb, rows: readonly DocRow[], previous: ReadonlyMap<string, DocRow>): Promise<void> {
  const spaceRows = rows.filter((row) => row.kind === 'space' && !row.invalid);
  if (!spaceRows.length) return;
  const keys = sourceKeys(await db.integrations.toArray());
  const bySource = new Map([...keys].map(([integrationId, source]) => [source, integrationId]));
  for (const projected of spaceRows) {
    const parsed = spaceDocSchema.safeParse(projected.doc);
    if (!parsed.success) continue;
    const doc = parsed.data;
    const existing = await db.clientSpaces.get(spaceIdOf(doc._id));
    const before = previous.get(projected.id);
    // Changed here since this browser last saw the document: the later publish wins.
    if (existing && (!before || !same(contentOf(existing, keys, before.doc), docFields(before.doc)))) continue;
    const next = rowOf(doc, bySource, existing);
    if (existing && JSON.stringify(sorted(existing)) === JSON.stringify(sorted(next))) continue;
    await db.clientSpaces.put(next);
  }
}

/**
 * Writes a document for every client space whose row differs from its projected document (new,
 * or changed here). A document changed meanwhile (a teammate's arrived) is left to the next pass.
 * Returns how many were written.
 */
export async function publishSpaces(db: SidecarDb, store: DocStore, author: Author): Promise<number> {
  const [spaces, integrations] = await Promise.all([db.clientSpaces.toArray(), db.integrations.toArray()]);
  const keys = sourceKeys(integrations);
  const projected = new Map((await db.docs.bulkGet(spaces.map((space) => spaceDocId(space.id)))).flatMap((row) => (row ? [[row.id, row] as const] : [])));
  let written = 0;
  for (const space of spaces) {
    const row = projected.get(spaceDocId(space.id));
    if (row?.invalid) continue; // a newer teammate's shape: not overwritten from here
    const content = contentOf(space, keys, row?.doc);
    if (row && same(content, docFields(row.doc))) continue;
    try {
      const saved = await saveDocument(store, author, {
        kind: 'space',
        id: spaceDocId(space.id),
        ...(row ? { baseRev: row.rev } : {}),
        content,
        remove: SPACE_FIELDS.filter((field) => !(field in content)),
        keepVersion: false,
        stamps: { createdAt: space.createdAt, createdBy: author, updatedAt: Date.now(), updatedBy: author },
      });
      if (saved.changed) written++;
    } catch (error) {
      if (!(error instanceof HandledError && (error.code === 'changed' || error.code === 'gone'))) throw error;
    }
  }
  return written;
}
