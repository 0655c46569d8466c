import {
  type AnyContract,
  instantiatePlugin,
  isStreamReturn,
  LazyAbort,
  type PluginInstance,
  type PluginLogger,
} from '@x/contract';
import type { PluginFactory } from './plugin-types.js';

const consoleLogger: PluginLogger = {
  debug: (m) => console.debug(m),
  info: (m) => console.info(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

/**
 * The object a factory-form definePlugin returns. A host never calls its methods (it makes its own
 * instance per load); called directly, as a unit test might, each method runs on one instance made
 * on first use, with no config and no host (a host function rejects, saying so).
 */
export function factoryStub<C extends AnyContract>(contract: C, factory: PluginFactory<C>): object {
  let instance: Promise<PluginInstance> | undefined;
  const own = () => {
    instance ??= instantiatePlugin(
      { [Symbol.for('x.plugin.factory')]: { contract, create: factory } },
      {
        config: undefined,
        logger: consoleLogger,
        callHost: (fn) =>
          Promise.reject(
            new Error(
              `Host function "${fn}" called outside a host: load the plugin with @x/host, or use @x/sdk/testing.`,
            ),
          ),
      },
    );
    return instance;
  };
  const stub: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(contract.methods)) {
    // A stream method answers an async iterable at once, as the host's client does: the instance
    // is made, and the generator started, on the first next().
    stub[method] = isStreamReturn(spec.returns)
      ? (...args: unknown[]) => ({
          async *[Symbol.asyncIterator]() {
            yield* (await (await own()).invoke(method, args, new LazyAbort())) as AsyncIterable<unknown>;
          },
        })
      : async (...args: unknown[]) => (await own()).invoke(method, args, new LazyAbort());
  }
  return stub;
}
