import {
  contractToJson,
  defineContract,
  greeter,
  PLUGIN_STAMP,
  readStamp,
  t,
  transformer,
} from '@x/contract';
import { describe, expect, it } from 'vitest';
import { definePlugin } from './define-plugin.js';

describe('definePlugin', () => {
  it('returns the implementation, stamped with the versions it was built against', () => {
    const plugin = definePlugin(greeter, {
      greet: (name) => `Hello, ${name}! Nice to meet you.`,
      lang: () => 'English',
    });
    expect(plugin.greet('World')).toBe('Hello, World! Nice to meet you.');
    expect(readStamp(plugin)).toEqual({
      contract: 'greeter',
      contractVersion: '1.0.0',
      sdkVersion: '1.0.0',
      schema: contractToJson(greeter),
    });
    expect(readStamp(plugin)?.schema?.methods.greet).toEqual({
      params: [{ name: 'name', type: { type: 'string' } }],
      returns: { type: 'string' },
    });
    expect(Object.keys(plugin)).toEqual(['greet', 'lang']);
    expect(plugin[PLUGIN_STAMP].contract).toBe('greeter');
  });

  it("stamps a versioned contract's version and schema", () => {
    const shapes = defineContract({
      name: 'shapes',
      version: '1.2.0',
      methods: {
        area: {
          params: [{ name: 'box', type: t.object({ w: t.number(), h: t.number() }) }],
          returns: 'number',
        },
      },
    });
    const plugin = definePlugin(shapes, { area: (box) => box.w * box.h });
    expect(plugin.area({ w: 2, h: 3 })).toBe(6);
    expect(readStamp(plugin)).toMatchObject({
      version: '1.2.0',
      schema: { name: 'shapes', version: '1.2.0' },
    });
    expect(JSON.parse(JSON.stringify(readStamp(plugin)?.schema))).toEqual(contractToJson(shapes));
  });

  it('accepts async methods', async () => {
    const plugin = definePlugin(transformer, {
      transform: async (s) => s.toUpperCase(),
      name: () => 'upper',
    });
    await expect(plugin.transform('go')).resolves.toBe('GO');
  });

  it('fails to compile, and to run, when the implementation is wrong', () => {
    expect(() =>
      // @ts-expect-error lang is missing
      definePlugin(greeter, { greet: (name: string) => name }),
    ).toThrow(/incomplete: lang \(expected function \(\) => string, got missing\)/);
    // @ts-expect-error greet must return a string
    definePlugin(greeter, { greet: (_name: string) => 42, lang: () => 'x' });
    // @ts-expect-error greet takes a string
    definePlugin(greeter, { greet: (n: number) => `${n}`, lang: () => 'x' });
  });
});
