import { PluginError } from '@x/contract';
import { createHost } from '../host.js';
import { stderrLogger } from '../logger.js';
import type { ParsedArgs } from './args.js';
import { coerceArgs } from './coerce-args.js';
import { type CliIo, EXIT, printJson } from './io.js';

/** `x-plugin call <plugin> <method> [args...]`: load, call once, print, close. */
export async function callCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [plugin, method, ...rest] = args.positionals as [string, string, ...string[]];
  // Isolated plugins' output goes to stderr, tagged, so that stdout holds only the answer.
  const host = createHost({ cwd: args.cwd, logger: stderrLogger });
  try {
    const handle = await host.load(plugin, args.isolation === undefined ? {} : { isolation: args.isolation });
    // Own methods only: `call p constructor` must not find Object.prototype.constructor.
    if (!Object.hasOwn(handle.contract.methods, method)) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin: handle.name,
        what: `The "${handle.contract.name}" contract has no method "${method}".`,
        why: `Its methods are: ${Object.keys(handle.contract.methods).join(', ')}.`,
        fix: 'Call one of those methods.',
        details: { method },
      });
    }
    let result: unknown;
    try {
      result = await handle.call(method, coerceArgs(handle.contract, method, rest), {
        ...(args.timeout === undefined ? {} : { timeout: args.timeout }),
      });
    } catch (error) {
      // A failed call's stats (its error code counted) go to stderr: stdout holds only the error.
      if (args.stats) io.err(`stats: ${JSON.stringify(handle.stats())}\n`);
      throw error;
    }
    if (args.json) {
      printJson(io, {
        plugin: handle.name,
        version: handle.version,
        method,
        result: result ?? null,
        ...(args.stats ? { stats: handle.stats() } : {}),
      });
    } else if (result !== undefined && result !== null) {
      // A text answer keeps its lines and tabs; its other control characters are escaped by the
      // io (main.ts). --json gives the exact value.
      io.out(`${typeof result === 'string' ? result : JSON.stringify(result)}\n`);
    }
    if (args.stats && !args.json) io.err(`stats: ${JSON.stringify(handle.stats())}\n`);
    return EXIT.ok;
  } finally {
    await host.close();
  }
}
