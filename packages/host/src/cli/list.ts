import type { ParsedArgs } from './args.js';
import { type CliIo, EXIT, printJson } from './io.js';
import { findPlugins, pluginJson, table } from './report.js';

/** `x-plugin list`: the installed plugins, each with its contract, version and verdict. No plugin code runs. */
export function listCommand(args: ParsedArgs, io: CliIo): number {
  const plugins = findPlugins(args);
  if (args.json) {
    printJson(io, { plugins: plugins.map((p) => pluginJson(p)) });
    return EXIT.ok;
  }
  if (plugins.length === 0) {
    io.out('No plugins found.\n');
    return EXIT.ok;
  }
  const rows = plugins.map((p) => [
    p.name,
    p.version,
    p.contract ?? '?',
    p.isolation ?? '?',
    p.ok ? 'compatible' : `incompatible (${[...new Set(p.problems.map((e) => e.code))].join(', ')})`,
  ]);
  io.out(`${table([['PLUGIN', 'VERSION', 'CONTRACT', 'ISOLATION', 'STATUS'], ...rows])}\n`);
  return EXIT.ok;
}
