import type { JsonSchema } from './json-schema.js';

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function sampleNumber(schema: JsonSchema, integer: boolean): number {
  const min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) ?? Number.NaN) + (integer ? 1 : 0.5);
  const max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) ?? Number.NaN) - (integer ? 1 : 0.5);
  let n = Number.isFinite(min) ? min : 1;
  if (Number.isFinite(max) && n > max) n = max;
  return integer ? Math.ceil(n) : n;
}

/**
 * A small value that the schema accepts, the same every time: what the generator writes into a
 * method's stub and its first test, and what a conformance test sends to a method it has no case
 * for. A `pattern` or `multipleOf` is not solved for: such a schema gets the plain sample, which
 * may not match (the generated test then says so, and the author writes a real case).
 * A stream (`t.stream(T)`) has no single value: sample its `items` instead.
 * @example sampleValue(t.object({ w: t.integer(), label: t.optional(t.string()) })) // { w: 1 }
 */
export function sampleValue(schema: JsonSchema | string): unknown {
  if (typeof schema === 'string') return sampleValue({ type: schema });
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const anyOf = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(anyOf) && anyOf.length > 0) {
    // The first branch that is not null: `t.nullable(T)` samples a T, which says more than null.
    const branch = anyOf.find((s) => isObject(s) && s.type !== 'null') ?? anyOf[0];
    return sampleValue(isObject(branch) ? branch : {});
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = num(schema.minLength) ?? 0;
      const text = 'example';
      return text.length >= min ? text.slice(0, num(schema.maxLength) ?? text.length) : text.padEnd(min, 'x');
    }
    case 'number':
      return sampleNumber(schema, false);
    case 'integer':
      return sampleNumber(schema, true);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'void':
      return undefined;
    case 'Uint8Array':
      return new Uint8Array(Math.max(3, num(schema.minByteLength) ?? 0)).map((_, i) => i + 1);
    case 'bigint':
      return 1n;
    case 'Date':
      return new Date(0);
    case 'array': {
      const items = isObject(schema.items) ? schema.items : {};
      return Array.from({ length: Math.max(1, num(schema.minItems) ?? 0) }, () => sampleValue(items));
    }
    case 'AsyncIterator':
      throw new TypeError('sampleValue: a stream has no single value; sample its items.');
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const out: Record<string, unknown> = {};
      for (const key of required) {
        const property = properties[key];
        out[key] = sampleValue(isObject(property) ? property : {});
      }
      return out;
    }
    default:
      // No type: anything goes (t.unknown()).
      return null;
  }
}
