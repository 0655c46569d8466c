import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The built bootstrap script, found from this package's root: the same path whether this module
 * runs from dist (ESM or CJS) or from src under vitest, which cannot start a worker on TypeScript.
 */
export function bootstrapPath(): string {
  if (cached !== undefined) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@x/host') {
      cached = join(dir, 'dist', 'isolate', 'bootstrap.cjs');
      return cached;
    }
  }
  throw new Error('@x/host: cannot find its own package.json to locate dist/isolate/bootstrap.cjs.');
}
