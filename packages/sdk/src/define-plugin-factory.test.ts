import { type Contract, defineContract, instantiatePlugin, readFactory, readStamp } from '@x/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { definePlugin } from './define-plugin.js';

// The schemas branch types `host` and `config` on defineContract; until then the data rides along.
const kv = defineContract({
  name: 'kv',
  methods: {
    get: { params: [{ name: 'key', type: 'string' }], returns: 'string' },
    size: { params: [], returns: 'number' },
  },
  host: { fetch: { params: [{ name: 'key', type: 'string' }], returns: 'string' } },
} as never) as unknown as Contract<
  'kv',
  {
    readonly get: {
      readonly params: readonly [{ readonly name: 'key'; readonly type: 'string' }];
      readonly returns: 'string';
    };
    readonly size: { readonly params: readonly []; readonly returns: 'number' };
  }
> & {
  readonly host: {
    readonly fetch: {
      readonly params: readonly [{ readonly name: 'key'; readonly type: 'string' }];
      readonly returns: 'string';
    };
  };
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('definePlugin, the factory form', () => {
  it('types ctx.host from the contract, and gives every method a trailing { signal }', () => {
    definePlugin(kv, (ctx) => {
      expectTypeOf(ctx.host.fetch).parameter(0).toEqualTypeOf<string>();
      expectTypeOf(ctx.host.fetch).returns.toEqualTypeOf<Promise<string>>();
      return {
        get: (key, { signal }) => {
          expectTypeOf(key).toEqualTypeOf<string>();
          expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
          return ctx.host.fetch(key);
        },
        size: () => 1,
      };
    });
    // @ts-expect-error size must return a number
    definePlugin(kv, () => ({ get: (k: string) => k, size: () => 'one' }));
  });

  it('is stamped and conforms before any instance exists; each instantiation is its own', async () => {
    let made = 0;
    const plugin = definePlugin(kv, (ctx) => {
      const n = ++made;
      return {
        get: async (key) => `${n}:${key}:${await ctx.host.fetch(key)}:${String(ctx.config)}`,
        size: () => n,
      };
    });
    expect(readStamp(plugin)?.contract).toBe('kv');
    expect(typeof plugin.get).toBe('function');
    expect(readFactory(plugin)?.contract).toBe(kv);
    const calls: string[] = [];
    const env = (config: string) => ({
      config,
      logger: silent,
      callHost: async (fn: string, args: unknown[]) => {
        calls.push(`${fn}(${args.join()})`);
        return 'v';
      },
    });
    const a = await instantiatePlugin(plugin, env('A'));
    const b = await instantiatePlugin(plugin, env('B'));
    const signal = { signal: new AbortController().signal };
    expect(await a.invoke('get', ['k'], signal)).toBe('1:k:v:A');
    expect(await b.invoke('get', ['k'], signal)).toBe('2:k:v:B');
    expect(calls).toEqual(['fetch(k)', 'fetch(k)']);
  });

  it('refuses a factory whose implementation is incomplete, naming what is missing', async () => {
    const plugin = definePlugin(kv, () => ({ get: (k: string) => k }) as never);
    await expect(
      instantiatePlugin(plugin, { config: undefined, logger: silent, callHost: async () => undefined }),
    ).rejects.toThrow(/incomplete implementation: size \(missing\)/);
  });

  it('runs dispose hooks last-registered first, then Symbol.asyncDispose, once', async () => {
    const order: string[] = [];
    const plugin = definePlugin(kv, (ctx) => {
      ctx.onDispose(() => order.push('first'));
      ctx.onDispose(async () => order.push('second'));
      return {
        get: (k) => k,
        size: () => 0,
        async [Symbol.asyncDispose]() {
          order.push('asyncDispose');
        },
      };
    });
    const instance = await instantiatePlugin(plugin, {
      config: undefined,
      logger: silent,
      callHost: async () => undefined,
    });
    await Promise.all([instance.dispose(), instance.dispose()]);
    expect(order).toEqual(['second', 'first', 'asyncDispose']);
  });

  it('called directly, outside a host, runs on its own instance; a host function says it has no host', async () => {
    const plugin = definePlugin(kv, (ctx) => ({ get: (k) => ctx.host.fetch(k), size: () => 3 }));
    await expect(plugin.size()).resolves.toBe(3);
    await expect(plugin.get('k')).rejects.toThrow(/called outside a host/);
  });
});
