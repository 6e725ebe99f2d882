import { ConditionError, parseConditions, parseDateLiteral } from './conditions.ts';
import type { CondNode, Literal } from './conditions.ts';
import { SCHEMAS } from './schema.ts';

/**
 * Turns condition strings into predicates over stored records, validating every field path
 * against the entity schema the way ConnectWise does (unknown names and array properties are
 * rejected with `ApiFindCondition`).
 */

type Getter = (row: Record<string, unknown>) => unknown;
export type Predicate = (row: Record<string, unknown>) => boolean;

export interface ResolvedPath {
  keys: string[];
  kind: string;
  /** keys[0] is an array property: the comparison holds when any element matches. */
  viaArray?: boolean;
}

/** `_info` members ConnectWise lets you name without the `_info/` prefix. */
const INFO_ALIASES: Record<string, string> = { lastupdated: 'lastUpdated', dateentered: 'dateEntered', updatedby: 'updatedBy', enteredby: 'enteredBy' };

function notRecognized(path: string): ConditionError {
  return new ConditionError(`${path} is not a recognized name.`);
}

function findKey(schema: Record<string, string>, seg: string): string | undefined {
  if (seg in schema) return seg;
  const lower = seg.toLowerCase();
  return Object.keys(schema).find((k) => k.toLowerCase() === lower);
}

/**
 * Resolve `company/id`-style paths. With `allowArrayRoot`, the first segment may be an array
 * property (childConditions) and the rest resolves inside its item schema.
 */
export function resolvePath(schemaName: string, path: string, allowArrayRoot = false): ResolvedPath {
  const segs = path.split('/').filter(Boolean);
  if (!segs.length) throw notRecognized(path);
  let schema = SCHEMAS[schemaName] ?? {};
  const keys: string[] = [];
  let kind = '@' + schemaName;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    if (kind === 'o') {
      // `_info/<anything>` is a string map; dates inside it compare as dates.
      keys.push(seg);
      kind = /^(lastUpdated|dateEntered)$/i.test(seg) ? 'd' : 's';
      continue;
    }
    if (!kind.startsWith('@') && !(i === 1 && allowArrayRoot && kind.startsWith('[]'))) throw notRecognized(path);
    const key = findKey(schema, seg);
    if (!key && i === 0 && INFO_ALIASES[seg.toLowerCase()] && !findKey(schema, seg)) {
      keys.push('_info', INFO_ALIASES[seg.toLowerCase()] as string);
      kind = /^(lastUpdated|dateEntered)$/i.test(seg) ? 'd' : 's';
      continue;
    }
    if (!key) throw notRecognized(path);
    keys.push(key);
    kind = schema[key] as string;
    if (kind.startsWith('@')) schema = SCHEMAS[kind.slice(1)] ?? {};
    else if (kind.startsWith('[]')) {
      if (!(allowArrayRoot && i === 0)) throw notRecognized(path);
      schema = SCHEMAS[kind.slice(2)] ?? {};
    }
  }
  if (kind.startsWith('@') || kind.startsWith('[]') || kind === 'a' || kind === 'o') throw notRecognized(path);
  const rootKind = (SCHEMAS[schemaName] ?? {})[keys[0] as string] ?? '';
  return { keys, kind, viaArray: rootKind.startsWith('[]') };
}

function getter(keys: string[]): Getter {
  return (row) => {
    let v: unknown = row;
    for (const k of keys) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  };
}

function likeRegex(pattern: string): RegExp {
  const src = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  return new RegExp(`^${src}$`, 'is');
}

function coerce(kind: string, lit: Literal): unknown {
  if (lit === null) return null;
  if (Array.isArray(lit)) return lit.map((l) => coerce(kind, l));
  if (typeof lit === 'object') return kind === 'd' ? lit.date : new Date(lit.date).toISOString();
  if (kind === 'n') {
    const n = Number(lit);
    if (Number.isNaN(n)) throw new ConditionError(`${String(lit)} is not a valid number.`);
    return n;
  }
  if (kind === 'b') {
    if (typeof lit === 'boolean') return lit;
    const s = String(lit).toLowerCase();
    if (s !== 'true' && s !== 'false') throw new ConditionError(`${String(lit)} is not a valid boolean.`);
    return s === 'true';
  }
  if (kind === 'd') {
    const ms = typeof lit === 'string' ? parseDateLiteral(lit) : null;
    if (ms === null) throw new ConditionError(`${String(lit)} is not a valid date.`);
    return ms;
  }
  return String(lit);
}

/** Case-insensitive like SQL Server's default collation; shared (per-call collators are slow). */
const COLLATOR = new Intl.Collator('en', { sensitivity: 'accent' });

function compare(kind: string, a: unknown, b: unknown): number {
  if (kind === 'd') return (Date.parse(String(a)) || 0) - (b as number);
  if (kind === 'n' || kind === 'b') return Number(a) - Number(b);
  return COLLATOR.compare(String(a), String(b));
}

function checkEnum(kind: string, lit: Literal): void {
  if (!kind.startsWith('e:') || lit === null) return;
  const allowed = kind.slice(2).toLowerCase().split('|');
  const values = Array.isArray(lit) ? lit : [lit];
  for (const v of values) {
    const s = String(v).toLowerCase();
    if (!s.includes('*') && !s.includes('%') && !allowed.includes(s)) throw new ConditionError('Enum value supplied was invalid');
  }
}

type Resolver = (field: string) => ResolvedPath;

function compileNode(node: CondNode, resolve: Resolver): Predicate {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left, resolve);
      const r = compileNode(node.right, resolve);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileNode(node.left, resolve);
      const r = compileNode(node.right, resolve);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const e = compileNode(node.expr, resolve);
      return (row) => !e(row);
    }
    case 'cmp':
      return compileComparison(node, resolve);
  }
}

function compileComparison(node: Extract<CondNode, { kind: 'cmp' }>, resolve: Resolver): Predicate {
  const { kind, keys, viaArray } = resolve(node.field);
  const get = viaArray ? getter(keys.slice(1)) : getter(keys);
  const { op, negate } = node;
  if (op !== 'contains') checkEnum(kind, node.value);
  const textKind = kind === 'n' || kind === 'b' || kind === 'd' ? kind : 's';
  const target = op === 'like' || op === 'contains' ? String(node.value ?? '') : coerce(textKind, node.value);
  const isNull = (v: unknown) => v === undefined || v === null;
  let test: (v: unknown) => boolean;
  if (op === 'like') {
    const re = likeRegex(target as string);
    test = (v) => !isNull(v) && re.test(String(v));
  } else if (op === 'contains') {
    const needle = (target as string).toLowerCase();
    test = (v) => !isNull(v) && String(v).toLowerCase().includes(needle);
  } else if (op === 'in') {
    const list = target as unknown[];
    test = (v) => !isNull(v) && list.some((t) => t !== null && compare(textKind, v, t) === 0);
  } else if (target === null) {
    if (op !== '=' && op !== '!=') throw new ConditionError(`Operator ${op} cannot be used with null.`);
    return op === '=' ? (row) => isNull(get(row)) : (row) => !isNull(get(row));
  } else {
    const cmpOk: Record<string, (c: number) => boolean> = {
      '=': (c) => c === 0,
      '!=': (c) => c !== 0,
      '<': (c) => c < 0,
      '<=': (c) => c <= 0,
      '>': (c) => c > 0,
      '>=': (c) => c >= 0,
    };
    const ok = cmpOk[op] as (c: number) => boolean;
    test = (v) => !isNull(v) && ok(compare(textKind, v, target));
  }
  // SQL semantics: a NOT over a NULL column is still not a match.
  const one: Predicate = negate
    ? (row) => {
        const v = get(row);
        return !isNull(v) && !test(v);
      }
    : (row) => test(get(row));
  if (!viaArray) return one;
  const root = keys[0] as string;
  return (row) => {
    const arr = row[root];
    return Array.isArray(arr) && arr.some((el) => one(el as Record<string, unknown>));
  };
}

function leaves(node: CondNode, out: string[] = []): string[] {
  if (node.kind === 'cmp') out.push(node.field);
  else if (node.kind === 'not') leaves(node.expr, out);
  else {
    leaves(node.left, out);
    leaves(node.right, out);
  }
  return out;
}

/** Array filters: a record matches when one element of the array satisfies the expression. */
function compileChild(schemaName: string, src: string): Predicate {
  const tree = parseConditions(src);
  const roots = new Set(leaves(tree).map((f) => resolvePath(schemaName, f, true).keys[0]));
  const root = [...roots][0] as string;
  const itemKind = (SCHEMAS[schemaName] ?? {})[root] ?? '';
  if (roots.size === 1 && itemKind.startsWith('[]')) {
    const pred = compileNode(tree, (field) => {
      const rest = field.split('/').filter(Boolean).slice(1).join('/');
      return resolvePath(itemKind.slice(2), rest);
    });
    return (row) => {
      const arr = row[root];
      return Array.isArray(arr) && arr.some((el) => pred(el as Record<string, unknown>));
    };
  }
  // Mixed arrays: each comparison independently needs some matching element.
  return compileNode(tree, (field) => resolvePath(schemaName, field, true));
}

export interface FilterParams {
  conditions?: string | null;
  childConditions?: string | null;
  customFieldConditions?: string | null;
}

/** null when there is nothing to filter (callers then avoid copying arrays). */
export function compileFilter(schemaName: string, p: FilterParams): Predicate | null {
  const preds: Predicate[] = [];
  if (p.conditions?.trim()) preds.push(compileNode(parseConditions(p.conditions), (f) => resolvePath(schemaName, f)));
  if (p.childConditions?.trim()) preds.push(compileChild(schemaName, p.childConditions));
  if (p.customFieldConditions?.trim()) {
    const pred = compileNode(parseConditions(p.customFieldConditions), (f) => resolvePath('CustomFieldValue', f));
    preds.push((row) => Array.isArray(row.customFields) && row.customFields.some((cf) => pred(cf as Record<string, unknown>)));
  }
  if (!preds.length) return null;
  return (row) => preds.every((pr) => pr(row));
}

export interface OrderKey {
  get: Getter;
  kind: string;
  desc: boolean;
}

/** `orderBy=name desc, _info/lastUpdated asc` */
export function compileOrder(schemaName: string, orderBy: string): OrderKey[] {
  return orderBy
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m) throw new ConditionError(`${part} is not a valid orderBy clause.`);
      const r = resolvePath(schemaName, m[1] as string);
      return { get: getter(r.keys), kind: r.kind, desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
    });
}
