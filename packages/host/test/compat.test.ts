import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_VERSION, contractToJson, greeter, type PluginError } from '@x/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPlugins, loadPlugin } from '../src/index.js';
import { Project } from './fixtures.js';
import { rejection } from './isolation-helpers.js';

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

/** Loads `spec` and returns the PluginError it fails with. */
function failure(spec: string): Promise<PluginError> {
  return rejection(loadPlugin(spec, { cwd: project.dir }));
}

/** A plugin whose import would leave a file behind: proof, when absent, that no plugin code ran. */
function addTrippedPlugin(name: string, packageJson: Record<string, unknown>): string {
  const marker = join(project.dir, `${name}.imported`);
  project.addPlugin(name, {
    packageJson,
    files: {
      'index.js': `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'English' };`,
    },
  });
  return marker;
}

/** A plugin stamped as definePlugin stamps it, with the versions given. */
function stamped(contractVersion: unknown, contract = 'greeter'): string {
  return `export const plugin = { greet: (n) => 'Hi ' + n, lang: () => 'English' };
Object.defineProperty(plugin, Symbol.for('x.plugin.stamp'), {
  value: Object.freeze({ contract: ${JSON.stringify(contract)}, contractVersion: ${JSON.stringify(contractVersion)}, sdkVersion: '1.0.0' }),
});`;
}

const peer = (range: string) => ({ peerDependencies: { '@x/contract': range } });

describe('the peer range, checked before any plugin code runs', () => {
  it('refuses a plugin for the next major, naming the host upgrade as the fix', async () => {
    const marker = addTrippedPlugin('greeter-plugin-next', peer('^2.0.0'));
    const error = await failure('greeter-plugin-next');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.plugin).toBe('greeter-plugin-next');
    expect(error.message).toContain(
      `Plugin "greeter-plugin-next" requires @x/contract ^2.0.0, but this host has @x/contract ${CONTRACT_VERSION}.`,
    );
    expect(error.fix).toContain('npm install @x/contract@"^2.0.0"');
    expect(error.details).toMatchObject({
      reason: 'contract-version',
      required: { contractName: 'greeter', contract: '^2.0.0' },
      actual: { contract: CONTRACT_VERSION, node: process.version },
      reasons: [{ code: 'ERR_PLUGIN_INCOMPATIBLE', details: { reason: 'contract-version' } }],
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a plugin for an older major, naming the plugin upgrade as the fix', async () => {
    addTrippedPlugin('greeter-plugin-old', peer('^0.9.0'));
    const error = await failure('greeter-plugin-old');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.why).toContain('older contract');
    expect(error.fix).toContain('npm install greeter-plugin-old@latest');
    expect(error.fix).toContain("downgrade the host's @x/contract to a version in ^0.9.0");
  });

  it('refuses a plugin that needs a newer minor than the host has (^1.3.0 on 1.0.0)', async () => {
    addTrippedPlugin('greeter-plugin-minor', peer('^1.3.0'));
    const error = await failure('greeter-plugin-minor');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.why).toContain('newer contract');
    expect(error.fix).toContain('to a version in ^1.3.0');
  });

  it('treats a prerelease range by semver order: ^1.1.0-beta.2 needs more than 1.0.0, ^1.0.0-rc.1 is met', async () => {
    addTrippedPlugin('greeter-plugin-beta', peer('^1.1.0-beta.2'));
    const error = await failure('greeter-plugin-beta');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.fix).toContain('@x/contract@"^1.1.0-beta.2"');
    const marker = addTrippedPlugin('greeter-plugin-rc', peer('^1.0.0-rc.1'));
    const handle = await loadPlugin('greeter-plugin-rc', { cwd: project.dir, contract: greeter });
    expect(await handle.plugin.greet('Go')).toBe('Hi Go');
    expect(existsSync(marker)).toBe(true);
  });

  it('judges a host on a release candidate: 1.2.0-rc.1 meets ^1.1.0, not ^1.2.0 nor ^2.0.0-0', () => {
    project.addPlugin('p-110', { packageJson: peer('^1.1.0') });
    project.addPlugin('p-120', { packageJson: peer('^1.2.0') });
    project.addPlugin('p-200', { packageJson: peer('^2.0.0-0') });
    const found = discoverPlugins({
      paths: ['p-110', 'p-120', 'p-200'],
      cwd: project.dir,
      host: { contract: '1.2.0-rc.1', node: process.version },
    });
    expect(found.map((p) => [p.name, p.ok])).toEqual([
      ['p-110', true],
      ['p-120', false],
      ['p-200', false],
    ]);
  });

  it('ERR_PLUGIN_MANIFEST, naming the field, for a missing or unreadable peer range', async () => {
    project.addPlugin('no-peer', { packageJson: { peerDependencies: undefined } });
    project.addPlugin('dep-not-peer', {
      packageJson: { peerDependencies: undefined, dependencies: { '@x/contract': '^1.0.0' } },
    });
    project.addPlugin('bad-peer', { packageJson: peer('one point oh') });
    const missing = await failure('no-peer');
    expect(missing.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(missing.details.field).toBe('peerDependencies["@x/contract"]');
    expect(missing.fix).toContain('"peerDependencies": { "@x/contract": "^1.0.0" }');
    expect((await failure('dep-not-peer')).fix).toContain('Move "@x/contract" from "dependencies"');
    const bad = await failure('bad-peer');
    expect(bad.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(bad.message).toContain('must be a semver range, not "one point oh"');
  });
});

describe('the contract name and the manifest', () => {
  it('ERR_PLUGIN_INCOMPATIBLE for a contract the host does not know, naming how to register it', async () => {
    addTrippedPlugin('calculator', { xPlugin: { contract: 'calculator' } });
    const error = await failure('calculator');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.fix).toContain('register "calculator" with createHost({ contracts })');
    expect(error.details.reason).toBe('contract-name');
  });

  it('ERR_PLUGIN_MANIFEST for a manifest field of the wrong type, naming it', async () => {
    project.addPlugin('typed-wrong', { packageJson: { xPlugin: { contract: ['greeter'], isolation: 42 } } });
    const error = await failure('typed-wrong');
    expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(error.details.field).toBe('xPlugin.contract');
    expect(error.message).toContain('must be a contract name, not ["greeter"]');
    const [found] = discoverPlugins({ paths: ['typed-wrong'], cwd: project.dir });
    expect(found?.problems.map((p) => p.details.field)).toEqual(['xPlugin.contract', 'xPlugin.isolation']);
  });

  it('loads a plugin with an unknown manifest field, and discovery warns of it', async () => {
    project.addPlugin('typo', { packageJson: { xPlugin: { contract: 'greeter', isolaton: 'worker' } } });
    const handle = await loadPlugin('typo', { cwd: project.dir });
    expect(handle.isolation).toBe('in-process');
    const [found] = discoverPlugins({ paths: ['typo'], cwd: project.dir });
    expect(found?.ok).toBe(true);
    expect(found?.warnings[0]?.message).toContain('unknown manifest field "xPlugin.isolaton"');
  });

  it('checks engines.node against the running Node, and its syntax', async () => {
    addTrippedPlugin('future-node', { engines: { node: '>=99' } });
    project.addPlugin('bad-engines', { packageJson: { engines: { node: 'latest please' } } });
    const error = await failure('future-node');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain(`requires Node.js >=99, but this host runs Node.js ${process.version}`);
    expect(error.fix).toContain('Run the host on a Node.js version in >=99');
    expect((await failure('bad-engines')).details.field).toBe('engines.node');
  });

  it('names every broken rule at once in one error', async () => {
    const marker = addTrippedPlugin('all-wrong', { ...peer('^2.0.0'), engines: { node: '>=99' } });
    const error = await failure('all-wrong');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain('is not compatible with this host, for 2 reasons');
    expect(error.message).toContain('(1) Plugin "all-wrong" requires @x/contract ^2.0.0');
    expect(error.message).toContain('(2) Plugin "all-wrong" requires Node.js >=99');
    expect((error.details.reasons as unknown[]).length).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the build stamp, checked on the code actually loaded', () => {
  it('loads a plugin built with the real @x/sdk, and keeps its stamp', async () => {
    project.link('@x/contract');
    project.link('@x/sdk');
    project.addPlugin('greeter-plugin-sdk', {
      files: {
        'index.js': `import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';
export const plugin = definePlugin(greeter, { greet: (n) => 'Hi ' + n, lang: () => 'English' });`,
      },
    });
    const handle = await loadPlugin('greeter-plugin-sdk', { cwd: project.dir, contract: greeter });
    // Version 2 stamps also carry the contract's schema (docs/compatibility.md).
    expect(handle.stamp).toEqual({
      contract: 'greeter',
      contractVersion: CONTRACT_VERSION,
      sdkVersion: '1.0.0',
      schema: contractToJson(greeter),
    });
  });

  it('reports a plugin whose package.json and build disagree, and says rebuild', async () => {
    project.addPlugin('liar', { packageJson: peer('^1.0.0'), files: { 'index.js': stamped('2.1.0') } });
    const error = await failure('liar');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain('for 2 reasons');
    expect(error.message).toContain(
      'was built against @x/contract 2.1.0, but its package.json declares ^1.0.0',
    );
    expect(error.message).toContain('(the 2.x line), but this host has 1.0.0 (the 1.x line)');
    expect(error.fix).toContain('Rebuild liar with @x/sdk (npm run build)');
    expect(error.details.actual).toMatchObject({ built: { contractVersion: '2.1.0' } });
  });

  it('reports a build on another contract line even when its package.json admits the host', async () => {
    project.addPlugin('wide', { packageJson: peer('>=0.9.0'), files: { 'index.js': stamped('0.9.3') } });
    const error = await failure('wide');
    expect(error.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain('built against @x/contract 0.9.3 (the 0.9.x line)');
    expect(error.fix).toContain('against @x/contract ^1.0.0');
  });

  it('reports an unreadable stamp, and accepts a build older in the same line', async () => {
    project.addPlugin('garbled', { files: { 'index.js': stamped(7) } });
    expect((await failure('garbled')).message).toContain('unreadable build stamp');
    project.addPlugin('older', {
      packageJson: peer('^1.0.0-0'),
      files: { 'index.js': stamped('1.0.0-beta.1') },
    });
    const handle = await loadPlugin('older', { cwd: project.dir });
    expect(handle.stamp?.contractVersion).toBe('1.0.0-beta.1');
  });

  it('ERR_PLUGIN_CONTRACT when the code was built for another contract than its manifest says', async () => {
    project.addPlugin('mislabelled', { files: { 'index.js': stamped('1.0.0', 'farewell') } });
    const error = await failure('mislabelled');
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(error.fix).toContain('Make xPlugin.contract in package.json say "farewell"');
  });
});
