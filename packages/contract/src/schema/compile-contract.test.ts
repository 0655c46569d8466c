import { describe, expect, it } from 'vitest';
import { defineContract } from '../define-contract.js';
import { greeter } from '../v1/index.js';
import { compileContract } from './compile-contract.js';
import { t } from './t.js';

const filter = defineContract({
  name: 'image-filter',
  methods: {
    apply: {
      params: [
        { name: 'image', type: t.bytes() },
        { name: 'opts', type: t.object({ strength: t.number(), tags: t.optional(t.array(t.string())) }) },
        { name: 'quality', type: t.optional(t.integer()) },
      ],
      returns: t.object({ image: t.bytes(), at: t.date(), size: t.bigint() }),
    },
    tiles: { params: [], returns: t.stream(t.bytes()) },
    reset: { params: [], returns: 'void' },
  },
  config: t.object({ quality: t.integer() }),
});

describe('compileContract', () => {
  const apply = compileContract(filter).methods.apply!;
  const bytes = new Uint8Array([1, 2]);

  it('compiles once per contract object', () => {
    expect(compileContract(filter)).toBe(compileContract(filter));
  });

  it('accepts what the schema allows, NaN and Infinity included, optional trailing params left out', () => {
    expect(apply.checkArgs([bytes, { strength: Number.NaN }])).toBeUndefined();
    expect(apply.checkArgs([bytes, { strength: -Infinity, tags: ['a'] }, 3])).toBeUndefined();
    expect(apply.checkArgs([bytes, { strength: 1 }, undefined])).toBeUndefined();
    expect(apply.checkResult({ image: bytes, at: new Date(0), size: 2n ** 70n })).toBeUndefined();
  });

  it('answers the same yes/no per param and for the answer as checkArgs and checkResult', () => {
    expect(apply.arity).toEqual({ min: 2, max: 3 });
    const [image, opts, quality] = apply.fits;
    expect(image!(bytes)).toBe(true);
    expect(image!('not bytes')).toBe(false);
    expect(opts!({ strength: Number.NaN })).toBe(true);
    expect(opts!({ strength: '1' })).toBe(false);
    // An optional param may be left undefined, as checkArgs allows; a required one may not.
    expect(quality!(undefined)).toBe(true);
    expect(quality!(1.5)).toBe(false);
    expect(image!(undefined)).toBe(false);
    expect(apply.fitsResult({ image: bytes, at: new Date(0), size: 1n })).toBe(true);
    expect(apply.fitsResult({ image: bytes, at: 0, size: 1n })).toBe(false);
    const reset = compileContract(filter).methods.reset!;
    expect(reset.arity).toEqual({ min: 0, max: 0 });
    expect([reset.fitsResult(undefined), reset.fitsResult(null), reset.fitsResult(0)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('names the path, what was expected and what came', () => {
    expect(apply.checkArgs([bytes, { strength: '1' }])).toEqual({
      path: 'opts.strength',
      expected: 'number',
      actual: 'string',
      message: 'opts.strength: expected number, got string',
    });
    expect(apply.checkArgs([{ 0: 1 }, { strength: 1 }])?.message).toBe('image: expected bytes, got object');
    expect(apply.checkArgs([bytes, { strength: 1, tags: ['a', 2] }])?.path).toBe('opts.tags[1]');
    expect(apply.checkArgs([bytes, { strength: 1 }, 1.5])?.message).toBe(
      'quality: expected integer, got number',
    );
    expect(apply.checkResult({ image: bytes, at: new Date(Number.NaN), size: 1n })?.path).toBe('(result).at');
    expect(apply.checkResult({ image: bytes, at: new Date(0), size: 1 })?.message).toBe(
      '(result).size: expected bigint, got number',
    );
  });

  it('counts arguments', () => {
    expect(apply.checkArgs([bytes])?.message).toMatch(
      /^\(arguments\): expected 2 to 3 argument\(s\) \(image: bytes, opts: /,
    );
    expect(apply.checkArgs([bytes, { strength: 1 }, 1, 2])?.actual).toBe('4');
  });

  it('checks streams, void, config and v1 shorthands', () => {
    const c = compileContract(filter);
    expect(c.methods.tiles!.stream).toBe(true);
    expect(c.methods.tiles!.checkResult((async function* () {})())).toBeUndefined();
    expect(c.methods.tiles!.checkResult([bytes])?.expected).toBe('stream of bytes');
    expect(c.methods.tiles!.checkItem('x')?.message).toBe('(item): expected bytes, got string');
    expect(c.methods.reset!.checkResult(null)).toBeUndefined();
    expect(c.methods.reset!.checkResult(0)?.expected).toBe('void');
    expect(c.checkConfig({ quality: 1 })).toBeUndefined();
    expect(c.checkConfig({})?.message).toBe('config.quality: expected integer, got undefined');
    const g = compileContract(greeter).methods.greet!;
    expect(g.checkArgs(['World'])).toBeUndefined();
    expect(g.checkArgs([1])?.message).toBe('name: expected string, got number');
  });
});
