import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type AnyContract,
  instantiatePlugin,
  type MethodContext,
  type PluginInstance,
  readFactory,
} from '@x/contract';
import { loadFailed } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PluginPackage } from '../manifest.js';
import { hostCaller } from './host-functions.js';
import type { TalkbackOptions } from './options.js';
import { pluginLogger } from './plugin-logger.js';

/**
 * Makes the in-process plugin's instance: its factory runs here, with the load's config, the
 * host's logger and the host functions behind the same gate as in a worker or process. The call
 * scope lets a host function called from inside a method be cancelled with that method's call.
 */
export async function inProcessInstance(
  pkg: PluginPackage,
  contract: AnyContract,
  value: unknown,
  options: TalkbackOptions,
  logger: Logger,
): Promise<PluginInstance> {
  try {
    return await instantiatePlugin(value, {
      config: options.config,
      logger: pluginLogger(pkg.name, logger),
      callHost: hostCaller(pkg.name, contract, options.host, options.hostTimeout),
      // Only a factory has ctx.host to tie to its call; an object-form plugin's calls skip the scope.
      scope: readFactory(value) === undefined ? undefined : new AsyncLocalStorage<MethodContext>(),
    });
  } catch (error) {
    throw loadFailed(pkg.name, pkg.dir, error, "Fix the plugin's factory (definePlugin's second argument).");
  }
}
