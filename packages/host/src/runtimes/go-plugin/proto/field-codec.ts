import { describeSchema, describeValue } from '@x/contract';
import {
  type Codec,
  codec,
  isMismatch,
  isObj,
  isUnknown,
  type Mismatch,
  type Schema,
  typeName,
  typeOf,
  ValueProblem,
  withoutNull,
} from './codec-types.js';
import { isMessage, type ProtoEnum, type ProtoField, type ProtoMessage } from './reflection.js';
import { enumCodec, scalarCodec, timestampCodec } from './scalar-codecs.js';

export { type Codec, isMismatch, type Mismatch, typeName, ValueProblem } from './codec-types.js';

// Messages, lists and maps, and the dispatch to scalar-codecs.ts: a field's codec is built once at
// load, from the proto field and the contract's schema, by the same walk that finds where they disagree.

const TIMESTAMP = '.google.protobuf.Timestamp';

/** A field's proto type as the .proto spells it (`repeated bytes`, `map<string, Inner>`), for messages. */
export function describeField(field: ProtoField): string {
  const value = field.resolvedType === null ? field.type : typeName(field.resolvedType);
  if (field.map) return `map<${field.keyType}, ${value}>`;
  return field.repeated ? `repeated ${value}` : value;
}

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
  return scalarCodec(protoType, schema, unknown, miss);
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
