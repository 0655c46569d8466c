import {
  type AnyContract,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
} from '@x/contract';
import type { ExportShape } from '@x/contract/wire';
import type { Connection } from '../../core/connection.js';
import { reverifyIntegrity } from '../../load/verify-integrity.js';
import type { PluginPackage } from '../../manifest.js';
import { DEFAULT_START_TIMEOUT_MS, type ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import type { ResolvedPermissions } from '../../permissions/grants.js';
import { permissionFlags } from '../../permissions/node-flags.js';
import { initRemote } from '../../talkback/remote.js';
import { resolveCommand } from '../command/resolve-command.js';
import { agentSocket, PROFILE_SOCKET_KEY, rememberAgent } from '../process/profile-agent.js';
import { startProcess } from '../process/start-process.js';
import { startWorker } from '../worker/start-worker.js';
import { bootstrapPath } from './bootstrap-path.js';
import type { Channel, ChannelOptions } from './channel.js';
import { channelConnection } from './channel-connection.js';
import { handshake } from './handshake.js';

/** One started plugin of x's own protocol: its connection, and what its export looks like. */
export interface Launched {
  readonly connection: Connection;
  readonly shape: ExportShape;
}

/** Starts the plugin once more: each call a fresh thread or process, handshaken, config and host functions handed over. */
export type Launch = () => Promise<Launched>;

/** The handshake offer every Node bootstrap (and a command speaking x's protocol) is started with. */
export function protocolOffer(command: boolean): Record<string, string> {
  return {
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    [PROTOCOL_VERSIONS_KEY]: PROTOCOL_VERSIONS.join(','),
    // talkback: offered to a program in another language, which may accept it in its handshake
    // (Node plugins always accept; their environment stays as it was).
    ...(command ? { X_PLUGIN_TALKBACK: '1' } : {}),
  };
}

/**
 * The worker, process and command runtimes: how to start the plugin's thread or process and
 * complete the handshake (a failed start leaves nothing running), giving the connection and the
 * shape of the export, which the load step conforms before anything is called. Nothing starts
 * until the launch is called (a lazy plugin's first call).
 */
export function isolatedLauncher(
  pkg: PluginPackage,
  entry: string,
  isolation: 'worker' | 'process',
  options: ResolvedLoadOptions,
  sandbox: ResolvedPermissions | undefined,
  contract: AnyContract,
): Launch {
  const timeout = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
  const script = options.server ?? bootstrapPath();
  const sandboxFlags = sandbox === undefined ? [] : permissionFlags(sandbox, pkg.dir, script);
  const channelOptions: ChannelOptions = {
    plugin: pkg.name,
    // A program that speaks the protocol itself (xPlugin.command), started in its package folder.
    ...(pkg.manifest.command === undefined ? {} : { command: resolveCommand(pkg), cwd: pkg.dir }),
    script,
    entry,
    exportName: pkg.manifest.export,
    offer: protocolOffer(pkg.manifest.command !== undefined),
    env: options.env,
    maxHeapMb: options.maxHeapMb,
    execArgv: [...sandboxFlags, ...options.execArgv],
    logger: options.logger,
  };
  // profileOnHang in a Node process: its bootstrap starts a profile agent on a socket of its own.
  const withAgent =
    isolation === 'process' && pkg.manifest.command === undefined && options.profileOnHang !== undefined;
  return async () => {
    const agent = withAgent ? agentSocket() : undefined;
    const launchOptions =
      agent === undefined
        ? channelOptions
        : { ...channelOptions, offer: { ...channelOptions.offer, [PROFILE_SOCKET_KEY]: agent.path } };
    const channel: Channel =
      isolation === 'worker' ? startWorker(launchOptions) : await startProcess(launchOptions);
    if (agent !== undefined) void channel.exited.then(agent.remove);
    channel.ref();
    try {
      const params = await handshake(pkg.name, isolation, entry, channel, timeout, options.signal);
      // talkback: host functions served and config handed over on every (re)start, so that a
      // restarted plugin gets the same config and host functions.
      const talkback = params.talkback === true;
      // `ready`: an object-form plugin with nothing to dispose, asked for neither (docs/protocol.md).
      const ready = talkback && params.ready === true;
      await initRemote(pkg.name, channel.endpoint, contract, options, timeout, talkback, ready);
      const disposal =
        talkback && !ready ? { disposeTimeout: options.disposeTimeout, logger: options.logger } : undefined;
      const connection = channelConnection(pkg.name, channel, disposal);
      if (agent !== undefined) rememberAgent(connection, agent.path);
      return { connection, shape: params.plugin! };
    } catch (error) {
      await channel.kill();
      throw error;
    }
  };
}

/** A launcher's starts after the load's: each checks the files against the integrity pin again. */
export function restartOf<T>(
  pkg: PluginPackage,
  options: ResolvedLoadOptions,
  launch: () => Promise<T>,
): () => Promise<T> {
  return async () => {
    reverifyIntegrity(pkg, options); // a restart runs the files again: they must still match the pin
    return launch();
  };
}
