import type { AnyContract, PluginStamp } from '@x/contract';
import type { Isolation } from './options.js';

/** The part of `@x/host`'s PluginHandle the suite uses, typed here so this entry needs no host types. */
export interface LoadedPlugin {
  readonly name: string;
  readonly isolation: Isolation;
  readonly stamp: PluginStamp | undefined;
  readonly contract: AnyContract;
  call(method: string, args: unknown[], options?: { timeout?: number }): Promise<unknown>;
  close(): Promise<void>;
}

interface HostModule {
  createHost(options: { contracts?: readonly AnyContract[]; cwd?: string }): {
    load(
      spec: string,
      options: { contract: AnyContract; isolation: Isolation; config?: unknown; host?: unknown },
    ): Promise<LoadedPlugin>;
    close(): Promise<void>;
  };
}

/**
 * Loads the plugin through a real `@x/host`, as an application would. The host is imported lazily:
 * it is an optional peer of the SDK, needed by tests only, so a plugin's runtime never pulls it in.
 */
export async function loadThroughHost(
  dir: string,
  contract: AnyContract,
  isolation: Isolation,
  talkback: { readonly config?: unknown; readonly host?: unknown } = {},
): Promise<LoadedPlugin> {
  let host: HostModule;
  try {
    host = (await import('@x/host')) as unknown as HostModule;
  } catch (cause) {
    throw new Error(
      '@x/sdk/testing loads plugins through a real host, but @x/host is not installed. ' +
        'Add it as a devDependency: npm install --save-dev @x/host',
      { cause },
    );
  }
  const instance = host.createHost({ contracts: [contract], cwd: dir });
  const handle = await instance.load(dir, {
    contract,
    isolation,
    // Only when given: a host without talkback support would refuse the unknown option names.
    ...(talkback.config === undefined ? {} : { config: talkback.config }),
    ...(talkback.host === undefined ? {} : { host: talkback.host }),
  });
  // Closing the handle is enough: the host only holds it to close it.
  return handle;
}
