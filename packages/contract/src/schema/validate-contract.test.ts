import { describe, expect, it } from 'vitest';
import { defineContract } from '../define-contract.js';
import { greeter, transformer } from '../v1/index.js';
import { t } from './t.js';

const m = (params: unknown[], returns: unknown = 'void') => ({ params, returns }) as never;
const define = (spec: unknown) => () => defineContract(spec as never);

describe('defineContract refuses what a host could not honour', () => {
  it('keeps every v1 contract valid', () => {
    expect(defineContract(greeter as never)).toEqual(greeter);
    expect(defineContract(transformer as never)).toEqual(transformer);
  });

  it('accepts t schemas, raw JSON Schema, host functions and config', () => {
    const c = defineContract({
      name: 'image-filter',
      version: '1.2.0-rc.1',
      methods: {
        apply: m(
          [
            { name: 'image', type: t.bytes() },
            { name: 'opts', type: t.optional(t.object({ s: t.number() })) },
          ],
          t.object({ ok: t.boolean() }),
        ),
        raw: m([
          {
            name: 'x',
            type: { type: 'object', properties: { a: { type: 'integer', minimum: 0 } }, required: ['a'] },
          },
        ]),
        tiles: m([], t.stream(t.bytes())),
      },
      host: { log: m([{ name: 'line', type: 'string' }]) },
      config: t.object({ quality: t.integer() }),
    });
    expect(Object.isFrozen(c.host)).toBe(true);
    expect(JSON.parse(JSON.stringify((c.methods.apply as { params: unknown[] }).params[0]))).toEqual({
      name: 'image',
      type: { type: 'Uint8Array' },
    });
  });

  it.each([
    ['a missing name', { methods: {} }, /name undefined/],
    ['an upper-case name', { name: 'Greeter', methods: {} }, /lower-case/],
    ['a version that is not semver', { name: 'a', version: '1.2', methods: {} }, /not a semver/],
    ['methods that are not an object', { name: 'a', methods: [] }, /object of methods/],
    [
      'an unknown kind',
      { name: 'a', methods: { f: m([{ name: 'x', type: 'object' }]) } },
      /unknown kind "object"/,
    ],
    ['an unknown schema type', { name: 'a', methods: { f: m([], { type: 'map' }) } }, /unknown kind "map"/],
    [
      'an unsupported keyword',
      { name: 'a', methods: { f: m([], { $ref: '#/x' }) } },
      /"\$ref" is not supported/,
    ],
    ['an unnamed param', { name: 'a', methods: { f: m([{ type: 'string' }]) } }, /has no name/],
    ['a param without a type', { name: 'a', methods: { f: m([{ name: 'x' }]) } }, /has no type/],
    [
      'a duplicate param',
      {
        name: 'a',
        methods: {
          f: m([
            { name: 'x', type: 'string' },
            { name: 'x', type: 'number' },
          ]),
        },
      },
      /used twice/,
    ],
    [
      'a required param after an optional one',
      {
        name: 'a',
        methods: {
          f: m([
            { name: 'x', type: t.optional(t.string()) },
            { name: 'y', type: 'string' },
          ]),
        },
      },
      /follows the optional "x"/,
    ],
    [
      'a stream param',
      { name: 'a', methods: { f: m([{ name: 's', type: t.stream(t.string()) }]) } },
      /returns only/,
    ],
    ['a missing returns', { name: 'a', methods: { f: { params: [] } } }, /no returns/],
    [
      'a method named constructor',
      { name: 'a', methods: { constructor: m([]) } },
      /"constructor" cannot be a method name/,
    ],
    ['a method named toString', { name: 'a', methods: { toString: m([]) } }, /"toString"/],
    [
      'a method named then',
      { name: 'a', methods: JSON.parse('{"then":{"params":[],"returns":"void"}}') },
      /"then"/,
    ],
    [
      'a bad host function',
      { name: 'a', methods: {}, host: { log: m([{ name: '', type: 'string' }]) } },
      /host.log.params\[0\] has no name/,
    ],
    ['a bad config schema', { name: 'a', methods: {}, config: { type: 'wat' } }, /config: unknown kind/],
  ])('refuses %s', (_what, spec, message) => {
    expect(define(spec)).toThrow(TypeError);
    expect(define(spec)).toThrow(message);
  });

  it('refuses __proto__ as a method name, even written as a JSON key', () => {
    expect(define(JSON.parse('{"name":"a","methods":{"__proto__":{"params":[],"returns":"void"}}}'))).toThrow(
      /__proto__/,
    );
  });
});
