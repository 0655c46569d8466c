import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { itResolvesForImportAndRequire } from '../../../scripts/exports-check.ts';

itResolvesForImportAndRequire(join(import.meta.dirname, '..'), ['definePlugin', 'SDK_VERSION', 'transfer']);

it('@x/sdk/testing resolves for import, with types, and is ESM only (vitest cannot be required)', () => {
  const dir = join(import.meta.dirname, '..');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: { types: string; default: string }; require?: unknown }>;
  };
  const testing = pkg.exports['./testing']!;
  expect(existsSync(join(dir, testing.import.types))).toBe(true);
  expect(testing.require).toBeUndefined();
  const names = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `console.log(Object.keys(await import('@x/sdk/testing')).join())`],
    { cwd: dir, encoding: 'utf8' },
  );
  expect(names.trim().split(',')).toEqual(expect.arrayContaining(['testPlugin', 'runPluginTests']));
});
