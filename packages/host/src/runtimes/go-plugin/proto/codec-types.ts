import type { JsonSchema } from '@x/contract';

/**
 * How one proto field (or value) and one contract schema carry each other's values: built once at
 * load, when the check also finds where they disagree. `encode` turns the host's value into what
 * protobufjs' fromObject takes, refusing anything protobufjs would silently coerce (a string for
 * bytes is base64-decoded by it, an int32 wraps, a bool is `Boolean(x)`); `decode` turns what
 * toObject gives (int64 as a decimal string, enums by name, bytes as a Buffer) into the contract's.
 */
export interface Codec {
  readonly protoType: string;
  encode(value: unknown, path: string): unknown;
  decode(value: unknown, path: string): unknown;
}

/** Where a proto type and a schema do not fit each other, found at load. */
export interface Mismatch {
  readonly mismatch: true;
  readonly path: string;
  readonly protoType: string;
  readonly schemaType: string;
  readonly why?: string;
}

/** A value that does not fit its proto field, met while encoding or decoding one call. */
export class ValueProblem extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${path}: expected ${expected}, got ${actual}`);
  }
}

export const isMismatch = (value: Codec | Mismatch): value is Mismatch => 'mismatch' in value;

export type Schema = JsonSchema;
export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const typeOf = (s: Schema) => (typeof s.type === 'string' ? s.type : undefined);
export const isUnknown = (s: Schema) =>
  s.type === undefined && s.anyOf === undefined && s.const === undefined && s.enum === undefined;
export const stringLiterals = (s: Schema): string[] | undefined => {
  if (typeof s.const === 'string') return [s.const];
  if (Array.isArray(s.anyOf) && s.anyOf.every((o) => isObj(o) && typeof o.const === 'string'))
    return s.anyOf.map((o) => (o as Schema).const as string);
  return undefined;
};
/** `t.nullable(T)` as T (an unset message field is null on the wire's side). */
export function withoutNull(s: Schema): Schema {
  if (!Array.isArray(s.anyOf)) return s;
  const rest = s.anyOf.filter((o) => !(isObj(o) && o.type === 'null'));
  return rest.length === 1 && rest.length < s.anyOf.length ? (rest[0] as Schema) : s;
}

export const typeName = (t: { fullName: string }) => t.fullName.replace(/^\./, '');

export function codec(protoType: string, encode: Codec['encode'], decode: Codec['decode']): Codec {
  return { protoType, encode, decode };
}

export const identity = (v: unknown) => v;
