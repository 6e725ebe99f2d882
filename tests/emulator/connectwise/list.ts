import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { header } from '../framework/types.ts';
import { ConditionError } from './conditions.ts';
import { cwError, cwJson } from './errors.ts';
import { compileFilter, compileOrder } from './filter.ts';
import type { OrderKey, Predicate } from './filter.ts';
import { project } from './serialize.ts';
import type { CwRecord } from './store.ts';

/** Paging (docs/psa/connectwise.md#paging), conditions (#conditions), fields and orderBy for one collection request. */

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

export interface ListSource {
  schema: string;
  rows: readonly CwRecord[];
  /** Identity of the row set, for the sorted/filtered-result cache. */
  cacheKey: string;
  toWire(row: CwRecord): Record<string, unknown>;
}

export interface ListRequest {
  req: EmuRequest;
  /** Lower-cased query parameter names → value (ConnectWise parameter names are case-insensitive). */
  params: Map<string, string>;
  /** Public URL of the collection, without query, for Link headers. */
  selfUrl: string;
}

export function ciParams(url: URL, extra?: Record<string, unknown>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of url.searchParams) m.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(extra ?? {})) if (typeof v === 'string' || typeof v === 'number') m.set(k.toLowerCase(), String(v));
  return m;
}

/** Small cache of filtered+sorted id-ordered views, so paging a sorted large table is cheap. */
export class ResultCache {
  private entries = new Map<string, readonly CwRecord[]>();
  version = 0;

  get(key: string, build: () => readonly CwRecord[]): readonly CwRecord[] {
    const k = `${this.version}|${key}`;
    const hit = this.entries.get(k);
    if (hit) return hit;
    const value = build();
    this.entries.set(k, value);
    if (this.entries.size > 16) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  invalidate(): void {
    this.version++;
    this.entries.clear();
  }
}

function filterOf(src: ListSource, p: Map<string, string>): Predicate | null {
  return compileFilter(src.schema, {
    conditions: p.get('conditions'),
    childConditions: p.get('childconditions'),
    customFieldConditions: p.get('customfieldconditions'),
  });
}

// One shared collator: String#localeCompare with options builds one per call (very slow).
const COLLATOR = new Intl.Collator('en', { sensitivity: 'accent' });

function comparator(keys: OrderKey[]): (a: CwRecord, b: CwRecord) => number {
  return (a, b) => {
    for (const k of keys) {
      const va = k.get(a);
      const vb = k.get(b);
      let c: number;
      if (va === undefined || va === null)
        c = vb === undefined || vb === null ? 0 : -1; // nulls first, as SQL Server
      else if (vb === undefined || vb === null) c = 1;
      else if (k.kind === 'n' || k.kind === 'b') c = Number(va) - Number(vb);
      else c = COLLATOR.compare(String(va), String(vb));
      if (c !== 0) return k.desc ? -c : c;
    }
    return a.id - b.id;
  };
}

function pageSizeOf(p: Map<string, string>): number {
  const n = parseInt(p.get('pagesize') ?? '', 10);
  if (!Number.isFinite(n) || n < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE); // larger values are capped, not rejected
}

function fieldsOf(p: Map<string, string>): string[][] | null {
  const f = p.get('fields');
  if (!f?.trim()) return null;
  return f
    .split(',')
    .map((s) => s.trim().split('/').filter(Boolean))
    .filter((a) => a.length);
}

function linkUrl(lr: ListRequest, set: Record<string, string>): string {
  const u = new URL(lr.selfUrl);
  const replaced = new Set(['page', 'pageid', ...Object.keys(set).map((k) => k.toLowerCase())]);
  for (const [k, v] of lr.req.url.searchParams) if (!replaced.has(k.toLowerCase())) u.searchParams.append(k, v);
  for (const [k, v] of Object.entries(set)) u.searchParams.set(k, v);
  return u.toString();
}

function emit(src: ListSource, rows: readonly CwRecord[], fields: string[][] | null): Record<string, unknown>[] {
  return rows.map((r) => (fields ? project(src.toWire(r), fields) : src.toWire(r)));
}

/** Index of the first row with id > `after` (rows are id-ordered). */
function firstAbove(rows: readonly CwRecord[], after: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as CwRecord).id <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function handleList(src: ListSource, lr: ListRequest, cache: ResultCache): EmuResponse {
  const p = lr.params;
  try {
    const filter = filterOf(src, p);
    const pageSize = pageSizeOf(p);
    const fields = fieldsOf(p);
    const condKey = `${src.cacheKey}|${p.get('conditions') ?? ''}|${p.get('childconditions') ?? ''}|${p.get('customfieldconditions') ?? ''}`;

    if ((header(lr.req, 'pagination-type') ?? '').toLowerCase() === 'forward-only') {
      if (p.get('orderby')) return cwError(400, 'InvalidObject', 'orderBy is not supported with forward-only pagination.');
      const after = parseInt(p.get('pageid') ?? '0', 10) || 0;
      const page: CwRecord[] = [];
      for (let i = firstAbove(src.rows, after); i < src.rows.length; i++) {
        const row = src.rows[i] as CwRecord;
        if (filter && !filter(row)) continue;
        page.push(row);
        if (page.length >= pageSize) break;
      }
      const last = page[page.length - 1];
      const headers: Record<string, string> = {};
      if (last) headers.Link = `<${linkUrl(lr, { pageSize: String(pageSize), pageId: String(last.id) })}>; rel="next"`;
      return cwJson(200, emit(src, page, fields), headers);
    }

    const orderBy = p.get('orderby')?.trim();
    const order = orderBy ? compileOrder(src.schema, orderBy) : null;
    let rows: readonly CwRecord[] = src.rows;
    if (filter || order) {
      rows = cache.get(`${condKey}|${orderBy ?? ''}`, () => {
        const matched = filter ? src.rows.filter(filter) : src.rows.slice();
        return order ? matched.sort(comparator(order)) : matched;
      });
    }
    let page = parseInt(p.get('page') ?? '1', 10);
    if (!Number.isFinite(page) || page < 1) page = 1;
    const lastPage = Math.max(1, Math.ceil(rows.length / pageSize));
    const slice = rows.slice((page - 1) * pageSize, page * pageSize);
    const links: string[] = [];
    const at = (n: number) => linkUrl(lr, { pageSize: String(pageSize), page: String(n) });
    if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(Math.min(page - 1, lastPage))}>; rel="prev"`);
    if (page < lastPage) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(lastPage)}>; rel="last"`);
    return cwJson(200, emit(src, slice, fields), links.length ? { Link: links.join(', ') } : {});
  } catch (err) {
    if (err instanceof ConditionError) return cwError(400, 'ApiFindCondition', err.message);
    throw err;
  }
}

export function handleCount(src: ListSource, lr: ListRequest, cache: ResultCache): EmuResponse {
  try {
    const filter = filterOf(src, lr.params);
    if (!filter) return cwJson(200, { count: src.rows.length });
    const p = lr.params;
    const key = `${src.cacheKey}|${p.get('conditions') ?? ''}|${p.get('childconditions') ?? ''}|${p.get('customfieldconditions') ?? ''}|`;
    return cwJson(200, { count: cache.get(key, () => src.rows.filter(filter)).length });
  } catch (err) {
    if (err instanceof ConditionError) return cwError(400, 'ApiFindCondition', err.message);
    throw err;
  }
}

export function handleOne(src: ListSource, row: CwRecord, lr: ListRequest): EmuResponse {
  const fields = fieldsOf(lr.params);
  const wire = src.toWire(row);
  return cwJson(200, fields ? project(wire, fields) : wire);
}
