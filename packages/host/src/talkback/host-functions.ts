import {
  type AnyContract,
  type CancelSource,
  describeKind,
  LazyAbort,
  matchesKind,
  readHostSpec,
  type ValueKind,
  whenAborted,
} from '@x/contract';
import {
  hostFunctionBadArgs,
  hostFunctionCancelled,
  hostFunctionRefused,
  hostFunctionTimedOut,
} from './errors.js';

/** The load option `host`: the contract's host functions, as the application implements them. */
export type HostFunctions = Readonly<Record<string, (...args: never[]) => unknown>>;

export const DEFAULT_HOST_TIMEOUT_MS = 30_000;

/** Calls one host function for the plugin: `(fn, args, signal) => answer`. */
export type HostCaller = (fn: string, args: unknown[], cancel: CancelSource | undefined) => Promise<unknown>;

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
    // The plugin may send anything: a host function never sees more arguments than it declares, nor a
    // scalar of the wrong kind (schemas are checked once the schemas branch's validators land).
    const params = spec[fn]!.params;
    const wrong =
      args.length > params.length ||
      params.some((p, i) => i < args.length && isKind(p.type) && !matchesKind(p.type, args[i]));
    if (wrong) return Promise.reject(hostFunctionBadArgs(plugin, fn, params, args.map(describeKind)));
    if (outer?.aborted) return Promise.reject(hostFunctionCancelled(plugin, fn));
    // The host function's own { signal }, made only if it reads it.
    const controller = new LazyAbort();
    return new Promise<unknown>((resolve, reject) => {
      let unsubscribe = () => {};
      const finish = (error: unknown, value?: unknown) => {
        clearTimeout(timer);
        unsubscribe();
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
      unsubscribe = whenAborted(outer, onAbort);
      try {
        Promise.resolve((impl as (...a: unknown[]) => unknown)(...args, controller)).then(
          (value) => finish(undefined, value),
          (error: unknown) => finish(error ?? new Error('A host function rejected without a reason.')),
        );
      } catch (error) {
        finish(error);
      }
    });
  };
}

const KINDS = new Set(['string', 'number', 'boolean', 'void']);
const isKind = (type: unknown): type is ValueKind => typeof type === 'string' && KINDS.has(type);
