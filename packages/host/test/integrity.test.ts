import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter, type PluginError } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeIntegrity, type Isolation, loadPlugin, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';
import { rejection } from './isolation-helpers.js';

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

/** A plugin whose top level writes a marker file: if the marker exists, plugin code ran. */
function addMarkedPlugin(name = 'greeter-plugin-marked'): { dir: string; marker: string } {
  const marker = join(project.dir, `${name}.ran`);
  const dir = project.addPlugin(name, {
    files: {
      'index.js': `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
export const plugin = { greet: (n) => \`Hello, \${n}!\`, lang: () => 'English' };
`,
    },
  });
  return { dir, marker };
}

async function load(spec: string, options: Parameters<typeof loadPlugin>[1]): Promise<PluginHandle> {
  const handle = await loadPlugin(spec, { cwd: project.dir, ...options });
  handles.push(handle);
  return handle;
}

function failure(spec: string, options: Parameters<typeof loadPlugin>[1]): Promise<PluginError> {
  return rejection(load(spec, options));
}

describe('integrity: a pinned content hash', () => {
  it.each<Isolation>(['in-process', 'process'])(
    'loads a plugin that matches its pin (%s)',
    async (isolation) => {
      const { dir, marker } = addMarkedPlugin();
      const pin = computeIntegrity(dir);
      const handle = await load('greeter-plugin-marked', { integrity: pin, isolation, contract: greeter });
      expect(await handle.call('greet', ['pinned'])).toBe('Hello, pinned!');
      expect(existsSync(marker)).toBe(true);
    },
  );

  it.each<Isolation>(['in-process', 'worker', 'process'])(
    'refuses one changed byte with ERR_PLUGIN_INTEGRITY before any plugin code runs (%s)',
    async (isolation) => {
      const { dir, marker } = addMarkedPlugin();
      const pin = computeIntegrity(dir);
      // One byte changed ("Hello" → "Hellp"): the plugin would still run and write its marker.
      const tampered = `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
export const plugin = { greet: (n) => \`Hellp, \${n}!\`, lang: () => 'English' };
`;
      writeFileSync(join(dir, 'index.js'), tampered);
      const actual = computeIntegrity(dir);
      const error = await failure('greeter-plugin-marked', { integrity: pin, isolation });
      expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
      expect(error.message).toContain(pin);
      expect(error.message).toContain(actual);
      expect(error.details).toEqual({ expected: pin, actual });
      expect(error.fix).toMatch(/npm ci|pin the new value/);
      expect(existsSync(marker), 'plugin code ran although its integrity failed').toBe(false);
    },
  );

  it('accepts any one of several space-separated pins, and refuses a pin it cannot check', async () => {
    const { dir } = addMarkedPlugin();
    const other = computeIntegrity(project.dir);
    await load('greeter-plugin-marked', { integrity: `${other} ${computeIntegrity(dir)}` });
    const error = await failure('greeter-plugin-marked', { integrity: 'sha256-abc' });
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toContain('sha512-');
  });
});

describe("integrity: 'lockfile'", () => {
  function lockfile(entry: Record<string, unknown> | undefined): void {
    const packages: Record<string, unknown> = { '': { name: 'fixture-app' } };
    if (entry !== undefined) packages['node_modules/greeter-plugin-marked'] = entry;
    project.write('package-lock.json', JSON.stringify({ name: 'fixture-app', lockfileVersion: 3, packages }));
  }
  const registry = {
    version: '1.0.0',
    resolved: 'https://registry.npmjs.org/greeter-plugin-marked/-/greeter-plugin-marked-1.0.0.tgz',
    integrity: 'sha512-AAAA',
  };

  it('loads a plugin whose installed name and version are those the lockfile records', async () => {
    const { marker } = addMarkedPlugin();
    lockfile(registry);
    await load('greeter-plugin-marked', { integrity: 'lockfile' });
    expect(existsSync(marker)).toBe(true);
  });

  it.each([
    ['another version', { ...registry, version: '1.0.1' }, /1\.0\.1/],
    ['no entry', undefined, /does not list/],
    ['a link without an integrity', { resolved: '../somewhere', link: true }, /link/],
  ])('refuses %s, before any plugin code runs', async (_, entry, why) => {
    const { marker } = addMarkedPlugin();
    lockfile(entry);
    const error = await failure('greeter-plugin-marked', { integrity: 'lockfile' });
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toMatch(why);
    expect(error.message).toContain('greeter-plugin-marked@1.0.0');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses when there is no lockfile at all', async () => {
    addMarkedPlugin();
    const error = await failure('greeter-plugin-marked', { integrity: 'lockfile' });
    expect(error.code).toBe('ERR_PLUGIN_INTEGRITY');
    expect(error.message).toContain('package-lock.json');
  });
});
