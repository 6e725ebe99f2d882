import { existsSync, readFileSync } from 'node:fs';

/**
 * A small check of JSON against an OpenAPI 3.0 schema, for vendor specs whose only use here is
 * "does the emulator send and accept what the spec declares": property names (no extras unless
 * `additionalProperties`), JSON types, `nullable`, arrays and `$ref`s. Formats other than
 * date-time and keywords such as `required` are not checked (Halo's spec declares none).
 */

export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
}

export interface OpenApiDoc {
  components: { schemas: Record<string, SchemaObject> };
}

export function loadSpec(path: string): OpenApiDoc | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as OpenApiDoc) : undefined;
}

function resolve(spec: OpenApiDoc, schema: SchemaObject | string): SchemaObject {
  const ref = typeof schema === 'string' ? `#/components/schemas/${schema}` : schema.$ref;
  if (!ref) return schema as SchemaObject;
  const found = spec.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!found) throw new Error(`${ref} is not in the spec`);
  return found;
}

/** What in `value` the schema does not allow, one line each (empty: it conforms). */
export function shapeProblems(spec: OpenApiDoc, schema: SchemaObject | string, value: unknown, at = '$'): string[] {
  const s = resolve(spec, schema);
  if (value === null) return s.nullable || (!s.type && !s.properties) ? [] : [`${at}: null, not nullable`];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case undefined:
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    case 'string':
      if (typeof value !== 'string') return [`${at}: ${JSON.stringify(value)} is not a string`];
      return s.format === 'date-time' && Number.isNaN(Date.parse(value)) ? [`${at}: "${value}" is not a date-time`] : [];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, i) => (s.items ? shapeProblems(spec, s.items, item, `${at}[${i}]`) : []));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
        const property = s.properties?.[key];
        if (property) return shapeProblems(spec, property, item, `${at}.${key}`);
        if (s.additionalProperties === false || (s.additionalProperties === undefined && s.properties)) return [`${at}.${key}: not in the schema`];
        return typeof s.additionalProperties === 'object' ? shapeProblems(spec, s.additionalProperties, item, `${at}.${key}`) : [];
      });
    }
    default:
      return [`${at}: schema type ${type} not handled`];
  }
}
