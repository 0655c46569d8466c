import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LoadOptions, loadPlugin, type PluginHandle, silentLogger } from '../src/index.js';
import { Project } from './fixtures.js';
import { assertNothingLeft, rejection, snapshot, warmUp } from './isolation-helpers.js';

// A greeter whose greet(name) does what `name` says, so that one contract can probe every right:
// "read:<path>", "write:<path>", "spawn", "worker"; anything else is greeted. It imports a
// declared dependency and @x/contract (a symlinked workspace package) to prove both stay loadable.
const PROBE = `import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { CONTRACT_VERSION } from '@x/contract';
import { suffix } from 'probe-dep';
export const plugin = {
  async greet(what) {
    const [verb, path] = what.split(/:(.*)/s);
    if (verb === 'read') return readFileSync(path, 'utf8');
    if (verb === 'write') { writeFileSync(path, 'written'); return 'wrote'; }
    if (verb === 'spawn') return execFileSync(process.execPath, ['-e', 'process.stdout.write("child")'], { encoding: 'utf8' });
    if (verb === 'worker') {
      const worker = new Worker('1', { eval: true });
      await new Promise((resolve) => worker.once('exit', resolve));
      return 'worker ran';
    }
    return \`Hello, \${what}\${suffix} (contract \${CONTRACT_VERSION})\`;
  },
  lang: () => 'English',
};
`;

let project: Project;
let handles: PluginHandle<typeof greeter>[];
let before: ReturnType<typeof snapshot>;
let pids: number[];
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  project.link('@x/contract');
  project.addPlugin('probe-dep', {
    packageJson: { xPlugin: undefined, peerDependencies: undefined },
    files: { 'index.js': "export const suffix = '!';\n" },
  });
  project.write('shared/config.txt', 'shared config');
  project.write('secret.txt', 'host secret');
  handles = [];
  pids = [];
  before = snapshot();
});
afterEach(async () => {
  await Promise.allSettled(handles.map((h) => h.close()));
  await assertNothingLeft(before, pids);
  project.remove();
});

function addProbe(permissions?: Record<string, unknown>): string {
  return project.addPlugin('greeter-plugin-probe', {
    packageJson: {
      xPlugin: { contract: 'greeter', isolation: 'process', ...(permissions && { permissions }) },
      dependencies: { 'probe-dep': '^1.0.0' },
    },
    files: { 'index.js': PROBE, 'data/own.txt': 'own data' },
  });
}

async function load(options: LoadOptions<typeof greeter>): Promise<PluginHandle<typeof greeter>> {
  // Silent: Node's SecurityWarning for --allow-child-process / --allow-worker is expected here.
  const handle = await loadPlugin('greeter-plugin-probe', {
    cwd: project.dir,
    contract: greeter,
    logger: silentLogger,
    ...options,
  });
  handles.push(handle);
  if (handle.pid !== undefined) pids.push(handle.pid);
  return handle;
}

describe("permissions: 'none' (only its own code)", () => {
  it('loads its dependencies and its own files, and is refused anything else, call by call', async () => {
    const dir = addProbe();
    const probe = await load({ permissions: 'none' });
    expect(await probe.plugin.greet('World')).toBe('Hello, World! (contract 1.0.0)');
    expect(await probe.plugin.greet(`read:${join(dir, 'data/own.txt')}`)).toBe('own data');

    const read = await rejection(probe.plugin.greet(`read:${join(project.dir, 'secret.txt')}`));
    expect(read.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(read.details).toMatchObject({ method: 'greet', api: 'fs.readFileSync()' });
    expect(read.message).toMatch(/refused fs\.readFileSync\(\) in greet\(\)/);
    expect(read.fix).toContain('xPlugin.permissions');

    const spawn = await rejection(probe.plugin.greet('spawn'));
    expect(spawn.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(spawn.details.api).toMatch(/child_process\.(spawnSync|execFileSync)\(\)/);

    const worker = await rejection(probe.plugin.greet('worker'));
    expect(worker.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(worker.details.api).toBe('new Worker()');

    const out = join(project.dir, 'out.txt');
    const write = await rejection(probe.plugin.greet(`write:${out}`));
    expect(write.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(write.details.api).toBe('fs.writeFileSync()');
    expect(existsSync(out)).toBe(false);

    // The same process lives on and answers the next call.
    const pid = probe.pid;
    expect(await probe.plugin.greet('again')).toBe('Hello, again! (contract 1.0.0)');
    expect(probe.pid).toBe(pid);
    expect(probe.restarts).toBe(0);
  });

  it('ignores what the manifest asks for', async () => {
    addProbe({ fsRead: ['../../shared'], childProcess: true });
    const probe = await load({ permissions: 'none' });
    const error = await rejection(probe.plugin.greet(`read:${join(project.dir, 'shared/config.txt')}`));
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect((await rejection(probe.plugin.greet('spawn'))).code).toBe('ERR_PLUGIN_PERMISSION');
  });
});

describe("permissions: 'manifest' (what xPlugin.permissions asks for)", () => {
  it('grants the declared reads, writes and child processes, and nothing more', async () => {
    addProbe({ fsRead: ['../../shared'], fsWrite: ['../../out'], childProcess: true });
    // Since 1.1 'manifest' grants only what the host's policy allows (test/permission-policy.test.ts).
    const probe = await load({
      permissions: 'manifest',
      allowPermissions: { fsRead: [project.dir], fsWrite: [project.dir], childProcess: true },
    });
    expect(await probe.plugin.greet(`read:${join(project.dir, 'shared/config.txt')}`)).toBe('shared config');
    // "out" did not exist when the plugin started: a granted folder may be created later.
    project.write('out/.keep', '');
    const out = join(project.dir, 'out/result.txt');
    expect(await probe.plugin.greet(`write:${out}`)).toBe('wrote');
    expect(readFileSync(out, 'utf8')).toBe('written');
    expect(await probe.plugin.greet('spawn')).toBe('child');
    // Not declared: refused.
    expect((await rejection(probe.plugin.greet(`read:${join(project.dir, 'secret.txt')}`))).code).toBe(
      'ERR_PLUGIN_PERMISSION',
    );
    expect((await rejection(probe.plugin.greet(`write:${join(project.dir, 'x.txt')}`))).code).toBe(
      'ERR_PLUGIN_PERMISSION',
    );
    expect((await rejection(probe.plugin.greet('worker'))).code).toBe('ERR_PLUGIN_PERMISSION');
  });

  it('rejects a malformed xPlugin.permissions with ERR_PLUGIN_MANIFEST, before starting anything', async () => {
    addProbe({ fsRead: '../../shared' });
    const error = await rejection(load({ permissions: 'manifest' }));
    expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(error.details.field).toBe('xPlugin.permissions.fsRead');
  });
});

describe('permissions: explicit grants from the host', () => {
  it('grants exactly what the host says, whatever the manifest asks', async () => {
    addProbe({ childProcess: true });
    const out = join(project.dir, 'granted');
    project.write('granted/.keep', '');
    const probe = await load({ permissions: { fsWrite: [out], worker: true } });
    expect(await probe.plugin.greet(`write:${join(out, 'w.txt')}`)).toBe('wrote');
    expect(await probe.plugin.greet('worker')).toBe('worker ran');
    expect((await rejection(probe.plugin.greet('spawn'))).code).toBe('ERR_PLUGIN_PERMISSION');
  });

  it('a read at import time that is not granted fails the load with ERR_PLUGIN_PERMISSION', async () => {
    project.addPlugin('greeter-plugin-probe', {
      packageJson: { xPlugin: { contract: 'greeter', isolation: 'process' } },
      files: {
        'index.js': `import { readFileSync } from 'node:fs';
readFileSync(${JSON.stringify(join(project.dir, 'secret.txt'))});
export const plugin = { greet: (n) => n, lang: () => 'x' };
`,
      },
    });
    const error = await rejection(load({ permissions: 'none' }));
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.method).toBe('(import)');
  });
});

describe('permissions: real plugins', () => {
  it.each([
    ['greeter-english', 'Hello, World! Nice to meet you.'],
    ['greeter-spanish', '¡Hola, World! Mucho gusto.'],
  ])(
    'the example %s (built with @x/sdk, installed by pnpm links) runs unchanged under permissions: "none"',
    async (example, greeting) => {
      const dir = join(import.meta.dirname, '../../../examples', example);
      const handle = await loadPlugin(dir, { contract: greeter, isolation: 'process', permissions: 'none' });
      handles.push(handle);
      if (handle.pid !== undefined) pids.push(handle.pid);
      expect(await handle.plugin.greet('World')).toBe(greeting);
    },
  );
});

describe('permissions: off, and where they cannot apply', () => {
  it('by default (false) a process plugin has the host rights, as before', async () => {
    addProbe();
    const probe = await load({});
    expect(await probe.plugin.greet(`read:${join(project.dir, 'secret.txt')}`)).toBe('host secret');
  });

  it.each(['in-process', 'worker'] as const)(
    'refuses to load with permissions in isolation %s rather than silently run unrestricted',
    async (isolation) => {
      addProbe();
      const error = await rejection(load({ permissions: 'none', isolation }));
      expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
      expect(error.fix).toContain('"process"');
    },
  );
});
