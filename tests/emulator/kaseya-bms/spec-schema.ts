import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Kaseya's OpenAPI schemas as zod validators, for tests that check requests and answers against
 * the vendor spec (docs/psa/kaseya-bms.md#sources). Two adjustments model the real wire, both
 * documented there: names bind case-insensitively and the wire is camelCase, so schema and
 * instance are compared with every property name lower-cased; BMS dates carry no offset
 * (`2023-10-23T12:55:30.207`), so answers are checked without the spec's `date-time` format.
 */

export const BMS_SPEC_PATH = '/work/shared/specs/kaseya-bms/kaseya-bms-openapi-original.json';
export const hasBmsSpec = () => existsSync(BMS_SPEC_PATH);

type Json = unknown;

function adapt(value: Json, dropDateFormat: boolean): Json {
  if (Array.isArray(value)) return value.map((item) => adapt(item, dropDateFormat));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(inner as object).map(([name, schema]) => [name.toLowerCase(), adapt(schema, dropDateFormat)]));
    } else if (key === 'required') out[key] = (inner as string[]).map((name) => name.toLowerCase());
    // zod resolves local refs under `definitions` only.
    else if (key === '$ref') out[key] = String(inner).replace('#/components/schemas/', '#/definitions/');
    else if (key === 'format' && inner === 'date-time' && dropDateFormat) continue;
    else out[key] = adapt(inner, dropDateFormat);
  }
  return out;
}

/** A JSON value with every object key lower-cased (how the server binds it). */
export function lowerKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner)]));
}

/** The spec's schema `name` (e.g. `TicketInputDto`); `answer`: without date formats, for what BMS emits. */
export function bmsSpecSchema(name: string, opts: { answer?: boolean } = {}): z.ZodType {
  const spec = JSON.parse(readFileSync(BMS_SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, Json> } };
  const definitions = adapt(spec.components.schemas, opts.answer ?? false);
  return z.fromJSONSchema({ definitions, $ref: `#/definitions/${name}` } as never, { defaultTarget: 'openapi-3.0' });
}

/** Issues of `value` against the spec's schema, as readable lines (empty: valid). */
export function specIssues(schema: z.ZodType, value: Json): string[] {
  const result = schema.safeParse(lowerKeys(value));
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
