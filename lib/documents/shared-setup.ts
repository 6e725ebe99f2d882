import type { DocRow, IntegrationRow, LayoutRow, MatchRow, SidecarDb, SortRuleRow } from '../db/schema';
import { HandledError } from '../errors';
import { layoutDocId, matchDocId, sourceDocId } from '../docstore/ids';
import type { DocStore } from '../docstore/pouch';
import { layoutDocSchema, matchDocSchema, sourceDocSchema, type Author } from '../docstore/schemas';
import { pick, sameFields, teamIntegrationId, type SharedContext } from './shared-context';
import { saveDocument, type WritableKind } from './write';

/**
 * The team's shared setup (#15), kept in step with Dexie both ways as client spaces are
 * (./space-docs.ts): what a person decides here is published as a document; a document a
 * teammate wrote is applied here, inside the projector's transaction. A row that differs from
 * the document last projected for it was changed here and is not overwritten; its publish (on
 * the arriving revision) makes the later decision the team's.
 * - `source:<digest>`: a PSA tenant an integration syncs: settings (never secrets), sync options,
 *   sort rules. A member with no integration for it gets one (`team-<digest>`, no credentials).
 * - `match:<digest>:<company>`: a company's match; the later `decidedAt` wins.
 * - `layout:<id>`: a layout and its fields.
 */

/**
 * A source's decisions (what members change and the team shares), apart from what describes the
 * tenant (written by the member who publishes it first; each install keeps its own integration's
 * description, so two members syncing the same tenant never overwrite each other's).
 */
const SOURCE_DECISIONS = ['options', 'sortRules'] as const;
const SOURCE_DESCRIPTION = ['source', 'psa', 'label', 'settings', 'uiOrigin', 'origins'] as const;
const MATCH_FIELDS = ['source', 'companyRemoteId', 'state', 'clientSpaceId', 'decidedAt'] as const;
const LAYOUT_FIELDS = ['name', 'role', 'active', 'primary', 'fields'] as const;

/** The tables the appliers write: the projector's transaction must include them. */
export const sharedTables = (db: SidecarDb) => [db.integrations, db.matches, db.sortRules, db.layouts];

type Published = { kind: WritableKind; id: string; content: Record<string, unknown>; fields: readonly string[]; createdAt: number };

function sourceContent(integration: IntegrationRow, rules: readonly SortRuleRow[], source: string): Record<string, unknown> {
  return {
    ...(integration.lastSyncAt ? { lastSyncAt: integration.lastSyncAt } : {}),
    source,
    psa: integration.psa,
    label: integration.label,
    settings: integration.settings,
    uiOrigin: integration.uiOrigin,
    origins: integration.origins,
    ...(integration.options ? { options: integration.options } : {}),
    sortRules: [...rules].sort((a, b) => a.order - b.order).map((rule) => ({ typeName: rule.typeName, layoutId: rule.layoutId })),
  };
}

function matchContent(match: MatchRow, source: string): Record<string, unknown> {
  return {
    source,
    companyRemoteId: match.companyRemoteId,
    state: match.state,
    ...(match.clientSpaceId ? { clientSpaceId: match.clientSpaceId } : {}),
    decidedAt: match.decidedAt,
  };
}

function layoutContent(layout: LayoutRow): Record<string, unknown> {
  return pick(layout as unknown as Record<string, unknown>, LAYOUT_FIELDS);
}

/**
 * Publishes every source, match and layout whose row differs from its projected document.
 * Returns how many documents were written.
 */
export async function publishSharedSetup(db: SidecarDb, store: DocStore, author: Author, context: SharedContext): Promise<number> {
  const [integrations, rules, matches, layouts] = await Promise.all([
    db.integrations.toArray(),
    db.sortRules.toArray(),
    db.matches.toArray(),
    db.layouts.toArray(),
  ]);
  const wanted: Published[] = [];
  for (const integration of integrations) {
    const shared = context.sources.get(integration.id);
    if (!shared) continue;
    const own = rules.filter((rule) => rule.integrationId === integration.id);
    wanted.push({
      kind: 'source',
      id: sourceDocId(shared.sourceHash),
      content: sourceContent(integration, own, shared.source),
      fields: [...SOURCE_DECISIONS, 'lastSyncAt'],
      createdAt: integration.createdAt,
    });
  }
  for (const match of matches) {
    const shared = context.sources.get(match.integrationId);
    if (!shared) continue;
    wanted.push({
      kind: 'match',
      id: matchDocId(shared.sourceHash, match.companyRemoteId),
      content: matchContent(match, shared.source),
      fields: MATCH_FIELDS,
      createdAt: match.decidedAt,
    });
  }
  for (const layout of layouts) {
    wanted.push({ kind: 'layout', id: layoutDocId(layout.id), content: layoutContent(layout), fields: LAYOUT_FIELDS, createdAt: layout.createdAt });
  }
  const projected = new Map((await db.docs.bulkGet(wanted.map((item) => item.id))).flatMap((row) => (row ? [[row.id, row] as const] : [])));
  let written = 0;
  for (const item of wanted) {
    const row = projected.get(item.id);
    if (row?.invalid) continue; // a newer teammate's shape: not overwritten from here
    if (row && sameFields(item.content, pick(row.doc, item.fields))) continue;
    // A later decision already in the team's document: it is applied here, not overwritten.
    if (row && item.kind === 'match' && Number(row.doc.decidedAt) > Number(item.content.decidedAt)) continue;
    // An existing source keeps the description it has: only the decisions change, and when the
    // team's records were last synced (the latest sync anyone here or there made).
    const content =
      row && item.kind === 'source'
        ? {
            ...pick(row.doc, SOURCE_DESCRIPTION),
            ...pick(item.content, SOURCE_DECISIONS),
            ...(Math.max(Number(row.doc.lastSyncAt ?? 0), Number(item.content.lastSyncAt ?? 0)) > 0
              ? { lastSyncAt: Math.max(Number(row.doc.lastSyncAt ?? 0), Number(item.content.lastSyncAt ?? 0)) }
              : {}),
          }
        : item.content;
    if (row && item.kind === 'source' && sameFields(content, pick(row.doc, [...SOURCE_DESCRIPTION, ...SOURCE_DECISIONS, 'lastSyncAt']))) continue;
    try {
      const saved = await saveDocument(store, author, {
        kind: item.kind,
        id: item.id,
        ...(row ? { baseRev: row.rev } : {}),
        content,
        remove: item.fields.filter((field) => !(field in content)),
        keepVersion: false,
        stamps: { createdAt: item.createdAt, createdBy: author, updatedAt: Date.now(), updatedBy: author },
      });
      if (saved.changed) written++;
    } catch (error) {
      // A teammate's revision arrived meanwhile: the next pass decides again.
      if (!(error instanceof HandledError && (error.code === 'changed' || error.code === 'gone'))) throw error;
    }
  }
  return written;
}

/**
 * Whether this browser changed the row since it last saw `before` (then the arriving document
 * waits for its publish). A document never seen here is the team's decision, made before this
 * browser took part: it wins over what this browser had on its own (e.g. the built-in layouts).
 */
const changedHere = (rowContent: Record<string, unknown> | undefined, before: DocRow | undefined, fields: readonly string[]) =>
  rowContent !== undefined && before !== undefined && !sameFields(rowContent, pick(before.doc, fields));

/**
 * Applies arriving source, match and layout documents (inside the projector's transaction, with
 * `sharedTables`); `previous` are the projected rows before this batch. Returns the integrations
 * created or changed (their content scripts and permissions may need a look).
 */
export async function applySharedSetup(
  db: SidecarDb,
  rows: readonly DocRow[],
  previous: ReadonlyMap<string, DocRow>,
  context: SharedContext,
  now: number,
): Promise<number> {
  let integrationsChanged = 0;
  for (const projected of rows) {
    if (projected.invalid) continue;
    const before = previous.get(projected.id);
    if (projected.kind === 'layout') {
      const doc = layoutDocSchema.safeParse(projected.doc);
      if (!doc.success) continue;
      const id = doc.data._id.slice('layout:'.length);
      const existing = await db.layouts.get(id);
      if (existing && changedHere(layoutContent(existing), before, LAYOUT_FIELDS)) continue;
      const next = { id, createdAt: existing?.createdAt ?? doc.data.createdAt, ...pick(doc.data, LAYOUT_FIELDS) } as unknown as LayoutRow;
      if (!existing || !sameFields(layoutContent(existing), layoutContent(next))) await db.layouts.put(next);
    } else if (projected.kind === 'source') {
      const doc = sourceDocSchema.safeParse(projected.doc);
      if (!doc.success) continue;
      const sourceHash = doc.data._id.slice('source:'.length);
      const integrationId = context.byHash.get(sourceHash) ?? teamIntegrationId(sourceHash);
      const existing = await db.integrations.get(integrationId);
      const rules = await db.sortRules.where('integrationId').equals(integrationId).toArray();
      // When the team's records were last synced: the latest, whatever else this browser keeps.
      const lastSyncAt = Math.max(existing?.lastSyncAt ?? 0, doc.data.lastSyncAt ?? 0) || undefined;
      if (existing && changedHere(pick(sourceContent(existing, rules, doc.data.source), SOURCE_DECISIONS), before, SOURCE_DECISIONS)) {
        if (lastSyncAt && lastSyncAt !== existing.lastSyncAt) {
          await db.integrations.update(existing.id, { lastSyncAt });
          integrationsChanged++;
        }
        continue;
      }
      // Its own, or one a person here gave credentials to (tested: `connection`): the team never
      // moves where this browser sends credentials (settings, origins), whatever a document says.
      const own = existing && (!existing.team || existing.connection !== undefined);
      const next: IntegrationRow = {
        ...(existing ?? { id: integrationId, createdAt: now, team: { source: doc.data.source, sourceHash } }),
        // An install's own integration keeps its own settings, label and origins (its credentials go with them).
        ...(own ? {} : { psa: doc.data.psa, label: doc.data.label, settings: doc.data.settings, uiOrigin: doc.data.uiOrigin, origins: doc.data.origins }),
        ...(doc.data.options ? { options: doc.data.options as unknown as IntegrationRow['options'] } : {}),
        ...(lastSyncAt ? { lastSyncAt } : {}),
      } as IntegrationRow;
      if (!doc.data.options) delete next.options;
      if (!existing || !sameFields(existing as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>)) {
        await db.integrations.put(next);
        integrationsChanged++;
      }
      const nextRules = doc.data.sortRules.map((rule, order): SortRuleRow => ({ id: `${integrationId}:${order}`, integrationId, order, ...rule }));
      if (
        !sameFields(
          { rules: rules.map(({ typeName, layoutId, order }) => ({ typeName, layoutId, order })) },
          { rules: nextRules.map(({ typeName, layoutId, order }) => ({ typeName, layoutId, order })) },
        )
      ) {
        await db.sortRules.where('integrationId').equals(integrationId).delete();
        await db.sortRules.bulkAdd(nextRules);
      }
      if (!existing) context.byHash.set(sourceHash, integrationId);
    } else if (projected.kind === 'match') {
      const doc = matchDocSchema.safeParse(projected.doc);
      if (!doc.success) continue;
      const sourceHash = doc.data._id.split(':')[1]!;
      const integrationId = context.byHash.get(sourceHash) ?? teamIntegrationId(sourceHash);
      const existing = await db.matches.get([integrationId, doc.data.companyRemoteId]);
      // The later decision wins; an equal one changes nothing.
      if (existing && existing.decidedAt >= doc.data.decidedAt) continue;
      await db.matches.put({
        integrationId,
        companyRemoteId: doc.data.companyRemoteId,
        state: doc.data.state,
        ...(doc.data.clientSpaceId ? { clientSpaceId: doc.data.clientSpaceId } : {}),
        decidedAt: doc.data.decidedAt,
      });
    }
  }
  return integrationsChanged;
}
