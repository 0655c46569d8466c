import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  computeIntegrity,
  type Isolation,
  type LoadOptions,
  loadPlugin,
  type PluginHandle,
  silentLogger,
} from '../src/index.js';
import { Project } from './fixtures.js';
import { rejection, waitFor } from './isolation-helpers.js';

let project: Project;
let handles: PluginHandle[];
beforeEach(() => {
  project = new Project();
  handles = [];
});
afterEach(async () => {
  await Promise.allSettled(handles.map((h) => h.close()));
  project.remove();
});

/** A greeter whose top level writes `marker` (proof that code ran); greet('crash') exits its process or worker. */
const source = (marker: string, hello = 'Hello') => `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
export const plugin = {
  greet: (n) => { if (n === 'crash') process.exit(3); return \`${hello}, \${n}!\`; },
  lang: () => 'English',
};
`;

function addPlugin(packageJson: Record<string, unknown> = {}, files: Record<string, string> = {}) {
  const marker = join(project.dir, 'ran');
  const dir = project.addPlugin('greeter-plugin-pinned', {
    packageJson,
    files: { 'index.js': source(marker), ...files },
  });
  return { dir, marker };
}

async function load(options: LoadOptions): Promise<PluginHandle> {
  const handle = await loadPlugin('greeter-plugin-pinned', {
    cwd: project.dir,
    logger: silentLogger,
    ...options,
  });
  handles.push(handle);
  return handle;
}

describe('integrity: a restart verifies the pin again', () => {
  it.each<Isolation>(['worker', 'process'])(
    'a plugin changed on disk after its load is not restarted from the changed files (%s)',
    async (isolation) => {
      const { dir, marker } = addPlugin();
      const handle = await load({ integrity: computeIntegrity(dir), isolation, contract: greeter });
      expect(await handle.call('greet', ['pinned'])).toBe('Hello, pinned!');
      const tampered = join(project.dir, 'tampered-ran');
      writeFileSync(join(dir, 'index.js'), source(tampered, 'Pwned'));
      expect((await rejection(handle.call('greet', ['crash']))).code).toBe('ERR_PLUGIN_CRASHED');
      const error = await rejection(handle.call('greet', ['again']));
      expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
      expect(existsSync(tampered), 'the tampered code ran on restart').toBe(false);
      expect(existsSync(marker)).toBe(true);
    },
  );

  it('an unchanged plugin is restarted as before', async () => {
    const { dir } = addPlugin();
    const handle = await load({ integrity: computeIntegrity(dir), isolation: 'process', contract: greeter });
    await rejection(handle.call('greet', ['crash']));
    await waitFor(() => handle.restarts === 1 || handle.state === 'running');
    expect(await handle.call('greet', ['again'])).toBe('Hello, again!');
  });
});

describe('integrity: what the content pin covers', () => {
  it.each<Isolation>(['in-process', 'process'])(
    'a changed file in a nested node_modules fails the pin (%s)',
    async (isolation) => {
      const { dir, marker } = addPlugin({}, { 'node_modules/helper/index.js': 'export const x = 1;\n' });
      const pin = computeIntegrity(dir);
      writeFileSync(join(dir, 'node_modules/helper/index.js'), 'export const x = 2;\n');
      expect((await rejection(load({ integrity: pin, isolation }))).code).toBe('ERR_PLUGIN_INTEGRITY');
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('a package with a symlink that leads out of it is refused, naming the link', async () => {
    const { dir, marker } = addPlugin();
    project.write('outside/lib.js', 'export const y = 1;\n');
    symlinkSync(join(project.dir, 'outside/lib.js'), join(dir, 'lib.js'));
    const error = await rejection(load({ integrity: computeIntegrity(dir) }));
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toContain('lib.js: a symlink to');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('manifest: the entry must be inside the package', () => {
  it.each<[Isolation, Record<string, unknown>, string]>([
    ['in-process', { exports: '../../outside/evil.js' }, 'exports'],
    ['worker', { exports: '../../outside/evil.js' }, 'exports'],
    ['process', { exports: '../../outside/evil.js' }, 'exports'],
    ['in-process', { exports: undefined, main: '../../outside/evil.js' }, 'main'],
    ['process', { exports: undefined, main: '../../outside/evil.js' }, 'main'],
    ['worker', { exports: { '.': { require: '../../outside/evil.cjs', default: './index.js' } } }, 'exports'],
  ])('%s: %j is ERR_PLUGIN_MANIFEST and nothing runs', async (isolation, fields, field) => {
    const ran = join(project.dir, 'evil-ran');
    project.write('outside/evil.js', source(ran));
    project.write('outside/evil.cjs', `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran');\n`);
    addPlugin(fields);
    const error = await rejection(load({ isolation }));
    expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(error.details.field).toBe(field);
    expect(existsSync(ran)).toBe(false);
  });

  it('an entry that is a symlink out of the package is refused too', async () => {
    const ran = join(project.dir, 'evil-ran');
    project.write('outside/evil.js', source(ran));
    const { dir } = addPlugin({ exports: './entry.js' });
    symlinkSync(join(project.dir, 'outside/evil.js'), join(dir, 'entry.js'));
    expect((await rejection(load({}))).code).toBe('ERR_PLUGIN_MANIFEST');
    expect(existsSync(ran)).toBe(false);
  });
});

describe("integrity: 'lockfile' reads only the host project's lockfile", () => {
  const entry = {
    version: '1.0.0',
    resolved: 'https://registry.npmjs.org/x/-/x-1.0.0.tgz',
    integrity: 'sha512-AAAA',
  };
  const lock = (packages: Record<string, unknown>) =>
    JSON.stringify({ name: 'fixture-app', lockfileVersion: 3, packages: { '': {}, ...packages } });

  it('never one inside node_modules: a shrinkwrap shipped by an installed package vouches for nothing', async () => {
    // greeter-plugin-pinned nested under an installed package that ships npm-shrinkwrap.json.
    const marker = join(project.dir, 'ran');
    project.addPlugin('carrier', { packageJson: { xPlugin: undefined } });
    project.addPlugin(
      'greeter-plugin-pinned',
      { files: { 'index.js': source(marker) } },
      'node_modules/carrier/node_modules/greeter-plugin-pinned',
    );
    project.write(
      'node_modules/carrier/npm-shrinkwrap.json',
      lock({ 'node_modules/greeter-plugin-pinned': entry }),
    );
    const error = await rejection(
      load({ integrity: 'lockfile', cwd: join(project.dir, 'node_modules/carrier') }),
    );
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toMatch(/No lockfile/);
    expect(existsSync(marker)).toBe(false);
  });

  it("checks the locked package's name, not only its version", async () => {
    // The folder the lockfile locks holds a package of another name, at the locked version.
    const { marker } = addPlugin({ name: 'greeter-plugin-impostor' });
    project.write('package-lock.json', lock({ 'node_modules/greeter-plugin-pinned': entry }));
    const error = await rejection(load({ integrity: 'lockfile' }));
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toContain('greeter-plugin-pinned@1.0.0');
    expect(error.message).toContain('greeter-plugin-impostor@1.0.0 is installed');
    expect(existsSync(marker)).toBe(false);
  });

  it("the nearest lockfile is the project's, of any kind: a pnpm or yarn project is refused, not read past", async () => {
    const { marker } = addPlugin();
    mkdirSync(join(project.dir, 'app'));
    project.write('package-lock.json', lock({ 'app/node_modules/greeter-plugin-pinned': entry }));
    project.write('app/pnpm-lock.yaml', 'lockfileVersion: 9.0\n');
    const error = await rejection(load({ integrity: 'lockfile', cwd: join(project.dir, 'app') }));
    expect(error.message).toContain('pnpm-lock.yaml');
    expect(existsSync(marker)).toBe(false);
  });
});
