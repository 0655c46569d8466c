import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineContract } from '../define-contract.js';
import { compileContract } from './compile-contract.js';
import { contractToJson } from './contract-json.js';
import type { JsonSchema } from './json-schema.js';
import { isSubschema } from './subschema.js';

// isSubschema is what every verdict of compareContracts rests on. It may say "no" when unsure,
// but never "yes" wrongly: whenever it says a ⊆ b, every value a admits must pass b's validator.

const leaf: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc.constantFrom<JsonSchema>(
    { type: 'string' },
    { type: 'number' },
    { type: 'integer' },
    { type: 'boolean' },
    { type: 'null' },
    { type: 'Uint8Array' },
    { type: 'bigint' },
    {},
    { type: 'string', maxLength: 3 },
    { type: 'number', minimum: 0 },
  ),
  fc.constantFrom<unknown>('a', 'b', 1, 2.5, true, null).map((v) => ({ const: v })),
);

const schema: fc.Arbitrary<JsonSchema> = fc.letrec<{ s: JsonSchema }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ type: fc.constant('array'), items: tie('s') }),
    fc
      .dictionary(fc.constantFrom('a', 'b', 'c'), tie('s'), { maxKeys: 3 })
      .chain((properties) =>
        fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required })),
      ),
    fc.array(tie('s'), { minLength: 1, maxLength: 3 }).map((anyOf) => ({ anyOf })),
  ),
})).s;

const POOL: readonly unknown[] = [
  'a',
  'b',
  'abcd',
  1,
  2.5,
  -1,
  0,
  true,
  false,
  null,
  3n,
  new Uint8Array([1]),
  Number.NaN,
];

/** Values written against a schema: an object with the fields it declares (optional ones or not), no others. */
function written(s: JsonSchema): fc.Arbitrary<unknown> {
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as JsonSchema[]).map(written));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.type === 'array') return fc.array(written(s.items as JsonSchema), { maxLength: 3 });
  if (s.type === 'object') {
    const props = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>);
    const model = Object.fromEntries(props.map(([k, v]) => [k, written(v)]));
    return fc.record(model, { requiredKeys: (s.required ?? []) as string[] });
  }
  const check = checker(s);
  const fits = POOL.filter((v) => check.checkResult(v) === undefined);
  return fc.constantFrom(...fits);
}

function checker(s: JsonSchema) {
  const c = defineContract({ name: 'p', methods: { f: { params: [], returns: s } } });
  return compileContract(c).methods.f!;
}

describe('isSubschema', () => {
  it('is sound: a ⊆ b means every value written against a passes b', () => {
    fc.assert(
      fc.property(
        schema
          .chain((a) =>
            fc.tuple(
              fc.constant(a),
              // A random b, or one near a (a widened by a union), so that most runs compare schemas that relate.
              fc.oneof(
                schema,
                schema.map((x) => ({ anyOf: [x, a] })),
                schema.map((x) => ({ type: 'array', items: x })),
              ),
              fc.array(written(a), { minLength: 10, maxLength: 10 }),
            ),
          )
          .filter(([a, b]) => isSubschema(a, b)),
        ([a, b, values]) => {
          const cb = checker(b);
          for (const v of values) expect(cb.checkResult(v), JSON.stringify({ a, b })).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is reflexive, so an unchanged contract never reports a change', () => {
    fc.assert(
      fc.property(schema, (s) => isSubschema(s, s)),
      { numRuns: 300 },
    );
  });

  it('round-trips through the JSON form', () => {
    fc.assert(
      fc.property(schema, (s) => {
        const c = defineContract({
          name: 'p',
          methods: { f: { params: [{ name: 'x', type: s }], returns: s } },
        });
        const json = JSON.parse(JSON.stringify(contractToJson(c)));
        expect(json.methods.f.returns).toEqual(JSON.parse(JSON.stringify(s)));
      }),
      { numRuns: 100 },
    );
  });
});
