import type { AnyContract, PluginError, PluginStamp } from '@x/contract';
import { RPC_ERRORS, RpcError, WIRE_METHODS, type WireError } from '@x/contract/wire';
import { type CallOptions, callFailed, timedOut } from '../client.js';
import { closed as closedError, crashed, permissionDenied, stoppedAfterCrashes } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PluginPackage } from '../manifest.js';
import { deniedApi, isAccessDenied } from '../permissions/access-denied.js';
import { type HealthReport, handleBase, type IsolatedState, type PluginHandle } from '../plugin-handle.js';
// talkback hook: an abort is "aborted by the caller", not a timeout.
import { aborted } from '../talkback/errors.js';
import { remoteSource } from '../talkback/remote-stream.js';
import { pluginStream } from '../talkback/stream-consumer.js';
import { type Backpressure, refuseIfBusy } from './backpressure.js';
import type { Channel } from './channel.js';
import { describeExit } from './handshake.js';
import { CrashWindow, type RestartPolicy } from './restart-policy.js';

export interface IsolatedHandleOptions {
  readonly isolation: 'worker' | 'process';
  /** Starts a fresh plugin and completes its handshake (used again for every restart). */
  readonly launch: () => Promise<Channel>;
  readonly logger: Logger;
  readonly stamp: PluginStamp | undefined;
  readonly callTimeout: number | undefined;
  readonly healthTimeout: number;
  readonly restart: RestartPolicy | false;
  readonly onCrash: ((error: PluginError) => void) | undefined;
  readonly backpressure: Backpressure;
  /** talkback: runs the plugin's dispose hooks (bounded) before close() ends it. */
  readonly dispose?: (ch: Channel) => Promise<void>;
  /** talkback: the load option onRestart, after a restart (config and host are already re-applied). */
  readonly onRestart?: () => void | Promise<void>;
}

/** Fails a call in flight (when the plugin crashes or the handle closes). */
type Pending = (error: unknown) => void;

/**
 * The handle of a plugin in a worker or child process: the same typed client as in-process, over
 * JSON-RPC, plus what isolation makes possible: real timeouts (a hung plugin is killed), crash
 * reports, restarts under a policy, health checks, and a close() that leaves nothing behind.
 */
export function isolatedHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  first: Channel,
  options: IsolatedHandleOptions,
): PluginHandle<C> {
  const log = (level: 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) =>
    options.logger.log(level, message, { plugin: pkg.name, ...fields });
  let channel: Channel | undefined = first;
  let state: IsolatedState = 'running';
  let ready: Promise<Channel> = Promise.resolve(first);
  let stopError: Error | undefined;
  let restarts = 0;
  let checkingHealth = false;
  const pending = new Set<Pending>();
  const crashes = new CrashWindow(options.restart);

  const settle = (ch: Channel) => {
    if (pending.size === 0 && state !== 'restarting') ch.unref();
  };

  const watch = (ch: Channel) => {
    ch.unref();
    ch.exited.then((info) => {
      if (ch !== channel || state === 'closed') return;
      onCrash(ch, describeExit(info), info.error);
    });
  };

  function onCrash(ch: Channel, how: string, cause?: unknown): void {
    const error = crashed(pkg.name, how, ch.recentOutput(), cause);
    for (const p of [...pending]) p(error);
    pending.clear();
    channel = undefined;
    log('error', error.message, { code: error.code });
    options.onCrash?.(error);
    void ch.kill();
    const { restart, crashes: count } = crashes.record();
    if (!restart) {
      stopError =
        options.restart === false ? error : stoppedAfterCrashes(pkg.name, count, options.restart.windowMs);
      state = 'stopped';
      if (options.restart !== false) log('error', stopError.message, { code: 'ERR_PLUGIN_CRASHED' });
      return;
    }
    state = 'restarting';
    ready = options.launch().then(
      (next) => {
        if (state === 'closed') {
          void next.kill();
          throw closedError(pkg.name);
        }
        restarts++;
        channel = next;
        state = 'running';
        watch(next);
        if (options.onRestart !== undefined) {
          void Promise.resolve()
            .then(options.onRestart)
            .catch((error: unknown) =>
              log('error', `onRestart threw: ${error instanceof Error ? error.message : String(error)}`),
            );
        }
        return next;
      },
      (failure: unknown) => {
        state = 'stopped';
        stopError = failure instanceof Error ? failure : new Error(String(failure));
        log('error', `Restarting failed: ${stopError.message}`);
        throw stopError;
      },
    );
    ready.catch(() => {});
  }

  async function current(): Promise<Channel> {
    if (state === 'closed') throw closedError(pkg.name);
    if (state === 'stopped') throw stopError ?? closedError(pkg.name);
    return channel ?? (await ready);
  }

  /** After a call timed out: a plugin whose event loop does not answer a health check is hung. */
  async function checkHung(ch: Channel): Promise<void> {
    if (checkingHealth || ch !== channel) return;
    checkingHealth = true;
    const report = await ping(ch);
    checkingHealth = false;
    if (!report.ok && ch === channel && state === 'running') {
      onCrash(
        ch,
        `hung: no answer to a health check within ${options.healthTimeout} ms after a call timed out`,
      );
    }
  }

  async function ping(ch: Channel): Promise<HealthReport> {
    const started = performance.now();
    const request = ch.endpoint.request(WIRE_METHODS.health, {});
    let timer: NodeJS.Timeout | undefined;
    ch.ref();
    try {
      const facts = await Promise.race([
        request.result as Promise<Record<string, unknown>>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${options.healthTimeout} ms`)),
            options.healthTimeout,
          );
        }),
      ]);
      return { ...facts, ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      ch.endpoint.cancel(request.id);
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      settle(ch);
    }
  }

  // Every await on the way costs a turn of the microtask queue, which a round trip of ~20 µs feels:
  // a running plugin is called at once.
  const invoke = (method: string, args: unknown[], callOptions: CallOptions): Promise<unknown> =>
    state === 'running' && channel !== undefined
      ? send(channel, method, args, callOptions)
      : current().then((ch) => send(ch, method, args, callOptions));

  // One closure for the whole call (finish), one for its answer, and no promise but the caller's:
  // with 1000 calls in flight, allocations are what the host spends its time on.
  const send = (ch: Channel, method: string, args: unknown[], callOptions: CallOptions) => {
    const { signal } = callOptions;
    const timeout = callOptions.timeout ?? options.callTimeout;
    if (signal?.aborted) return Promise.reject(aborted(pkg.name, method));
    const refused = refuseIfBusy(pkg.name, method, pending.size, ch.queuedBytes(), options.backpressure);
    if (refused !== undefined) return Promise.reject(refused);
    return new Promise<unknown>((resolve, reject) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const finish = (error: unknown, result?: unknown) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
        pending.delete(finish);
        settle(ch);
        if (error === undefined) resolve(result);
        else reject(error);
      };
      pending.add(finish);
      ch.ref();
      const id = ch.endpoint.send(WIRE_METHODS.call, { method, args }, (error, result) => {
        if (error === undefined) return finish(undefined, result);
        // An answer (the method threw, bad params, a malformed answer): the call fails now.
        if (error.code !== RPC_ERRORS.connectionClosed) return finish(fromWire(pkg.name, method, error));
        // The connection broke: the plugin is ending, and its exit (handled first, by watch())
        // fails this call as ERR_PLUGIN_CRASHED. The timer only guards a break without an exit.
        const guard = setTimeout(() => finish(fromWire(pkg.name, method, error)), 5000);
        void ch.exited.then(() => clearTimeout(guard));
      });
      if (timeout === undefined && signal === undefined) return;
      const stop = (error: unknown) => {
        // Stop waiting (first: cancel() answers the call at once, as cancelled), tell the plugin
        // ($/cancelRequest), and make sure it is not hung.
        finish(error);
        ch.endpoint.cancel(id);
        void checkHung(ch);
      };
      if (timeout !== undefined) timer = setTimeout(() => stop(timedOut(pkg.name, method, timeout)), timeout);
      if (signal !== undefined) {
        onAbort = () => stop(aborted(pkg.name, method));
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  };

  // talkback hook: a stream holds the channel (ref) and is failed, like a call, by a crash or close.
  const stream = (method: string, args: unknown[], callOptions: CallOptions) =>
    pluginStream(
      pkg.name,
      method,
      async () => {
        const ch = await current();
        ch.ref();
        const source = remoteSource(ch.endpoint, method, args, () => {
          pending.delete(source.fail);
          settle(ch);
        });
        pending.add(source.fail);
        return source;
      },
      callOptions,
    );

  watch(first);
  return {
    ...handleBase(pkg, contract, options.isolation, options.stamp, invoke, stream),
    async close() {
      if (state === 'closed') return;
      const wasRestarting = state === 'restarting';
      state = 'closed';
      for (const p of [...pending]) p(closedError(pkg.name));
      pending.clear();
      const ch = channel;
      channel = undefined;
      if (ch !== undefined && !ch.hasExited && options.dispose !== undefined) {
        ch.ref();
        await options.dispose(ch);
      }
      if (ch !== undefined) await ch.kill();
      if (wasRestarting) await ready.catch(() => {});
    },
    get closed() {
      return state === 'closed';
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    get pid() {
      return channel?.pid;
    },
    get threadId() {
      return channel?.threadId;
    },
    async health() {
      if (state !== 'running' || channel === undefined)
        return { ok: false, reason: `the plugin is ${state}` };
      return ping(channel);
    },
  };
}

/** A JSON-RPC failure as the PluginError the in-process handle would have thrown. */
function fromWire(plugin: string, method: string, error: unknown): unknown {
  if (RpcError.isInstance(error) && error.code === RPC_ERRORS.pluginThrew && isWireError(error.data)) {
    const wire = error.data;
    const cause = Object.assign(new Error(wire.message), { name: wire.name, stack: wire.stack });
    if (isAccessDenied(wire)) return permissionDenied(plugin, method, deniedApi(wire.stack), cause);
    return callFailed(plugin, method, cause);
  }
  return callFailed(plugin, method, error);
}

function isWireError(data: unknown): data is WireError {
  const d = data as Partial<WireError> | null | undefined;
  return typeof d?.name === 'string' && typeof d.message === 'string';
}
