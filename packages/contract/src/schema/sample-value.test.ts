import { describe, expect, it } from 'vitest';
import { defineContract } from '../define-contract.js';
import { compileContract } from './compile-contract.js';
import { sampleValue } from './sample-value.js';
import { t } from './t.js';

describe('sampleValue', () => {
  const schemas = {
    string: t.string(),
    integer: t.integer(),
    bytes: t.bytes(),
    bigint: t.bigint(),
    date: t.date(),
    nullable: t.nullable(t.object({ a: t.string() })),
    enum: t.enum(['red', 'green']),
    literal: t.literal(7),
    record: t.record(t.number()),
    union: t.union([t.boolean(), t.string()]),
    nested: t.object({
      w: t.integer(),
      label: t.optional(t.string()),
      tags: t.array(t.object({ name: t.string(), score: t.number() })),
    }),
    bounded: { type: 'integer', minimum: 10, maximum: 20 },
    long: { type: 'string', minLength: 12 },
  };

  it('gives a value each schema accepts, checked by the compiled validator', () => {
    const contract = defineContract({
      name: 'samples',
      methods: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [
          name,
          { params: [{ name: 'v', type: schema }], returns: 'void' },
        ]),
      ),
    });
    const compiled = compileContract(contract);
    for (const [name, schema] of Object.entries(schemas)) {
      expect(compiled.methods[name]!.checkArgs([sampleValue(schema)]), name).toBeUndefined();
    }
  });

  it('leaves optional properties out and keeps required ones', () => {
    expect(sampleValue(schemas.nested)).toEqual({ w: 1, tags: [{ name: 'example', score: 1 }] });
    expect(sampleValue(schemas.nullable)).toEqual({ a: 'example' });
    expect(sampleValue('void')).toBeUndefined();
  });

  it('refuses a stream, whose items are what to sample', () => {
    expect(() => sampleValue(t.stream(t.string()))).toThrow(/sample its items/);
  });
});
