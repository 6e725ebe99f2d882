import { z } from 'zod';
import { parseEach } from '../values';

/**
 * Keyset paging: `id > last` ordered by id. Unlike page numbers it cannot skip or repeat a
 * record when rows are added or deleted between two requests of one pass.
 */
export const CW_PAGE_SIZE = 1000;
/** Past this many companies an `in (...)` list would overflow the URL (docs/psa/connectwise.md#conditions: keep < ~2000 chars). */
export const CW_MAX_IN_LIST = 100;

const tokenSchema = z.object({ after: z.number().int().nonnegative(), company: z.number().int().nonnegative().optional() });
export type CwPageToken = z.infer<typeof tokenSchema>;

export function readToken(token: string | null): CwPageToken {
  if (!token) return { after: 0 };
  const parsed = tokenSchema.safeParse(JSON.parse(token));
  if (!parsed.success) throw new Error(`Unreadable ConnectWise page token: ${token}`);
  return parsed.data;
}

export const writeToken = (token: CwPageToken): string => JSON.stringify(token);

/** ConnectWise datetime literal: [2024-01-01T00:00:00Z] (no milliseconds). */
export function cwDateTime(iso: string, dateOnly = false): string {
  const value = new Date(iso).toISOString();
  return `[${dateOnly ? value.slice(0, 10) : value.replace(/\.\d{3}Z$/, 'Z')}]`;
}

export function andAll(...parts: (string | undefined)[]): string {
  const present = parts.filter((part): part is string => !!part);
  return present.length > 1 ? present.map((part) => `(${part})`).join(' AND ') : (present[0] ?? '');
}

/** Rows parsed one by one, plus the highest id seen (the next keyset page starts after it). */
export function parseRows<T>(body: unknown, schema: z.ZodType<T>): ReturnType<typeof parseEach<T>> & { lastId: number | undefined } {
  if (!Array.isArray(body)) throw new Error('expected a JSON array');
  let lastId: number | undefined;
  for (const item of body as unknown[]) {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    if (typeof id === 'number') lastId = lastId === undefined ? id : Math.max(lastId, id);
  }
  return { ...parseEach(body as unknown[], schema), lastId };
}
