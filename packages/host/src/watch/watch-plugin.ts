import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { watch } from 'chokidar';
import { resolveIsolateEntry } from '../load/resolve-entry.js';
import type { PluginPackage } from '../manifest.js';
import type { ResolvedLoadOptions } from '../options/resolve-load-options.js';
import { watchBuildOf } from './build-script.js';

export const RELOAD_CODE = 'ERR_PLUGIN_RELOAD';
/** Changes closer together than this make one reload (an editor's save, a build's many files). */
export const DEBOUNCE_MS = 150;

/**
 * Watch mode for one isolated plugin: chokidar on its package, a debounced reload per burst of
 * changes (one at a time; changes during a reload make one more), and the package's watch build
 * when it has one (build-script.ts). With a build running, only its output (the folder of the
 * entry) and package.json trigger a reload, so that an edit of the source reloads once, built.
 * Gives `ready` (the watcher has scanned the package) and `stop`: the watcher closed, the build
 * ended, a reload under way awaited.
 */
export function watchPlugin(
  pkg: PluginPackage,
  options: Pick<ResolvedLoadOptions, 'logger'>,
  reload: () => Promise<void>,
): { readonly ready: Promise<void>; readonly stop: () => Promise<void> } {
  const { logger } = options;
  const plugin = pkg.name;
  const build = watchBuildOf(pkg.dir);
  let outDir: string | undefined;
  if (build !== undefined) {
    try {
      outDir = dirname(resolveIsolateEntry(pkg));
    } catch {
      outDir = undefined; // Not built yet: the whole package is watched until it is.
    }
  }
  const watched = (path: string): boolean => {
    const rel = relative(pkg.dir, path);
    if (rel === '') return true;
    const parts = rel.split(sep);
    if (parts.includes('node_modules') || parts.includes('.git')) return false;
    if (outDir === undefined || outDir === pkg.dir || rel === 'package.json') return true;
    const out = relative(pkg.dir, outDir);
    return rel === out || rel.startsWith(out + sep) || out.startsWith(rel + sep);
  };
  const watcher = watch(pkg.dir, {
    ignoreInitial: true,
    ignored: (path) => !watched(path),
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const runReload = () => {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    const started = performance.now();
    running = reload()
      .then(
        () =>
          logger.log('info', `Reloaded "${plugin}" in ${Math.round(performance.now() - started)} ms.`, {
            plugin,
          }),
        (error: unknown) =>
          logger.log(
            'error',
            `Plugin "${plugin}" was not reloaded: ${error instanceof Error ? error.message : String(error)} ` +
              'The edit broke it, so the host keeps the instance that ran before it. Fix the error; the next save reloads it.',
            { plugin, code: RELOAD_CODE, cause: error },
          ),
      )
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          runReload();
        }
      });
  };
  watcher.on('all', () => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(runReload, DEBOUNCE_MS);
  });
  watcher.on('error', (error) =>
    logger.log(
      'error',
      `Watching "${plugin}" failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        plugin,
        code: RELOAD_CODE,
      },
    ),
  );

  const child = build === undefined ? undefined : startBuild(pkg, build.script, build.args, options);
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await watcher.close();
      await stopBuild(child);
      await running;
    },
  };
}

function startBuild(
  pkg: PluginPackage,
  script: string,
  args: readonly string[],
  { logger }: Pick<ResolvedLoadOptions, 'logger'>,
): ChildProcess {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  logger.log('info', `Running "npm run ${[script, ...args].join(' ')}" in ${pkg.dir} while watching.`, {
    plugin: pkg.name,
  });
  // Its own process group, so that stopping it ends the tool npm started too (tsup, tsc).
  const child = spawn(npm, ['run', script, ...args], {
    cwd: pkg.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    shell: process.platform === 'win32',
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) =>
      logger.log('info', `build: ${line}`, { plugin: pkg.name, source: 'build' }),
    );
  }
  child.on('error', (error) =>
    logger.log('error', `The watch build of "${pkg.name}" could not start: ${error.message}`, {
      plugin: pkg.name,
      code: RELOAD_CODE,
    }),
  );
  return child;
}

async function stopBuild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // Already gone.
  }
  const timer = setTimeout(() => {
    try {
      process.kill(process.platform === 'win32' ? child.pid! : -child.pid!, 'SIGKILL');
    } catch {}
  }, 2000);
  await exited;
  clearTimeout(timer);
  // npm may end before the build it ran (it does not always wait for its script on SIGTERM): what
  // is left of the group is an orphan of ours, and nothing may be left running.
  if (process.platform !== 'win32') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {} // The group is gone already.
  }
}
