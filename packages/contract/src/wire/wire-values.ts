import fc from 'fast-check';

// Test support, shared by the contract's frame tests and the host's fidelity test: arbitrary values
// of the wire's data model (docs/protocol.md, "Values"). Not exported from the package.

/** A UTF-16 code unit sequence that may hold lone surrogates, as JavaScript strings may. */
const anyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
);

/** Keys as an object literal would have them; "__proto__" is the one a decoder may not keep as a key. */
const key = fc.string({ unit: 'binary', maxLength: 8 }).filter((k) => k !== '__proto__');

const leaf = fc.oneof(
  fc.double(), // NaN, -0, ±Infinity included
  fc.integer(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 31)),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: anyUnit }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.uint8Array({ maxLength: 64 }),
  fc.date({ noInvalidDate: false }),
);

/** Any value of the data model: leaves, arrays (without holes) and plain objects, nested. */
export const wireValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }),
  ),
})).value;
