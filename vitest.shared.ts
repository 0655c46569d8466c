import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** Each package's vitest config: the same `__PKG_VERSION__` its build bakes in, so tests run `src` as built. */
export function packageTestConfig(
  dir: string,
  overrides: { testTimeout?: number; globalSetup?: string[] } = {},
) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return defineConfig({
    define: { __PKG_VERSION__: JSON.stringify(pkg.version) },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      globalSetup: overrides.globalSetup ?? [],
    },
  });
}
