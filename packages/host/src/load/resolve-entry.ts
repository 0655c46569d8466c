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
