import type { JsonSchema } from './json-schema.js';

// Whether every value one schema admits is admitted by another: the question behind every rule of
// docs/compatibility.md. Sound but not complete: where it cannot tell, it answers "no", so an
// exotic schema change is reported as a break rather than waved through. "Every value" is meant
// as protobuf means it: a value *written against* the schema, so an object carries the fields its
// schema declares and no others. An open object (no additionalProperties: false) tolerates more on
// reading, but nobody built against it sends a field it does not name; that is what makes adding
// an optional field compatible, as adding a field is in protobuf.

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function branches(s: JsonSchema): readonly JsonSchema[] | undefined {
  const list = s.anyOf ?? s.oneOf;
  if (Array.isArray(list)) return list.filter(isObject);
  if (Array.isArray(s.enum)) return s.enum.map((v) => ({ const: v }));
  if (Array.isArray(s.type)) return s.type.map((type) => ({ ...s, type }));
  return undefined;
}

function isUnknown(s: JsonSchema): boolean {
  return s.type === undefined && s.const === undefined && branches(s) === undefined;
}

function typeOfConst(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties', 'minByteLength'];
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties', 'maxByteLength'];
const EXACT = ['pattern', 'multipleOf', 'uniqueItems'];

/** Every constraint of `b` is at least as tight in `a`. */
function tighter(a: JsonSchema, b: JsonSchema): boolean {
  for (const k of LOWER) if (b[k] !== undefined && !((a[k] as number) >= (b[k] as number))) return false;
  for (const k of UPPER) if (b[k] !== undefined && !((a[k] as number) <= (b[k] as number))) return false;
  for (const k of EXACT) if (b[k] !== undefined && a[k] !== b[k]) return false;
  return true;
}

function recordValues(s: JsonSchema): JsonSchema | undefined {
  if (s.properties !== undefined) return undefined;
  const pattern = isObject(s.patternProperties) ? Object.values(s.patternProperties) : [];
  if (pattern.length === 1 && isObject(pattern[0])) return pattern[0];
  if (isObject(s.additionalProperties)) return s.additionalProperties;
  return undefined;
}

function objectSub(a: JsonSchema, b: JsonSchema): boolean {
  const aRecord = recordValues(a);
  const bRecord = recordValues(b);
  if (aRecord !== undefined || bRecord !== undefined) {
    if (aRecord !== undefined && bRecord !== undefined) return isSubschema(aRecord, bRecord);
    if (bRecord !== undefined) {
      const props = isObject(a.properties) ? Object.values(a.properties) : [];
      return a.additionalProperties === false && props.every((p) => isObject(p) && isSubschema(p, bRecord));
    }
    return false;
  }
  const aProps = isObject(a.properties) ? a.properties : {};
  const bProps = isObject(b.properties) ? b.properties : {};
  const aRequired = new Set(Array.isArray(a.required) ? a.required : []);
  for (const key of Array.isArray(b.required) ? b.required : []) if (!aRequired.has(key)) return false;
  for (const [key, schema] of Object.entries(aProps)) {
    const other = bProps[key];
    if (other === undefined) {
      if (b.additionalProperties === false) return false;
      continue;
    }
    if (!isObject(schema) || !isObject(other) || !isSubschema(schema, other)) return false;
  }
  // A key `a` does not name may still carry anything unless `a` closes its properties.
  if (a.additionalProperties !== false && b.additionalProperties === false) return false;
  return tighter(a, b);
}

/** Whether every value `a` admits, `b` admits too (`a ⊆ b`). */
export function isSubschema(a: JsonSchema, b: JsonSchema): boolean {
  if (isUnknown(b)) return true;
  const aBranches = branches(a);
  if (aBranches !== undefined) return aBranches.every((one) => isSubschema(one, b));
  const bBranches = branches(b);
  if (bBranches !== undefined) return bBranches.some((one) => isSubschema(a, one));
  if (isUnknown(a)) return false;
  if (a.const !== undefined) {
    if (b.const !== undefined) return JSON.stringify(a.const) === JSON.stringify(b.const);
    const type = typeOfConst(a.const);
    return b.type === type || (b.type === 'number' && type === 'integer');
  }
  if (b.const !== undefined) return false;
  if (a.type !== b.type && !(a.type === 'integer' && b.type === 'number')) return false;
  switch (a.type) {
    case 'array':
    case 'AsyncIterator':
      return isSubschema((a.items ?? {}) as JsonSchema, (b.items ?? {}) as JsonSchema) && tighter(a, b);
    case 'object':
      return objectSub(a, b);
    default:
      return tighter(a, b);
  }
}

/** How `to` relates to `from`: the same set of values, more (wider), fewer (narrower), or neither. */
export function schemaRelation(from: JsonSchema, to: JsonSchema): 'same' | 'wider' | 'narrower' | 'changed' {
  const fromIn = isSubschema(from, to);
  const toIn = isSubschema(to, from);
  if (fromIn && toIn) return 'same';
  if (fromIn) return 'wider';
  if (toIn) return 'narrower';
  return 'changed';
}
