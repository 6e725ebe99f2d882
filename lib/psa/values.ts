import { z } from 'zod';
import type { RejectedRecord } from './types';

/** Small value helpers every adapter uses when turning wire records into canonical ones. */

/** Trimmed text, or undefined for empty/absent values (PSAs send "", null or nothing). */
export function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * An ISO instant from a PSA date. Zone-less values are UTC (Halo, BMS); years up to 1980 are the
 * "empty date" placeholders (1900-01-01, 0001-01-01) some PSAs send instead of null.
 */
export function utcDate(value: string | null | undefined): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  const time = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(raw) ? raw : `${raw}Z`);
  if (Number.isNaN(time) || new Date(time).getUTCFullYear() <= 1980) return undefined;
  return new Date(time).toISOString();
}

/**
 * Validates each row on its own, so one bad record is set aside with its reason instead of
 * failing the page (R8). `count` is the number of rows received, valid or not.
 */
export function parseEach<T>(rows: unknown[], schema: z.ZodType<T>): { rows: T[]; rejected: RejectedRecord[]; count: number } {
  const parsed: T[] = [];
  const rejected: RejectedRecord[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row);
    if (result.success) {
      parsed.push(result.data);
      continue;
    }
    const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
    const issue = result.error.issues[0];
    rejected.push({
      ...(id !== undefined && id !== null ? { remoteId: String(id) } : {}),
      reason: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return { rows: parsed, rejected, count: rows.length };
}

/** How a field's value is meant to be read, when the PSA says so (a custom field's type). */
export type ValueKind = 'text' | 'date' | 'yes-no' | 'number';

const YES_NO: Record<string, string> = { true: 'Yes', false: 'No', yes: 'Yes', no: 'No', '1': 'Yes', '0': 'No' };

/**
 * A date as YYYY-MM-DD: the day the PSA wrote (its date part, not shifted to another zone), or
 * undefined for empty values and the 1900/0001 placeholders.
 */
export function dateText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const raw = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(raw);
  if (day) {
    const [, year, month, date] = day;
    const time = Date.UTC(Number(year), Number(month) - 1, Number(date));
    const valid = new Date(time).getUTCMonth() === Number(month) - 1 && new Date(time).getUTCDate() === Number(date);
    return valid && Number(year) > 1980 ? `${year}-${month}-${date}` : undefined;
  }
  return utcDate(raw)?.slice(0, 10);
}

/** ISO date-times at midnight (what PSAs send for date-only values), with or without a zone. */
const MIDNIGHT = /^\d{4}-\d{2}-\d{2}T00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$/i;
/** Any ISO date or date-time: its placeholders (1900-01-01, 0001-01-01) mean "empty". */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$/i;

/**
 * The text a PSA field shows for a value, or undefined when it is empty. Text is trimmed,
 * numbers are written as they are (with `decimals` places when given), booleans are Yes/No,
 * a reference shows its name, a list its items joined with ", ". `kind` applies a field's
 * declared type: dates become YYYY-MM-DD, checkboxes Yes/No, numbers get their decimals.
 * Without a kind, a date-time at midnight is read as a date and a date placeholder as empty.
 */
export function displayText(value: unknown, kind: ValueKind = 'text', decimals?: number | null): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => displayText(item, kind, decimals)).filter((part): part is string => !!part);
    return parts.length ? parts.join(', ') : undefined;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['display', 'name', 'label', 'description', 'value', 'identifier']) {
      const shown = displayText(record[key], kind, decimals);
      if (shown) return shown;
    }
    return undefined;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
    if (kind === 'yes-no' && (value === 1 || value === 0)) return value ? 'Yes' : 'No';
    const places = typeof decimals === 'number' && Number.isInteger(decimals) && decimals >= 0 && decimals <= 10 ? decimals : undefined;
    return typeof value === 'number' && places !== undefined ? value.toFixed(places) : String(value);
  }
  if (typeof value !== 'string') return undefined;
  const shown = text(value);
  if (!shown) return undefined;
  if (kind === 'yes-no') return YES_NO[shown.toLowerCase()] ?? shown;
  if (kind === 'number' && decimals !== undefined && decimals !== null && /^-?\d+(?:\.\d+)?$/.test(shown)) return displayText(Number(shown), kind, decimals);
  if (kind === 'date') return dateText(shown) ?? (ISO_DATE.test(shown) ? undefined : shown);
  if (ISO_DATE.test(shown)) {
    // Untyped: a date, or a date-time at midnight, reads as a date; a date placeholder as empty.
    const day = dateText(shown);
    if (!day) return undefined;
    if (!shown.includes('T') || MIDNIGHT.test(shown)) return day;
  }
  return shown;
}

/**
 * The `fields` of a canonical record from (label, value) pairs in the order the PSA shows
 * them: values become display text (strings given are taken as already shown, only trimmed),
 * empty labels and values are left out, and the first value of a label wins. Spread the result:
 * `{ ...fieldsProp(pairs) }` adds no `fields` key at all when nothing is left.
 */
export function fieldsProp(pairs: Iterable<readonly [label: unknown, value: unknown]>): { fields?: Record<string, string> } {
  const fields: Record<string, string> = {};
  let any = false;
  for (const [label, value] of pairs) {
    const key = typeof label === 'string' ? text(label) : undefined;
    if (!key || Object.hasOwn(fields, key)) continue;
    const shown = typeof value === 'string' ? text(value) : displayText(value);
    if (!shown) continue;
    fields[key] = shown;
    any = true;
  }
  return any ? { fields } : {};
}

/**
 * A list inside a record whose entries are read one by one: an entry that does not match
 * `entry` is dropped, and anything that is not a list reads as empty, so a malformed custom
 * field never costs the whole record.
 */
export function lenientList<T extends z.ZodType>(entry: T) {
  // optional(): an absent list is fine (without it zod 4 asks for the key).
  return z
    .unknown()
    .optional()
    .transform((value): z.output<T>[] => {
      if (!Array.isArray(value)) return [];
      const kept: z.output<T>[] = [];
      for (const item of value) {
        const parsed = entry.safeParse(item);
        if (parsed.success) kept.push(parsed.data);
      }
      return kept;
    });
}

/** A property that never rejects its record: a wrong type reads as absent. */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

/** `value` with every null-valued key of its objects (nested ones too) left out. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const kept: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== null) kept[key] = withoutNulls(inner);
    return kept;
  }
  return value;
}

/**
 * A record whose optional fields may come as null: read as absent. For APIs whose captured
 * payloads omit nulls but whose spec does not promise it (ConnectWise). A required field sent as
 * null stays null, so its record is set aside saying so ("received null").
 */
export function nullsAbsent<T extends z.ZodObject>(schema: T) {
  const optional = new Set(
    Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) => (field.safeParse(undefined).success ? [key] : [])),
  );
  return z.preprocess((value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const kept: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === null && optional.has(key)) continue;
      kept[key] = inner === null ? null : withoutNulls(inner);
    }
    return kept;
  }, schema);
}
