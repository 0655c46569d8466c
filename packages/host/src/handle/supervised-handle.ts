import type { AnyContract, PluginStamp } from '@x/contract';
import { createCallPipeline } from '../core/call-pipeline.js';
import type { Connection, StartConnection } from '../core/connection.js';
import type { Profiler } from '../core/profile-on-hang.js';
import { type Supervisor, supervise } from '../core/supervisor.js';
import type { Isolation, PluginPackage } from '../manifest.js';
import type { ResolvedLoadOptions } from '../options/resolve-load-options.js';
import { handleBase, type PluginHandle } from './plugin-handle.js';

/** What a runtime or watch mode adds to a supervised handle. */
export interface SupervisedExtras {
  /** How this runtime profiles a hung plugin (profileOnHang); absent where it cannot. */
  readonly profiler?: Profiler;
  /**
   * Watch mode: given the supervisor's reload, starts watching; returns how to stop, which the
   * handle's close() awaits before anything else ends.
   */
  readonly watch?: (reload: Supervisor['reload']) => () => Promise<void>;
}

/**
 * The handle of an isolated plugin (worker, process, command, go-plugin): the one call pipeline
 * over a supervised connection. Thin on purpose: calls are the pipeline's, the lifecycle is the
 * supervisor's.
 */
export function supervisedHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  isolation: Isolation,
  stamp: PluginStamp | undefined | (() => PluginStamp | undefined),
  first: Connection | undefined,
  restart: StartConnection,
  options: ResolvedLoadOptions,
  onClose: () => void = () => {},
  extras: SupervisedExtras = {},
): PluginHandle<C> {
  // The pipeline asks the supervisor for its target, and the supervisor fails the pipeline's
  // calls on a crash: each reaches the other through this one binding.
  const supervisor = supervise({
    plugin: pkg.name,
    logger: options.logger,
    first,
    restart,
    idleTimeout: options.idleTimeout,
    policy: options.restart,
    healthTimeout: options.healthTimeout,
    onCrash: options.onCrash,
    failCalls: (error) => pipeline.failAll(error),
    inFlight: () => pipeline.inFlight,
    onRestart: options.onRestart === undefined ? undefined : () => options.onRestart?.(handle),
    unresponsiveTimeout: isolation === 'in-process' ? false : options.unresponsiveTimeout,
    onUnresponsive: options.onUnresponsive,
    profileOnHang:
      options.profileOnHang === undefined || extras.profiler === undefined
        ? undefined
        : { options: options.profileOnHang, profiler: extras.profiler },
    drain: extras.watch !== undefined,
  });
  const stopWatching = extras.watch?.((next, restartNext) => supervisor.reload(next, restartNext));
  const pipeline = createCallPipeline({
    plugin: pkg.name,
    contract,
    isolation: isolation,
    callTimeout: options.callTimeout,
    maxPendingCalls: options.maxPendingCalls,
    maxQueuedBytes: options.maxQueuedBytes,
    target: () => supervisor.target(),
  });
  let closing: Promise<void> | undefined;
  const stampOf = typeof stamp === 'function' ? stamp : () => stamp;
  const handle: PluginHandle<C> = {
    ...handleBase(pkg, contract, isolation, undefined, pipeline),
    // A lazy plugin's stamp is known once it has started (its handshake carries it).
    get stamp() {
      return stampOf();
    },
    stats: () => ({ ...pipeline.stats(), ...supervisor.life() }),
    close() {
      closing ??= (async () => {
        // The watcher first: no reload may start an instance once the handle is closing.
        await stopWatching?.();
        pipeline.close();
        await supervisor.close();
        onClose();
      })();
      return closing;
    },
    get closed() {
      return pipeline.closed;
    },
    get state() {
      return supervisor.state;
    },
    get restarts() {
      return supervisor.restarts;
    },
    get pid() {
      return supervisor.pid;
    },
    get threadId() {
      return supervisor.threadId;
    },
    health: () => supervisor.health(),
  };
  return handle;
}
