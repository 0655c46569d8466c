import { type AnyContract, describeKind, describeType, type MethodSpec, PluginError } from '@x/contract';
import type { CompiledMethod } from '@x/contract/validate';

// The argument and answer checks of every call, in one place: the contract's schemas compiled
// once per contract (compileContract, cached in @x/contract), never interpreted per call.

/** ERR_PLUGIN_CONTRACT when `args` do not fit the method's params (the caller's fault), else undefined. */
export function checkArgs(
  plugin: string,
  contract: AnyContract,
  method: string,
  spec: MethodSpec,
  compiled: CompiledMethod,
  args: readonly unknown[],
): PluginError | undefined {
  const problem = compiled.checkArgs(args);
  if (problem === undefined) return undefined;
  const expected = spec.params.map((p) => `${p.name}: ${describeType(p.type)}`).join(', ');
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `${contract.name}.${method} was called with the wrong arguments.`,
    why: `It takes (${expected}) but got (${args.map(describeKind).join(', ')}): ${problem.message}.`,
    fix: `Pass ${spec.params.length} argument(s): ${expected || 'none'}.`,
    details: { method, expected: spec.params, actual: args.map(describeKind), problem, side: 'host' },
  });
}

/** The answer as the caller gets it (void methods answer undefined), or ERR_PLUGIN_CONTRACT blaming the plugin. */
export function checkAnswer(
  plugin: string,
  contract: AnyContract,
  method: string,
  spec: MethodSpec,
  compiled: CompiledMethod,
  result: unknown,
): { ok: true; value: unknown } | { ok: false; error: PluginError } {
  const problem = compiled.checkResult(result);
  if (problem === undefined) return { ok: true, value: spec.returns === 'void' ? undefined : result };
  const returns = describeType(spec.returns);
  return {
    ok: false,
    error: new PluginError({
      code: 'ERR_PLUGIN_CONTRACT',
      plugin,
      what: `Plugin "${plugin}" answered ${contract.name}.${method} with a ${describeKind(result)}.`,
      why: `The "${contract.name}" contract says ${method} returns a ${returns} (${problem.message}).`,
      fix: `Fix the plugin's ${method} so that it returns a ${returns}.`,
      details: { method, expected: spec.returns, actual: describeKind(result), problem, side: 'plugin' },
    }),
  };
}
