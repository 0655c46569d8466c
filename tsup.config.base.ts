import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * The one build config every package reuses: ESM + CJS + types for both.
 * `__PKG_VERSION__` is the building package's own version, baked in so that
 * a built package can report (and stamp into plugins) exactly what it is.
 */
export function packageConfig(overrides: Options = {}): Options {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    define: { __PKG_VERSION__: JSON.stringify(pkg.version) },
    ...overrides,
  };
}
