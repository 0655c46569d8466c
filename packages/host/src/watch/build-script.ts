import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The watch-mode build a plugin package gets, if any: `npm run <script> [-- --watch]`. */
export interface WatchBuild {
  readonly script: string;
  readonly args: readonly string[];
}

// Build tools whose own --watch rebuilds on change (each takes the flag as is).
const WATCHING_TOOLS = ['tsup', 'tsc', 'esbuild', 'rollup', 'vite', 'unbuild', 'babel'];

/**
 * The rule (packages/host/README.md, "Watch mode"): a package under development (not inside a
 * node_modules folder) whose package.json has a `build:watch` or `watch` script gets that script
 * run; else one whose `build` script starts with a tool that has a --watch mode (tsup, tsc,
 * esbuild, rollup, vite, unbuild, babel) gets `npm run build -- --watch`. Otherwise nothing is
 * built: the host reloads what the package holds.
 */
export function watchBuildOf(dir: string): WatchBuild | undefined {
  if (dir.split(sep).includes('node_modules')) return undefined;
  let scripts: Record<string, unknown>;
  try {
    scripts =
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> })
        .scripts ?? {};
  } catch {
    return undefined;
  }
  for (const script of ['build:watch', 'watch']) {
    if (typeof scripts[script] === 'string') return { script, args: [] };
  }
  const build = scripts.build;
  if (typeof build !== 'string') return undefined;
  const tool = build.trim().split(/\s+/)[0];
  return tool !== undefined && WATCHING_TOOLS.includes(tool)
    ? { script: 'build', args: ['--', '--watch'] }
    : undefined;
}
