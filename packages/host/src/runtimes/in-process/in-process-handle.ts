import type { AnyContract, PluginInstance } from '@x/contract';
import { LazyAbort, readStamp } from '@x/contract';
import { callFailed } from '../../core/call-errors.js';
import { type CallTarget, createCallPipeline } from '../../core/call-pipeline.js';
import { IN_PROCESS_LIFE } from '../../core/call-stats.js';
import { localSource } from '../../core/plugin-stream.js';
import { handleBase, type PluginHandle } from '../../handle/plugin-handle.js';
import type { PluginPackage } from '../../manifest.js';
import type { ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import { disposeWithin } from '../../talkback/dispose.js';

/**
 * Wraps a conforming in-process plugin in a handle, over the same call pipeline as every other
 * runtime. Its code shares the host's thread, so a timeout or an abort can only stop waiting for
 * an async answer, not stop the plugin: isolate plugins you do not trust.
 */
export function inProcessHandle<C extends AnyContract>(
  pkg: PluginPackage,
  contract: C,
  value: unknown,
  instance: PluginInstance,
  options: Pick<ResolvedLoadOptions, 'callTimeout' | 'maxPendingCalls' | 'disposeTimeout' | 'logger'>,
  onClose: () => void = () => {},
): PluginHandle<C> {
  const callTarget: CallTarget = {
    send(method, args, done) {
      let answer: unknown;
      let async: boolean;
      // The method's own { signal }, fired by the caller's abort or the timeout; made only if read.
      const controller = new LazyAbort();
      try {
        answer = instance.invoke(method, args as unknown[], controller);
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
      // In-process code cannot be stopped, only no longer waited for, and told by its signal.
      return () => controller.abort();
    },
    queuedBytes: () => 0,
    openStream: (method, args) =>
      localSource((call) => instance.invoke(method, [...args], call), instance.enter),
  };
  const pipeline = createCallPipeline({
    plugin: pkg.name,
    contract,
    isolation: 'in-process',
    callTimeout: options.callTimeout,
    maxPendingCalls: options.maxPendingCalls,
    maxQueuedBytes: Number.POSITIVE_INFINITY,
    target: () => callTarget,
    direct: {
      invoke: (method, args, call) => instance.invoke(method, args, call),
      self: instance.scoped === false ? instance.target : undefined,
    },
  });
  return {
    ...handleBase(pkg, contract, 'in-process', readStamp(value), pipeline),
    stats: () => ({ ...pipeline.stats(), ...IN_PROCESS_LIFE }),
    async close() {
      // An ES module cannot be unloaded from a running isolate: closing stops further calls and
      // runs the plugin's dispose hooks (bounded), so that a timer it holds no longer keeps the host alive.
      if (pipeline.closed) return;
      pipeline.close();
      // Nothing to dispose (most object-form plugins): no timer to arm and clear for it.
      if (instance.disposable !== false) {
        await disposeWithin(pkg.name, () => instance.dispose(), options.disposeTimeout, options.logger);
      }
      onClose();
    },
    get closed() {
      return pipeline.closed;
    },
  };
}
