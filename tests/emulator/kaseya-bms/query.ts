import { parseBmsDate } from './wire.ts';

/**
 * Paging, typed filters, Sort and Exclude (docs/psa/kaseya-bms.md#paging). GET lists take `PageSize`,
 * `PageNumber`, `Sort`, `Exclude` and `Filter.<Name>` query parameters; POST `/search` takes
 * the same as a JSON body `{pageSize, pageNumber, sort, exclude, filter: {...}}`. Names bind
 * case-insensitively (ASP.NET Core), so everything is keyed lower-case here.
 */

export const DEFAULT_PAGE_SIZE = 100;
/** [G] The real maximum is unpublished; a cap keeps clients from relying on huge pages. */
export const DEFAULT_MAX_PAGE_SIZE = 500;

export class Params {
  private readonly map = new Map<string, string[]>();

  static fromUrl(url: URL): Params {
    const p = new Params();
    for (const [k, v] of url.searchParams) p.add(k, v);
    return p;
  }

  /** `{pageSize, filter: {accountIds: "1,2"}}` → pagesize, filter.accountids. */
  static fromBody(body: Record<string, unknown>): Params {
    const p = new Params();
    const walk = (prefix: string, obj: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(obj)) {
        if (v === null || v === undefined) continue;
        if (Array.isArray(v)) for (const item of v) p.add(prefix + k, String(item));
        else if (typeof v === 'object') walk(`${prefix}${k}.`, v as Record<string, unknown>);
        else p.add(prefix + k, String(v));
      }
    };
    walk('', body);
    return p;
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase().replace(/\[\d*\]$/, ''); // Ids[0]=1 / Ids[]=1 → ids
    const list = this.map.get(k);
    if (list) list.push(value);
    else this.map.set(k, [value]);
  }

  get(name: string): string | undefined {
    const v = this.map.get(name.toLowerCase());
    return v?.[v.length - 1];
  }

  all(name: string): string[] {
    return this.map.get(name.toLowerCase()) ?? [];
  }

  /** A filter value: `Filter.X` on lists, plain `X` where the spec has no prefix (count, lookups). */
  filter(name: string, prefixed: boolean): string | undefined {
    const v = this.get(prefixed ? `filter.${name}` : name);
    return v === undefined || v === '' ? undefined : v;
  }

  filterAll(name: string, prefixed: boolean): string[] {
    return this.all(prefixed ? `filter.${name}` : name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  }
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export function paginate<T>(rows: readonly T[], p: Params, maxPageSize: number): Page<T> {
  const size = Number.parseInt(p.get('pagesize') ?? '', 10);
  const number = Number.parseInt(p.get('pagenumber') ?? '', 10);
  const pageSize = Number.isFinite(size) && size > 0 ? Math.min(size, maxPageSize) : DEFAULT_PAGE_SIZE;
  const pageNumber = Number.isFinite(number) && number > 0 ? number : 1; // [G] 0 behaves as 1 (docs/psa/kaseya-bms.md#paging)
  const start = (pageNumber - 1) * pageSize;
  return { rows: rows.slice(start, start + pageSize), total: rows.length };
}

export type FilterKind = 'text' | 'int' | 'bool' | 'from' | 'to' | 'names' | 'ids' | 'excludeCompleted';

export interface FilterDef<T> {
  /** Parameter name as in the spec (e.g. `ModifiedOnFrom`). */
  name: string;
  kind: FilterKind;
  /** The row's value the filter compares against. */
  get(row: T): unknown;
}

export class FilterError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

/** Compile the filters present in `p` into one predicate (null = no filter given). */
export function compileFilters<T>(defs: readonly FilterDef<T>[], p: Params, prefixed = true): ((row: T) => boolean) | null {
  const tests: ((row: T) => boolean)[] = [];
  for (const d of defs) {
    const label = prefixed ? `Filter.${d.name}` : d.name;
    if (d.kind === 'ids' || d.kind === 'names') {
      const values = p.filterAll(d.name, prefixed);
      if (!values.length) continue;
      if (d.kind === 'ids') {
        const set = new Set(values.map((v) => Number(v)));
        if ([...set].some((n) => !Number.isInteger(n))) throw new FilterError(label, `The value '${values.join(',')}' is not valid.`);
        tests.push((r) => set.has(Number(d.get(r))));
      } else {
        const set = new Set(values.map((v) => v.toLowerCase()));
        tests.push((r) => set.has(String(d.get(r) ?? '').toLowerCase()));
      }
      continue;
    }
    const raw = p.filter(d.name, prefixed);
    if (raw === undefined) continue;
    switch (d.kind) {
      case 'text': {
        const needle = raw.toLowerCase(); // [G] "contains", case-insensitive
        tests.push((r) =>
          String(d.get(r) ?? '')
            .toLowerCase()
            .includes(needle),
        );
        break;
      }
      case 'int': {
        const n = Number(raw);
        if (!Number.isInteger(n)) throw new FilterError(label, `The value '${raw}' is not valid.`);
        tests.push((r) => d.get(r) === n);
        break;
      }
      case 'bool': {
        const b = raw.toLowerCase();
        if (b !== 'true' && b !== 'false') throw new FilterError(label, `The value '${raw}' is not valid.`);
        tests.push((r) => Boolean(d.get(r)) === (b === 'true'));
        break;
      }
      case 'excludeCompleted': {
        const b = raw.toLowerCase();
        if (b === '1' || b === 'true') tests.push((r) => !d.get(r));
        break;
      }
      case 'from':
      case 'to': {
        const t = parseBmsDate(raw);
        if (Number.isNaN(t)) throw new FilterError(label, `The value '${raw}' is not valid.`);
        // [G] both bounds inclusive; rows without the date never match.
        tests.push((r) => {
          const v = d.get(r);
          if (typeof v !== 'string') return false;
          const rt = parseBmsDate(v);
          return d.kind === 'from' ? rt >= t : rt <= t;
        });
        break;
      }
    }
  }
  if (!tests.length) return null;
  return (row) => tests.every((t) => t(row));
}

/** `Sort=modifiedOn desc` [G grammar]: a wire property name plus optional direction; unknown → ignored. */
export function sortRows<T>(rows: T[], p: Params, wireOf: (row: T) => Record<string, unknown>): T[] {
  const raw = (p.get('sort') ?? '').trim();
  if (!raw) return rows;
  const m = /^([A-Za-z0-9_.]+)(?:\s+(asc|desc))?$/i.exec(raw);
  if (!m) return rows;
  const first = rows[0];
  if (first === undefined) return rows;
  const key = Object.keys(wireOf(first)).find((k) => k.toLowerCase() === (m[1] as string).toLowerCase());
  if (!key) return rows;
  const desc = (m[2] ?? '').toLowerCase() === 'desc';
  const keyed = rows.map((r) => ({ r, v: wireOf(r)[key] }));
  const collator = new Intl.Collator('en', { sensitivity: 'accent', numeric: true });
  keyed.sort((a, b) => {
    let c: number;
    if (a.v === null || a.v === undefined) c = b.v === null || b.v === undefined ? 0 : -1;
    else if (b.v === null || b.v === undefined) c = 1;
    else if (typeof a.v === 'number' && typeof b.v === 'number') c = a.v - b.v;
    else c = collator.compare(String(a.v), String(b.v));
    return desc ? -c : c;
  });
  return keyed.map((k) => k.r);
}

/** `Exclude=details,customFields` [G grammar]: drop those properties from each item. */
export function applyExclude(items: Record<string, unknown>[], p: Params): Record<string, unknown>[] {
  const names = (p.get('exclude') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (!names.length) return items;
  return items.map((it) => Object.fromEntries(Object.entries(it).filter(([k]) => !names.includes(k.toLowerCase()))));
}
