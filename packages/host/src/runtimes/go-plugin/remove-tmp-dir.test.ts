import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTmpDir } from './start-process.js';

const made: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'x-go-tmp-test-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('removeTmpDir: the host deletes only what it expects, in the folder it made', () => {
  it('removes the socket inside the folder, then the empty folder', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'plugin123'), '');
    removeTmpDir(dir, join(dir, 'plugin123'));
    expect(existsSync(dir)).toBe(false);
  });

  it('never deletes a socket path outside the folder, nor what else the plugin left there', () => {
    const dir = scratch();
    const elsewhere = scratch();
    writeFileSync(join(elsewhere, 'precious'), 'keep me');
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'file'), 'the plugin left it');
    removeTmpDir(dir, join(elsewhere, 'precious'));
    expect(existsSync(join(elsewhere, 'precious'))).toBe(true);
    expect(existsSync(join(dir, 'nested', 'file'))).toBe(true);
    // A path that climbs out of the folder is not "inside" it either.
    removeTmpDir(dir, join(dir, '..', 'x-go-escape'));
    expect(existsSync(dir)).toBe(true);
  });
});
