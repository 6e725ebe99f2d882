import type { DocRow, IntegrationRow, LayoutRow } from '../db/schema';
import { PSA_DESCRIPTORS } from '../psa/all';
import { ENTITY_KINDS, type EntityKind } from '../psa/types';
import { DOCUMENT_KINDS, type DocumentKind } from './rules';

/**
 * The palette's view of the documents technicians write (docs/design/documentation-store.md §4):
 * what it keeps and shows of a projected row (Dexie `docs`, lib/documents/projector.ts), the same
 * for its in-memory index and its IndexedDB search. Read from the row's own fields, never a sealed
 * box: a credential shows its name, user name and web address's host only.
 */

export interface FoundDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  snippet?: string;
  /** The title lower-cased: the ranking's name (lib/search/rules.ts). */
  sortName: string;
  /** Its client space; null: the MSP's own procedures (every client's); absent: about a record (`record`). */
  spaceId?: string | null;
  /** The PSA record it is about, by its tenant (`source`, the same on every install). */
  record?: { source: string; entity: EntityKind; remoteId: string };
  /** A custom field's place in its layout, which names it. */
  field?: { layoutId: string; fieldId: string };
}

const TITLE_CHARS = 80;
const SNIPPET_CHARS = 140;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const cut = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value);
/** Markdown as a line of plain text (links as their text, marks and table rules dropped). */
const plain = (markdown: string): string =>
  markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[[ xX]\]/g, ' ')
    .replace(/[#>*_`|~]+|^\s*[-+]\s+|-{3,}/gm, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function host(url: unknown): string {
  try {
    return typeof url === 'string' ? new URL(url).host : '';
  } catch {
    return '';
  }
}

function recordOf(value: unknown): FoundDocument['record'] {
  const ref = value as { source?: unknown; entity?: unknown; remoteId?: unknown } | undefined;
  if (typeof ref?.source !== 'string' || typeof ref.remoteId !== 'string' || !ENTITY_KINDS.includes(ref.entity as EntityKind)) return undefined;
  return { source: ref.source, entity: ref.entity as EntityKind, remoteId: ref.remoteId };
}

/** A custom field's value as text (a yes/no field's is not searched: the projector gives it no words). */
function fieldText(value: unknown): string {
  const v = (value as { v?: unknown } | undefined)?.v;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** What the palette shows of a row, or undefined when it shows none of it: binned, invalid, or no kind it finds. */
export function foundDocument(row: DocRow): FoundDocument | undefined {
  const kind = row.kind as DocumentKind;
  const doc = row.doc;
  if (row.invalid || !DOCUMENT_KINDS.includes(kind) || doc.binnedAt !== undefined) return undefined;
  let title: string;
  let snippet = '';
  if (kind === 'article') {
    title = text(doc.title);
    snippet = plain(text(doc.body));
  } else if (kind === 'note') {
    const lines = text(doc.text).trim().split('\n');
    title = lines[0]!.trim();
    snippet = lines.slice(1).join(' ').replace(/\s+/g, ' ').trim();
  } else if (kind === 'credential') {
    title = text(doc.name);
    snippet = [text(doc.username), host(doc.url)].filter(Boolean).join(' · ');
  } else {
    title = fieldText(doc.value).trim().split('\n')[0]!;
  }
  title = cut(title, TITLE_CHARS);
  const place = (kind === 'article' ? { spaceId: doc.spaceId } : kind === 'field' ? { record: doc.record } : doc.place) as
    { spaceId?: unknown; record?: unknown } | undefined;
  const record = recordOf(place?.record);
  const spaceId = typeof place?.spaceId === 'string' ? place.spaceId : kind === 'article' && place?.spaceId === null ? null : undefined;
  if (spaceId === undefined && !record) return undefined;
  const field = kind === 'field' ? { layoutId: text(doc.layoutId), fieldId: text(doc.fieldId) } : undefined;
  return {
    id: row.id,
    kind,
    title,
    ...(snippet ? { snippet: cut(snippet, SNIPPET_CHARS) } : {}),
    sortName: title.toLocaleLowerCase('en'),
    ...(spaceId !== undefined ? { spaceId } : { record: record! }),
    ...(field ? { field } : {}),
  };
}

/** This browser's integrations by the PSA tenant they read (a record-scoped document's `source`). */
export function integrationsBySource(integrations: IntegrationRow[]): Map<string, string> {
  const bySource = new Map<string, string>();
  for (const integration of integrations) {
    const source = PSA_DESCRIPTORS.find((descriptor) => descriptor.kind === integration.psa)?.sourceKeyFor(integration.settings);
    if (source && !bySource.has(source)) bySource.set(source, integration.id);
  }
  return bySource;
}

/** What the palette calls each kind. */
export const DOCUMENT_LABEL: Record<DocumentKind, string> = { article: 'Article', note: 'Note', credential: 'Credential', field: 'Field' };

/** How a global article's client space is named. */
export const ALL_CLIENTS = 'All clients';

/** A custom field's title: its name in its layout, then its value. */
export function fieldTitle(found: FoundDocument, layouts: LayoutRow[]): string {
  const name = layouts.find((layout) => layout.id === found.field?.layoutId)?.fields?.find((field) => field.id === found.field?.fieldId)?.name;
  return `${name ?? 'Custom field'}: ${found.title}`;
}

/**
 * The client-space page at a document (components/space/route.ts reads it): an article open, or
 * the space for anything else. `spaceId` for a global article: any client space shows it.
 */
export function documentHref(kind: DocumentKind, id: string, spaceId: string | undefined): string {
  if (spaceId === undefined) return '/space.html#/';
  return `/space.html#/space/${encodeURIComponent(spaceId)}${kind === 'article' ? `/article/${encodeURIComponent(id)}` : ''}`;
}
