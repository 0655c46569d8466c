import { existsSync } from 'node:fs';
import { contractToJson, defineContract, type PluginError, t } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, loadPlugin } from '../src/index.js';
import { addShapesContract, addShapesPlugin, shapesSource } from './contract-fixtures.js';
import { Project } from './fixtures.js';
import { rejection } from './isolation-helpers.js';

let project: Project;
beforeEach(() => {
  project = new Project();
  project.link('@x/contract');
});
afterEach(() => project.remove());

// What the host app was built against: shapes 1.2.0, area(box).
const hostShapes = defineContract({
  name: 'shapes',
  version: '1.2.0',
  methods: {
    area: {
      params: [{ name: 'box', type: t.object({ w: t.number(), h: t.number() }) }],
      returns: t.number(),
    },
    name: { params: [], returns: 'string' },
  },
});

const failure = (options: Parameters<typeof loadPlugin>[1] = {}): Promise<PluginError> =>
  rejection(loadPlugin('shapes-plugin', { cwd: project.dir, ...options }));

describe('contract packages in xPlugin.contract', () => {
  it.each(['in-process', 'worker'] as const)(
    'resolves the contract from the plugin folder, no registration (%s)',
    async (isolation) => {
      addShapesContract(project);
      addShapesPlugin(project);
      const handle = await loadPlugin('shapes-plugin', { cwd: project.dir, isolation });
      try {
        expect(handle.contract.name).toBe('shapes');
        expect(await handle.call('area', [{ w: 2, h: 3 }])).toBe(6);
        const refused = await rejection(handle.call('area', [{ w: '2', h: 3 }]));
        expect(refused.code).toBe('ERR_PLUGIN_CONTRACT');
        expect(refused.message).toContain('box.w: expected number, got string');
      } finally {
        await handle.close();
      }
    },
  );

  it('accepts the bare package name when the package exports one contract, and a compatible host contract', async () => {
    addShapesContract(project);
    addShapesPlugin(project, { contract: 'shapes-contract' });
    const host = createHost({ cwd: project.dir });
    const handle = await host.load('shapes-plugin', { contract: hostShapes });
    expect(await handle.plugin.area({ w: 4, h: 5 })).toBe(20);
    await host.close();
  });

  it("refuses an installed contract outside the plugin's peer range, before plugin code runs", async () => {
    addShapesContract(project, '2.0.0');
    const marker = addShapesPlugin(project, { range: '^1.0.0' });
    const error = await failure();
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain(
      'Plugin "shapes-plugin" requires shapes-contract ^1.0.0, but 2.0.0 is installed.',
    );
    expect(error.details).toMatchObject({ reason: 'contract-package', contractPackage: 'shapes-contract' });
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a contract package that is not installed, or not a peer dependency', async () => {
    const marker = addShapesPlugin(project);
    const missing = await failure();
    expect(missing.details).toMatchObject({ reason: 'contract-package', contractPackage: 'shapes-contract' });
    expect(missing.message).toContain('which is not installed');
    expect(missing.fix).toContain('npm install shapes-contract@"^1.0.0"');
    addShapesContract(project);
    project.write(
      'node_modules/shapes-plugin/package.json',
      JSON.stringify({
        name: 'shapes-plugin',
        version: '1.0.0',
        type: 'module',
        exports: './index.js',
        xPlugin: { contract: 'shapes-contract#shapes' },
        peerDependencies: { '@x/contract': '^1.0.0' },
      }),
    );
    expect((await failure()).message).toContain('has no peerDependencies["shapes-contract"]');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses an export that is not a contract', async () => {
    addShapesContract(project);
    addShapesPlugin(project, { contract: 'shapes-contract#nope' });
    const error = await failure();
    expect(error.details).toMatchObject({ reason: 'contract-package' });
    expect(error.message).toContain('It exports shapes, and "nope" is not a contract.');
  });

  it("refuses a contract package whose structure breaks the host's, naming the method and the change", async () => {
    addShapesContract(
      project,
      '1.3.0',
      shapesSource(
        "[{ name: 'box', type: t.object({ w: t.number(), h: t.number() }) }, { name: 'unit', type: t.string() }]",
      ),
    );
    const marker = addShapesPlugin(project);
    const error = await failure({ contract: hostShapes });
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain('area: the param "unit" was added as required; callers do not pass it.');
    expect(error.details).toMatchObject({
      reason: 'contract-structure',
      method: 'area',
      change: 'param-added-required',
    });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a custom contract passed to load', () => {
  it('needs no registration (DESIGN.md: load(spec, { contract }) alone is enough)', async () => {
    addShapesPlugin(project, { contract: 'shapes' });
    const handle = await loadPlugin('shapes-plugin', { cwd: project.dir, contract: hostShapes });
    expect(await handle.plugin.area({ w: 1, h: 7 })).toBe(7);
    await handle.close();
    const unknown = await failure();
    expect(unknown.details).toMatchObject({ reason: 'contract-name' });
  });
});

describe('the contract the plugin was built against', () => {
  it('refuses, before its code runs, a plugin whose x-plugin.contract.json breaks the host contract', async () => {
    addShapesContract(project);
    const narrowed = defineContract({
      ...hostShapes,
      methods: {
        ...hostShapes.methods,
        area: {
          params: [{ name: 'box', type: t.object({ w: t.integer(), h: t.number() }) }],
          returns: t.number(),
        },
      },
    });
    const marker = addShapesPlugin(project, {
      files: { 'x-plugin.contract.json': JSON.stringify(contractToJson(narrowed)) },
    });
    const error = await failure({ contract: hostShapes });
    expect(error.details).toMatchObject({
      reason: 'contract-structure',
      method: 'area',
      change: 'type-narrowed',
      source: 'contract file',
    });
    expect(error.message).toContain(
      'the param "box" narrowed from { w: number, h: number } to { w: integer, h: number }',
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('accepts a compatible x-plugin.contract.json, and refuses an unreadable one', async () => {
    addShapesContract(project);
    addShapesPlugin(project, {
      files: { 'x-plugin.contract.json': JSON.stringify(contractToJson(hostShapes)) },
    });
    const handle = await loadPlugin('shapes-plugin', { cwd: project.dir, contract: hostShapes });
    await handle.close();
    project.write(
      'node_modules/shapes-plugin/x-plugin.contract.json',
      '{"name": "shapes", "methods": {"area": {"params": [{"type": "wat"}]}}}',
    );
    const unreadable = await failure();
    expect(unreadable.details).toMatchObject({ reason: 'contract-structure', source: 'contract file' });
    expect(unreadable.message).toContain('carries an unreadable contract schema (contract file)');
    project.write('node_modules/shapes-plugin/x-plugin.contract.json', '{ not json');
    expect((await failure()).code).toBe('ERR_PLUGIN_MANIFEST');
  });

  it('refuses at run time, before any call, a build stamp whose schema breaks the contract', async () => {
    project.addPlugin('greeter-two-args', {
      files: {
        'index.js': `export const plugin = { greet: (n, m) => n + m, lang: () => 'English' };
Object.defineProperty(plugin, Symbol.for('x.plugin.stamp'), { value: {
  contract: 'greeter', contractVersion: '1.0.0', sdkVersion: '1.0.0',
  schema: { name: 'greeter', methods: {
    greet: { params: [{ name: 'name', type: { type: 'string' } }, { name: 'mood', type: { type: 'string' } }], returns: { type: 'string' } },
    lang: { params: [], returns: { type: 'string' } } } } } });`,
      },
    });
    const error = await rejection(loadPlugin('greeter-two-args', { cwd: project.dir }));
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.details).toMatchObject({
      reason: 'contract-structure',
      method: 'greet',
      change: 'param-added-required',
      source: 'build stamp',
    });
  });
});
