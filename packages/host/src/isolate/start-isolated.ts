import {
  type AnyContract,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
} from '@x/contract';
import type { Logger } from '../logger.js';
import type { PluginPackage } from '../manifest.js';
import type { ResolvedPermissions } from '../permissions/grants.js';
import { permissionFlags } from '../permissions/node-flags.js';
import type { PluginHandle } from '../plugin-handle.js';
// talkback hook: config and host functions on every (re)start, dispose hooks before the end.
import { DEFAULT_DISPOSE_TIMEOUT_MS } from '../talkback/dispose.js';
import type { TalkbackOptions } from '../talkback/options.js';
import { disposeRemote, initRemote } from '../talkback/remote.js';
import { DEFAULT_BACKPRESSURE } from './backpressure.js';
import { bootstrapPath } from './bootstrap-path.js';
import type { Channel, ChannelOptions } from './channel.js';
import { resolveCommand } from './command-plugin.js';
import { handshake } from './handshake.js';
import { isolatedHandle } from './isolated-handle.js';
import type { IsolatedOptions } from './isolated-options.js';
import { remoteExport } from './remote-export.js';
import { DEFAULT_RESTART_POLICY } from './restart-policy.js';
import { startProcess } from './start-process.js';
import { startWorker } from './start-worker.js';

/** The load options that shape an isolated plugin (documented on LoadOptions). */
/** What startIsolated needs: the load options, with the logger settled and the permissions resolved. */
export interface IsolateOptions extends Omit<IsolatedOptions, 'logger'>, TalkbackOptions {
  readonly logger: Logger;
  /** The contract whose host functions the plugin may call (talkback). */
  readonly hostContract?: AnyContract;
  /** Runs the process under Node's permission model with these grants (process isolation only). */
  readonly sandbox?: ResolvedPermissions;
}

export const DEFAULT_START_TIMEOUT_MS = 10_000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;

/**
 * Instantiate + handshake for isolated plugins: starts the plugin's thread or process, completes
 * the handshake, and hands back what conform() needs (a stand-in of the remote export) and a way
 * to wrap it in a handle once it conforms.
 */
export async function startIsolated(
  pkg: PluginPackage,
  entry: string,
  isolation: 'worker' | 'process',
  options: IsolateOptions,
): Promise<{
  value: unknown;
  exportNames: string[];
  toHandle<C extends AnyContract>(contract: C): PluginHandle<C>;
  abort(): Promise<void>;
}> {
  const timeout = options.timeout ?? DEFAULT_START_TIMEOUT_MS;
  const script = options.server ?? bootstrapPath();
  const sandboxFlags = options.sandbox === undefined ? [] : permissionFlags(options.sandbox, pkg.dir, script);
  const channelOptions: ChannelOptions = {
    plugin: pkg.name,
    // A program that speaks the protocol itself (xPlugin.command), started in its package folder.
    ...(pkg.manifest.command === undefined ? {} : { command: resolveCommand(pkg), cwd: pkg.dir }),
    script,
    entry,
    exportName: pkg.manifest.export,
    offer: {
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [PROTOCOL_VERSIONS_KEY]: PROTOCOL_VERSIONS.join(','),
      // talkback hook: offered to a program in another language, which may accept it in its
      // handshake (Node plugins always accept; their environment stays as it was).
      ...(pkg.manifest.command === undefined ? {} : { X_PLUGIN_TALKBACK: '1' }),
    },
    env: options.env ?? {},
    maxHeapMb: options.maxHeapMb,
    execArgv: [...sandboxFlags, ...(options.execArgv ?? [])],
    logger: options.logger,
  };
  // Channels whose plugin speaks x/init and x/dispose (its handshake said talkback: true).
  const talkback = new WeakSet<Channel>();
  const launchOnce = async () => {
    const channel: Channel =
      isolation === 'worker' ? startWorker(channelOptions) : startProcess(channelOptions);
    channel.ref();
    try {
      const params = await handshake(pkg.name, isolation, entry, channel, timeout);
      await initRemote(
        pkg.name,
        channel.endpoint,
        options.hostContract,
        options,
        timeout,
        params.talkback === true,
      );
      if (params.talkback === true) talkback.add(channel);
      return { channel, params };
    } catch (error) {
      await channel.kill();
      throw error;
    }
  };
  const first = await launchOnce();
  const shape = first.params.plugin!;
  return {
    value: remoteExport(shape),
    exportNames: [...shape.exportNames],
    abort: () => first.channel.kill(),
    toHandle: <C extends AnyContract>(contract: C): PluginHandle<C> => {
      const handle: PluginHandle<C> = isolatedHandle(pkg, contract, first.channel, {
        isolation,
        launch: async () => (await launchOnce()).channel,
        logger: options.logger,
        stamp: shape.stamp,
        callTimeout: options.callTimeout,
        healthTimeout: options.healthTimeout ?? DEFAULT_HEALTH_TIMEOUT_MS,
        restart: options.restart === false ? false : { ...DEFAULT_RESTART_POLICY, ...options.restart },
        onCrash: options.onCrash,
        backpressure: {
          maxPendingCalls: options.maxPendingCalls ?? DEFAULT_BACKPRESSURE.maxPendingCalls,
          maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_BACKPRESSURE.maxQueuedBytes,
        },
        dispose: async (ch) => {
          if (!talkback.has(ch)) return;
          const ms = options.disposeTimeout ?? DEFAULT_DISPOSE_TIMEOUT_MS;
          await disposeRemote(pkg.name, ch.endpoint, ms, options.logger);
        },
        onRestart:
          options.onRestart === undefined
            ? undefined
            : () => options.onRestart?.(handle as unknown as PluginHandle),
      });
      return handle;
    },
  };
}
