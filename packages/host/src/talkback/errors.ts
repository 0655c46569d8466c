import { PluginError } from '@x/contract';
import type { SchemaProblem } from '@x/contract/validate';

// The failures of plugins that talk back (issue 13), each with what / why / fix.

/** The plugin called a host function that the contract does not declare, or the host did not implement. */
export function hostFunctionRefused(
  plugin: string,
  fn: string,
  declared: readonly string[],
  undeclared: boolean,
): PluginError {
  const list = declared.length === 0 ? 'none' : declared.join(', ');
  return undeclared
    ? new PluginError({
        code: 'ERR_PLUGIN_HOST_FUNCTION',
        plugin,
        what: `Plugin "${plugin}" called the host function "${fn}", which its contract does not declare.`,
        why: `A plugin may call only the host functions its contract declares (${list}).`,
        fix: `Declare "${fn}" in the contract's host section, or stop calling it from the plugin.`,
        details: { function: fn, declared },
      })
    : new PluginError({
        code: 'ERR_PLUGIN_HOST_FUNCTION',
        plugin,
        what: `Plugin "${plugin}" called the host function "${fn}", which the host did not implement.`,
        why: 'The contract declares it, but the load option `host` has no function of that name.',
        fix: `Pass host: { ${fn}: (...) => ... } to host.load().`,
        details: { function: fn, declared },
      });
}

/** A host function that did not answer the plugin in time. */
export function hostFunctionTimedOut(plugin: string, fn: string, ms: number): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `The host function "${fn}" did not answer plugin "${plugin}" in time.`,
    why: `It took longer than ${ms} ms.`,
    fix: 'Raise the load option hostTimeout, or find why the host function hangs.',
    details: { function: fn, timeout: ms },
  });
}

/** A host function called for a call that was cancelled, or after the plugin was closed. */
export function hostFunctionCancelled(plugin: string, fn: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_ABORTED',
    plugin,
    what: `The host function "${fn}" called by plugin "${plugin}" was aborted.`,
    why: 'The plugin call it was made for was cancelled, or the plugin is closing.',
    fix: "Nothing to fix if the call was meant to be cancelled; pass your method's { signal } on.",
    details: { function: fn },
  });
}

/** The plugin called a host function with arguments its contract does not allow. */
export function hostFunctionBadArgs(
  plugin: string,
  fn: string,
  params: readonly { readonly name: string; readonly type: unknown }[],
  actual: readonly string[],
  problem: SchemaProblem,
): PluginError {
  const expected = params
    .map((p) => `${p.name}: ${typeof p.type === 'string' ? p.type : 'schema'}`)
    .join(', ');
  return new PluginError({
    code: 'ERR_PLUGIN_HOST_FUNCTION',
    plugin,
    what: `Plugin "${plugin}" called the host function "${fn}" with the wrong arguments.`,
    why: `It takes (${expected}) but got (${actual.join(', ')}): ${problem.message}.`,
    fix: `Call ${fn} with the arguments its contract declares.`,
    details: { function: fn, expected: params, actual, problem, side: 'plugin' },
  });
}

/** A host function (the application's code) answered with a value its contract does not allow. */
export function hostFunctionBadAnswer(plugin: string, fn: string, problem: SchemaProblem): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_HOST_FUNCTION',
    plugin,
    what: `The host function "${fn}" answered plugin "${plugin}" with a value its contract does not allow.`,
    why: problem.message,
    fix: `Fix the application's host.${fn} so that it returns what the contract declares.`,
    details: { function: fn, problem, side: 'host' },
  });
}
