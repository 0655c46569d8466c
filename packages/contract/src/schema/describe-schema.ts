import type { JsonSchema } from './json-schema.js';

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NAMES: Readonly<Record<string, string>> = {
  Uint8Array: 'bytes',
  AsyncIterator: 'stream',
  Date: 'Date',
};

/**
 * A schema in a few words, for messages and the CLI (`{ w: integer, label?: string }`, `bytes`,
 * `"a" | "b"`). Not a serialisation: `JSON.stringify` is that.
 */
export function describeSchema(schema: unknown, depth = 0): string {
  if (!isObject(schema)) return String(schema);
  if (depth > 4) return '…';
  const inner = (s: unknown) => describeSchema(s, depth + 1);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const anyOf = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(anyOf)) return anyOf.map(inner).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((one) => inner({ ...schema, type: one })).join(' | ');
  if (type === undefined) return 'unknown';
  if (type === 'array') return `${inner(schema.items ?? {})}[]`;
  if (type === 'AsyncIterator') return `stream of ${inner(schema.items ?? {})}`;
  if (type === 'object') {
    const props = isObject(schema.properties) ? schema.properties : undefined;
    const pattern = isObject(schema.patternProperties) ? Object.values(schema.patternProperties) : [];
    if (props === undefined && pattern.length === 1) return `record of ${inner(pattern[0])}`;
    if (props === undefined && isObject(schema.additionalProperties))
      return `record of ${inner(schema.additionalProperties)}`;
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields = Object.entries(props ?? {}).map(
      ([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${inner(v)}`,
    );
    return `{ ${fields.join(', ')} }`.replace('{  }', '{}');
  }
  return NAMES[String(type)] ?? String(type);
}

/** What a value is, for messages: `typeof`, telling null, arrays, bytes and dates apart. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'Date';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}
