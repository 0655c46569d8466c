import { describeSchema, describeValue, type JsonSchema } from '@x/contract';
import { isMessage, type ProtoEnum, type ProtoField, type ProtoMessage } from './reflection.js';

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

const INT32 = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
} as const;
const INT64 = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
} as const;
const TIMESTAMP = '.google.protobuf.Timestamp';

type Schema = JsonSchema;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const typeOf = (s: Schema) => (typeof s.type === 'string' ? s.type : undefined);
const isUnknown = (s: Schema) =>
  s.type === undefined && s.anyOf === undefined && s.const === undefined && s.enum === undefined;
const stringLiterals = (s: Schema): string[] | undefined => {
  if (typeof s.const === 'string') return [s.const];
  if (Array.isArray(s.anyOf) && s.anyOf.every((o) => isObj(o) && typeof o.const === 'string'))
    return s.anyOf.map((o) => (o as Schema).const as string);
  return undefined;
};
/** `t.nullable(T)` as T (an unset message field is null on the wire's side). */
function withoutNull(s: Schema): Schema {
  if (!Array.isArray(s.anyOf)) return s;
  const rest = s.anyOf.filter((o) => !(isObj(o) && o.type === 'null'));
  return rest.length === 1 && rest.length < s.anyOf.length ? (rest[0] as Schema) : s;
}

export const typeName = (t: { fullName: string }) => t.fullName.replace(/^\./, '');

export function describeField(field: ProtoField): string {
  const value = field.resolvedType === null ? field.type : typeName(field.resolvedType);
  if (field.map) return `map<${field.keyType}, ${value}>`;
  return field.repeated ? `repeated ${value}` : value;
}

function codec(protoType: string, encode: Codec['encode'], decode: Codec['decode']): Codec {
  return { protoType, encode, decode };
}

const identity = (v: unknown) => v;

/** The codec of one scalar, enum or message value (not repeated, not a map) against a schema. */
export function valueCodec(
  protoType: string,
  resolved: ProtoMessage | ProtoEnum | null,
  raw: Schema,
  path: string,
): Codec | Mismatch {
  const schema = withoutNull(raw);
  const type = typeOf(schema);
  const unknown = isUnknown(schema);
  const miss = (why?: string): Mismatch => ({
    mismatch: true,
    path,
    protoType,
    schemaType: describeSchema(raw),
    ...(why ? { why } : {}),
  });
  if (resolved !== null && isMessage(resolved)) {
    if (resolved.fullName === TIMESTAMP && (type === 'Date' || unknown)) return timestampCodec(protoType);
    if (unknown) return genericMessage(resolved);
    if (type !== 'object' || !isObj(schema.properties))
      return miss('a message maps to t.object({...}) with its fields');
    return messageCodec(resolved, schema, path);
  }
  if (resolved !== null) return enumCodec(protoType, resolved as ProtoEnum, schema, unknown, miss);
  if (protoType === 'string' || protoType === 'bool') {
    const want = protoType === 'string' ? 'string' : 'boolean';
    if (!unknown && type !== want && !(want === 'string' && stringLiterals(schema))) return miss();
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== want) throw new ValueProblem(p, `${want} (proto ${protoType})`, describeValue(v));
        return v;
      },
      identity,
    );
  }
  if (protoType === 'double' || protoType === 'float') {
    if (!unknown && type !== 'number' && type !== 'integer') return miss();
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== 'number') throw new ValueProblem(p, `number (proto ${protoType})`, describeValue(v));
        return v;
      },
      identity,
    );
  }
  if (protoType in INT32) {
    if (!unknown && type !== 'number' && type !== 'integer') return miss();
    const [min, max] = INT32[protoType as keyof typeof INT32];
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
          throw new ValueProblem(
            p,
            `an integer from ${min} to ${max} (proto ${protoType})`,
            typeof v === 'number' ? String(v) : describeValue(v),
          );
        return v;
      },
      identity,
    );
  }
  if (protoType in INT64) return int64Codec(protoType as keyof typeof INT64, unknown ? 'bigint' : type, miss);
  if (protoType === 'bytes') {
    if (!unknown && type !== 'Uint8Array') return miss();
    return codec(
      protoType,
      (v, p) => {
        // protobufjs would base64-decode a string without a word: a caller's text would arrive as garbage.
        if (!(v instanceof Uint8Array))
          throw new ValueProblem(p, 'bytes (a Uint8Array; a string is not decoded)', describeValue(v));
        return v;
      },
      (v) => (v instanceof Uint8Array ? new Uint8Array(v) : v),
    );
  }
  return miss(`proto type ${protoType} is not supported`);
}

function int64Codec(
  protoType: keyof typeof INT64,
  type: string | undefined,
  miss: (why?: string) => Mismatch,
): Codec | Mismatch {
  const [min, max] = INT64[protoType];
  if (type === 'bigint') {
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== 'bigint' || v < min || v > max)
          throw new ValueProblem(
            p,
            `a bigint from ${min} to ${max} (proto ${protoType})`,
            typeof v === 'bigint' ? `${v}n` : describeValue(v),
          );
        return v.toString();
      },
      (v) => (typeof v === 'string' ? BigInt(v) : v),
    );
  }
  if (type === 'integer' || type === 'number') {
    // A number holds an int64 only up to 2^53: past that the value would change, so it is refused.
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || BigInt(v) < min)
          throw new ValueProblem(
            p,
            `a safe integer (proto ${protoType}; use t.bigint() for the full range)`,
            typeof v === 'number' ? String(v) : describeValue(v),
          );
        return String(v);
      },
      (v, p) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n))
          throw new ValueProblem(
            p,
            `a safe integer (the contract says ${type}; use t.bigint() for proto ${protoType})`,
            String(v),
          );
        return n;
      },
    );
  }
  return miss();
}

function enumCodec(
  protoType: string,
  e: ProtoEnum,
  schema: Schema,
  unknown: boolean,
  miss: (why?: string) => Mismatch,
): Codec | Mismatch {
  const names = Object.keys(e.values);
  const literals = stringLiterals(schema);
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number') {
    const numbers = new Set(Object.values(e.values));
    return codec(
      protoType,
      (v, p) => {
        if (typeof v !== 'number' || !numbers.has(v))
          throw new ValueProblem(p, `one of ${[...numbers].join(', ')} (enum ${protoType})`, String(v));
        return v;
      },
      (v) => (typeof v === 'string' ? e.values[v] : v),
    );
  }
  if (!unknown && type !== 'string' && literals === undefined)
    return miss(`an enum maps to t.enum([${names.map((n) => JSON.stringify(n)).join(', ')}]) or t.string()`);
  const extra = literals?.filter((l) => !names.includes(l)) ?? [];
  if (extra.length > 0)
    return miss(
      `${extra.map((x) => JSON.stringify(x)).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not a value of enum ${protoType} (${names.join(', ')})`,
    );
  return codec(
    protoType,
    (v, p) => {
      if (typeof v !== 'string' || !names.includes(v))
        throw new ValueProblem(
          p,
          `one of ${names.join(', ')} (enum ${protoType})`,
          typeof v === 'string' ? JSON.stringify(v) : describeValue(v),
        );
      return v;
    },
    identity,
  );
}

function timestampCodec(protoType: string): Codec {
  return codec(
    protoType,
    (v, p) => {
      if (!(v instanceof Date) || Number.isNaN(v.getTime()))
        throw new ValueProblem(p, 'a valid Date (google.protobuf.Timestamp)', describeValue(v));
      const ms = v.getTime();
      const seconds = Math.floor(ms / 1000);
      return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
    },
    (v) => {
      if (!isObj(v)) return v;
      return new Date(Number(v.seconds) * 1000 + Math.floor(Number(v.nanos) / 1e6));
    },
  );
}

/** A field's codec: a value, a list of them (repeated ↔ t.array) or a map (map<K, V> ↔ t.record). */
export function fieldCodec(field: ProtoField, schema: Schema, path: string): Codec | Mismatch {
  const protoType = describeField(field);
  const unknown = isUnknown(schema);
  const miss = (why: string): Mismatch => ({
    mismatch: true,
    path,
    protoType,
    schemaType: describeSchema(schema),
    why,
  });
  const inner = (s: Schema) =>
    valueCodec(
      field.resolvedType === null ? field.type : typeName(field.resolvedType),
      field.resolvedType,
      s,
      path,
    );
  if (field.map) {
    const values = isObj(schema.patternProperties) ? Object.values(schema.patternProperties)[0] : undefined;
    if (!unknown && !(typeOf(schema) === 'object' && isObj(values))) return miss('a map maps to t.record(V)');
    const item = inner(unknown ? {} : (values as Schema));
    if (isMismatch(item)) return { ...item, protoType, schemaType: describeSchema(schema) };
    const each = (fn: 'encode' | 'decode') => (v: unknown, p: string) => {
      if (!isObj(v)) throw new ValueProblem(p, `an object (${protoType})`, describeValue(v));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, item[fn](x, `${p}.${k}`)]));
    };
    return codec(protoType, each('encode'), each('decode'));
  }
  if (field.repeated) {
    if (!unknown && !(typeOf(schema) === 'array' && isObj(schema.items)))
      return miss('a repeated field maps to t.array(T)');
    const item = inner(unknown ? {} : (schema.items as Schema));
    if (isMismatch(item)) return { ...item, protoType, schemaType: describeSchema(schema) };
    const each = (fn: 'encode' | 'decode') => (v: unknown, p: string) => {
      if (!Array.isArray(v)) throw new ValueProblem(p, `an array (${protoType})`, describeValue(v));
      return v.map((x, i) => item[fn](x, `${p}[${i}]`));
    };
    return codec(protoType, each('encode'), each('decode'));
  }
  return inner(schema);
}

/** A whole message against a `t.object`: each property is a field of that name. */
export function messageCodec(message: ProtoMessage, schema: Schema, path: string): Codec | Mismatch {
  const properties = (isObj(schema.properties) ? schema.properties : {}) as Record<string, Schema>;
  const codecs: Record<string, Codec> = {};
  for (const [name, propSchema] of Object.entries(properties)) {
    const field = message.fields[name];
    const at = path === '' ? name : `${path}.${name}`;
    if (field === undefined) {
      return {
        mismatch: true,
        path: at,
        protoType: '(no such field)',
        schemaType: describeSchema(propSchema),
        why: `message ${typeName(message)} has no field "${name}" (its fields: ${message.fieldsArray.map((f) => f.name).join(', ') || 'none'})`,
      };
    }
    const c = fieldCodec(field, propSchema, at);
    if (isMismatch(c)) return c;
    codecs[name] = c;
  }
  return objectCodec(message, codecs);
}

function objectCodec(message: ProtoMessage, codecs: () => Record<string, Codec>): Codec;
function objectCodec(message: ProtoMessage, codecs: Record<string, Codec>): Codec;
function objectCodec(
  message: ProtoMessage,
  given: Record<string, Codec> | (() => Record<string, Codec>),
): Codec {
  let memo: Record<string, Codec> | undefined;
  const codecs = () => (memo ??= typeof given === 'function' ? given() : given);
  const protoType = typeName(message);
  const join = (p: string, k: string) => (p === '' ? k : `${p}.${k}`);
  return {
    protoType,
    encode(v, p) {
      if (!isObj(v) || v instanceof Uint8Array || v instanceof Date)
        throw new ValueProblem(p || '(message)', `an object (message ${protoType})`, describeValue(v));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const c = codecs()[k];
        // fromObject drops an unknown key: refused instead, so that a misspelt field is not lost.
        if (c === undefined)
          throw new ValueProblem(
            join(p, k),
            `a field of ${protoType} (${Object.keys(codecs()).join(', ')})`,
            'an unknown key',
          );
        if (x !== undefined && x !== null) out[k] = c.encode(x, join(p, k));
      }
      return out;
    },
    decode(v, p) {
      if (!isObj(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, c] of Object.entries(codecs())) {
        const x = v[k];
        // An unset message field is null; the contract's optional property is then absent.
        if (x !== undefined && x !== null) out[k] = c.decode(x, join(p, k));
      }
      return out;
    },
  };
}

/** A message against t.unknown(): every field, by the proto's own types (int64 → bigint, bytes → Uint8Array). */
function genericMessage(message: ProtoMessage): Codec {
  return objectCodec(message, () =>
    Object.fromEntries(message.fieldsArray.map((f) => [f.name, fieldCodec(f, {}, f.name) as Codec])),
  );
}
