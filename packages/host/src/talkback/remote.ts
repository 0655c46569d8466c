import { type AnyContract, LazyAbort, PluginError } from '@x/contract';
import {
  HOST_FUNCTION_FAILED,
  RPC_ERRORS,
  type RpcEndpoint,
  RpcError,
  TALKBACK_METHODS,
} from '@x/contract/wire';
import type { Logger } from '../logger.js';
import { disposeWithin } from './dispose.js';
import { hostCaller } from './host-functions.js';
import type { TalkbackOptions } from './options.js';

// The host side of talking back to a plugin in a worker or process: serves `x/host` (the plugin's
// calls of host functions, through the same gate as in-process), sends `x/init` with the config,
// and `x/dispose` before the plugin is ended. Run again on every restart, so that a restarted
// plugin gets the same config and host functions.

/**
 * Serves the host functions on a fresh channel, then hands the plugin its config. `ready`: the
 * handshake said the instance is made (an object-form plugin); with no config to hand over,
 * x/init would only be a round trip before the first call, so it is not sent.
 */
export async function initRemote(
  plugin: string,
  endpoint: RpcEndpoint,
  contract: AnyContract | undefined,
  options: TalkbackOptions,
  timeoutMs: number,
  talkback: boolean,
  ready = false,
): Promise<void> {
  serveHostFunctions(endpoint, plugin, contract, options);
  if (!talkback) {
    // A plugin that never said it speaks x/init (a hand-written v1 one) is not sent it.
    if (options.config !== undefined) throw initFailed(plugin, new Error('no x/init'), false);
    return;
  }
  if (ready && options.config === undefined) return;
  const request = endpoint.request(TALKBACK_METHODS.init, { config: options.config ?? null });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      request.result,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to x/init within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    endpoint.cancel(request.id);
    throw initFailed(plugin, error, true);
  } finally {
    clearTimeout(timer);
  }
}

function serveHostFunctions(
  endpoint: RpcEndpoint,
  plugin: string,
  contract: AnyContract | undefined,
  options: TalkbackOptions,
): void {
  const call = hostCaller(
    plugin,
    contract ?? { name: plugin, methods: {} },
    options.host,
    options.hostTimeout,
  );
  const inflight = new Map<unknown, LazyAbort>();
  endpoint.onCancelled((id) => inflight.get(id)?.abort());
  endpoint.onRequest(TALKBACK_METHODS.host, (params, id) => {
    const { fn, args } = (typeof params === 'object' && params !== null ? params : {}) as {
      fn?: unknown;
      args?: unknown;
    };
    if (typeof fn !== 'string' || !Array.isArray(args)) {
      throw new RpcError(
        RPC_ERRORS.invalidParams,
        'x/host needs {fn, args}: a host function name and a list.',
      );
    }
    const controller = new LazyAbort();
    inflight.set(id, controller);
    return call(fn, args, controller).then(
      (value) => {
        inflight.delete(id);
        return value;
      },
      (error: unknown) => {
        inflight.delete(id);
        throw asRpcError(error);
      },
    );
  });
}

/** A host function's failure, as the plugin will see it: name, message and code (no host stack). */
function asRpcError(error: unknown): RpcError {
  const e = (error instanceof Error ? error : new Error(String(error))) as Error & { code?: unknown };
  const data: Record<string, unknown> = { name: e.name, message: e.message };
  if (e.code !== undefined) data.code = e.code;
  return new RpcError(HOST_FUNCTION_FAILED, `${e.name}: ${e.message}`, data);
}

/** Asks the plugin to run its dispose hooks, waiting at most `ms` (then it is ended anyway). */
export function disposeRemote(
  plugin: string,
  endpoint: RpcEndpoint,
  ms: number,
  logger: Logger,
): Promise<void> {
  if (endpoint.closed) return Promise.resolve();
  const request = endpoint.request(TALKBACK_METHODS.dispose, {});
  return disposeWithin(
    plugin,
    () =>
      request.result.catch((error: unknown) => {
        // A plugin without x/dispose (protocol v1 by hand) has nothing to dispose.
        if (RpcError.isInstance(error) && error.code === RPC_ERRORS.methodNotFound) return;
        throw error;
      }),
    ms,
    logger,
  );
}

function initFailed(plugin: string, cause: unknown, talkback: boolean): PluginError {
  const why = !talkback
    ? 'Its handshake does not say `talkback: true`, so it cannot take the config it was given (docs/protocol.md).'
    : `Its x/init failed: ${cause instanceof Error ? cause.message : String(cause)}`;
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" could not be initialised.`,
    why,
    fix: "Fix the plugin's factory (definePlugin's second argument), or load it without config.",
    cause,
  });
}
