import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeIntegrity, unpinnableEntries } from './compute-integrity.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'x-integrity-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const files = { 'package.json': '{"name":"p"}', 'index.js': 'export const a = 1;\n', 'lib/b.js': 'b' };

describe('computeIntegrity', () => {
  it('is an SRI sha512 that depends on contents, not on where or in which order files were written', () => {
    const a = computeIntegrity(tree('a', files));
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    expect(a).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(computeIntegrity(tree('b', reversed))).toBe(a);
  });

  it('changes with one byte, a renamed file, an added file, or bytes moved between a name and a file', () => {
    const a = computeIntegrity(tree('a', files));
    expect(computeIntegrity(tree('byte', { ...files, 'lib/b.js': 'c' }))).not.toBe(a);
    expect(computeIntegrity(tree('added', { ...files, 'extra.txt': '' }))).not.toBe(a);
    const { 'lib/b.js': _, ...rest } = files;
    expect(computeIntegrity(tree('renamed', { ...rest, 'lib/c.js': 'b' }))).not.toBe(a);
    expect(computeIntegrity(tree('x1', { ab: 'c' }))).not.toBe(computeIntegrity(tree('x2', { a: 'bc' })));
  });

  it('covers nested node_modules (code the plugin runs), skips .git, and hashes a symlink as its target text', () => {
    const a = computeIntegrity(tree('a', files));
    expect(computeIntegrity(tree('git', { ...files, '.git/HEAD': 'ref' }))).toBe(a);
    const nested = tree('nested', { ...files, 'node_modules/dep/index.js': 'x' });
    const withDep = computeIntegrity(nested);
    expect(withDep).not.toBe(a);
    writeFileSync(join(nested, 'node_modules/dep/index.js'), 'y');
    expect(computeIntegrity(nested)).not.toBe(withDep);
    const b = tree('b', files);
    symlinkSync('lib/b.js', join(b, 'alias.js'));
    const linked = computeIntegrity(b);
    expect(linked).not.toBe(a);
    rmSync(join(b, 'alias.js'));
    symlinkSync('index.js', join(b, 'alias.js'));
    expect(computeIntegrity(b)).not.toBe(linked);
  });
});

describe('unpinnableEntries', () => {
  it('accepts links that stay inside the package, and names each one that leads out of it', () => {
    const dir = tree('p', { ...files, 'node_modules/.bin/keep': '' });
    symlinkSync('lib/b.js', join(dir, 'alias.js'));
    symlinkSync('../dep/cli.js', join(dir, 'node_modules/.bin/cli'));
    expect(unpinnableEntries(dir)).toEqual([]);
    symlinkSync('/etc', join(dir, 'escape'));
    symlinkSync('../../outside.js', join(dir, 'lib/up.js'));
    symlinkSync(join(root, 'elsewhere'), join(dir, 'node_modules/dep'));
    expect(unpinnableEntries(dir)).toEqual([
      'escape: a symlink to /etc, outside the package',
      'lib/up.js: a symlink to ../../outside.js, outside the package',
      `node_modules/dep: a symlink to ${join(root, 'elsewhere')}, outside the package`,
    ]);
  });

  it('refuses a FIFO, whose bytes can differ at every read', () => {
    const dir = tree('fifo', files);
    execFileSync('mkfifo', [join(dir, 'feed.js')]);
    expect(unpinnableEntries(dir)).toEqual(['feed.js: neither a file, a folder nor a symlink']);
  });
});
