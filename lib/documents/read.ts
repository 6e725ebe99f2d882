import type { DocRow, SidecarDb } from '../db/schema';
import { articleDocSchema, credentialDocSchema, noteDocSchema, type ConflictKept } from '../docstore/schemas';
import { GLOBAL_SPACE } from './entities';

/**
 * The client-space page's reading of the documentation projection (Dexie `docs`), typed: rows are
 * parsed again here, since the projection holds what replicas wrote. Invalid rows are left out.
 */

export interface Stamp {
  by: string;
  at: number;
}
export interface NoteView extends Stamp {
  id: string;
  rev: string;
  text: string;
  createdBy: string;
  /** Edited on two computers at once: the other edits, kept in its history (./conflicts.ts). */
  conflictKept?: Stamp[];
}
export interface ArticleView extends Stamp {
  id: string;
  rev: string;
  spaceId: string | null;
  title: string;
  body: string;
  conflictKept?: Stamp[];
}
/** A credential as a page lists it: its clear fields only (the sealed box is opened on request, in the background). */
export interface CredentialView extends Stamp {
  id: string;
  rev: string;
  name: string;
  username?: string;
  url?: string;
}
export interface BinnedView {
  id: string;
  rev: string;
  kind: string;
  label: string;
  binnedAt: number;
  binnedBy: string;
}
export interface SpaceDocuments {
  notes: NoteView[];
  articles: ArticleView[];
  /** The MSP's own procedures, shown for every client. */
  globalArticles: ArticleView[];
  /** The client space's own credentials. */
  credentials: CredentialView[];
  binned: BinnedView[];
}

const nameOf = (author: { name: string }) => author.name || 'Unnamed technician';

/** A document's conflict mark as pages show it (who wrote each edit kept, and when), or nothing. */
export function keptEdits(mark: readonly ConflictKept[] | undefined): { conflictKept: Stamp[] } | Record<string, never> {
  return mark?.length ? { conflictKept: mark.map((entry) => ({ by: nameOf(entry.updatedBy), at: entry.updatedAt })) } : {};
}

export async function spaceDocuments(db: SidecarDb, spaceId: string): Promise<SpaceDocuments> {
  const [own, global] = await Promise.all([db.docs.where('spaceId').equals(spaceId).toArray(), db.docs.where('spaceId').equals(GLOBAL_SPACE).toArray()]);
  const result: SpaceDocuments = { notes: [], articles: [], globalArticles: [], credentials: [], binned: [] };
  for (const row of [...own, ...global]) {
    if (row.invalid) continue;
    const binned = binnedView(row);
    if (binned) {
      result.binned.push(binned);
      continue;
    }
    if (row.kind === 'note') {
      const note = noteDocSchema.safeParse(row.doc);
      if (note.success)
        result.notes.push({
          id: row.id,
          rev: row.rev,
          text: note.data.text,
          by: nameOf(note.data.updatedBy),
          at: note.data.updatedAt,
          createdBy: nameOf(note.data.createdBy),
          ...keptEdits(note.data.conflictKept),
        });
    } else if (row.kind === 'article') {
      const article = articleDocSchema.safeParse(row.doc);
      if (!article.success) continue;
      const view = {
        id: row.id,
        rev: row.rev,
        spaceId: article.data.spaceId,
        title: article.data.title,
        body: article.data.body,
        by: nameOf(article.data.updatedBy),
        at: article.data.updatedAt,
        ...keptEdits(article.data.conflictKept),
      };
      (view.spaceId ? result.articles : result.globalArticles).push(view);
    } else if (row.kind === 'credential') {
      const view = credentialView(row);
      if (view) result.credentials.push(view);
    }
  }
  result.notes.sort((a, b) => b.at - a.at);
  result.articles.sort((a, b) => a.title.localeCompare(b.title));
  result.globalArticles.sort((a, b) => a.title.localeCompare(b.title));
  result.credentials.sort((a, b) => a.name.localeCompare(b.name));
  result.binned.sort((a, b) => b.binnedAt - a.binnedAt);
  return result;
}

/** A credential row as pages list it (clear fields only), or nothing for one that does not parse. */
export function credentialView(row: DocRow): CredentialView | undefined {
  const credential = credentialDocSchema.safeParse(row.doc);
  if (!credential.success) return undefined;
  const { name, username, url, updatedBy, updatedAt } = credential.data;
  return { id: row.id, rev: row.rev, name, ...(username ? { username } : {}), ...(url ? { url } : {}), by: nameOf(updatedBy), at: updatedAt };
}

function binnedView(row: DocRow): BinnedView | undefined {
  const doc = row.doc as { binnedAt?: unknown; binnedBy?: { name?: unknown }; title?: unknown; text?: unknown; name?: unknown };
  if (typeof doc.binnedAt !== 'number') return undefined;
  const label = [doc.title, doc.name, doc.text].find((value): value is string => typeof value === 'string') ?? row.id;
  return {
    id: row.id,
    rev: row.rev,
    kind: row.kind,
    label: label.length > 80 ? `${label.slice(0, 79)}…` : label,
    binnedAt: doc.binnedAt,
    binnedBy: typeof doc.binnedBy?.name === 'string' && doc.binnedBy.name ? doc.binnedBy.name : 'Unnamed technician',
  };
}

export interface SpaceSummary {
  id: string;
  name: string;
  /** This space was merged into that one: the page goes there. */
  mergedInto?: string;
  archived: boolean;
  /** The PSA companies matched to it: every PSA that feeds it. */
  sources: { integrationId: string; integration: string; companyRemoteId: string; companyName: string }[];
}

export async function spaceSummary(db: SidecarDb, spaceId: string): Promise<SpaceSummary | null> {
  const space = await db.clientSpaces.get(spaceId);
  if (!space) return null;
  const matches = (await db.matches.where('clientSpaceId').equals(spaceId).toArray()).filter((match) => match.state === 'matched');
  const sources = await Promise.all(
    matches.map(async (match) => {
      const [integration, company] = await Promise.all([
        db.integrations.get(match.integrationId),
        db.records.get([match.integrationId, 'company', match.companyRemoteId]),
      ]);
      return {
        integrationId: match.integrationId,
        integration: integration?.label ?? 'A removed integration',
        companyRemoteId: match.companyRemoteId,
        companyName: (company?.data as { name?: string } | undefined)?.name ?? `Company ${match.companyRemoteId}`,
      };
    }),
  );
  return { id: space.id, name: space.name, archived: space.archivedAt !== undefined, sources, ...(space.mergedInto ? { mergedInto: space.mergedInto } : {}) };
}

/**
 * The client space a PSA company is matched to, for the stable per-company link
 * (`#/psa/<psa>/company/<remoteId>`, like Hudu's automatic links); `integrationId` picks one when
 * the PSA has two integrations. Null when it is not matched (or not synced here).
 */
export async function spaceOfCompany(db: SidecarDb, psa: string, remoteId: string, integrationId?: string): Promise<string | null> {
  const integrations = (await db.integrations.where('psa').equals(psa).toArray()).filter((row) => !integrationId || row.id === integrationId);
  for (const integration of integrations) {
    const match = await db.matches.get([integration.id, remoteId]);
    if (match?.state === 'matched' && match.clientSpaceId) return match.clientSpaceId;
  }
  return null;
}

export async function allSpaces(db: SidecarDb): Promise<{ id: string; name: string }[]> {
  return (await db.clientSpaces.orderBy('name').toArray()).map(({ id, name }) => ({ id, name }));
}
