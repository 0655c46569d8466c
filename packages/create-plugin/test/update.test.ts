import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_VERSION } from '../src/update/migrations/index.js';
import { linkWorkspaceDeps, workspaceBin } from './link-workspace.js';
import { GIT_ENV, remove, runCli, snapshot, tempDir } from './run-cli.js';
import { copyFixture, FIXTURES } from './update-fixture.js';

// `create-greeter-plugin update`, through the built bin, on projects exactly as the 1.0 template
// made them (fixtures/template-1.0, rendered from git history), each in a real git repository.
const EXPECTED_DIFF = readFileSync(join(FIXTURES, 'update-1.0-greeter.diff'), 'utf8');
// The author's own change to a generated source file: an update must never touch it.
const EDITED_SOURCE = `// Edited by the plugin's author after generating it.\n`;

let root: string;
beforeAll(() => {
  root = tempDir('cgp-update-');
});
afterAll(() => remove(root));

const exec = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, ...env },
    timeout: 300_000,
  });
const git = (cwd: string, ...args: string[]) => {
  const result = exec('git', args, cwd);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
};

let n = 0;
/** A copy of the 1.0 fixture, committed, with the author's edit to src/index.ts committed too. */
function project(kind: 'greeter' | 'transformer' = 'greeter'): string {
  const dir = copyFixture(kind, join(root, `${kind}-${n++}`));
  const source = join(dir, 'src', 'index.ts');
  writeFileSync(source, EDITED_SOURCE + readFileSync(source, 'utf8'));
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'as the 1.0 template made it, and edited');
  return dir;
}

describe('update on a project made by the 1.0 template', () => {
  it('prints the expected diff and changes nothing without --write', () => {
    const dir = project();
    const before = snapshot(dir);
    const { status, stdout, stderr } = runCli(['update'], dir);
    expect(status, stderr).toBe(0);
    expect(stdout).toBe(EXPECTED_DIFF);
    expect(stderr).toContain(`template 1.0.0 → ${TEMPLATE_VERSION}`);
    expect(stderr).toContain('was not applied: run again with --write');
    expect(snapshot(dir)).toEqual(before);
    // The diff is a patch git applies as it is.
    writeFileSync(join(root, 'update.patch'), stdout);
    git(dir, 'apply', '--check', join(root, 'update.patch'));
  });

  it('the transformer project gets the same changes', () => {
    const dir = project('transformer');
    const { status, stdout } = runCli(['update'], dir);
    expect(status).toBe(0);
    expect(stdout).toBe(EXPECTED_DIFF);
  });

  it('--commit commits exactly the template’s files, leaves the author’s source alone, then has nothing to do', () => {
    const dir = project();
    const before = snapshot(dir);
    const { status, stderr } = runCli(['update', '--commit'], dir);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('Wrote 3 files and committed them.');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '-1', '--format=%B')).toContain(
      `Update to the create-greeter-plugin template ${TEMPLATE_VERSION}\n\n- 0001-dev-script:`,
    );
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toEqual([
      '.gitignore',
      'package.json',
      'tsup.config.ts',
    ]);
    const after = snapshot(dir);
    for (const file of ['src/index.ts', 'src/index.test.ts', 'test/conformance.test.ts', 'README.md'])
      expect(after[file], file).toBe(before[file]);
    expect(after['src/index.ts']!.startsWith(EDITED_SOURCE)).toBe(true);
    expect(JSON.parse(after['package.json']!).createGreeterPlugin).toEqual({ template: TEMPLATE_VERSION });

    const again = runCli(['update'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('Nothing to change.');
  });

  it('and the updated project type-checks, builds (with source maps now) and passes its own tests', () => {
    const dir = project();
    expect(runCli(['update', '--write'], dir).status).toBe(0);
    linkWorkspaceDeps(dir);
    const tsc = exec(workspaceBin('tsc'), ['-p', '.'], dir);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const build = exec(workspaceBin('tsup'), [], dir);
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(readdirSync(join(dir, 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.js.map']));
    const test = exec(workspaceBin('vitest'), ['run', '--reporter=verbose'], dir, { NO_COLOR: '1' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/);
    // Its unit tests, and the conformance suite in every isolation mode, through a real host.
    expect(test.stdout).toMatch(/✓ src\/index\.test\.ts > plugin > greets by name/);
    for (const mode of ['in-process', 'worker', 'process'])
      expect(test.stdout).toMatch(new RegExp(`✓ .*\\(${mode}\\) > .*returns a string`));
    expect(test.stdout).not.toMatch(/skipped|failed/);
  }, 300_000);
});

describe('what update leaves to the author', () => {
  it('reports an edited template file as a conflict, applies the rest, and keeps the old stamp', () => {
    const dir = project();
    const tsup = join(dir, 'tsup.config.ts');
    const mine = readFileSync(tsup, 'utf8').replace("target: 'node20'", "target: 'node22'");
    writeFileSync(tsup, mine);
    git(dir, 'commit', '-qam', 'my own target');
    const { status, stdout, stderr } = runCli(['update', '--write'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('ERR_CREATE_UPDATE_CONFLICT');
    expect(stderr).toContain(
      'tsup.config.ts (0003-tsup-sourcemap): it differs from what the template wrote (edited by you?)',
    );
    expect(stderr).toContain('pass --force');
    expect(stdout).not.toContain('tsup.config.ts');
    expect(readFileSync(tsup, 'utf8')).toBe(mine);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts.dev).toBe('tsup --watch');
    expect(pkg.createGreeterPlugin).toBeUndefined();

    // The next run tries the conflicting migration again; --force takes the template's file.
    const forced = runCli(['update', '--write', '--force'], dir);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("-  target: 'node22',");
    expect(readFileSync(tsup, 'utf8')).toContain('sourcemap: true');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).createGreeterPlugin).toEqual({
      template: TEMPLATE_VERSION,
    });
  });

  it('--commit refuses a dirty work tree and a folder outside git, writing nothing', () => {
    const dir = project();
    writeFileSync(join(dir, 'src', 'wip.ts'), 'export {};\n');
    const before = snapshot(dir);
    const dirty = runCli(['update', '--commit'], dir);
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain('ERR_CREATE_UPDATE_GIT');
    expect(dirty.stderr).toContain(
      '--commit refuses a work tree with uncommitted changes; nothing was written.',
    );
    expect(dirty.stderr).toContain('?? src/wip.ts');
    expect(snapshot(dir)).toEqual(before);

    const bare = copyFixture('greeter', join(root, 'no-git'));
    const outside = runCli(['update', '--commit'], bare);
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain(`--commit needs a git repository, and ${bare} is not in one.`);
    expect(outside.stderr).toContain('ERR_CREATE_UPDATE_GIT');
  });

  it('refuses a folder that is not a generated plugin, and bad flags', () => {
    const lib = join(root, 'lib');
    copyFixture('greeter', lib);
    writeFileSync(join(lib, 'package.json'), '{ "name": "lib" }\n');
    const notPlugin = runCli(['update', lib], root);
    expect(notPlugin.status).toBe(1);
    expect(notPlugin.stderr).toContain('ERR_CREATE_UPDATE_PROJECT');
    expect(notPlugin.stderr).toContain('has no "xPlugin" manifest');
    const bad = runCli(['update', '--wirte'], root);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ERR_CREATE_ARGS');
    expect(runCli(['update', '--help'], root).stdout).toContain('Usage: npm create greeter-plugin -- update');
  });

  it.each(['greeter', 'transformer'])('a %s project generated now is already current', (kind) => {
    const { status } = runCli(['fresh', '--kind', kind, '--no-install', '--no-git'], join(root));
    expect(status).toBe(0);
    const dir = join(root, 'fresh');
    try {
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).createGreeterPlugin).toEqual({
        template: TEMPLATE_VERSION,
      });
      const update = runCli(['update'], dir);
      expect(update.status, update.stderr).toBe(0);
      expect(update.stdout).toBe('');
      expect(update.stderr).toContain('Nothing to change.');
    } finally {
      remove(dir);
    }
  });
});
