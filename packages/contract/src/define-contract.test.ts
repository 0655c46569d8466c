import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Client, defineContract, type Implementation, type Infer } from './define-contract.js';
import type { CallContext } from './schema/infer.js';
import type { Greeter, greeter } from './v1/greeter.js';
import type { Transformer, transformer } from './v1/transformer.js';

describe('defineContract', () => {
  it('infers the Go tutorial interfaces from data', () => {
    expectTypeOf<Greeter>().toEqualTypeOf<{ greet: (name: string) => string; lang: () => string }>();
    expectTypeOf<Transformer>().toEqualTypeOf<{ transform: (input: string) => string; name: () => string }>();
  });

  it('lets implementations answer with a promise, and clients always do', () => {
    // Version 2 (DESIGN.md): an implementation also gets `{ signal }` after its params, optional to declare.
    expectTypeOf<Implementation<typeof greeter>['greet']>().toEqualTypeOf<
      (name: string, context: CallContext) => string | Promise<string>
    >();
    const v1Style: Implementation<typeof greeter> = { greet: (name) => name, lang: () => 'en' };
    expectTypeOf(v1Style.greet).parameter(0).toEqualTypeOf<string>();
    expectTypeOf<Client<typeof transformer>['transform']>().toEqualTypeOf<
      (input: string) => Promise<string>
    >();
  });

  it('maps every value kind', () => {
    const calc = defineContract({
      name: 'calc',
      methods: {
        add: {
          params: [
            { name: 'a', type: 'number' },
            { name: 'b', type: 'number' },
          ],
          returns: 'number',
        },
        reset: { params: [{ name: 'hard', type: 'boolean' }], returns: 'void' },
      },
    });
    expectTypeOf<Infer<typeof calc>>().toEqualTypeOf<{
      add: (a: number, b: number) => number;
      reset: (hard: boolean) => undefined;
    }>();
    expect(Object.isFrozen(calc.methods)).toBe(true);
  });

  it('refuses a name that is not lower-case', () => {
    expect(() => defineContract({ name: 'Greeter', methods: {} })).toThrow(/lower-case/);
  });
});
