import { greeter, type PluginError, transformer } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, loadPlugin } from '../src/index.js';
import { ENGLISH_CJS, Project } from './fixtures.js';
import { rejection } from './isolation-helpers.js';

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

/** Loads `spec` and returns the PluginError it fails with. */
function failure(spec: string, options: Parameters<typeof loadPlugin>[1] = {}): Promise<PluginError> {
  return rejection(loadPlugin(spec, { cwd: project.dir, ...options }));
}

describe('loadPlugin, in-process', () => {
  it('opens an ESM plugin by package name, looks up its export and calls it', async () => {
    project.addPlugin('greeter-plugin-english');
    const english = await loadPlugin('greeter-plugin-english', { cwd: project.dir, contract: greeter });
    expect(english.name).toBe('greeter-plugin-english');
    expect(english.isolation).toBe('in-process');
    expect(await english.plugin.greet('World')).toBe('Hello, World! Nice to meet you.');
    expect(await english.plugin.lang()).toBe('English');
  });

  it('opens a CommonJS plugin', async () => {
    project.addPlugin('greeter-plugin-cjs', {
      packageJson: { type: 'commonjs', exports: undefined, main: 'main.js' },
      files: { 'main.js': ENGLISH_CJS },
    });
    const handle = await loadPlugin('greeter-plugin-cjs', { cwd: project.dir, contract: greeter });
    expect(await handle.plugin.greet('Go')).toBe('Hello, Go! Nice to meet you.');
  });

  it('opens a plugin by path, relative or absolute, and by a custom export name', async () => {
    const dir = project.addPlugin(
      'greeter-plugin-path',
      {
        packageJson: { xPlugin: { contract: 'greeter', export: 'Greeter' } },
        files: { 'index.js': ENGLISH_ESM_AS('Greeter') },
      },
      'plugins/english',
    );
    const relative = await loadPlugin('./plugins/english', { cwd: project.dir });
    const absolute = await loadPlugin(dir, { cwd: '/' });
    expect(await relative.call('greet', ['A'])).toBe('Hello, A! Nice to meet you.');
    expect(await absolute.call('lang', [])).toBe('English');
  });

  it('looks plugins up in node_modules folders above cwd, as Node does', async () => {
    project.addPlugin('greeter-plugin-english');
    project.write('packages/app/package.json', '{}');
    const handle = await loadPlugin('greeter-plugin-english', { cwd: `${project.dir}/packages/app` });
    expect(handle.dir).toBe(`${project.dir}/node_modules/greeter-plugin-english`);
  });

  it('stops answering after close()', async () => {
    project.addPlugin('greeter-plugin-english');
    const handle = await loadPlugin('greeter-plugin-english', { cwd: project.dir, contract: greeter });
    await handle.close();
    await handle.close();
    expect(handle.closed).toBe(true);
    await expect(handle.plugin.lang()).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
  });
});

describe('loadPlugin errors', () => {
  it('ERR_PLUGIN_NOT_FOUND for a package that is not installed', async () => {
    const error = await failure('greeter-plugin-french');
    expect(error.code).toBe('ERR_PLUGIN_NOT_FOUND');
    expect(error.plugin).toBe('greeter-plugin-french');
    expect(error.message).toMatch(/^Plugin not found: greeter-plugin-french\./);
    expect(error.message).toContain('npm install greeter-plugin-french');
  });

  it('ERR_PLUGIN_NOT_FOUND for a path with no package', async () => {
    const error = await failure('./nowhere');
    expect(error.code).toBe('ERR_PLUGIN_NOT_FOUND');
    expect(error.message).toContain('no package.json');
  });

  it.each([
    [{ xPlugin: undefined }, 'xPlugin', /is missing, so this package is not a plugin/],
    [{ xPlugin: 'greeter' }, 'xPlugin', /must be an object/],
    [{ xPlugin: {} }, 'xPlugin.contract', /"xPlugin.contract" is missing/],
    [{ xPlugin: { contract: 7 } }, 'xPlugin.contract', /must be a contract name, not 7/],
    [{ xPlugin: { contract: 'greeter', export: 3 } }, 'xPlugin.export', /must be the name of an export/],
    [
      { xPlugin: { contract: 'greeter', isolation: 'vm' } },
      'xPlugin.isolation',
      /in-process, worker, process/,
    ],
  ])('ERR_PLUGIN_MANIFEST for %j names field %s', async (packageJson, field, message) => {
    project.addPlugin('bad-manifest', { packageJson });
    const error = await failure('bad-manifest');
    expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(error.details.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.fix).not.toBe('');
  });

  it('ERR_PLUGIN_MANIFEST for a package.json that is not JSON', async () => {
    project.addPlugin('broken-json');
    project.write('node_modules/broken-json/package.json', '{ "name": ');
    const error = await failure('broken-json');
    expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(error.message).toContain('could not be read as JSON');
  });

  it('ERR_PLUGIN_INCOMPATIBLE for a contract the host does not know', async () => {
    project.addPlugin('calculator', { packageJson: { xPlugin: { contract: 'calculator' } } });
    const error = await failure('calculator');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain('The host knows: greeter, transformer.');
  });

  it('ERR_PLUGIN_LOAD for an unbuilt plugin, naming the build as the fix', async () => {
    project.addPlugin('unbuilt', { packageJson: { exports: './dist/index.js' } });
    const error = await failure('unbuilt');
    expect(error.code).toBe('ERR_PLUGIN_LOAD');
    expect(error.message).toContain('the entry file does not exist');
    expect(error.fix).toContain('npm run build');
  });

  it('ERR_PLUGIN_LOAD for a syntax error and for code that throws at import', async () => {
    project.addPlugin('syntax', { files: { 'index.js': 'export const plugin = {' } });
    project.addPlugin('throws', { files: { 'index.js': "throw new Error('no config file');" } });
    const syntax = await failure('syntax');
    const throws = await failure('throws');
    expect(syntax.code).toBe('ERR_PLUGIN_LOAD');
    expect(syntax.message).toMatch(/SyntaxError|Unexpected end of input/);
    expect(throws.code).toBe('ERR_PLUGIN_LOAD');
    expect(throws.message).toContain('Importing it threw: no config file');
    expect((throws.cause as Error).message).toBe('no config file');
  });

  it('ERR_PLUGIN_CONTRACT for a missing export, naming what is exported', async () => {
    project.addPlugin('wrong-export', { files: { 'index.js': ENGLISH_ESM_AS('greeter') } });
    const error = await failure('wrong-export');
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.fix).toContain('it exports: greeter');
  });

  it('ERR_PLUGIN_CONTRACT listing every missing or mistyped method', async () => {
    project.addPlugin('half', { files: { 'index.js': 'export const plugin = { greet: "hi" };' } });
    const error = await failure('half');
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.message).toContain('greet should be function (name: string) => string but is string');
    expect(error.message).toContain('lang should be function () => string but is missing');
  });

  it('ERR_PLUGIN_CONTRACT when the caller expects another contract: reported, not mis-cast', async () => {
    project.addPlugin('greeter-plugin-english');
    const error = await failure('greeter-plugin-english', { contract: transformer });
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.message).toContain('does not implement the "transformer" contract');
  });

  it('ERR_PLUGIN_CONTRACT at call time when an answer is of the wrong kind', async () => {
    project.addPlugin('liar', {
      files: { 'index.js': 'export const plugin = { greet: () => 42, lang: async () => "x" };' },
    });
    const handle = await loadPlugin('liar', { cwd: project.dir, contract: greeter });
    await expect(handle.plugin.greet('World')).rejects.toMatchObject({
      code: 'ERR_PLUGIN_CONTRACT',
      message: expect.stringContaining('answered greeter.greet with a number'),
    });
    await expect(handle.call('greet', [1])).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    await expect(handle.call('shout', [])).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    expect(await handle.plugin.lang()).toBe('x');
  });

  it('ERR_PLUGIN_CALL when a method throws, with the cause kept', async () => {
    project.addPlugin('thrower', {
      files: {
        'index.js':
          'export const plugin = { greet() { throw new RangeError("too long"); }, lang: () => "x" };',
      },
    });
    const handle = await loadPlugin('thrower', { cwd: project.dir });
    const error = await rejection(handle.call('greet', ['a']));
    expect(error.code).toBe('ERR_PLUGIN_CALL');
    expect(error.message).toContain('RangeError: too long');
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('ERR_PLUGIN_TIMEOUT for an async call that outlives its timeout, ERR_PLUGIN_ABORTED for an aborted one', async () => {
    project.addPlugin('slow', {
      files: { 'index.js': 'export const plugin = { greet: () => new Promise(() => {}), lang: () => "x" };' },
    });
    const handle = await loadPlugin('slow', { cwd: project.dir });
    await expect(handle.call('greet', ['a'], { timeout: 20 })).rejects.toMatchObject({
      code: 'ERR_PLUGIN_TIMEOUT',
    });
    const controller = new AbortController();
    const pending = handle.call('greet', ['a'], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      code: 'ERR_PLUGIN_ABORTED',
      message: expect.stringContaining('aborted by the caller'),
    });
  });
});

describe('createHost().loadAll', () => {
  it('loads what it can: one bad plugin never stops the others', async () => {
    project.addPlugin('greeter-plugin-english');
    project.addPlugin('half', { files: { 'index.js': 'export const plugin = {};' } });
    const host = createHost({ cwd: project.dir });
    const results = await host.loadAll(['greeter-plugin-french', 'half', 'greeter-plugin-english'], {
      contract: greeter,
    });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ERR_PLUGIN_NOT_FOUND',
      'ERR_PLUGIN_CONTRACT',
      'ok',
    ]);
    const english = results[2]!;
    expect(english.ok && (await english.handle.plugin.lang())).toBe('English');
    await host.close();
    expect(english.ok && english.handle.closed).toBe(true);
  });
});

function ENGLISH_ESM_AS(name: string): string {
  return `export const ${name} = { greet: (n) => \`Hello, \${n}! Nice to meet you.\`, lang: () => 'English' };`;
}
