import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exports, legacy, type Package } from 'resolve.exports';
import { badManifest } from '../errors.js';
import type { PluginPackage } from '../manifest.js';

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
  target ??= legacy(json, { browser: false }) as string | undefined;
  target ??= existsSync(join(pkg.dir, 'index.js')) ? 'index.js' : undefined;
  if (target === undefined) {
    throw badManifest(
      pkg.name,
      'exports',
      'is missing, and so is "main"',
      'Add "exports": "./dist/index.js".',
    );
  }
  return join(pkg.dir, target);
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
  if (target?.endsWith('.cjs') && existsSync(join(pkg.dir, target))) return join(pkg.dir, target);
  return resolveEntry(pkg);
}
