import type { DocRow, RecordRow } from '../db/schema';
import type { OverlayItem } from '../items/item-model';
import { toItem } from '../items/to-item';
import type { EntityKind } from '../psa/types';
import { foundDocument, type FoundDocument } from './documents';
import { packFlags, packShared, packStrings, unpackFlags, unpackShared, unpackStrings, type PackedShared, type PackedStrings } from './packing';
import { documentSpace, isDocumentKind, isFindable, isPlainName, type DocumentPlace, type RecordKey, type SearchKind, type SearchScope } from './rules';

/**
 * What the in-memory index (lib/search/memory.ts) keeps of each record and document it finds, by
 * position: what ranks it, whether it may be shown, and what its palette row shows. Columns
 * (integration ids, kinds and companies shared), so memory stays lean on a large dataset.
 */

export type IndexedHit =
  | {
      type: 'record';
      key: RecordKey;
      companyRemoteId: string;
      score: number;
      /** The palette row's title and subtitle; no details (`fields` empty: read when opened). */
      item: OverlayItem;
    }
  | { type: 'document'; document: FoundDocument; spaceId: string | null; recordTitle?: string; score: number };

/** The entries as saved with the index (lib/search/snapshot.ts): packed columns, documents' own fields as they are. */
export interface EntriesSnapshot {
  integrationIds: PackedShared;
  kinds: PackedShared;
  remoteIds: PackedStrings;
  companies: PackedShared;
  titles: PackedStrings;
  subtitles: PackedShared;
  inactive: Uint8Array;
  names: PackedStrings;
  plain: Uint8Array;
  documents: [number, FoundDocument][];
  places: [number, DocumentPlace][];
  recordTitles: [number, string][];
}

export class IndexEntries {
  // A record's key in three columns. A document has its id as remote id, its kind as kind, and
  // the rest in `documents`.
  private readonly integrationIds: string[] = [];
  readonly kinds: SearchKind[] = [];
  private readonly remoteIds: string[] = [];
  private readonly shared = new Map<string, string>();
  /** Sort names (a document's: its title, lower-cased). */
  readonly names: string[] = [];
  private readonly companies: string[] = [];
  private readonly titles: string[] = [];
  private readonly subtitles: (string | undefined)[] = [];
  private readonly inactive: boolean[] = [];
  /** Names that compare by code points (`isPlainName`). */
  readonly plain: boolean[] = [];
  /** Documents: what is shown of them, where they belong (set for those about a record by `placeOnRecords`), the title of that record. */
  private readonly documents = new Map<number, FoundDocument>();
  private readonly places = new Map<number, DocumentPlace>();
  private readonly recordTitles = new Map<number, string>();

  /** `sources`: this browser's integrations by PSA tenant (`integrationsBySource`), for documents about a record. */
  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.remoteIds.length;
  }

  private share(value: string): string {
    const known = this.shared.get(value);
    if (known !== undefined) return known;
    this.shared.set(value, value);
    return value;
  }

  /** The new entry's position, or undefined for an archived record (the palette never shows them). */
  addRecord(row: RecordRow): number | undefined {
    if (row.archivedAt !== undefined) return undefined;
    const item = toItem(row, undefined);
    return this.push(row.integrationId, row.entity, row.remoteId, row.companyRemoteId, item.title, item.subtitle, !!item.inactive, row.sortName);
  }

  /** The new entry's position, or undefined for a row the palette does not show (binned, invalid, another kind: `foundDocument`). */
  addDocument(row: DocRow): number | undefined {
    const found = foundDocument(row);
    if (!found) return undefined;
    const at = this.push('', found.kind, row.id, '', '', undefined, false, found.sortName);
    this.documents.set(at, found);
    if (found.spaceId !== undefined) this.places.set(at, { spaceId: found.spaceId });
    return at;
  }

  private push(
    integrationId: string,
    kind: SearchKind,
    remoteId: string,
    company: string,
    title: string,
    subtitle: string | undefined,
    inactive: boolean,
    sortName: string,
  ): number {
    this.integrationIds.push(this.share(integrationId));
    this.kinds.push(this.share(kind) as SearchKind);
    this.remoteIds.push(remoteId);
    this.companies.push(this.share(company));
    this.titles.push(title);
    this.subtitles.push(subtitle === undefined ? undefined : this.share(subtitle));
    this.inactive.push(inactive);
    this.names.push(sortName);
    this.plain.push(isPlainName(sortName));
    return this.size - 1;
  }

  /**
   * Places the documents about a record: its company (through this browser's integration for
   * the record's PSA tenant) and its title. A record that is archived or not here places none.
   */
  placeOnRecords(): void {
    const wanted = new Map<string, number[]>();
    for (const [at, { record }] of this.documents) {
      const integrationId = record && this.sources.get(record.source);
      if (!integrationId) continue;
      const key = `${integrationId}\u0000${record.entity}\u0000${record.remoteId}`;
      const entries = wanted.get(key);
      if (entries) entries.push(at);
      else wanted.set(key, [at]);
    }
    if (!wanted.size) return;
    for (let at = 0; at < this.size; at += 1) {
      if (isDocumentKind(this.kinds[at]!)) continue;
      for (const document of wanted.get(`${this.integrationIds[at]!}\u0000${this.kinds[at]!}\u0000${this.remoteIds[at]!}`) ?? []) {
        this.places.set(document, { integrationId: this.integrationIds[at]!, companyRemoteId: this.companies[at]! });
        this.recordTitles.set(document, this.titles[at]!);
      }
    }
  }

  /** A document's client space (null: every client's), or undefined when it is not shown (`documentSpace`). */
  private spaceOf(at: number, scope: SearchScope): string | null | undefined {
    const place = this.places.get(at);
    return place && documentSpace(place, scope);
  }

  /** The entries as saved (after `placeOnRecords`: a restored index is never added to). */
  snapshot(): EntriesSnapshot {
    return {
      integrationIds: packShared(this.integrationIds),
      kinds: packShared(this.kinds),
      remoteIds: packStrings(this.remoteIds),
      companies: packShared(this.companies),
      titles: packStrings(this.titles),
      subtitles: packShared(this.subtitles),
      inactive: packFlags(this.inactive),
      names: packStrings(this.names),
      plain: packFlags(this.plain),
      documents: [...this.documents],
      places: [...this.places],
      recordTitles: [...this.recordTitles],
    };
  }

  static restore(snapshot: EntriesSnapshot): IndexEntries {
    const entries = new IndexEntries(new Map());
    const fill = <T>(column: T[], values: readonly T[]) => {
      for (const value of values) column.push(value);
    };
    fill(entries.integrationIds, unpackShared(snapshot.integrationIds) as string[]);
    fill(entries.kinds, unpackShared(snapshot.kinds) as SearchKind[]);
    fill(entries.remoteIds, unpackStrings(snapshot.remoteIds));
    fill(entries.companies, unpackShared(snapshot.companies) as string[]);
    fill(entries.titles, unpackStrings(snapshot.titles));
    fill(entries.subtitles, unpackShared(snapshot.subtitles));
    fill(entries.inactive, unpackFlags(snapshot.inactive));
    fill(entries.names, unpackStrings(snapshot.names));
    fill(entries.plain, unpackFlags(snapshot.plain));
    for (const [at, document] of snapshot.documents) entries.documents.set(at, document);
    for (const [at, place] of snapshot.places) entries.places.set(at, place);
    for (const [at, title] of snapshot.recordTitles) entries.recordTitles.set(at, title);
    return entries;
  }

  /** Whether an entry may be shown (rules.ts: `isFindable`, `documentSpace`). */
  shown(at: number, scope: SearchScope): boolean {
    const kind = this.kinds[at]!;
    return isDocumentKind(kind) ? this.spaceOf(at, scope) !== undefined : isFindable(this.integrationIds[at]!, kind, this.remoteIds[at]!, scope.companies);
  }

  hit(at: number, score: number, scope: SearchScope): IndexedHit {
    const document = this.documents.get(at);
    if (document) {
      const recordTitle = this.recordTitles.get(at);
      return { type: 'document', document, spaceId: this.spaceOf(at, scope)!, ...(recordTitle !== undefined ? { recordTitle } : {}), score };
    }
    const subtitle = this.subtitles[at];
    const item: OverlayItem = {
      remoteId: this.remoteIds[at]!,
      ...(this.inactive[at] ? { inactive: true } : {}),
      title: this.titles[at]!,
      ...(subtitle !== undefined ? { subtitle } : {}),
      fields: [],
    };
    const key: RecordKey = [this.integrationIds[at]!, this.kinds[at]! as EntityKind, this.remoteIds[at]!];
    return { type: 'record', key, companyRemoteId: this.companies[at]!, score, item };
  }
}
