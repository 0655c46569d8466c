import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter, PluginError } from '@x/contract';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { discoverPlugins, loadPlugin } from '../src/index.js';
import { Project, workspacePackage } from './fixtures.js';

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

it('recognises errors and loads plugins when the plugin has its own copy of @x/contract', async () => {
  // The classic trap: the plugin resolves a second, separate copy of @x/contract.
  project.addPlugin('greeter-plugin-dup', {
    files: {
      'index.js': `import { PluginError, greeter, checkConformance } from '@x/contract';
export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'English' };
export const ok = checkConformance(greeter, plugin).ok;
export const error = new PluginError({ code: 'ERR_PLUGIN_LOAD', plugin: 'dup', what: 'a', why: 'b', fix: 'c' });`,
    },
  });
  cpSync(
    workspacePackage('@x/contract'),
    join(project.dir, 'node_modules/greeter-plugin-dup/node_modules/@x/contract'),
    {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    },
  );
  const handle = await loadPlugin('greeter-plugin-dup', { cwd: project.dir, contract: greeter });
  expect(await handle.plugin.greet('Go')).toBe('Hi Go');
  const mod = (await import(join(handle.dir, 'index.js'))) as { ok: boolean; error: unknown };
  expect(mod.ok).toBe(true);
  expect(mod.error instanceof PluginError).toBe(false); // instanceof lies across copies…
  expect(PluginError.isInstance(mod.error)).toBe(true); // …the marker does not.
});

/** Gives the plugin its own copy of @x/contract, with the version its package.json claims changed. */
function nestContract(plugin: string, version: string): void {
  const target = join(project.dir, 'node_modules', plugin, 'node_modules/@x/contract');
  cpSync(workspacePackage('@x/contract'), target, {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  const file = join(target, 'package.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version }));
}

it("judges compatibility by the host's own copy of @x/contract, not the plugin's", async () => {
  project.addPlugin('greeter-plugin-v2', { packageJson: { peerDependencies: { '@x/contract': '^2.0.0' } } });
  nestContract('greeter-plugin-v2', '2.0.0');
  const error = await loadPlugin('greeter-plugin-v2', { cwd: project.dir }).catch((e: unknown) => e);
  expect(PluginError.isInstance(error) && error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
  expect((error as PluginError).message).toContain('but this host has @x/contract 1.0.0');
});

it('reads the stamp put by another copy of @x/contract, and checks it', async () => {
  // The stamp's symbol comes from the plugin's own copy: Symbol.for makes it the host's too.
  const files = (version: string) => ({
    'index.js': `import { PLUGIN_STAMP } from '@x/contract';
export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'English' };
Object.defineProperty(plugin, PLUGIN_STAMP, { value: { contract: 'greeter', contractVersion: '${version}', sdkVersion: '1.0.0' } });`,
  });
  project.addPlugin('greeter-plugin-good', { files: files('1.0.0') });
  project.addPlugin('greeter-plugin-stale', { files: files('2.0.0') });
  nestContract('greeter-plugin-good', '1.0.0');
  nestContract('greeter-plugin-stale', '2.0.0');
  const good = await loadPlugin('greeter-plugin-good', { cwd: project.dir, contract: greeter });
  expect(good.stamp?.contractVersion).toBe('1.0.0');
  const discovered = discoverPlugins({
    paths: ['greeter-plugin-good', 'greeter-plugin-stale'],
    cwd: project.dir,
  });
  expect(discovered.map((p) => p.ok)).toEqual([true, true]); // package.json alone cannot tell…
  const stale = await loadPlugin('greeter-plugin-stale', { cwd: project.dir }).catch((e: unknown) => e);
  expect(PluginError.isInstance(stale) && stale.code).toBe('ERR_PLUGIN_INCOMPATIBLE'); // …the stamp can.
  expect((stale as PluginError).fix).toContain('Rebuild greeter-plugin-stale');
});
