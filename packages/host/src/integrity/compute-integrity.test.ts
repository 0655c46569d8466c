import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeIntegrity } from './compute-integrity.js';

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

describe('computeIntegrity', () => {
  const files = { 'package.json': '{"name":"p"}', 'index.js': 'export const a = 1;\n', 'lib/b.js': 'b' };

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

  it('skips nested node_modules and .git, and hashes a symlink as its target without following it', () => {
    const a = computeIntegrity(tree('a', files));
    const b = tree('b', { ...files, 'node_modules/dep/index.js': 'x', '.git/HEAD': 'ref' });
    expect(computeIntegrity(b)).toBe(a);
    symlinkSync('/etc', join(b, 'escape'));
    const linked = computeIntegrity(b);
    expect(linked).not.toBe(a);
    rmSync(join(b, 'escape'));
    symlinkSync('/usr', join(b, 'escape'));
    expect(computeIntegrity(b)).not.toBe(linked);
  });
});
