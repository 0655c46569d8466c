import type { AnyContract } from '@x/contract';
import { readStamp } from '@x/contract';
import { callFailed } from '../../core/call-errors.js';
import { type CallTarget, createCallPipeline } from '../../core/call-pipeline.js';
import { handleBase, type PluginHandle } from '../../handle/plugin-handle.js';
import type { PluginPackage } from '../../manifest.js';
import type { ResolvedLoadOptions } from '../../options/resolve-load-options.js';

/**
 * Wraps a conforming in-process plugin in a handle, over the same call pipeline as every other
 * runtime. Its code shares the host's thread, so a timeout or an abort can only stop waiting for
 * an async answer, not stop the plugin: isolate plugins you do not trust.
 */
export function inProcessHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  value: unknown,
  options: Pick<ResolvedLoadOptions, 'callTimeout' | 'maxPendingCalls'>,
  onClose: () => void = () => {},
): PluginHandle<C> {
  const target = value as Record<string, (...args: unknown[]) => unknown>;
  const callTarget: CallTarget = {
    send(method, args, done) {
      let answer: unknown;
      let async: boolean;
      try {
        answer = target[method]!.apply(target, args as unknown[]);
        // Read inside the try: a hostile answer's `then` may be a getter that throws.
        async = typeof (answer as PromiseLike<unknown> | null)?.then === 'function';
      } catch (error) {
        done(callFailed(pkg.name, method, error));
        return undefined;
      }
      if (!async) {
        done(undefined, answer);
        return undefined;
      }
      Promise.resolve(answer).then(
        (result) => done(undefined, result),
        (error: unknown) => done(callFailed(pkg.name, method, error)),
      );
      // Nothing to cancel: in-process code cannot be stopped, only no longer waited for.
      return undefined;
    },
    queuedBytes: () => 0,
  };
  const pipeline = createCallPipeline({
    plugin: pkg.name,
    contract,
    isolation: 'in-process',
    callTimeout: options.callTimeout,
    maxPendingCalls: options.maxPendingCalls,
    maxQueuedBytes: Number.POSITIVE_INFINITY,
    target: () => callTarget,
  });
  return {
    ...handleBase(pkg, contract, 'in-process', readStamp(value), pipeline),
    stats: () => ({ ...pipeline.stats(), restarts: 0 }),
    async close() {
      // An ES module cannot be unloaded from a running isolate: closing only stops further calls.
      if (pipeline.closed) return;
      pipeline.close();
      onClose();
    },
    get closed() {
      return pipeline.closed;
    },
  };
}
