import type {
  TArray,
  TAsyncIterator,
  TBigInt,
  TBoolean,
  TDate,
  TInteger,
  TLiteral,
  TNull,
  TNumber,
  TObject,
  TOptional,
  TProperties,
  TRecord,
  TSchema,
  TString,
  TUint8Array,
  TUnion,
  TUnknown,
} from '@sinclair/typebox';
import { KIND, OPTIONAL } from './kinds.js';

type LiteralValue = string | number | boolean;
type Literals<V extends readonly LiteralValue[]> = V extends readonly [
  infer H extends LiteralValue,
  ...infer R extends readonly LiteralValue[],
]
  ? [TLiteral<H>, ...Literals<R>]
  : [];

// TypeBox's builders are not imported at run time (their ~120 KB would load in every plugin's
// worker or process): a TypeBox schema is plain JSON Schema plus a `Kind` symbol, written here by
// hand as TypeBox writes it, and TypeBox's types give the inference. compileContract hands these
// (through toTypeBox) to TypeBox's compiler.
function kind<T>(name: string, schema: Record<string, unknown>): T {
  return { ...schema, [KIND]: name } as T;
}

function literal(value: LiteralValue): never {
  return kind('Literal', { const: value, type: typeof value });
}

function object(properties: TProperties): never {
  const required = Object.keys(properties).filter(
    (key) => (properties[key] as unknown as Record<symbol, unknown>)[OPTIONAL] !== 'Optional',
  );
  return kind('Object', { type: 'object', properties, ...(required.length > 0 ? { required } : {}) });
}

/**
 * The schema builders of a contract. Each returns a TypeBox schema: plain JSON Schema (what
 * `JSON.stringify` prints is what another language reads), from which TypeScript infers the type.
 * The four JavaScript-only kinds use TypeBox's own `type` keywords: `"Uint8Array"`, `"bigint"`,
 * `"Date"` and `"AsyncIterator"` (docs/compatibility.md, "Schemas as JSON").
 * @example t.object({ w: t.integer(), h: t.integer(), label: t.optional(t.string()) })
 */
export const t = Object.freeze({
  string: (): TString => kind('String', { type: 'string' }),
  number: (): TNumber => kind('Number', { type: 'number' }),
  integer: (): TInteger => kind('Integer', { type: 'integer' }),
  boolean: (): TBoolean => kind('Boolean', { type: 'boolean' }),
  null: (): TNull => kind('Null', { type: 'null' }),
  literal: <const V extends LiteralValue>(value: V): TLiteral<V> => literal(value),
  /** One of a fixed list of literals; in JSON, an `anyOf` of `const`s. */
  enum: <const V extends readonly [LiteralValue, ...LiteralValue[]]>(values: V): TUnion<Literals<V>> => {
    if (!Array.isArray(values) || values.length === 0) throw new TypeError('t.enum needs a non-empty list.');
    return kind('Union', { anyOf: values.map(literal) });
  },
  array: <T extends TSchema>(items: T): TArray<T> => kind('Array', { type: 'array', items }),
  object: <P extends TProperties>(properties: P): TObject<P> => object(properties),
  /** An object with string keys and values of one schema. */
  record: <T extends TSchema>(values: T): TRecord<TString, T> =>
    kind('Record', { type: 'object', patternProperties: { '^(.*)$': values } }),
  /** A property that may be absent (inside `t.object`), or a trailing param that may be left out. */
  optional: <T extends TSchema>(schema: T): TOptional<T> => ({ ...schema, [OPTIONAL]: 'Optional' }) as never,
  nullable: <T extends TSchema>(schema: T): TUnion<[T, TNull]> =>
    kind('Union', { anyOf: [schema, kind('Null', { type: 'null' })] }),
  union: <const T extends readonly TSchema[]>(schemas: T): TUnion<[...T]> =>
    kind('Union', { anyOf: [...schemas] }),
  unknown: (): TUnknown => kind('Unknown', {}),
  /** A `Uint8Array`; JSON `{ "type": "Uint8Array" }`. */
  bytes: (): TUint8Array => kind('Uint8Array', { type: 'Uint8Array' }),
  /** A `bigint`; JSON `{ "type": "bigint" }`. */
  bigint: (): TBigInt => kind('BigInt', { type: 'bigint' }),
  /** A valid `Date`; JSON `{ "type": "Date" }`. */
  date: (): TDate => kind('Date', { type: 'Date' }),
  /** Returns only: an `AsyncIterable<T>` on the host, an async generator in the plugin. */
  stream: <T extends TSchema>(items: T): TAsyncIterator<T> =>
    kind('AsyncIterator', { type: 'AsyncIterator', items }),
});
