import { type AnyContract, readHostSpec } from '@x/contract';
import { hostFunctionCancelled, hostFunctionRefused, hostFunctionTimedOut } from './errors.js';

/** The load option `host`: the contract's host functions, as the application implements them. */
export type HostFunctions = Readonly<Record<string, (...args: never[]) => unknown>>;

export const DEFAULT_HOST_TIMEOUT_MS = 30_000;

/** Calls one host function for the plugin: `(fn, args, signal) => answer`. */
export type HostCaller = (fn: string, args: unknown[], signal: AbortSignal | undefined) => Promise<unknown>;

/**
 * The one gate every host-function call goes through, in every isolation: a function the contract
 * does not declare (or the host did not implement) is refused with ERR_PLUGIN_HOST_FUNCTION; the
 * call times out after `timeoutMs`; it is aborted with the plugin call it belongs to. The host
 * function gets, after its declared arguments, `{ signal }` (as plugin methods do). What it throws
 * reaches the plugin as it is.
 */
export function hostCaller(
  plugin: string,
  contract: AnyContract,
  implementation: HostFunctions | undefined,
  timeoutMs = DEFAULT_HOST_TIMEOUT_MS,
): HostCaller {
  const spec = readHostSpec(contract);
  const declared = Object.keys(spec);
  return (fn, args, outer) => {
    const impl =
      implementation !== undefined && Object.hasOwn(implementation, fn) ? implementation[fn] : undefined;
    if (!Object.hasOwn(spec, fn) || typeof impl !== 'function') {
      return Promise.reject(hostFunctionRefused(plugin, fn, declared, !Object.hasOwn(spec, fn)));
    }
    if (outer?.aborted) return Promise.reject(hostFunctionCancelled(plugin, fn));
    const controller = new AbortController();
    return new Promise<unknown>((resolve, reject) => {
      const finish = (error: unknown, value?: unknown) => {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve(value);
        else reject(error);
      };
      const timer = setTimeout(() => {
        controller.abort();
        finish(hostFunctionTimedOut(plugin, fn, timeoutMs));
      }, timeoutMs);
      const onAbort = () => {
        controller.abort();
        finish(hostFunctionCancelled(plugin, fn));
      };
      outer?.addEventListener('abort', onAbort, { once: true });
      try {
        Promise.resolve((impl as (...a: unknown[]) => unknown)(...args, { signal: controller.signal })).then(
          (value) => finish(undefined, value),
          (error: unknown) => finish(error ?? new Error('A host function rejected without a reason.')),
        );
      } catch (error) {
        finish(error);
      }
    });
  };
}
