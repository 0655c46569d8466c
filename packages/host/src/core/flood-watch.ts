import { PluginError } from '@x/contract';
import { type Flood, FloodGuard, type RpcEndpoint } from '@x/contract/wire';

// The host's side of the flood guard (@x/contract's FloodGuard): one per plugin thread or process.
// On a flood the endpoint is closed at once (what is still queued is then dropped unparsed by the
// endpoint), and the runtime ends the plugin; the plugin's exit carries the ERR_PLUGIN_FLOOD below,
// which its pending calls fail with.

export interface FloodWatch {
  /** The endpoint's onInbound hook. */
  readonly onInbound: (request: boolean) => void;
  /** The endpoint to close on a flood; set once it exists. */
  attach(endpoint: RpcEndpoint): void;
  /** The flood's error, once it tripped. */
  readonly error: PluginError | undefined;
}

export function floodWatch(
  plugin: string,
  isolation: 'worker' | 'process',
  stop: (error: PluginError) => void,
  queuedBytes?: () => number,
): FloodWatch {
  let endpoint: RpcEndpoint | undefined;
  let error: PluginError | undefined;
  const guard = new FloodGuard({
    unanswered: () => endpoint?.answeringCount ?? 0,
    paced: () => endpoint?.caughtUp ?? false,
    queuedBytes,
    afterTurn: (fn) => setImmediate(fn),
    onFlood: (flood) => {
      error = flooded(plugin, isolation, flood);
      endpoint?.close(error.message);
      stop(error);
    },
  });
  return {
    onInbound: guard.inbound,
    attach: (e) => {
      endpoint = e;
    },
    get error() {
      return error;
    },
  };
}

export function flooded(plugin: string, isolation: 'worker' | 'process', flood: Flood): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_FLOOD',
    plugin,
    what: `Plugin "${plugin}" was stopped: it flooded the host.`,
    why: `${flood.reason[0]!.toUpperCase()}${flood.reason.slice(1)}, so the host's memory would have grown without bound.`,
    fix: `Report it to the plugin's author: a plugin must not send requests or notifications in a tight loop, and must read the host's answers. The ${isolation} plugin restarts under the restart policy.`,
    details: { limit: flood.limit, count: flood.count, cap: flood.cap },
  });
}
