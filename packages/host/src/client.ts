import {
  type AnyContract,
  type Client,
  compileContract,
  describeKind,
  describeType,
  PluginError,
} from '@x/contract';

export interface CallOptions {
  /** Cancels the call: it fails with ERR_PLUGIN_TIMEOUT and the plugin is told to stop. */
  readonly signal?: AbortSignal;
  /** Fails the call with ERR_PLUGIN_TIMEOUT after this many milliseconds. */
  readonly timeout?: number;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

export type Invoke = (method: string, args: unknown[], options: CallOptions) => Promise<unknown>;

/**
 * The typed face of a plugin, the same in every isolation: each contract method checks its
 * arguments, calls through `invoke`, and checks the answer against the contract, so that a plugin
 * that answers a number where a string was promised is reported rather than passed on.
 */
export function createClient<C extends AnyContract>(
  contract: C,
  plugin: string,
  invoke: Invoke,
): { client: Client<C>; call: (method: string, args: unknown[], options?: CallOptions) => Promise<unknown> } {
  // Compiled once per contract object (cached in @x/contract), not per call.
  const checks = compileContract(contract).methods;
  const call = async (method: string, args: unknown[], options: CallOptions = NO_OPTIONS) => {
    const spec = Object.hasOwn(contract.methods, method) ? contract.methods[method] : undefined;
    const check = checks[method];
    if (spec === undefined || check === undefined) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `The "${contract.name}" contract has no method "${method}".`,
        why: `Its methods are: ${Object.keys(contract.methods).join(', ')}.`,
        fix: 'Call one of those methods.',
        details: { method },
      });
    }
    const argProblem = check.checkArgs(args);
    if (argProblem !== undefined) {
      const expected = spec.params.map((p) => `${p.name}: ${describeType(p.type)}`).join(', ');
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `${contract.name}.${method} was called with the wrong arguments.`,
        why: `It takes (${expected}) but got (${args.map(describeKind).join(', ')}): ${argProblem.message}.`,
        fix: `Pass ${spec.params.length} argument(s): ${expected || 'none'}.`,
        details: { method, expected: spec.params, actual: args.map(describeKind), problem: argProblem },
      });
    }
    const result = await invoke(method, args, options);
    const resultProblem = check.checkResult(result);
    if (resultProblem !== undefined) {
      const returns = describeType(spec.returns);
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `Plugin "${plugin}" answered ${contract.name}.${method} with a ${describeKind(result)}.`,
        why: `The "${contract.name}" contract says ${method} returns a ${returns} (${resultProblem.message}).`,
        fix: `Fix the plugin's ${method} so that it returns a ${returns}.`,
        details: { method, expected: spec.returns, actual: describeKind(result), problem: resultProblem },
      });
    }
    return result === null && describeType(spec.returns) === 'void' ? undefined : result;
  };
  const client = Object.create(null) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of Object.keys(contract.methods)) client[method] = (...args) => call(method, args);
  return { client: Object.freeze(client) as unknown as Client<C>, call };
}

export function callFailed(plugin: string, method: string, cause: unknown): PluginError {
  if (PluginError.isInstance(cause)) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new PluginError({
    code: 'ERR_PLUGIN_CALL',
    plugin,
    what: `Plugin "${plugin}" threw from ${method}().`,
    why: reason,
    fix: "This is the plugin's own error; see its cause, and report it to the plugin's author if it is a bug.",
    cause,
    details: { method },
  });
}

export function timedOut(plugin: string, method: string, ms: number | undefined): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `Plugin "${plugin}" did not answer ${method}() in time.`,
    why: ms === undefined ? 'The call was cancelled by its AbortSignal.' : `It took longer than ${ms} ms.`,
    fix: 'Raise the timeout (the timeout option, or --timeout), or find why the plugin hangs.',
    details: { method, timeout: ms },
  });
}
