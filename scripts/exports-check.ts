import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

type Condition = { types: string; default: string };

/**
 * The consumer test every published package runs: its built `exports` resolve for `import` and
 * for `require` in a real Node process, give the same names, and each condition has its types.
 */
export function itResolvesForImportAndRequire(dir: string, names: readonly string[], subpath = '.'): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import: Condition; require: Condition }>;
  };
  const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
  const conditions = pkg.exports[subpath];
  const keys = (code: string, type: 'module' | 'commonjs') =>
    JSON.parse(
      execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: dir, encoding: 'utf8' }),
    ) as string[];

  it(`${specifier} resolves for import and require, with types for each`, () => {
    expect(conditions, `exports["${subpath}"]`).toBeDefined();
    const esm = keys(
      `import * as m from '${specifier}'; console.log(JSON.stringify(Object.keys(m).sort()))`,
      'module',
    );
    const cjs = keys(`console.log(JSON.stringify(Object.keys(require('${specifier}')).sort()))`, 'commonjs');
    expect(esm).toEqual(expect.arrayContaining([...names]));
    expect(cjs).toEqual(esm);
    for (const condition of [conditions!.import, conditions!.require]) {
      expect(existsSync(join(dir, condition.types)), condition.types).toBe(true);
      expect(existsSync(join(dir, condition.default)), condition.default).toBe(true);
    }
  });
}
