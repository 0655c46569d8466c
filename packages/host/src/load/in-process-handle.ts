import type { AnyContract, PluginInstance } from '@x/contract';
import { LazyAbort, readStamp } from '@x/contract';
import { type CallOptions, callFailed, timedOut } from '../client.js';
import { closed as closedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PluginPackage } from '../manifest.js';
import { handleBase, type PluginHandle } from '../plugin-handle.js';
// talkback hook: the instance (factory form, dispose hooks) and the "aborted by the caller" error.
import { DEFAULT_DISPOSE_TIMEOUT_MS, disposeWithin } from '../talkback/dispose.js';
import { aborted } from '../talkback/errors.js';
import { localSource, pluginStream } from '../talkback/stream-consumer.js';

/**
 * Wraps a conforming in-process plugin in a handle. Its code shares the host's thread, so a timeout
 * or an abort can only stop waiting for an async answer and fire the method's `{ signal }`, not
 * stop the plugin: isolate plugins you do not trust.
 */
export function inProcessHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  value: unknown,
  instance: PluginInstance,
  lifecycle: { readonly logger: Logger; readonly disposeTimeout?: number },
): PluginHandle<C> {
  let isClosed = false;
  const invoke = async (method: string, args: unknown[], options: CallOptions) => {
    if (isClosed) throw closedError(pkg.name);
    const { signal, timeout } = options;
    if (signal?.aborted) throw aborted(pkg.name, method);
    // The plugin's own `{ signal }`: fired by the caller's abort or by the timeout.
    const controller = new LazyAbort();
    let answer: Promise<unknown>;
    try {
      answer = Promise.resolve(instance.invoke(method, args, controller));
    } catch (error) {
      throw callFailed(pkg.name, method, error);
    }
    if (signal === undefined && timeout === undefined) {
      return answer.catch((error: unknown) => {
        throw callFailed(pkg.name, method, error);
      });
    }
    return await new Promise<unknown>((resolve, reject) => {
      const timer =
        timeout === undefined
          ? undefined
          : setTimeout(() => stop(timedOut(pkg.name, method, timeout)), timeout);
      const onAbort = () => stop(aborted(pkg.name, method));
      signal?.addEventListener('abort', onAbort, { once: true });
      function stop(error: unknown) {
        finish(error);
        controller.abort(error);
      }
      function finish(error: unknown, result?: unknown) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve(result);
        else reject(error);
      }
      answer.then(
        (result) => finish(undefined, result),
        (error: unknown) => finish(callFailed(pkg.name, method, error)),
      );
    });
  };
  return {
    ...handleBase(pkg, contract, 'in-process', readStamp(value), invoke, (method, args, options) =>
      pluginStream(
        pkg.name,
        method,
        async () => {
          if (isClosed) throw closedError(pkg.name);
          return localSource((signal) => instance.invoke(method, args, { signal }));
        },
        options,
      ),
    ),
    async close() {
      // An ES module cannot be unloaded from a running isolate: closing stops further calls and
      // runs the plugin's dispose hooks, so that a timer it holds no longer keeps the host alive.
      if (isClosed) return;
      isClosed = true;
      await disposeWithin(
        pkg.name,
        () => instance.dispose(),
        lifecycle.disposeTimeout ?? DEFAULT_DISPOSE_TIMEOUT_MS,
        lifecycle.logger,
      );
    },
    get closed() {
      return isClosed;
    },
  };
}
