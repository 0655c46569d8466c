import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { exports, legacy, type Package } from 'resolve.exports';
import { badManifest } from '../errors.js';
import type { PluginPackage } from '../manifest.js';
import { pathContains } from '../permissions/path-contains.js';

/**
 * The entry `target` names, inside the package: `"main": "../../x.js"`, an absolute path or a
 * symlinked entry that leads out of the package would run code no integrity pin or sandbox
 * grant of this package covers, so it is ERR_PLUGIN_MANIFEST in every isolation. (resolve.exports
 * does not check what Node does: that a target starts with "./" and stays in the package.)
 */
function inside(pkg: PluginPackage, field: string, target: string): string {
  const file = resolve(pkg.dir, target);
  const real = realOrUndefined(file);
  if (
    !pathContains(pkg.dir, file) ||
    (real !== undefined && !pathContains(realpathSync.native(pkg.dir), real))
  ) {
    throw badManifest(
      pkg.name,
      field,
      `points outside the package (${JSON.stringify(target)} is ${real ?? file})`,
      'Point it at a file inside the package, such as "./dist/index.js".',
    );
  }
  return file;
}

/**
 * The real path of `file`, or undefined when it does not exist. `realpathSync.native` is one
 * realpath(3) call; the JS realpathSync lstat()s every component of the path, and was a tenth of
 * the host's own time in the discover + load bench (100 plugins, two calls each).
 */
function realOrUndefined(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

const fieldOf = (json: Package) => (json.exports ? 'exports' : 'main');

/** The file `import(packageName)` would load, from the package's `exports` (or `main`). */
export function resolveEntry(pkg: PluginPackage): string {
  const json = pkg.packageJson as Package;
  let target: string | undefined;
  try {
    target = json.exports ? exports(json, '.', { conditions: ['node', 'import'] })?.[0] : undefined;
  } catch (error) {
    throw badManifest(
      pkg.name,
      'exports',
      `has no entry for "." that Node can import (${(error as Error).message})`,
      'Add an "exports" entry for "." with an "import" or "default" condition.',
    );
  }
  const field = target === undefined ? 'main' : 'exports';
  target ??= legacy(json, { browser: false }) as string | undefined;
  target ??= existsSync(resolve(pkg.dir, 'index.js')) ? 'index.js' : undefined;
  if (target === undefined) {
    throw badManifest(
      pkg.name,
      'exports',
      'is missing, and so is "main"',
      'Add "exports": "./dist/index.js".',
    );
  }
  return inside(pkg, field, target);
}

/**
 * The file an isolated plugin's worker or process loads: the package's CommonJS entry when it has
 * one (a `.cjs` file under the "require" condition), else the same file as in-process. A new
 * isolate that never starts the ESM loader answers ~10 ms sooner (measured: a worker that
 * requires a .cjs file is ready in ~19 ms, one that imports an .mjs file in ~30 ms). In an isolate
 * of its own, the plugin cannot meet a second copy of itself, so the dual-package hazard is moot.
 */
export function resolveIsolateEntry(pkg: PluginPackage): string {
  const json = pkg.packageJson as Package;
  let target: string | undefined;
  try {
    target = json.exports ? exports(json, '.', { require: true, conditions: ['node'] })?.[0] : json.main;
  } catch {
    target = undefined;
  }
  if (target?.endsWith('.cjs') && existsSync(resolve(pkg.dir, target)))
    return inside(pkg, fieldOf(json), target);
  return resolveEntry(pkg);
}
