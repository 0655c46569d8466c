import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED, PUBLISHED_DIRS, REPO_ROOT } from '../src/workspace.ts';

// The fields STYLE.md asks of every published package that publint and attw do not insist on
// (they check that what is declared resolves; this checks that it is declared at all).

interface Conditions {
  readonly [condition: string]: string | Conditions;
}

describe.each(PUBLISHED)('%s package.json', (name) => {
  const dir = PUBLISHED_DIRS[name];
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('is public, ESM-first, side-effect free, and ships dist', () => {
    expect(pkg.name).toBe(name);
    expect(pkg.private).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toContain('dist');
    expect(pkg.publishConfig).toMatchObject({ access: 'public' });
  });

  it('says where it comes from, under which license, and which Node it needs', () => {
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository).toMatchObject({ type: 'git', directory: dir });
    // Node 20 at least; the generator needs 20.12 (its bundled @clack/prompts uses util.styleText).
    expect(pkg.engines).toEqual({ node: name === 'create-greeter-plugin' ? '>=20.12' : '>=20' });
  });

  it('exports types first for both import and require, and its package.json', () => {
    const exports = pkg.exports as Record<string, Conditions | string>;
    expect(exports['./package.json']).toBe('./package.json');
    const root = exports['.'] as Conditions;
    for (const condition of ['import', 'require']) {
      const branch = root[condition] as Conditions;
      expect(Object.keys(branch), condition).toEqual(['types', 'default']);
    }
  });
});
