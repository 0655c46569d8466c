import {
  type CallScope,
  type CancelSource,
  instantiatePlugin,
  LazyAbort,
  type PluginInstance,
  type PluginLogger,
  readFactory,
  whenAborted,
} from '../talkback/index.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import type { RpcId } from './rpc-message.js';
import { serveStreams } from './serve-streams.js';
import { HOST_FUNCTION_FAILED, TALKBACK_METHODS } from './talkback-methods.js';

// The plugin side of talking back, hooked into servePluginOver(): `x/init` (config, and the
// factory runs), `x/host` (ctx.host's calls to the host), `x/dispose`, and a per-call AbortSignal
// that `$/cancelRequest` fires.

/** What the plugin side needs of its endpoint to talk back (an RpcEndpoint fits). */
export interface TalkbackConnection {
  onRequest(method: string, handler: (params: unknown, id?: RpcId) => unknown): unknown;
  notify(method: string, params: unknown): unknown;
  // Optional, so that a bare connection (a test's) still serves a plugin that never calls its host.
  request?(method: string, params?: unknown): { readonly id: number; readonly result: Promise<unknown> };
  cancel?(id: number): void;
  onCancelled?(listener: (id: RpcId) => void): void;
  onNotification?(method: string, handler: (params: unknown) => void): unknown;
}

export interface PluginTalkback {
  /** The instance when it exists (object form: at once; factory form: after `x/init`). */
  readonly ready: PluginInstance | undefined;
  /** The instance, made now (with no config) if the host never sent `x/init`. */
  instance(): Promise<PluginInstance>;
  /** Calls a method with its own AbortSignal, fired when the host cancels request `id`. */
  invoke(instance: PluginInstance, method: string, args: readonly unknown[], id: RpcId): unknown;
}

export async function serveTalkback(
  connection: TalkbackConnection,
  exported: unknown,
  scope: (() => CallScope) | undefined,
): Promise<PluginTalkback> {
  const logger = wireLogger(connection);
  const calls = new Map<RpcId, LazyAbort>();
  connection.onCancelled?.((id) => {
    calls.get(id)?.abort(new Error('The host cancelled this call.'));
    streams.cancel(id);
  });
  const isFactory = readFactory(exported) !== undefined;
  const make = (config: unknown) =>
    instantiatePlugin(exported, {
      config,
      logger,
      callHost: (fn, args, signal) => callHost(connection, fn, args, signal),
      // Only a factory's ctx.host needs the call scope (and its module costs start time).
      scope: isFactory ? scope?.() : undefined,
    });
  let ready: PluginInstance | undefined = isFactory ? undefined : await make(undefined);
  let making: Promise<PluginInstance> | undefined = ready === undefined ? undefined : Promise.resolve(ready);
  const instance = (config?: unknown) => {
    making ??= make(config).then((made) => {
      ready = made;
      return made;
    });
    return making;
  };
  connection.onRequest(TALKBACK_METHODS.init, async (params) => {
    const config = (params as { config?: unknown } | null)?.config;
    await instance(config);
    return { factory: isFactory };
  });
  // A stream's signal stays armed for as long as the stream runs, not only until it returned: its
  // entry in `calls` goes once the stream is over, however it ends (serveStreams' `finished`), not
  // by wrapping the iterator, which cost a promise per item.
  const streams = serveStreams(
    connection,
    async (method, args, id) => {
      const target = ready ?? (await instance(undefined));
      const fn = target.target[method];
      if (typeof fn !== 'function') throw new TypeError(`The plugin has no method "${method}".`);
      const call = new LazyAbort();
      calls.set(id, call);
      const produced = target.invoke(method, args, call);
      return { produced: await produced, enter: <T>(pull: () => T): T => target.enter(call, pull) };
    },
    (id) => calls.delete(id),
  );
  connection.onRequest(TALKBACK_METHODS.dispose, async () => {
    await ready?.dispose();
    return null;
  });
  return {
    get ready() {
      return ready;
    },
    instance: () => instance(undefined),
    invoke(target, method, args, id) {
      const call = new LazyAbort();
      calls.set(id, call);
      let result: unknown;
      try {
        result = target.invoke(method, args, call);
      } catch (error) {
        calls.delete(id);
        throw error;
      }
      if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') {
        calls.delete(id);
        return result;
      }
      const done = () => calls.delete(id);
      (result as Promise<unknown>).then(done, done);
      return result;
    },
  };
}

/** One host function, over the wire; the host's error comes back as a real Error with its code. */
async function callHost(
  connection: TalkbackConnection,
  fn: string,
  args: unknown[],
  signal: CancelSource | undefined,
): Promise<unknown> {
  if (signal?.aborted) throw hostError({ name: 'AbortError', message: `Host function "${fn}" aborted.` });
  if (connection.request === undefined) throw new Error('This connection cannot reach the host.');
  const request = connection.request(TALKBACK_METHODS.host, { fn, args });
  const onAbort = () => connection.cancel?.(request.id);
  const unsubscribe = whenAborted(signal, onAbort);
  try {
    return await request.result;
  } catch (error) {
    if (RpcError.isInstance(error) && error.code === HOST_FUNCTION_FAILED) throw hostError(error.data);
    if (RpcError.isInstance(error) && error.code === RPC_ERRORS.requestCancelled) {
      throw hostError({ name: 'AbortError', message: `Host function "${fn}" aborted with its call.` });
    }
    throw error;
  } finally {
    unsubscribe();
  }
}

function hostError(data: unknown): Error {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const error = new Error(typeof d.message === 'string' ? d.message : 'A host function failed.');
  if (typeof d.name === 'string') error.name = d.name;
  if (d.code !== undefined) Object.assign(error, { code: d.code });
  return error;
}

/** `ctx.logger` in a worker or process: `x/log` notifications, which the host forwards. */
function wireLogger(connection: TalkbackConnection): PluginLogger {
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    connection.notify('x/log', { level, message: String(message), ...(fields && { fields }) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
