import { PROTOCOL_VERSIONS } from '../protocol.js';
// talkback hook: the instance (factory form, config, dispose) and a per-call AbortSignal.
import { type CallScope, disposeSymbol, type PluginInstance } from '../talkback/index.js';
import {
  type CallParams,
  chooseVersion,
  describeExport,
  exportOf,
  type HandshakeParams,
  toWireError,
  WIRE_METHODS,
} from './handshake.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { isThenable, type RpcId } from './rpc-message.js';
import { serveTalkback, type TalkbackConnection } from './serve-talkback.js';

// The plugin side of the wire protocol (docs/protocol.md), shared by @x/host's bootstrap and
// @x/sdk's serve() so that both speak exactly the same thing over an RpcEndpoint; the transport
// (a worker's port, a process's fd 3) is each caller's business.

/** The part of an endpoint the plugin side needs (an RpcEndpoint fits). */
export interface WireConnection extends TalkbackConnection {
  onRequest(method: string, handler: (params: unknown, id?: RpcId) => unknown): unknown;
  notify(method: string, params: unknown): unknown;
}

export interface ServeOptions {
  /** The versions the host offered. */
  readonly offered: readonly number[];
  /** The versions this plugin speaks (default: PROTOCOL_VERSIONS). */
  readonly versions?: readonly number[];
  /** Loads the plugin's module; its failure is reported in the handshake, not thrown. */
  readonly load: () => Promise<Record<string, unknown>>;
  readonly exportName: string;
  /** Extra facts for `x/health` (memory, uptime). */
  readonly health?: () => Record<string, unknown>;
  /** Makes the call scope (an AsyncLocalStorage) that ties a factory's host calls to their call. */
  readonly scope?: () => CallScope;
}

function threw(error: unknown): RpcError {
  const wire = toWireError(error);
  return new RpcError(RPC_ERRORS.pluginThrew, `${wire.name}: ${wire.message}`, wire);
}

/**
 * Serves a plugin over an endpoint: loads it, answers the handshake, then answers calls. Returns
 * the version chosen, or undefined when the host and plugin share none (the host then reports
 * ERR_PLUGIN_HANDSHAKE and stops the plugin).
 */
export async function servePluginOver(
  connection: WireConnection,
  options: ServeOptions,
): Promise<number | undefined> {
  const versions = options.versions ?? PROTOCOL_VERSIONS;
  const chosen = chooseVersion(options.offered, versions);
  const protocolVersion = chosen ?? Math.max(...versions);
  let mod: Record<string, unknown>;
  try {
    mod = await options.load();
  } catch (error) {
    connection.notify(WIRE_METHODS.handshake, { protocolVersion, versions, error: toWireError(error) });
    return chosen;
  }
  const shape = describeExport(mod, options.exportName);
  const exported = exportOf(mod, options.exportName);
  let talkback: Awaited<ReturnType<typeof serveTalkback>>;
  try {
    talkback = await serveTalkback(connection, exported, options.scope);
  } catch (error) {
    connection.notify(WIRE_METHODS.handshake, { protocolVersion, versions, error: toWireError(error) });
    return chosen;
  }
  const callOn = (
    instance: NonNullable<typeof talkback.ready>,
    method: unknown,
    args: unknown,
    id: RpcId,
  ): unknown => {
    const fn = typeof method === 'string' ? instance.target[method] : undefined;
    if (typeof fn !== 'function' || !Array.isArray(args)) {
      throw new RpcError(
        RPC_ERRORS.invalidParams,
        `x/call needs {method, args} (version 3: [method, args]) naming a method of the plugin.`,
      );
    }
    // A synchronous method answers in the same tick: no promise, no extra turn of the event loop.
    let result: unknown;
    try {
      result = talkback.invoke(instance, method as string, args, id);
    } catch (error) {
      throw threw(error);
    }
    // The endpoint answers `undefined` as null, and awaits a thenable itself.
    if (isThenable(result)) {
      return result.then(undefined, (e: unknown) => {
        throw threw(e);
      });
    }
    return result;
  };
  // A bare test connection gives no id; an RpcEndpoint always does.
  connection.onRequest(WIRE_METHODS.call, (params, id = -1) => {
    // Version 3 sends `[method, args]`, versions 1 and 2 `{ method, args }`.
    let method: unknown;
    let args: unknown;
    if (Array.isArray(params)) {
      if (params.length === 2) {
        method = params[0];
        args = params[1];
      }
    } else {
      ({ method, args } = (params ?? {}) as Partial<CallParams>);
    }
    const ready = talkback.ready;
    // A factory whose host never sent x/init (an older host) is made on the first call.
    return ready !== undefined
      ? callOn(ready, method, args, id)
      : talkback.instance().then((made) => callOn(made, method, args, id));
  });
  connection.onRequest(WIRE_METHODS.health, () => ({ ok: true, ...options.health?.() }));
  const handshake: HandshakeParams = {
    protocolVersion,
    versions,
    plugin: shape,
    talkback: true,
    // An object-form plugin with nothing to dispose needs neither x/init (it takes no config) nor
    // x/dispose: the host may call it at once, and end it without asking.
    ...(isReady(talkback.ready) ? { ready: true } : {}),
  };
  connection.notify(WIRE_METHODS.handshake, handshake);
  return chosen;
}

/** Made at once (object form), and without a `[Symbol.asyncDispose]` for x/dispose to run. */
function isReady(instance: PluginInstance | undefined): boolean {
  // A missing or odd export (undefined, a string) is not ready either: the host's conform check
  // refuses it, and the handshake must not throw on the way there.
  const target = instance?.target as unknown;
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return false;
  try {
    return typeof (target as Record<symbol, unknown>)[disposeSymbol] !== 'function';
  } catch {
    return false; // A throwing getter (a Proxy): ask for x/dispose, as for any other plugin.
  }
}

/** The message a plugin prints when run by hand, without the host's magic cookie. */
export function notAProgramMessage(name: string): string {
  return [
    `${name} is a plugin, not a program: it is meant to be started by a host.`,
    'Load it with @x/host, for example:',
    `  npx x-plugin call ${name} <method> [args...] --isolation process`,
    "or, from code: createHost().load('<package>', { isolation: 'process' }).",
  ].join('\n');
}
