import {
  type TArray,
  type TAsyncIterator,
  type TBigInt,
  type TBoolean,
  type TDate,
  type TInteger,
  type TLiteral,
  type TNull,
  type TNumber,
  type TObject,
  type TOptional,
  type TProperties,
  type TRecord,
  type TSchema,
  type TString,
  type TUint8Array,
  type TUnion,
  type TUnknown,
  Type,
} from '@sinclair/typebox/type';

type LiteralValue = string | number | boolean;
type Literals<V extends readonly LiteralValue[]> = V extends readonly [
  infer H extends LiteralValue,
  ...infer R extends readonly LiteralValue[],
]
  ? [TLiteral<H>, ...Literals<R>]
  : [];

/**
 * The schema builders of a contract. Each returns a TypeBox schema: plain JSON Schema (what
 * `JSON.stringify` prints is what another language reads), from which TypeScript infers the type.
 * The four JavaScript-only kinds use TypeBox's own `type` keywords: `"Uint8Array"`, `"bigint"`,
 * `"Date"` and `"AsyncIterator"` (docs/compatibility.md, "Schemas as JSON").
 * @example t.object({ w: t.integer(), h: t.integer(), label: t.optional(t.string()) })
 */
export const t = Object.freeze({
  string: (): TString => Type.String(),
  number: (): TNumber => Type.Number(),
  integer: (): TInteger => Type.Integer(),
  boolean: (): TBoolean => Type.Boolean(),
  null: (): TNull => Type.Null(),
  literal: <const V extends LiteralValue>(value: V): TLiteral<V> => Type.Literal(value),
  /** One of a fixed list of literals; in JSON, an `anyOf` of `const`s. */
  enum: <const V extends readonly [LiteralValue, ...LiteralValue[]]>(values: V): TUnion<Literals<V>> => {
    if (!Array.isArray(values) || values.length === 0) throw new TypeError('t.enum needs a non-empty list.');
    return Type.Union(values.map((v) => Type.Literal(v))) as never;
  },
  array: <T extends TSchema>(items: T): TArray<T> => Type.Array(items),
  object: <P extends TProperties>(properties: P): TObject<P> => Type.Object(properties),
  /** An object with string keys and values of one schema. */
  record: <T extends TSchema>(values: T): TRecord<TString, T> => Type.Record(Type.String(), values),
  /** A property that may be absent (inside `t.object`), or a trailing param that may be left out. */
  optional: <T extends TSchema>(schema: T): TOptional<T> => Type.Optional(schema) as unknown as TOptional<T>,
  nullable: <T extends TSchema>(schema: T): TUnion<[T, TNull]> => Type.Union([schema, Type.Null()]),
  union: <const T extends readonly TSchema[]>(schemas: T): TUnion<[...T]> =>
    Type.Union([...schemas]) as never,
  unknown: (): TUnknown => Type.Unknown(),
  /** A `Uint8Array`; JSON `{ "type": "Uint8Array" }`. */
  bytes: (): TUint8Array => Type.Uint8Array(),
  /** A `bigint`; JSON `{ "type": "bigint" }`. */
  bigint: (): TBigInt => Type.BigInt(),
  /** A valid `Date`; JSON `{ "type": "Date" }`. */
  date: (): TDate => Type.Date(),
  /** Returns only: an `AsyncIterable<T>` on the host, an async generator in the plugin. */
  stream: <T extends TSchema>(items: T): TAsyncIterator<T> => Type.AsyncIterator(items),
});
