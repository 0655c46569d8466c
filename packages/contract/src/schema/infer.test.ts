import { describe, expectTypeOf, it } from 'vitest';
import { type Client, defineContract, type Implementation, type Infer } from '../define-contract.js';
import type { CallContext, ConfigOf, HostClient, HostImplementation } from './infer.js';
import { t } from './t.js';

const imageFilter = defineContract({
  name: 'image-filter',
  version: '1.2.0',
  methods: {
    apply: {
      params: [
        { name: 'image', type: t.bytes() },
        { name: 'opts', type: t.object({ strength: t.number(), label: t.optional(t.string()) }) },
      ],
      returns: t.object({ image: t.bytes(), tookMs: t.number() }),
    },
    tiles: { params: [{ name: 'image', type: t.bytes() }], returns: t.stream(t.bytes()) },
    resize: {
      params: [
        { name: 'w', type: t.integer() },
        { name: 'h', type: t.optional(t.integer()) },
      ],
      returns: 'void',
    },
    meta: {
      params: [],
      returns: t.object({
        at: t.date(),
        size: t.bigint(),
        mode: t.enum(['fast', 'slow']),
        tags: t.array(t.string()),
        extra: t.record(t.unknown()),
        owner: t.nullable(t.string()),
        id: t.union([t.string(), t.number()]),
        kind: t.literal('image'),
        none: t.null(),
        ok: t.boolean(),
      }),
    },
    raw: { params: [{ name: 'x', type: { type: 'string' } }], returns: { type: 'number' } },
  },
  host: { log: { params: [{ name: 'line', type: 'string' }], returns: 'void' } },
  config: t.object({ quality: t.integer() }),
});

type Contract = typeof imageFilter;

describe('types inferred from t schemas', () => {
  it('maps bytes, objects, optional fields and trailing optional params', () => {
    expectTypeOf<Infer<Contract>['apply']>().toEqualTypeOf<
      (image: Uint8Array, opts: { strength: number; label?: string }) => { image: Uint8Array; tookMs: number }
    >();
    expectTypeOf<Infer<Contract>['resize']>().toEqualTypeOf<(w: number, h?: number) => undefined>();
  });

  it('maps every builder', () => {
    expectTypeOf<ReturnType<Infer<Contract>['meta']>>().toEqualTypeOf<{
      at: Date;
      size: bigint;
      mode: 'fast' | 'slow';
      tags: string[];
      extra: Record<string, unknown>;
      owner: string | null;
      id: string | number;
      kind: 'image';
      none: null;
      ok: boolean;
    }>();
  });

  it('gives raw JSON Schema unknown, since TypeScript cannot read it', () => {
    expectTypeOf<Infer<Contract>['raw']>().toEqualTypeOf<(x: unknown) => unknown>();
  });

  it('streams: an async iterable for the client, any async iterable (a generator) for the plugin', () => {
    expectTypeOf<Client<Contract>['tiles']>().toEqualTypeOf<
      (image: Uint8Array) => AsyncIterable<Uint8Array>
    >();
    expectTypeOf<Implementation<Contract>['tiles']>().returns.toEqualTypeOf<AsyncIterable<Uint8Array>>();
    expectTypeOf(async function* () {
      yield new Uint8Array(1);
    }).returns.toMatchTypeOf<AsyncIterable<Uint8Array>>();
  });

  it('gives every implementation method a trailing { signal }, optional to declare', () => {
    expectTypeOf<Implementation<Contract>['resize']>().parameters.toEqualTypeOf<
      [w: number, h: number | undefined, context: CallContext]
    >();
    const declared: Implementation<Contract>['resize'] = (_w, _h, { signal }) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return undefined;
    };
    const undeclared: Implementation<Contract>['resize'] = (_w) => undefined;
    expectTypeOf(declared).toEqualTypeOf(undeclared);
    expectTypeOf<Client<Contract>['apply']>().returns.toEqualTypeOf<
      Promise<{ image: Uint8Array; tookMs: number }>
    >();
  });

  it('types host functions: sync or async for the host app, always async for the plugin', () => {
    // A void host function may just return: `(line) => { console.log(line); }`.
    expectTypeOf<HostImplementation<Contract>['log']>().toEqualTypeOf<
      (line: string) => void | Promise<void>
    >();
    expectTypeOf<HostClient<Contract>['log']>().toEqualTypeOf<(line: string) => Promise<undefined>>();
    expectTypeOf<ConfigOf<Contract>>().toEqualTypeOf<{ quality: number }>();
  });

  it('gives a contract without host functions or config nothing to implement', () => {
    const plain = defineContract({ name: 'plain', methods: { a: { params: [], returns: 'string' } } });
    expectTypeOf<HostImplementation<typeof plain>>().toEqualTypeOf<Record<never, never>>();
    expectTypeOf<ConfigOf<typeof plain>>().toEqualTypeOf<undefined>();
  });
});
