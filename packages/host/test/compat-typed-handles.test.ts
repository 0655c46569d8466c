import { type Client, type Greeter, greeter, transformer } from '@x/contract';
import { afterEach, beforeEach, expect, expectTypeOf, it } from 'vitest';
import { createHost, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

it('a host that asks for greeter plugins gets Greeter-typed handles; another contract is reported', async () => {
  project.addPlugin('greeter-plugin-english');
  project.addPlugin('transformer-plugin-upper', {
    packageJson: { xPlugin: { contract: 'transformer' } },
    files: {
      'index.js': 'export const plugin = { transform: (s) => s.toUpperCase(), name: () => "upper" };',
    },
  });
  const host = createHost({ cwd: project.dir });
  try {
    const found = host.discover({ contract: greeter, project: true });
    expect(found.map((p) => p.name)).toEqual([]); // neither is a dependency of the fixture app
    const english = await host.load('greeter-plugin-english', { contract: greeter });
    expectTypeOf(english).toEqualTypeOf<PluginHandle<typeof greeter>>();
    expectTypeOf(english.plugin).toEqualTypeOf<Client<typeof greeter>>();
    expectTypeOf<Awaited<ReturnType<typeof english.plugin.greet>>>().toEqualTypeOf<
      ReturnType<Greeter['greet']>
    >();
    expect(await english.plugin.greet('Go')).toBe('Hello, Go! Nice to meet you.');
    const results = await host.loadAll(['greeter-plugin-english', 'transformer-plugin-upper'], {
      contract: greeter,
    });
    expect(results.map((r) => (r.ok ? r.handle.contract.name : r.error.code))).toEqual([
      'greeter',
      'ERR_PLUGIN_CONTRACT',
    ]);
    const upper = await host.load('transformer-plugin-upper', { contract: transformer });
    expect(await upper.plugin.transform('go')).toBe('GO');
  } finally {
    await host.close();
  }
});
