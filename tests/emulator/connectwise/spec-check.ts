import { existsSync, readFileSync } from 'node:fs';
import { BILLING_CONTRACT } from './billing-contract.ts';

/**
 * Checks a JSON value against a component schema of ConnectWise's OpenAPI contract (the pruned
 * 2025.8 copy in shared/specs, docs/psa/connectwise.md#sources), for tests: property names,
 * types, enums, date-time and uuid formats, and the "Max length: N;" the contract writes in
 * descriptions. Property names match case-insensitively (ConnectWise reads them so, and one real
 * server writes a status reference's `sort` as `Sort`). Properties the schema does not name are
 * errors unless it allows additional ones (`_info`).
 */

export const CW_SPEC_PATH = '/work/shared/specs/connectwise/EliSeale-cwpsa-mcp/legacy/openapi-spec-pruned.json';

interface Schema {
  type?: string;
  nullable?: boolean;
  format?: string;
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  items?: Schema;
}

/** Models the pruner left out, as the full 2025.x contract has them (ai-connor/connectwise build/docs/*.md at 9cd5f49). */
const FULL_CONTRACT_EXTRAS: Record<string, Schema> = {
  Source: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string', description: ' Max length: 50;' },
      defaultFlag: { type: 'boolean', nullable: true },
      enteredBy: { type: 'string' },
      dateEntered: { type: 'string', format: 'date-time' },
      _info: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  ConfigurationReference: {
    type: 'object',
    properties: {
      id: { type: 'integer', nullable: true },
      deviceIdentifier: { type: 'string' },
      _info: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  // Catalog items and agreement additions (docs/psa/connectwise.md#billing-counts).
  ...BILLING_CONTRACT,
};

let schemas: Record<string, Schema> | undefined;

export function cwSpecAvailable(): boolean {
  return existsSync(CW_SPEC_PATH);
}

function components(): Record<string, Schema> {
  if (!schemas) {
    const spec = JSON.parse(readFileSync(CW_SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, Schema> } };
    schemas = { ...FULL_CONTRACT_EXTRAS, ...spec.components.schemas };
  }
  return schemas;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every mismatch as `path: problem`; empty when `value` fits `schemaName`. */
export function cwSpecErrors(schemaName: string, value: unknown): string[] {
  const errors: string[] = [];
  check({ $ref: `#/components/schemas/${schemaName}` }, value, schemaName, errors);
  return errors;
}

function check(schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() as string;
    const target = components()[name];
    if (!target) errors.push(`${path}: schema ${name} is not in the contract`);
    else check(target, value, path, errors);
    return;
  }
  if (value === null) {
    if (!schema.nullable) errors.push(`${path}: null is not allowed`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join('|')}`);
  switch (schema.type) {
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path}: ${JSON.stringify(value)} is not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') errors.push(`${path}: ${JSON.stringify(value)} is not a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`${path}: ${JSON.stringify(value)} is not a string`);
        return;
      }
      if (schema.format === 'date-time' && !DATE_TIME.test(value)) errors.push(`${path}: "${value}" is not a date-time`);
      if (schema.format === 'uuid' && !UUID.test(value)) errors.push(`${path}: "${value}" is not a uuid`);
      const max = /Max length: (\d+);/.exec(schema.description ?? '');
      if (max && value.length > Number(max[1])) errors.push(`${path}: longer than ${max[1]} characters`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) errors.push(`${path}: not an array`);
      else value.forEach((item, i) => check(schema.items ?? {}, item, `${path}[${i}]`, errors));
      return;
    case 'object':
    case undefined: {
      if (schema.type === undefined && !schema.properties) return; // untyped (`answer`, `value`)
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${path}: not an object`);
        return;
      }
      const props = schema.properties ?? {};
      const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
      for (const [key, inner] of Object.entries(value)) {
        const name = byLower.get(key.toLowerCase());
        if (name) check(props[name] as Schema, inner, `${path}.${key}`, errors);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
          check(schema.additionalProperties, inner, `${path}.${key}`, errors);
        else if (!schema.additionalProperties) errors.push(`${path}.${key}: not a property of the schema`);
      }
      return;
    }
  }
}
