import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locate } from './locate.js';

const root = mkdtempSync(join(tmpdir(), 'x-locate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('locate', () => {
  // A project whose sibling folder holds a package.json: what `foo/../../secret` would reach.
  const project = join(root, 'app');
  mkdirSync(join(project, 'node_modules', 'real-plugin'), { recursive: true });
  writeFileSync(join(project, 'node_modules', 'real-plugin', 'package.json'), '{}');
  mkdirSync(join(root, 'secret'), { recursive: true });
  writeFileSync(join(root, 'secret', 'package.json'), '{}');

  it('finds a package by name in node_modules', () => {
    expect(locate('real-plugin', project)).toBe(join(project, 'node_modules', 'real-plugin'));
  });

  it.each(['real-plugin/../../../secret', 'a/b/c', '@../secret', 'x\\..\\..\\secret', ''])(
    'refuses "%s", which is neither a path nor a package name, with ERR_PLUGIN_NOT_FOUND',
    (spec) => {
      expect(() => locate(spec, project)).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_NOT_FOUND' }));
    },
  );

  it('still takes paths, which say what they are', () => {
    expect(locate('../secret', project)).toBe(join(root, 'secret'));
  });
});
