import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDirName, checkName, checkTarget, dirProblem, nameProblem } from './validate.js';

describe('nameProblem', () => {
  it.each([
    ['greeter-plugin-french', undefined],
    ['@me/greeter', undefined],
    ['Greeter', 'name can no longer contain capital letters'],
    ['a/b', 'name can only contain URL-friendly characters'],
    ['..', 'name cannot start with a period'],
    ['node_modules', 'node_modules is not a valid package name'],
    ['fs', 'fs is a core module name'],
    ['con', '"con" is a reserved device name on Windows'],
  ])('%s → %s', (name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });

  it('refuses with what, why (npm rules) and fix', () => {
    expect(() => checkName('My Plugin')).toThrow(
      /"My Plugin" cannot be the plugin's package name\. npm's rules say: .*capital letters.*Pick a lower-case name/,
    );
  });
});

describe('dirProblem', () => {
  it.each([
    ['ok-dir', undefined],
    ['a/b', 'it contains a path separator; give one folder name'],
    ['a\\b', 'it contains a path separator; give one folder name'],
    ['..', 'it contains ".."'],
    ['x..y', 'it contains ".."'],
    ['nul', 'it is a reserved name or has a reserved character'],
    ['', 'it is empty'],
  ])('%j → %s', (dir, problem) => {
    expect(dirProblem(dir)).toBe(problem);
  });

  it('refuses with the code ERR_CREATE_DIR', () => {
    expect(() => checkDirName('../up')).toThrow(expect.objectContaining({ code: 'ERR_CREATE_DIR' }));
  });
});

describe('checkTarget', () => {
  it('accepts a missing or empty folder, refuses a non-empty one unless forced, and a file always', () => {
    const root = mkdtempSync(join(tmpdir(), 'cgp-validate-'));
    try {
      expect(() => checkTarget(join(root, 'missing'), false)).not.toThrow();
      mkdirSync(join(root, 'empty'));
      expect(() => checkTarget(join(root, 'empty'), false)).not.toThrow();
      writeFileSync(join(root, 'empty', 'keep.txt'), 'mine');
      expect(() => checkTarget(join(root, 'empty'), false)).toThrow(
        /The folder exists and is not empty.*--force/,
      );
      expect(() => checkTarget(join(root, 'empty'), true)).not.toThrow();
      expect(() => checkTarget(join(root, 'empty', 'keep.txt'), true)).toThrow(/A file of that name exists/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
