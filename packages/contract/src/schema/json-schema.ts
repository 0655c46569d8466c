import { OPTIONAL, Type } from './kinds.js';

/** A schema as TypeBox's compiler takes it: JSON Schema with a Kind symbol. */
export type TSchema = Record<string | symbol, unknown>;

/** A schema as JSON: what `t` builds, what a raw JSON Schema is, what a stamp carries. */
export type JsonSchema = { readonly [key: string]: unknown };

/** The scalar shorthands of version 1, still a param's `type` or a method's `returns`. */
export const SHORTHANDS = Object.freeze(['string', 'number', 'boolean', 'void'] as const);

// Kinds that only JavaScript has travel under TypeBox's own `type` keywords, so a `t` schema and
// its JSON are one thing; `void` is TypeBox's too (undefined, or null once it crossed JSON).
const TYPES = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'null',
  'object',
  'array',
  'Uint8Array',
  'bigint',
  'Date',
  'AsyncIterator',
  'void',
]);

// Validation keywords kept when a schema is compiled; annotations are read by people, not checked.
const CONSTRAINTS = [
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'minByteLength',
  'maxByteLength',
] as const;
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  'format',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);
const STRUCTURE = new Set([
  'type',
  'const',
  'enum',
  'anyOf',
  'oneOf',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
]);

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a `t` builder marked this schema optional (`t.optional`). */
export function isOptionalSchema(value: unknown): boolean {
  return isObject(value) && (value as Record<symbol, unknown>)[OPTIONAL] === 'Optional';
}

/** A scalar shorthand or a schema, as plain JSON: the form stamps, diffs and other languages read. */
export function schemaJson(type: unknown, where: string): JsonSchema {
  if (typeof type === 'string') {
    if (!(SHORTHANDS as readonly string[]).includes(type)) {
      throw new TypeError(
        `${where}: unknown kind "${type}"; use ${SHORTHANDS.join(', ')} or a schema built with t.`,
      );
    }
    return { type };
  }
  if (!isObject(type))
    throw new TypeError(`${where}: a type must be a kind name or a schema, not ${String(type)}.`);
  toTypeBox(type, where); // refuses what cannot be compiled, with the path to it
  return JSON.parse(
    JSON.stringify(type, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as JsonSchema;
}

function pick(schema: JsonSchema): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of CONSTRAINTS) if (schema[key] !== undefined) options[key] = schema[key];
  return options;
}

function literal(value: unknown, where: string): TSchema {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return Type.Literal(value);
  if (value === null) return Type.Null();
  throw new TypeError(`${where}: a const or enum value must be a string, number, boolean or null.`);
}

/**
 * Any accepted JSON Schema as a TypeBox schema the compiler can build a validator from. Refuses,
 * with a TypeError naming the path, every keyword it could not check (`$ref`, `allOf`, `not`...):
 * a contract that says more than the host checks would be a promise nobody keeps.
 */
export function toTypeBox(schema: JsonSchema, where: string): TSchema {
  for (const key of Object.keys(schema)) {
    if (!STRUCTURE.has(key) && !ANNOTATIONS.has(key) && !(CONSTRAINTS as readonly string[]).includes(key)) {
      throw new TypeError(`${where}: the schema keyword "${key}" is not supported.`);
    }
  }
  const options = pick(schema);
  if (schema.const !== undefined) return literal(schema.const, where);
  if (schema.enum !== undefined) {
    if (!Array.isArray(schema.enum) || schema.enum.length === 0)
      throw new TypeError(`${where}: enum must be a non-empty list.`);
    return Type.Union(schema.enum.map((v) => literal(v, where)));
  }
  const anyOf = schema.anyOf ?? schema.oneOf;
  if (anyOf !== undefined) {
    if (!Array.isArray(anyOf) || anyOf.length === 0)
      throw new TypeError(`${where}: anyOf must be a non-empty list.`);
    return Type.Union(
      anyOf.map((s, i) => toTypeBox(asSchema(s, `${where}.anyOf[${i}]`), `${where}.anyOf[${i}]`)),
    );
  }
  const type = schema.type;
  if (Array.isArray(type)) return Type.Union(type.map((one) => toTypeBox({ ...schema, type: one }, where)));
  if (type === undefined) return Type.Unknown();
  if (typeof type !== 'string' || !TYPES.has(type))
    throw new TypeError(`${where}: unknown kind "${String(type)}".`);
  switch (type) {
    case 'string':
      return Type.String(options);
    case 'number':
      return Type.Number(options);
    case 'integer':
      return Type.Integer(options);
    case 'boolean':
      return Type.Boolean();
    case 'null':
      return Type.Null();
    case 'void':
      return Type.Void();
    case 'Uint8Array':
      return Type.Uint8Array(options);
    case 'bigint':
      return Type.BigInt();
    case 'Date':
      return Type.Date();
    case 'array':
      return Type.Array(toTypeBox(asSchema(schema.items ?? {}, `${where}[]`), `${where}[]`), options);
    case 'AsyncIterator':
      return Type.AsyncIterator(toTypeBox(asSchema(schema.items ?? {}, `${where}[]`), `${where}[]`));
    default:
      return objectSchema(schema, where, options);
  }
}

function asSchema(value: unknown, where: string): JsonSchema {
  if (value === true) return {};
  if (!isObject(value)) throw new TypeError(`${where}: expected a schema, got ${JSON.stringify(value)}.`);
  return value;
}

function objectSchema(schema: JsonSchema, where: string, options: Record<string, unknown>): TSchema {
  const properties =
    schema.properties === undefined ? undefined : asSchema(schema.properties, `${where}.properties`);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as unknown[]) : []);
  const pattern =
    schema.patternProperties === undefined ? undefined : asSchema(schema.patternProperties, where);
  const patterns = pattern === undefined ? [] : Object.values(pattern);
  if (properties === undefined && patterns.length === 1) {
    return Type.Record(toTypeBox(asSchema(patterns[0], `${where}{}`), `${where}{}`), options);
  }
  const extra = schema.additionalProperties;
  if (properties === undefined && isObject(extra)) {
    return Type.Record(toTypeBox(extra, `${where}{}`), options);
  }
  const props: Record<string, TSchema> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    const one = toTypeBox(asSchema(value, `${where}.${key}`), `${where}.${key}`);
    props[key] = required.has(key) ? one : Type.Optional(one);
  }
  const additionalProperties =
    extra === false ? false : isObject(extra) ? toTypeBox(extra, `${where}{}`) : undefined;
  return Type.Object(props, {
    ...options,
    ...(additionalProperties === undefined ? {} : { additionalProperties }),
  });
}
