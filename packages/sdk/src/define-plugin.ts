import {
  type AnyContract,
  checkConformance,
  contractToJson,
  type DirectImplementation,
  type Implementation,
  PLUGIN_STAMP,
  type PluginStamp,
} from '@x/contract';
import { BUILT_CONTRACT_VERSION, SDK_VERSION } from './version.js';

/**
 * A plugin object: the implementation, stamped with what it was built against. Its methods may be
 * called directly (in the author's unit tests) without the `{ signal }` the host always passes.
 */
export type Plugin<C extends AnyContract> = DirectImplementation<C> & {
  readonly [PLUGIN_STAMP]: PluginStamp;
};

/**
 * Declares a plugin that implements `contract`. A wrong implementation fails to compile, and, for
 * plain JavaScript authors, to run. The result is stamped with the SDK and contract versions it was
 * built against, which the host checks before trusting it.
 * @example export const plugin = definePlugin(greeter, { greet: (name) => `Hello, ${name}!`, lang: () => 'English' });
 */
export function definePlugin<C extends AnyContract>(
  contract: C,
  implementation: Implementation<C>,
): Plugin<C> {
  const result = checkConformance(contract, implementation);
  if (!result.ok) {
    const list = result.problems
      .map((p) => `${p.member} (expected ${p.expected}, got ${p.actual})`)
      .join('; ');
    throw new TypeError(`definePlugin: this implementation of "${contract.name}" is incomplete: ${list}.`);
  }
  const stamp: PluginStamp = Object.freeze({
    contract: contract.name,
    contractVersion: BUILT_CONTRACT_VERSION,
    sdkVersion: SDK_VERSION,
    // The contract itself, as JSON: the host compares its structure with its own (docs/compatibility.md).
    ...(contract.version === undefined ? {} : { version: contract.version }),
    schema: contractToJson(contract),
  });
  Object.defineProperty(implementation, PLUGIN_STAMP, { value: stamp, enumerable: false });
  return implementation as Plugin<C>;
}
