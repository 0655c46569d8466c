import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { templateFiles } from '../src/templates.js';
import { GIT_ENV, remove, runCli, snapshot, tempDir, VERSION } from './run-cli.js';

const dirs: string[] = [];
const cwd = () => {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) remove(dir);
});

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('create-greeter-plugin (built bin, stdin not a terminal)', () => {
  it.each(['greeter', 'transformer'] as const)(
    'generates a %s plugin: exactly the template’s files',
    (kind) => {
      const root = cwd();
      const { status, stdout } = runCli(['plug', '--kind', kind, '--no-install', '--no-git'], root);
      expect(status).toBe(0);
      expect(stdout).toContain(
        `Created plug in ./plug: a ${kind} plugin preferring in-process isolation, 9 files.`,
      );
      expect(Object.keys(snapshot(join(root, 'plug')))).toEqual(templateFiles(kind).map((f) => f.target));

      const pkg = json(join(root, 'plug', 'package.json'));
      expect(pkg).toMatchObject({
        name: 'plug',
        keywords: ['x-plugin', kind],
        xPlugin: { contract: kind, export: 'plugin', isolation: 'in-process' },
        peerDependencies: { '@x/contract': `^${VERSION}` },
        engines: { node: '>=20' },
        files: ['dist'],
        scripts: { prepublishOnly: 'tsup' },
      });
      expect(pkg.devDependencies).toMatchObject({
        '@x/sdk': `^${VERSION}`,
        '@x/host': `^${VERSION}`,
        '@x/contract': `^${VERSION}`,
      });
      const source = readFileSync(join(root, 'plug', 'src', 'index.ts'), 'utf8');
      expect(source).toContain(`definePlugin(${kind},`);
    },
  );

  it('asks nothing and takes the defaults with --yes', () => {
    const root = cwd();
    const { status, stdout } = runCli(['--yes', '--no-install', '--no-git'], root);
    expect(status).toBe(0);
    expect(stdout).toContain('Created my-greeter-plugin in ./my-greeter-plugin');
    expect(json(join(root, 'my-greeter-plugin', 'package.json')).xPlugin).toEqual({
      contract: 'greeter',
      export: 'plugin',
      isolation: 'in-process',
    });
  });

  it('writes the isolation preference, and the package manager’s commands in the next steps and README', () => {
    const root = cwd();
    const { status, stdout } = runCli(
      ['t', '--kind', 'transformer', '--isolation', 'worker', '--pm', 'pnpm', '--no-install', '--no-git'],
      root,
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/cd t[\s│]+pnpm i[\s│]+pnpm run build[\s│]+pnpm run test/);
    expect(json(join(root, 't', 'package.json')).xPlugin).toMatchObject({ isolation: 'worker' });
    expect(readFileSync(join(root, 't', 'README.md'), 'utf8')).toContain('pnpm run build');
  });

  it('detects the package manager from npm_config_user_agent', () => {
    const root = cwd();
    const { stdout } = runCli(['y', '--no-install', '--no-git'], root, {
      npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.20.0 linux x64',
    });
    expect(stdout).toMatch(/yarn install[\s│]+yarn run build/);
  });

  it('commits exactly the generated files to a new git repository', () => {
    const root = cwd();
    expect(runCli(['g', '--no-install'], root).status).toBe(0);
    const files = spawnSync('git', ['ls-files'], {
      cwd: join(root, 'g'),
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV },
    });
    expect(files.stdout.trim().split('\n').sort()).toEqual(
      templateFiles('greeter')
        .map((f) => f.target)
        .sort(),
    );
    expect(runCli(['nogit', '--no-install', '--no-git'], root).status).toBe(0);
    expect(existsSync(join(root, 'nogit', '.git'))).toBe(false);
  });

  it('skips the install when CREATE_GREETER_PLUGIN_SKIP_INSTALL=1', () => {
    const root = cwd();
    const { status, stdout } = runCli(['s', '--no-git'], root, { CREATE_GREETER_PLUGIN_SKIP_INSTALL: '1' });
    expect(status).toBe(0);
    expect(stdout).toContain('Skipped installing dependencies');
  });

  it('prints --help and --version', () => {
    expect(runCli(['--help'], cwd()).stdout).toContain('Usage: npm create greeter-plugin [dir]');
    expect(runCli(['--version'], cwd()).stdout.trim()).toBe(VERSION);
  });
});

describe('bad input: a clear answer, and nothing lost or half-written', () => {
  it('refuses an existing non-empty folder without --force, touching nothing', () => {
    const root = cwd();
    mkdirSync(join(root, 'mine'));
    writeFileSync(join(root, 'mine', 'README.md'), 'my own readme');
    writeFileSync(join(root, 'mine', 'notes.txt'), 'my notes');
    const before = snapshot(root);
    const { status, stderr } = runCli(['mine', '--no-install', '--no-git'], root);
    expect(status).toBe(1);
    expect(stderr).toContain(`Refusing to write into ${join(root, 'mine')}.`);
    expect(stderr).toContain('The folder exists and is not empty; nothing in it was touched.');
    expect(stderr).toContain('pass --force');
    expect(snapshot(root)).toEqual(before);
  });

  it('with --force, writes only the generated files and leaves the others alone', () => {
    const root = cwd();
    mkdirSync(join(root, 'mine', 'src'), { recursive: true });
    writeFileSync(join(root, 'mine', 'README.md'), 'my own readme');
    writeFileSync(join(root, 'mine', 'notes.txt'), 'my notes');
    writeFileSync(join(root, 'mine', 'src', 'extra.ts'), 'export {};');
    expect(runCli(['mine', '--force', '--no-install', '--no-git'], root).status).toBe(0);
    const after = snapshot(join(root, 'mine'));
    expect(after['notes.txt']).toBe('my notes');
    expect(after['src/extra.ts']).toBe('export {};');
    expect(after['README.md']).toContain('# mine');
    expect(Object.keys(after).sort()).toEqual(
      [...templateFiles('greeter').map((f) => f.target), 'notes.txt', 'src/extra.ts'].sort(),
    );
  });

  it.each([
    [
      'Bad-Name',
      /"Bad-Name" cannot be the plugin's package name\.\s+npm's rules say: name can no longer contain capital letters/,
    ],
    ['fs', /npm's rules say: fs is a core module name/],
    ['has space', /name can only contain URL-friendly characters/],
  ])('refuses the package name %j with npm’s reason, creating nothing', (name, message) => {
    const root = cwd();
    const { status, stderr } = runCli(['ok', '--name', name, '--no-install', '--no-git'], root);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(readdirSync(root)).toEqual([]);
  });

  it.each([
    ['a/b', 'path separator'],
    ['..', '".."'],
    ['../escape', 'path separator'],
    ['con', 'reserved name'],
  ])('refuses the folder %j, creating nothing', (dir, why) => {
    const root = cwd();
    mkdirSync(join(root, 'inner'));
    const { status, stderr } = runCli([dir, '--no-install', '--no-git'], join(root, 'inner'));
    expect(status).toBe(1);
    expect(stderr).toContain(`"${dir}" cannot be the folder to create.`);
    expect(stderr).toContain(why);
    expect(snapshot(root)).toEqual({});
    expect(readdirSync(join(root, 'inner'))).toEqual([]);
  });

  it('refuses bad flag values before doing anything', () => {
    const root = cwd();
    const { status, stderr } = runCli(['x', '--isolation', 'thread'], root);
    expect(status).toBe(1);
    expect(stderr).toContain('--isolation thread is not a valid choice.');
    expect(readdirSync(root)).toEqual([]);
  });

  it('when the install fails, leaves the generated files in place and says how to finish by hand', () => {
    const root = cwd();
    // A package manager that fails the way a broken network or registry does.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'pnpm'), '#!/bin/sh\necho "ERR_PNPM_FETCH_404 registry says no" >&2\nexit 1\n');
    chmodSync(join(bin, 'pnpm'), 0o755);
    const { status, stderr } = runCli(['p', '--pm', 'pnpm', '--no-git'], root, {
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(status).toBe(1);
    expect(stderr).toContain('ERR_PNPM_FETCH_404 registry says no');
    expect(stderr).toContain('Installing dependencies with pnpm failed.');
    expect(stderr).toContain(`left in place in ${join(root, 'p')}`);
    expect(stderr).toContain('Finish by hand: cd p && pnpm i && pnpm run build && pnpm run test');
    expect(Object.keys(snapshot(join(root, 'p')))).toEqual(templateFiles('greeter').map((f) => f.target));
  });
});
