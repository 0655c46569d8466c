import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootstrapPath } from '../runtimes/x-protocol/bootstrap-path.js';
import type { ResolvedPermissions } from './grants.js';
import { packageRoot, readClosure } from './read-closure.js';

const flags = process.allowedNodeEnvironmentFlags;

/**
 * The flag that turns the model on: `--permission` since Node 22.13 / 23.5, `--experimental-permission`
 * before (Node 20). Detected by feature rather than by version number, so backports count.
 */
export const PERMISSION_FLAG = flags.has('--permission') ? '--permission' : '--experimental-permission';

/**
 * Node decides at start whether a granted path is a folder (granting what is under it) or a file;
 * a path that does not exist yet counts as a file, so a folder the plugin creates later would be
 * refused. Such a path is granted both ways: itself, and everything under it (`<path>/*`).
 */
function expand(path: string): string[] {
  return path === '*' || existsSync(path) ? [path] : [path, join(path, '*')];
}

// The script's package (@x/host's, for its bootstrap) does not change while the host runs: its
// dependency closure is read once, not at every sandboxed start or restart.
const scriptClosures = new Map<string, readonly string[]>();
function scriptClosure(root: string): readonly string[] {
  let closure = scriptClosures.get(root);
  if (closure === undefined) {
    // The host's own install is trusted: no protected paths beyond the usual checks of names.
    closure = readClosure(root, { withRoot: false, protect: [] });
    scriptClosures.set(root, closure);
  }
  return closure;
}

/** The signal guard (guard-signals.ts), built next to the bootstrap; preloaded in every sandboxed process. */
export const signalGuardPath = (): string => join(dirname(bootstrapPath()), 'signal-guard.cjs');

/**
 * The Node flags that run a plugin process under the permission model: reads limited to the
 * script's folder (the host's bootstrap, in @x/host's dist) and dependencies, the plugin's package and
 * its dependencies, and the granted paths; writes, child processes, workers, addons and WASI
 * only if granted. Network access is not restricted by Node 20's model.
 */
export function permissionFlags(grants: ResolvedPermissions, pluginDir: string, script: string): string[] {
  const scriptRoot = packageRoot(script);
  const guard = signalGuardPath();
  const reads = new Set([
    guard,
    // The script's own folder and package.json (its module type), not the rest of its package
    // (a workspace checkout of @x/host holds sources and dev dependencies), then its dependencies.
    dirname(script),
    join(scriptRoot, 'package.json'),
    ...scriptClosure(scriptRoot),
    // Computed and checked at load (resolvePermissions), so a bad dependency fails before any start.
    ...(grants.packageReads ?? readClosure(pluginDir)),
    ...grants.fsRead.flatMap(expand),
  ]);
  // Node 20's model does not cover signals: the guard must run before any plugin code, for the
  // host's bootstrap and for a plugin's own `server` script alike, hence a preload.
  const out = [PERMISSION_FLAG, `--require=${guard}`];
  // One flag per path: Node 20.20 and 22+ take the flag repeatedly (older 20.x split one value on commas).
  for (const path of reads) out.push(`--allow-fs-read=${path}`);
  for (const path of grants.fsWrite.flatMap(expand)) out.push(`--allow-fs-write=${path}`);
  if (grants.childProcess) out.push('--allow-child-process');
  if (grants.worker) out.push('--allow-worker');
  if (grants.addons) out.push('--allow-addons');
  if (grants.wasi) out.push('--allow-wasi');
  // Node 20 warns at every start that the model is experimental: noise in the host's log, once per plugin.
  if (flags.has('--disable-warning')) out.push('--disable-warning=ExperimentalWarning');
  return out;
}
