import { type AnyContract, type CancelSource, describeKind, LazyAbort, whenAborted } from '@x/contract';
import { compileContract } from '@x/contract/validate';
import { DeadlineQueue } from './deadline-queue.js';
import {
  hostFunctionBadAnswer,
  hostFunctionBadArgs,
  hostFunctionCancelled,
  hostFunctionRefused,
  hostFunctionTimedOut,
} from './errors.js';

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** The load option `host`: the contract's host functions, as the application implements them. */
export type HostFunctions = Readonly<Record<string, (...args: never[]) => unknown>>;

export const DEFAULT_HOST_TIMEOUT_MS = 30_000;

// An async function's promise is the cheapest way to answer a value (see core/direct-call.ts).
const settled = async (value: unknown) => value;

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
  // The contract's host section, compiled once per contract (cached in @x/contract), as methods are.
  const spec: Readonly<
    Record<string, { readonly params: readonly { name: string; type: unknown }[]; returns: unknown }>
  > = contract.host ?? {};
  const checks = compileContract(contract).host;
  const declared = Object.keys(checks);
  const deadlines = new DeadlineQueue(timeoutMs);
  return (fn, args, outer) => {
    const impl =
      implementation !== undefined && Object.hasOwn(implementation, fn) ? implementation[fn] : undefined;
    const check = Object.hasOwn(checks, fn) ? checks[fn] : undefined;
    if (check === undefined || typeof impl !== 'function') {
      return Promise.reject(hostFunctionRefused(plugin, fn, declared, check === undefined));
    }
    // The plugin may send anything: a host function only ever sees arguments its schemas allow.
    const problem = check.checkArgs(args);
    if (problem !== undefined) {
      return Promise.reject(
        hostFunctionBadArgs(plugin, fn, spec[fn]!.params, args.map(describeKind), problem),
      );
    }
    const isVoid = spec[fn]!.returns === 'void';
    if (outer?.aborted) return Promise.reject(hostFunctionCancelled(plugin, fn));
    // The host function's own { signal }, made only if it reads it.
    const controller = new LazyAbort();
    let value: unknown;
    try {
      value = (impl as (...a: unknown[]) => unknown)(...args, controller);
    } catch (error) {
      return Promise.reject(error);
    }
    // A plain value has answered already: no timeout or cancellation can reach a call that is
    // over, so none is set up (the in-process host-function round trip's timer, subscription and
    // promise executor were most of its cost over a plugin call: packages/host/README.md).
    if (!isThenable(value)) {
      if (isVoid) return settled(undefined);
      const wrong = check.checkResult(value);
      return wrong === undefined ? settled(value) : Promise.reject(hostFunctionBadAnswer(plugin, fn, wrong));
    }
    return new Promise<unknown>((resolve, reject) => {
      let unsubscribe = () => {};
      let settle = () => {};
      const finish = (error: unknown, result?: unknown) => {
        settle();
        unsubscribe();
        if (error === undefined) resolve(result);
        else reject(error);
      };
      const answer = (result: unknown) => {
        // A void host function's answer is dropped; any other is checked (the host's fault if wrong).
        if (isVoid) return finish(undefined, undefined);
        const wrong = check.checkResult(result);
        finish(wrong === undefined ? undefined : hostFunctionBadAnswer(plugin, fn, wrong), result);
      };
      settle = deadlines.add(() => {
        controller.abort();
        finish(hostFunctionTimedOut(plugin, fn, timeoutMs));
      });
      unsubscribe = whenAborted(outer, () => {
        controller.abort();
        finish(hostFunctionCancelled(plugin, fn));
      });
      value.then(answer, (error: unknown) =>
        finish(error ?? new Error('A host function rejected without a reason.')),
      );
    });
  };
}
