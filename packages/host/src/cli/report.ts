import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PluginError } from '@x/contract';
import { discoverPlugins } from '../discover/discover-plugins.js';
import type { DiscoveredPlugin } from '../discover/discovered-plugin.js';
import { type ProblemJson, problemJson } from '../load/compat/problems.js';
import type { ParsedArgs } from './args.js';
import { oneLine } from './io.js';
import { type Command, UsageError } from './usage.js';

/** One plugin in `list --json` and `doctor --json`: the stable shape scripts read (README, "CLI"). */
export interface PluginJson {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly source: string;
  readonly contract: string | null;
  readonly isolation: string | null;
  /** Passes every check made before import (manifest, contract, versions). */
  readonly compatible: boolean;
  readonly problems: readonly ProblemJson[];
  readonly warnings: readonly ProblemJson[];
}

export function pluginJson(p: DiscoveredPlugin, extra: readonly PluginError[] = []): PluginJson {
  return {
    name: p.name,
    version: p.version,
    dir: p.dir,
    source: p.source,
    contract: p.contract ?? null,
    isolation: p.isolation ?? null,
    compatible: p.ok,
    problems: [...p.problems, ...extra].map(problemJson),
    warnings: p.warnings.map(problemJson),
  };
}

/** The plugins list and doctor look at: named ones, else the project's, plus any --dir. */
export function findPlugins(args: ParsedArgs, named: readonly string[] = []): DiscoveredPlugin[] {
  // discoverPlugins reports a missing --dir itself; a file given as --dir would reach it as a raw
  // ENOTDIR, so the command line is refused here, as the mistake it is.
  for (const dir of args.dirs) {
    // Resolved as discoverPlugins resolves it: against the process's directory.
    const stat = statSync(resolve(dir), { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isDirectory())
      throw new UsageError(
        `--dir ${dir} is not a directory: pass a folder of plugin packages.`,
        args.command as Command,
      );
  }
  return discoverPlugins({
    ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
    dir: args.dirs,
    paths: named,
    project: named.length === 0 && (args.cwd !== undefined || args.dirs.length === 0),
  });
}

/**
 * Left-aligned columns, for people; --json is for scripts. Each cell is escaped first (a name
 * comes from the plugin's package.json), so widths count what is shown.
 */
export function table(cells: readonly (readonly string[])[]): string {
  const rows = cells.map((r) => r.map(oneLine));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
