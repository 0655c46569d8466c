import { type AnyContract, describeKind, type MethodSpec, matchesKind, PluginError } from '@x/contract';

// The argument and answer checks of every call, in one place: the contract's value checks live
// behind these two functions so that compiled schema validators can replace them without the
// call pipeline changing.

/** ERR_PLUGIN_CONTRACT when `args` do not fit the method's params, else undefined. */
export function checkArgs(
  plugin: string,
  contract: AnyContract,
  method: string,
  spec: MethodSpec,
  args: readonly unknown[],
): PluginError | undefined {
  if (args.length === spec.params.length && spec.params.every((p, i) => matchesKind(p.type, args[i]))) {
    return undefined;
  }
  const expected = spec.params.map((p) => `${p.name}: ${p.type}`).join(', ');
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `${contract.name}.${method} was called with the wrong arguments.`,
    why: `It takes (${expected}) but got (${args.map(describeKind).join(', ')}).`,
    fix: `Pass ${spec.params.length} argument(s): ${expected || 'none'}.`,
    details: { method, expected: spec.params, actual: args.map(describeKind) },
  });
}

/** The answer as the caller gets it (void methods answer undefined), or ERR_PLUGIN_CONTRACT blaming the plugin. */
export function checkAnswer(
  plugin: string,
  contract: AnyContract,
  method: string,
  spec: MethodSpec,
  result: unknown,
): { ok: true; value: unknown } | { ok: false; error: PluginError } {
  if (matchesKind(spec.returns, result))
    return { ok: true, value: spec.returns === 'void' ? undefined : result };
  return {
    ok: false,
    error: new PluginError({
      code: 'ERR_PLUGIN_CONTRACT',
      plugin,
      what: `Plugin "${plugin}" answered ${contract.name}.${method} with a ${describeKind(result)}.`,
      why: `The "${contract.name}" contract says ${method} returns a ${spec.returns}.`,
      fix: `Fix the plugin's ${method} so that it returns a ${spec.returns}.`,
      details: { method, expected: spec.returns, actual: describeKind(result) },
    }),
  };
}
