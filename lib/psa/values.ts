import type { z } from 'zod';
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
