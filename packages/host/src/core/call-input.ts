import { type AnyContract, PluginError } from '@x/contract';
import { isAbortSignal, isRecord, isTimeout, MAX_TIMEOUT_MS } from '../options/check-values.js';
import { badOption, describeValue } from '../options/option-error.js';

/** ERR_PLUGIN_CONTRACT for a method the contract does not list (whatever the name: `__proto__` too). */
export function unknownMethod(plugin: string, contract: AnyContract, method: unknown): PluginError {
  const name = typeof method === 'string' ? method : describeValue(method);
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `The "${contract.name}" contract has no method "${name}".`,
    why: `Its methods are: ${Object.keys(contract.methods).join(', ') || '(none)'}.`,
    fix: 'Call one of those methods.',
    details: { method: name },
  });
}

/** ERR_PLUGIN_OPTIONS when a call's args or options are not what a call takes, else undefined. */
export function readCallOptions(
  plugin: string,
  method: string,
  args: unknown,
  options: unknown,
): PluginError | undefined {
  if (!Array.isArray(args)) {
    return badOption(
      plugin,
      'args',
      `the arguments of ${method}() must be an array, not ${describeValue(args)}`,
      `Pass them as an array: call("${method}", [...]).`,
      args,
    );
  }
  if (!isRecord(options)) {
    return badOption(
      plugin,
      'options',
      `the options of ${method}() must be an object, not ${describeValue(options)}`,
      'Pass { timeout, signal }, or nothing.',
      options,
    );
  }
  const { timeout, signal } = options;
  if (timeout !== undefined && !isTimeout(timeout)) {
    return badOption(
      plugin,
      'timeout',
      `the timeout of ${method}() must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS}, not ${describeValue(timeout)}`,
      'Pass a positive integer, or leave it out for the callTimeout load option.',
      timeout,
    );
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    return badOption(
      plugin,
      'signal',
      `the signal of ${method}() must be an AbortSignal, not ${describeValue(signal)}`,
      'Pass controller.signal from an AbortController.',
      signal,
    );
  }
  return undefined;
}
