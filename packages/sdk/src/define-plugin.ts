import {
  type AnyContract,
  checkConformance,
  contractToJson,
  type DirectImplementation,
  PLUGIN_FACTORY,
  PLUGIN_STAMP,
  type PluginStamp,
} from '@x/contract';
import { factoryStub } from './factory-stub.js';
import type { PluginFactory, TalkbackImplementation } from './plugin-types.js';
import { BUILT_CONTRACT_VERSION, SDK_VERSION } from './version.js';

/**
 * A plugin object: the implementation, stamped with what it was built against. Its methods may be
 * called directly (in the author's unit tests) without the `{ signal }` the host always passes.
 */
export type Plugin<C extends AnyContract> = DirectImplementation<C> & {
  readonly [PLUGIN_STAMP]: PluginStamp;
};

/**
 * Declares a plugin that implements `contract`, as an object or as a factory of one. A wrong
 * implementation fails to compile, and, for plain JavaScript authors, to run. The result is
 * stamped with the SDK and contract versions it was built against, which the host checks.
 * The factory form runs once per load, with `ctx.host`, `ctx.config`, `ctx.logger`, `ctx.onDispose`.
 * @example export const plugin = definePlugin(greeter, { greet: (name) => `Hello, ${name}!`, lang: () => 'English' });
 * @example export const plugin = definePlugin(kv, (ctx) => ({ get: (k, { signal }) => ctx.host.fetch(k) }));
 */
export function definePlugin<C extends AnyContract>(contract: C, factory: PluginFactory<C>): Plugin<C>;
export function definePlugin<C extends AnyContract>(
  contract: C,
  implementation: TalkbackImplementation<C>,
): Plugin<C>;
export function definePlugin<C extends AnyContract>(
  contract: C,
  implementation: TalkbackImplementation<C> | PluginFactory<C>,
): Plugin<C> {
  const stamp: PluginStamp = Object.freeze({
    contract: contract.name,
    contractVersion: BUILT_CONTRACT_VERSION,
    sdkVersion: SDK_VERSION,
    // The contract itself, as JSON: the host compares its structure with its own (docs/compatibility.md).
    ...(contract.version === undefined ? {} : { version: contract.version }),
    schema: contractToJson(contract),
  });
  if (typeof implementation === 'function') {
    // The factory form: an object with the contract's methods (so that the host's conformance
    // check, which runs before any instance exists, sees them), carrying the factory.
    const stub = factoryStub(contract, implementation as PluginFactory<C>);
    Object.defineProperty(stub, PLUGIN_FACTORY, {
      value: Object.freeze({ contract, create: implementation }),
      enumerable: false,
    });
    Object.defineProperty(stub, PLUGIN_STAMP, { value: stamp, enumerable: false });
    return stub as Plugin<C>;
  }
  const result = checkConformance(contract, implementation);
  if (!result.ok) {
    const list = result.problems
      .map((p) => `${p.member} (expected ${p.expected}, got ${p.actual})`)
      .join('; ');
    throw new TypeError(`definePlugin: this implementation of "${contract.name}" is incomplete: ${list}.`);
  }
  Object.defineProperty(implementation, PLUGIN_STAMP, { value: stamp, enumerable: false });
  return implementation as Plugin<C>;
}
