import type { AnyContract } from '@x/contract';
import { readStamp } from '@x/contract';
import { type CallOptions, callFailed, timedOut } from '../client.js';
import { closed as closedError } from '../errors.js';
import type { PluginPackage } from '../manifest.js';
import { handleBase, type PluginHandle } from '../plugin-handle.js';

/**
 * Wraps a conforming in-process plugin in a handle. Its code shares the host's thread, so a timeout
 * or an abort can only stop waiting for an async answer, not stop the plugin: isolate plugins you
 * do not trust.
 */
export function inProcessHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  value: unknown,
): PluginHandle<C> {
  const target = value as Record<string, (...args: unknown[]) => unknown>;
  let isClosed = false;
  const invoke = async (method: string, args: unknown[], options: CallOptions) => {
    if (isClosed) throw closedError(pkg.name);
    const { signal, timeout } = options;
    if (signal?.aborted) throw timedOut(pkg.name, method, undefined);
    let answer: Promise<unknown>;
    try {
      answer = Promise.resolve(target[method]!.apply(target, args));
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
          : setTimeout(() => finish(timedOut(pkg.name, method, timeout)), timeout);
      const onAbort = () => finish(timedOut(pkg.name, method, undefined));
      signal?.addEventListener('abort', onAbort, { once: true });
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
    ...handleBase(pkg, contract, 'in-process', readStamp(value), invoke),
    async close() {
      // An ES module cannot be unloaded from a running isolate: closing only stops further calls.
      isClosed = true;
    },
    get closed() {
      return isClosed;
    },
  };
}
