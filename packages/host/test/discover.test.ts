import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter, transformer } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, discoverPlugins, silentLogger } from '../src/index.js';
import { Project } from './fixtures.js';

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

/** Writes the project's own package.json, listing its dependencies. */
function dependsOn(deps: Record<string, string[]>): void {
  const fields = Object.fromEntries(
    Object.entries(deps).map(([field, names]) => [field, Object.fromEntries(names.map((n) => [n, '*']))]),
  );
  project.write('package.json', JSON.stringify({ name: 'app', private: true, ...fields }));
}

const TRIP = 'throw new Error("discovery must not import plugin code");';

describe('discoverPlugins in a project', () => {
  it("finds the project's plugin dependencies, and only them, without importing any", () => {
    project.addPlugin('greeter-plugin-english', { files: { 'index.js': TRIP } });
    project.addPlugin('transformer-plugin-upper', {
      packageJson: { xPlugin: { contract: 'transformer' } },
      files: { 'index.js': TRIP },
    });
    project.addPlugin('greeter-plugin-next', {
      packageJson: { peerDependencies: { '@x/contract': '^2.0.0' } },
      files: { 'index.js': TRIP },
    });
    // Installed but not a dependency, a dependency without the keyword, and one not installed.
    project.addPlugin('greeter-plugin-stray');
    project.addPlugin('not-a-plugin', { packageJson: { keywords: [], xPlugin: undefined } });
    project.addPlugin('keyword-only', { packageJson: { xPlugin: undefined } });
    dependsOn({
      dependencies: ['greeter-plugin-english', 'not-a-plugin', 'keyword-only', 'missing-one'],
      devDependencies: ['transformer-plugin-upper'],
      optionalDependencies: ['greeter-plugin-next'],
    });
    const found = discoverPlugins({ cwd: project.dir });
    expect(found.map((p) => [p.name, p.contract, p.source, p.ok])).toEqual([
      ['greeter-plugin-english', 'greeter', 'dependency', true],
      ['transformer-plugin-upper', 'transformer', 'dependency', true],
      ['greeter-plugin-next', 'greeter', 'dependency', false],
    ]);
    const next = found[2]!;
    expect(next.problems.map((p) => p.code)).toEqual(['ERR_PLUGIN_INCOMPATIBLE']);
    expect(next.verdict).toMatchObject({ ok: false, required: { contract: '^2.0.0' } });
    expect(discoverPlugins({ cwd: project.dir, contract: transformer }).map((p) => p.name)).toEqual([
      'transformer-plugin-upper',
    ]);
  });

  it('finds plugins hoisted above a workspace package, from a subfolder of it', () => {
    project.addPlugin('greeter-plugin-english');
    project.write(
      'packages/app/package.json',
      JSON.stringify({ name: 'app', dependencies: { 'greeter-plugin-english': '*' } }),
    );
    project.write('packages/app/src/.keep', '');
    const found = discoverPlugins({ cwd: join(project.dir, 'packages/app/src') });
    expect(found.map((p) => p.dir)).toEqual([join(project.dir, 'node_modules/greeter-plugin-english')]);
  });

  it('ERR_PLUGIN_NOT_FOUND when there is no project', () => {
    expect(() => discoverPlugins({ cwd: '/' })).toThrow(
      expect.objectContaining({ code: 'ERR_PLUGIN_NOT_FOUND' }),
    );
  });
});

describe('discoverPlugins in a plugin directory and by path', () => {
  it('finds every plugin package of a directory, scoped ones too, each once', () => {
    project.addPlugin('english', {}, 'plugins/english');
    project.addPlugin(
      '@acme/french',
      { packageJson: { xPlugin: { contract: 'greeter', isolation: 'worker' } } },
      'plugins/@acme/french',
    );
    project.addPlugin('broken', { packageJson: { xPlugin: { contract: 7 } } }, 'plugins/broken');
    project.write('plugins/notes/package.json', '{"name":"notes"}');
    project.write('plugins/README.md', 'not a package');
    const found = discoverPlugins({
      dir: join(project.dir, 'plugins'),
      paths: ['./plugins/english'],
      cwd: project.dir,
    });
    expect(found.map((p) => [p.name, p.source, p.isolation, p.ok])).toEqual([
      ['english', 'path', 'in-process', true],
      ['@acme/french', 'directory', 'worker', true],
      ['broken', 'directory', undefined, false],
    ]);
    expect(found[2]!.problems[0]!.code).toBe('ERR_PLUGIN_MANIFEST');
  });

  it('reports a named plugin it cannot find, instead of throwing', () => {
    const [found] = discoverPlugins({ paths: ['greeter-plugin-french'], cwd: project.dir });
    expect(found).toMatchObject({ name: 'greeter-plugin-french', ok: false });
    expect(found!.problems[0]!.code).toBe('ERR_PLUGIN_NOT_FOUND');
  });
});

describe('host.discover', () => {
  it("uses the host's cwd and contracts, and feeds host.load with typed handles", async () => {
    project.addPlugin('greeter-plugin-english');
    dependsOn({ dependencies: ['greeter-plugin-english'] });
    const host = createHost({ cwd: project.dir });
    try {
      const [english] = host.discover();
      expect(english?.ok).toBe(true);
      const handle = await host.load(english!.dir, { contract: greeter });
      expect(await handle.plugin.greet('Go')).toBe('Hello, Go! Nice to meet you.');
      expect(host.discover({ dir: project.dir })).toEqual([]);
    } finally {
      await host.close();
    }
  });
});

describe('discoverPlugins with a broken launch manifest', () => {
  it('reports a bad xPlugin.command or protocol as that plugin’s problem, and goes on with the others', () => {
    project.addPlugin('greeter-plugin-english', {}, 'plugins/english');
    project.addPlugin(
      'bad-command',
      { packageJson: { xPlugin: { contract: 'greeter', command: 'nope' } } },
      'plugins/bad-command',
    );
    project.addPlugin(
      'bad-protocol',
      { packageJson: { xPlugin: { contract: 'greeter', protocol: 'grpc' } } },
      'plugins/bad-protocol',
    );
    const found = discoverPlugins({ dir: join(project.dir, 'plugins') });
    expect(found.map((p) => [p.name, p.ok, p.problems.map((e) => e.details.field)])).toEqual([
      ['bad-command', false, ['xPlugin.command']],
      ['bad-protocol', false, ['xPlugin.protocol']],
      ['greeter-plugin-english', true, []],
    ]);
  });
});

describe("a host's load of a plugin it discovered", () => {
  it('reuses the manifest discovery validated, and reads it again once the file changed', async () => {
    const dir = project.addPlugin('greeter-plugin-english');
    dependsOn({ dependencies: ['greeter-plugin-english'] });
    // Silent: the second in-process load of the same module warns that it gets its old code.
    const host = createHost({ cwd: project.dir, logger: silentLogger });
    try {
      const [found] = host.discover();
      expect(found?.ok).toBe(true);
      const first = await host.load(found!.dir);
      expect(first.manifest).toBe(found!.package!.manifest);
      await first.close();
      // The same bytes written again: a new change time, so the file is read (and validated) anew.
      const file = join(dir, 'package.json');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text);
      const second = await host.load(found!.dir);
      expect(second.manifest).not.toBe(found!.package!.manifest);
      expect(second.manifest).toEqual(found!.package!.manifest);
      await second.close();
      // An edit that breaks the manifest after discovery fails the load, as a first read would.
      writeFileSync(file, text.replace('"greeter"', '"no such contract!"'));
      await expect(host.load(found!.dir)).rejects.toMatchObject({ code: 'ERR_PLUGIN_INCOMPATIBLE' });
    } finally {
      await host.close();
    }
  });
});
