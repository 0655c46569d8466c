import {
  type AnyContract,
  instantiatePlugin,
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
  for (const method of Object.keys(contract.methods)) {
    stub[method] = async (...args: unknown[]) => (await own()).invoke(method, args, new LazyAbort());
  }
  return stub;
}
