import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type LoadOptions,
  loadPlugin,
  type PluginHandle,
  type ResolvedPermissions,
  silentLogger,
} from '../src/index.js';
import { Project } from './fixtures.js';
import { assertNothingLeft, rejection, snapshot, warmUp } from './isolation-helpers.js';

// greet("read:<path>") reads a file, greet("spawn") starts a child: enough to see what was granted.
const PROBE = `import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
export const plugin = {
  greet(what) {
    const [verb, path] = what.split(/:(.*)/s);
    if (verb === 'read') return readFileSync(path, 'utf8');
    if (verb === 'spawn') return execFileSync(process.execPath, ['-e', 'process.stdout.write("child")'], { encoding: 'utf8' });
    return 'Hello, ' + what;
  },
  lang: () => 'English',
};
`;

let project: Project;
let handles: PluginHandle<typeof greeter>[];
let before: ReturnType<typeof snapshot>;
let pids: number[];
let dir: string;
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  project.link('@x/contract');
  project.write('shared/config.txt', 'shared config');
  project.write('secret/key.txt', 'host secret');
  handles = [];
  pids = [];
  before = snapshot();
});
afterEach(async () => {
  await Promise.allSettled(handles.map((h) => h.close()));
  await assertNothingLeft(before, pids);
  project.remove();
});

function addProbe(permissions?: Record<string, unknown>): void {
  dir = project.addPlugin('greeter-plugin-probe', {
    packageJson: {
      xPlugin: { contract: 'greeter', isolation: 'process', ...(permissions && { permissions }) },
    },
    files: { 'index.js': PROBE },
  });
}

async function load(options: LoadOptions<typeof greeter>): Promise<PluginHandle<typeof greeter>> {
  const handle = await loadPlugin('greeter-plugin-probe', {
    cwd: project.dir,
    contract: greeter,
    logger: silentLogger,
    permissions: 'manifest',
    ...options,
  });
  handles.push(handle);
  if (handle.pid !== undefined) pids.push(handle.pid);
  return handle;
}

const ASKS = { fsRead: ['../../shared', '../../secret'], childProcess: true };

describe("permissions: 'manifest' grants only what the host's policy allows", () => {
  it('fails closed: with no policy, a plugin that asks for anything does not load, and each ask is named', async () => {
    addProbe(ASKS);
    const error = await rejection(load({}));
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.refused).toEqual([
      `fsRead ${join(project.dir, 'shared')}`,
      `fsRead ${join(project.dir, 'secret')}`,
      'childProcess',
    ]);
    expect(error.fix).toContain('allowPermissions');
    expect(pids).toEqual([]);
  });

  it('a plugin that asks for nothing loads under any policy, as under "none"', async () => {
    addProbe();
    const probe = await load({});
    expect(await probe.plugin.greet('World')).toBe('Hello, World');
  });

  it('allowPermissions: grants a request it covers; refuses, by name, what it does not (a ".." escape included)', async () => {
    addProbe({ fsRead: ['../../shared'] });
    const probe = await load({ allowPermissions: { fsRead: [join(project.dir, 'shared')] } });
    expect(await probe.plugin.greet(`read:${join(project.dir, 'shared/config.txt')}`)).toBe('shared config');
    expect((await rejection(probe.plugin.greet(`read:${join(project.dir, 'secret/key.txt')}`))).code).toBe(
      'ERR_PLUGIN_PERMISSION',
    );

    addProbe({ ...ASKS, fsRead: ['../../shared/../secret'] });
    const error = await rejection(
      load({ allowPermissions: { fsRead: [join(project.dir, 'shared')], worker: true } }),
    );
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.refused).toEqual([`fsRead ${join(project.dir, 'secret')}`, 'childProcess']);
  });

  it('compares real paths: a link inside an allowed folder to a folder outside it is not allowed', async () => {
    symlinkSync(join(project.dir, 'secret'), join(project.dir, 'shared/link'));
    addProbe({ fsRead: ['../../shared/link'] });
    const error = await rejection(load({ allowPermissions: { fsRead: [join(project.dir, 'shared')] } }));
    expect(error.details.refused).toEqual([`fsRead ${join(project.dir, 'shared/link')}`]);
  });

  it('"*" in a request is allowed only by "*"', async () => {
    addProbe({ fsRead: ['*'] });
    const error = await rejection(load({ allowPermissions: { fsRead: ['/'] } }));
    expect(error.details.refused).toEqual(['fsRead *']);
  });

  it('approvePermissions: asked with absolute paths and the plugin; true, false or an allow-list, sync or async', async () => {
    addProbe(ASKS);
    const seen: [ResolvedPermissions, { name: string; version: string; dir: string }][] = [];
    const probe = await load({
      approvePermissions: async (requested, plugin) => {
        seen.push([requested, plugin]);
        return true;
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toMatchObject({
      fsRead: [join(project.dir, 'shared'), join(project.dir, 'secret')],
      childProcess: true,
      worker: false,
    });
    expect(seen[0]![1]).toEqual({ name: 'greeter-plugin-probe', version: '1.0.0', dir });
    expect(await probe.plugin.greet('spawn')).toBe('child');

    const refusedAll = await rejection(load({ approvePermissions: () => false }));
    expect(refusedAll.details.refused).toHaveLength(3);
    const partly = await rejection(load({ approvePermissions: () => ({ fsRead: ['../../shared'] }) }));
    expect(partly.details.refused).toEqual([`fsRead ${join(project.dir, 'secret')}`, 'childProcess']);
    // Both given: a request must pass each.
    const both = await rejection(
      load({
        allowPermissions: { childProcess: true, fsRead: ['/'] },
        approvePermissions: () => ({ fsRead: ['/'] }),
      }),
    );
    expect(both.details.refused).toEqual(['childProcess']);
  });

  it('refuses a malformed policy with a coded error naming the option', async () => {
    addProbe(ASKS);
    const list = await rejection(load({ allowPermissions: { fsRead: '/srv' as unknown as string[] } }));
    expect(list.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(list.details.option).toBe('allowPermissions.fsRead');
    const fn = await rejection(load({ approvePermissions: 'yes' as never }));
    expect(fn.details.option).toBe('approvePermissions');
    const answer = await rejection(load({ approvePermissions: () => 'yes' as never }));
    expect(answer.details.option).toMatch(/^approvePermissions/);
  });
});
