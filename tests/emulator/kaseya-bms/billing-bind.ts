import { bmsDate, parseBmsDate } from './wire.ts';

/**
 * Model binding of the contract-service bodies the way ASP.NET does it (as ticket-create.ts
 * does for tickets): property names in any casing, unknown ones ignored, numbers also as numeric
 * strings, a property left out takes the C# default (0 for `int`/`double`, null for strings,
 * 0001-01-01 for `DateTime`); a value of the wrong type is a 400 problem+json keyed by its path.
 */

export type Kind = 'int' | 'number' | 'string' | 'date';
export type Bound = Record<string, number | string | null>;
type Errors = Record<string, string[]>;

const MAX_INT32 = 2_147_483_647;
/** C#'s `default(DateTime)`, what an omitted `EffectiveDate` binds to. */
export const DEFAULT_DATE = '0001-01-01T00:00:00';

/** `RecurringServicePostInputDto` (the spec declares none of its properties required). */
export const CONTRACT_SERVICE_INPUT: readonly (readonly [string, Kind])[] = [
  ['ServiceId', 'int'],
  ['ServiceName', 'string'],
  ['ServiceDescription', 'string'],
  ['Units', 'int'],
  ['UnitCost', 'number'],
  ['UnitPrice', 'number'],
  ['EffectiveDate', 'date'],
  ['SortOrder', 'int'],
];

/** One value of `kind`, or the binder's message for it. */
export function bindValue(kind: Kind, value: unknown, path: string): { value: number | string | null } | { error: string } {
  if (value === null) return kind === 'string' ? { value: null } : { error: `Error converting value {null} to type '${kind}'. Path '${path}'.` };
  switch (kind) {
    case 'string':
      return typeof value === 'object' ? { error: `Unexpected character encountered while parsing value. Path '${path}'.` } : { value: String(value) };
    case 'int':
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      const fits = kind === 'int' ? Number.isInteger(n) && Math.abs(n) <= MAX_INT32 : Number.isFinite(n);
      return fits
        ? { value: n }
        : { error: `Could not convert ${typeof value} to ${kind === 'int' ? 'integer' : 'double'}: ${String(value)}. Path '${path}'.` };
    }
    case 'date': {
      const t = typeof value === 'string' ? parseBmsDate(value) : NaN;
      return Number.isNaN(t) ? { error: `Could not convert string to DateTime: ${String(value)}. Path '${path}'.` } : { value: bmsDate(t) };
    }
  }
}

/** Binds `body` (at `prefix`) to `props`; `present` lists the properties the body named. */
export function bindObject(body: unknown, props: readonly (readonly [string, Kind])[], prefix: string, errors: Errors): { model: Bound; present: Set<string> } {
  const model: Bound = {};
  const present = new Set<string>();
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    (errors[prefix || '$'] ??= []).push(`Cannot deserialize the current JSON value into type 'RecurringServicePostInputDto'. Path '${prefix}'.`);
    return { model, present };
  }
  const sent = new Map(Object.entries(body).map(([key, value]) => [key.toLowerCase(), { key, value: value as unknown }]));
  for (const [name, kind] of props) {
    const entry = sent.get(name.toLowerCase());
    model[name] = kind === 'string' ? null : kind === 'date' ? DEFAULT_DATE : 0;
    if (entry === undefined) continue;
    const path = prefix ? `${prefix}.${entry.key}` : entry.key;
    const bound = bindValue(kind, entry.value, path);
    if ('error' in bound) (errors[path] ??= []).push(bound.error);
    else {
      model[name] = bound.value;
      present.add(name);
    }
  }
  return { model, present };
}

/** The raw JSON of a request whose body the route wrapper already checked for syntax. */
export function rawJson(body: string | undefined): unknown {
  return body ? (JSON.parse(body) as unknown) : null;
}

export interface PatchOp {
  name: string;
  kind: Kind;
  value: number | string | null;
}

/**
 * A JSON Patch document as BMS's PATCH endpoints take it (docs/psa/kaseya-bms.md#billing-counts):
 * `replace` (or `add`) operations, paths in any casing with or without the leading slash (the
 * web app sends `assigneeId`). Anything else is refused the way `JsonPatchDocument` does.
 */
export function bindPatch(body: unknown, props: readonly (readonly [string, Kind])[], errors: Errors): PatchOp[] {
  const ops: PatchOp[] = [];
  if (!Array.isArray(body)) {
    errors.$ = ["Cannot deserialize the current JSON object into type 'JsonPatchDocument' because the type requires a JSON array."];
    return ops;
  }
  body.forEach((raw: unknown, i) => {
    const op = (raw ?? {}) as Record<string, unknown>;
    const verb = String(op.op ?? '').toLowerCase();
    const segment = String(op.path ?? '').replace(/^\//, '');
    const prop = props.find(([name]) => name.toLowerCase() === segment.toLowerCase());
    if (verb !== 'replace' && verb !== 'add') (errors[`[${i}].op`] ??= []).push(`Invalid JsonPatch operation '${String(op.op)}'.`);
    else if (!prop) (errors[`[${i}].path`] ??= []).push(`The target location specified by path segment '${segment}' was not found.`);
    else {
      const bound = bindValue(prop[1], op.value, `[${i}].value`);
      if ('error' in bound) (errors[`[${i}].value`] ??= []).push(bound.error);
      else ops.push({ name: prop[0], kind: prop[1], value: bound.value });
    }
  });
  return ops;
}
