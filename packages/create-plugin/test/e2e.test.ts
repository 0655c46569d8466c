import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../src/templates.js';
import { offlineNpmEnv } from './offline-npm.js';
import { GIT_ENV, PACKAGE_DIR, remove, snapshot, tempDir } from './run-cli.js';

// The whole path of a plugin author, from packed tarballs (no registry for @x/*): generate with the
// published bin, install with npm, run the project's own build and test, load it in a host.
// Third-party packages (tsup, vitest, ...) come from the npm cache `pnpm e2e:warm` fills at install
// time, with npm --offline behind a dead proxy: this file touches no network at all.

const WORKSPACE = join(PACKAGE_DIR, '..');
const PACKED = ['contract', 'sdk', 'host', 'create-plugin'];
const SDK_VERSION = (
  JSON.parse(readFileSync(join(WORKSPACE, 'sdk', 'package.json'), 'utf8')) as { version: string }
).version;

// The child npm/pnpm/vitest must not inherit this test run's own vitest and package-manager state.
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(VITEST|npm_|NODE_OPTIONS$|TEST$|NODE_ENV$)/.test(k)),
  ) as Record<string, string>;

function sh(command: string, args: string[], options: SpawnSyncOptions & { env?: Record<string, string> }) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 300_000,
    ...options,
    env: { ...cleanEnv(), ...GIT_ENV, ...npmEnv, ...options.env },
  });
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${out}`);
  }
  return out;
}

let root: string;
let npmEnv: Record<string, string> = {};
const tarballs: Record<string, string> = {};
let bin: string;

beforeAll(() => {
  root = tempDir('cgp-e2e-');
  npmEnv = offlineNpmEnv(root);
  const packs = join(root, 'tarballs');
  mkdirSync(packs);
  for (const dir of PACKED) sh('pnpm', ['pack', '--pack-destination', packs], { cwd: join(WORKSPACE, dir) });
  for (const file of readdirSync(packs)) {
    const name = file.startsWith('create-') ? 'create-greeter-plugin' : `@x/${file.split('-')[1]}`;
    tarballs[name] = join(packs, file);
  }
  // The generator runs from its own tarball, with no node_modules: proof that it bundles its
  // dependencies and ships its templates, so that `npm create` needs this one package.
  const unpacked = join(root, 'generator');
  mkdirSync(unpacked);
  sh('tar', ['xzf', tarballs['create-greeter-plugin']!, '-C', unpacked], {});
  bin = join(unpacked, 'package', 'index.js');
}, 120_000);

afterAll(() => {
  if (root !== undefined) remove(root);
});

/** Generates `<parent>/<name>`, run from `parent` (the folder is always one plain name). */
function generate(parent: string, name: string, kind: string, isolation: string, extra: string[] = []) {
  mkdirSync(parent, { recursive: true });
  const args = [bin, name, '--kind', kind, '--isolation', isolation, '--no-install', ...extra];
  return sh(process.execPath, args, { cwd: parent });
}

/** Points the project's @x/* dependencies, and theirs (npm overrides), at the packed tarballs. */
function useTarballs(project: string) {
  const path = join(project, 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  const xs = Object.fromEntries(
    Object.entries(tarballs)
      .filter(([name]) => name.startsWith('@x/'))
      .map(([name, file]) => [name, `file:${file}`]),
  );
  pkg.devDependencies = { ...pkg.devDependencies, ...xs };
  pkg.overrides = xs;
  writeFileSync(path, JSON.stringify(pkg, null, 2));
}

/** `npx x-plugin call` in the project, as its author would: stdout only (npm may warn on stderr). */
function callThroughHost(project: string, isolation: string, method: string, arg: string): string {
  const args = ['x-plugin', 'call', '.', method, arg, '--isolation', isolation];
  const result = spawnSync('npx', ['--no-install', ...args], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...cleanEnv(), ...GIT_ENV, ...npmEnv },
  });
  if (result.status !== 0) throw new Error(`npx ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

describe('the network guard', () => {
  // Permanent checks that npm here cannot download, so a regression that lets it is caught.
  it('npm runs offline: a package not in the warm cache is ENOTCACHED', () => {
    expect(() => sh('npm', ['view', 'left-pad', 'version'], { cwd: root })).toThrow(/ENOTCACHED/);
  });

  it('and online, the request dies at the dead proxy', () => {
    expect(() => sh('npm', ['view', 'left-pad', 'version', '--offline=false'], { cwd: root })).toThrow(
      /ECONNREFUSED 127\.0\.0\.1:9/,
    );
  });
});

describe('generated projects build, pass their own tests, and load in a host', () => {
  it.each([
    ['greeter', 'in-process', 'greet', 'World', 'Hello, World!'],
    ['transformer', 'worker', 'transform', 'hello', 'HELLO'],
  ])(
    '%s plugin preferring %s isolation',
    (kind, isolation, method, arg, expected) => {
      const project = join(root, `${kind}-${isolation}`);
      const out = generate(root, `${kind}-${isolation}`, kind, isolation);
      expect(out).toContain(`a ${kind} plugin preferring ${isolation} isolation, 9 files.`);
      // The first commit holds the files as generated, before this test's rewrite for tarballs.
      expect(sh('git', ['log', '--oneline'], { cwd: project })).toContain(
        'Initial commit from create-greeter-plugin',
      );

      useTarballs(project);
      sh('npm', ['install'], { cwd: project });
      sh('npm', ['run', 'typecheck'], { cwd: project });
      sh('npm', ['run', 'build'], { cwd: project });
      expect(readdirSync(join(project, 'dist')).sort()).toEqual(
        expect.arrayContaining(['index.cjs', 'index.d.cts', 'index.d.ts', 'index.js']),
      );
      // The SDK is bundled into the plugin, so its version stamp is in the built code.
      const built = readFileSync(join(project, 'dist', 'index.js'), 'utf8');
      expect(built).not.toMatch(/from ["']@x\/sdk["']/);
      expect(built).toContain(`SDK_VERSION = "${SDK_VERSION}"`);

      const test = sh('npm', ['test', '--', '--reporter=verbose'], {
        cwd: project,
        env: { NO_COLOR: '1' },
      });
      expect(test).toMatch(/Tests\s+\d+ passed/);
      // The generated conformance suite runs the plugin in every isolation mode, through a real host.
      for (const mode of ['in-process', 'worker', 'process']) {
        expect(test).toMatch(new RegExp(`✓ .*\\(${mode}\\) > .*returns a string`));
      }
      expect(test).not.toMatch(/skipped/);

      for (const mode of ['in-process', 'worker', 'process']) {
        expect(callThroughHost(project, mode, method, arg)).toBe(expected);
      }
    },
    600_000,
  );
});

describe('every kind and isolation generates (no install)', () => {
  for (const kind of ['greeter', 'transformer']) {
    for (const isolation of ['in-process', 'worker', 'process']) {
      it(`${kind} / ${isolation}`, () => {
        const project = join(root, 'gen-only', `${kind}-${isolation}`);
        generate(join(root, 'gen-only'), `${kind}-${isolation}`, kind, isolation, ['--no-git']);
        const files = snapshot(project);
        expect(Object.keys(files)).toEqual(templateFiles(kind as 'greeter').map((f) => f.target));
        expect(JSON.parse(files['package.json']!).xPlugin).toEqual({
          contract: kind,
          export: 'plugin',
          isolation,
        });
      });
    }
  }
});
