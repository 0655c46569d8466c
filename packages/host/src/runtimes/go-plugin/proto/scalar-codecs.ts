import { describeValue } from '@x/contract';
import {
  type Codec,
  codec,
  identity,
  isObj,
  type Mismatch,
  type Schema,
  stringLiterals,
  typeOf,
  ValueProblem,
} from './codec-types.js';
import type { ProtoEnum } from './reflection.js';

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
/**
 * The codec of one scalar (string, bool, the numbers, bytes) against a schema, or undefined for a
 * proto type this release does not map. Each refuses what protobufjs would coerce without a word.
 */
export function scalarCodec(
  protoType: string,
  schema: Schema,
  unknown: boolean,
  miss: (why?: string) => Mismatch,
): Codec | Mismatch {
  const type = typeOf(schema);
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

export function enumCodec(
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

export function timestampCodec(protoType: string): Codec {
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
