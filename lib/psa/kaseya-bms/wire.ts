import { z } from 'zod';
import { utcDate } from '../values';

/**
 * BMS wire helpers (docs/psa/kaseya-bms.md#envelope, #property-casing). The live API emits camelCase, the published spec
 * PascalCase; keys are converted with .NET's camelCase rule so either parses. Every body is an
 * envelope {success, error, result[, totalRecords]}, though a few single-record endpoints have
 * been seen bare.
 */

/** .NET camelCase: lower the leading run of capitals, keeping the last one before a lower-case letter. */
export function camelKey(key: string): string {
  const match = /^[A-Z]+/.exec(key);
  if (!match) return key;
  const run = match[0];
  if (run.length === key.length) return key.toLowerCase();
  if (run.length === 1) return run.toLowerCase() + key.slice(1);
  return run.slice(0, -1).toLowerCase() + key.slice(run.length - 1);
}

export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [camelKey(key), camelKeys(inner)]));
  }
  return value;
}

const errorObject = z.object({
  code: z.unknown().optional(),
  message: z.string().nullish(),
  details: z.string().nullish(),
  subErrors: z.array(z.string()).nullish(),
});

/**
 * The envelope's `error`: the spec's object, but any value is taken (an older client's recorded
 * stub sends the string "None" beside a valid result); what the call did is judged by `success`
 * and `result` (#16). A string that says something is kept as the message.
 */
const errorInfo = z.unknown().transform((value): { message?: string } | undefined => {
  const parsed = errorObject.safeParse(value);
  if (parsed.success) return parsed.data.message ? { message: parsed.data.message } : {};
  if (typeof value === 'string' && value.trim() && !/^(none|null)$/i.test(value.trim())) return { message: value.trim().slice(0, 300) };
  return undefined;
});

export const envelopeSchema = z.object({
  success: z.boolean().optional(),
  error: errorInfo.optional(),
  result: z.unknown(),
  totalRecords: z.coerce.number().int().nonnegative().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** Zone-less BMS timestamps are taken as UTC (docs/psa/kaseya-bms.md#dates-and-values). */
export const bmsDate = utcDate;

export function errorMessage(body: unknown): string | undefined {
  const parsed = envelopeSchema.safeParse(camelKeys(body));
  return parsed.success ? (parsed.data.error?.message ?? undefined) : typeof body === 'string' ? body.slice(0, 300) : undefined;
}
