import { describe, expect, it } from 'vitest';
import { type AnyContract, defineContract, type MethodsSpec } from '../define-contract.js';
import { greeter } from '../v1/index.js';
import { compareContracts } from './compare-contracts.js';
import { contractToJson } from './contract-json.js';
import { t } from './t.js';

const calc = (methods: MethodsSpec, extra: Partial<AnyContract> = {}) =>
  defineContract({ name: 'calc', version: '1.0.0', methods, ...extra } as never) as AnyContract;
const n = (name: string, type: unknown = 'number') => ({ name, type }) as never;

const base = calc({ add: { params: [n('a'), n('b')], returns: 'number' } });

function kinds(host: AnyContract, plugin: AnyContract) {
  const r = compareContracts(host, plugin);
  return { compatible: r.compatible, kinds: r.changes.map((c) => c.kind) };
}

describe('compareContracts: the breaking-change rules', () => {
  it('finds nothing between a contract and itself, or its JSON', () => {
    expect(compareContracts(base, base)).toEqual({ compatible: true, changes: [] });
    expect(compareContracts(greeter, JSON.parse(JSON.stringify(contractToJson(greeter))))).toEqual({
      compatible: true,
      changes: [],
    });
  });

  it('breaks: a method the host calls is missing', () => {
    const r = compareContracts(base, calc({}));
    expect(r.compatible).toBe(false);
    expect(r.changes).toEqual([
      { kind: 'method-missing', method: 'add', breaking: true, message: 'add: is missing, and is called.' },
    ]);
  });

  it('breaks: a param added as required (the add(a, b) plugin against add(a, b, c))', () => {
    const r = compareContracts(base, calc({ add: { params: [n('a'), n('b'), n('c')], returns: 'number' } }));
    expect(r.compatible).toBe(false);
    expect(r.changes[0]).toMatchObject({ kind: 'param-added-required', method: 'add' });
    expect(r.changes[0]?.message).toBe('add: the param "c" was added as required; callers do not pass it.');
  });

  it('accepts an optional param added, and a new method', () => {
    const plugin = calc({
      add: { params: [n('a'), n('b'), n('c', t.optional(t.number()))], returns: 'number' },
      sub: { params: [], returns: 'number' },
    });
    expect(kinds(base, plugin)).toEqual({
      compatible: true,
      kinds: ['param-added-optional', 'method-added'],
    });
  });

  it('breaks: a param removed, or made required', () => {
    expect(kinds(base, calc({ add: { params: [n('a')], returns: 'number' } })).kinds).toEqual([
      'param-removed',
    ]);
    const host = calc({ add: { params: [n('a'), n('b', t.optional(t.number()))], returns: 'number' } });
    expect(kinds(host, base)).toEqual({ compatible: false, kinds: ['param-became-required'] });
    expect(kinds(base, host)).toEqual({ compatible: true, kinds: ['param-became-optional'] });
  });

  it('param types: narrowed or changed breaks, widened is fine', () => {
    const int = calc({ add: { params: [n('a', t.integer()), n('b')], returns: 'number' } });
    expect(kinds(base, int)).toEqual({ compatible: false, kinds: ['type-narrowed'] });
    expect(kinds(int, base)).toEqual({ compatible: true, kinds: ['type-widened'] });
    const str = calc({ add: { params: [n('a', 'string'), n('b')], returns: 'number' } });
    expect(compareContracts(base, str).changes[0]?.message).toBe(
      'add: the param "a" changed from number to string.',
    );
    const union = calc({
      add: { params: [n('a', t.union([t.number(), t.string()])), n('b')], returns: 'number' },
    });
    expect(kinds(base, union).kinds).toEqual(['type-widened']);
  });

  it('results: the host must read every value the plugin may answer', () => {
    const res = (returns: unknown) => calc({ add: { params: [n('a'), n('b')], returns } as never });
    const host = res(t.object({ sum: t.number() }));
    // A result with one more field: the host still reads it (objects stay open).
    expect(kinds(host, res(t.object({ sum: t.number(), carry: t.boolean() }))).compatible).toBe(true);
    expect(kinds(host, res(t.object({ sum: t.integer() })))).toEqual({
      compatible: true,
      kinds: ['result-narrowed'],
    });
    expect(kinds(host, res(t.object({ sum: t.optional(t.number()) })))).toEqual({
      compatible: false,
      kinds: ['result-widened'],
    });
    expect(kinds(host, res(t.object({ sum: t.string() }))).kinds).toEqual(['type-changed']);
    expect(kinds(res(t.unknown()), res(t.bytes())).compatible).toBe(true);
    expect(kinds(res(t.bytes()), res(t.stream(t.bytes()))).kinds).toEqual(['stream-changed']);
    expect(kinds(res(t.stream(t.number())), res(t.stream(t.integer()))).compatible).toBe(true);
  });

  it('host functions: the plugin may call only what the host implements, with what it accepts', () => {
    const log = { log: { params: [n('line', 'string')], returns: 'void' } } as MethodsSpec;
    const withLog = calc(base.methods, { host: log });
    expect(kinds(withLog, base).compatible).toBe(true);
    expect(kinds(base, withLog)).toEqual({ compatible: false, kinds: ['host-function-missing'] });
    const logAny = calc(base.methods, {
      host: { log: { params: [n('line', t.unknown())], returns: 'void' } },
    });
    expect(kinds(logAny, withLog).compatible).toBe(true);
    expect(kinds(withLog, logAny)).toEqual({ compatible: false, kinds: ['type-narrowed'] });
  });

  it('config: the plugin must accept what the host gives', () => {
    const cfg = (config: unknown) => calc(base.methods, { config } as never);
    expect(kinds(cfg(t.object({ q: t.integer() })), cfg(t.object({ q: t.number() }))).compatible).toBe(true);
    expect(kinds(cfg(t.object({ q: t.number() })), cfg(t.object({ q: t.integer() }))).kinds).toEqual([
      'config-changed',
    ]);
  });

  it('a new major version breaks whatever the structure', () => {
    const v2 = calc(base.methods, { version: '2.0.0' });
    expect(kinds(base, v2)).toEqual({ compatible: false, kinds: ['version-major'] });
    expect(kinds(base, calc(base.methods, { version: '1.9.0' })).compatible).toBe(true);
  });

  it('constraints, enums and records', () => {
    const p = (type: unknown) => calc({ f: { params: [n('x', type)], returns: 'void' } });
    expect(kinds(p({ type: 'string', maxLength: 10 }), p({ type: 'string', maxLength: 5 })).kinds).toEqual([
      'type-narrowed',
    ]);
    expect(kinds(p(t.enum(['a', 'b'])), p(t.enum(['a', 'b', 'c']))).kinds).toEqual(['type-widened']);
    expect(kinds(p(t.enum(['a', 'b'])), p(t.string())).kinds).toEqual(['type-widened']);
    expect(kinds(p(t.record(t.integer())), p(t.record(t.number()))).kinds).toEqual(['type-widened']);
    expect(kinds(p(t.nullable(t.string())), p(t.string())).kinds).toEqual(['type-narrowed']);
  });
});
