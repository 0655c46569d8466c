import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { greeter, PluginError } from '@x/contract';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadPlugin } from '../src/index.js';
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
