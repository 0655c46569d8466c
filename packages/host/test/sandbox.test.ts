import { type ChildProcess, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { greeter } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LoadOptions, loadPlugin, type PluginHandle, silentLogger } from '../src/index.js';
import { Project } from './fixtures.js';
import { assertNothingLeft, isAlive, rejection, snapshot, warmUp } from './isolation-helpers.js';

// A greeter whose greet(what) reads a file ("read:<path>") or evaluates a line of JavaScript
// ("eval:<code>", with process and os in scope) inside the sandboxed plugin process.
const PROBE = `import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { kill } from 'node:process';
export const plugin = {
  greet(what) {
    const [verb, arg] = what.split(/:(.*)/s);
    if (verb === 'read') return readFileSync(arg, 'utf8');
    if (verb === 'eval') return String(new Function('process', 'os', 'kill', arg)(process, os, kill));
    return 'Hello, ' + what;
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

function addProbe(packageJson: Record<string, unknown> = {}): string {
  return project.addPlugin('greeter-plugin-probe', {
    packageJson: { xPlugin: { contract: 'greeter', isolation: 'process' }, ...packageJson },
    files: { 'index.js': PROBE },
  });
}

async function load(options: LoadOptions<typeof greeter> = {}): Promise<PluginHandle<typeof greeter>> {
  const handle = await loadPlugin('greeter-plugin-probe', {
    cwd: project.dir,
    contract: greeter,
    logger: silentLogger,
    permissions: 'none',
    ...options,
  });
  handles.push(handle);
  if (handle.pid !== undefined) pids.push(handle.pid);
  return handle;
}

describe("sandbox: the read closure under permissions: 'none'", () => {
  it.each(['..', '../..', '../../../etc', '@../x', '/etc'])(
    'refuses the crafted dependency name %j with ERR_PLUGIN_MANIFEST naming the field, before starting',
    async (name) => {
      // ".." joined to <project>/node_modules is the project itself: it would grant secret.txt.
      addProbe({ dependencies: { [name]: '1' } });
      const error = await rejection(load());
      expect(error.code).toBe('ERR_PLUGIN_MANIFEST');
      expect(error.details.field).toBe(`dependencies[${JSON.stringify(name)}]`);
    },
  );

  it('refuses a crafted name in a dependency of a dependency, and in optional and peer dependencies', async () => {
    project.addPlugin('probe-dep', {
      packageJson: { xPlugin: undefined, peerDependencies: undefined, optionalDependencies: { '..': '1' } },
    });
    addProbe({ dependencies: { 'probe-dep': '1' } });
    const deep = await rejection(load());
    expect(deep.code).toBe('ERR_PLUGIN_MANIFEST');
    expect(deep.details.field).toBe('optionalDependencies[".."]');
    expect(deep.message).toContain(join(project.dir, 'node_modules/probe-dep/package.json'));
    addProbe({ peerDependencies: { '@x/contract': '^1.0.0', '../..': '1' } });
    expect((await rejection(load())).details.field).toBe('peerDependencies["../.."]');
  });

  it('refuses a dependency linked to the host project (a parent of its cwd), or to another package', async () => {
    const dir = addProbe({ dependencies: { 'fixture-app': '1' } });
    // The plugin ships node_modules/fixture-app -> the host's project, whose name it guessed.
    project.link('fixture-app', project.dir, 'node_modules/greeter-plugin-probe/node_modules/fixture-app');
    const parent = await rejection(load());
    expect(parent.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(parent.details).toMatchObject({ dependency: 'fixture-app', realPath: project.dir });
    expect(parent.message).toContain(`which holds ${project.dir}`);

    project.remove();
    project = new Project();
    project.link('@x/contract');
    project.addPlugin('other', { packageJson: { xPlugin: undefined } }, 'elsewhere/other');
    addProbe({ dependencies: { lodash: '1' } });
    symlinkSync(join(project.dir, 'elsewhere/other'), join(project.dir, 'node_modules/lodash'), 'dir');
    const other = await rejection(load());
    expect(other.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(other.message).toContain('named "other", not "lodash"');
    expect(dir).toContain('greeter-plugin-probe');
  });

  it('still grants a real dependency (npm: aliases included), and nothing above it', async () => {
    project.addPlugin(
      'real-dep',
      { packageJson: { xPlugin: undefined, peerDependencies: undefined } },
      'node_modules/alias-dep',
    );
    addProbe({ dependencies: { 'alias-dep': 'npm:real-dep@^1.0.0' } });
    const probe = await load();
    expect(
      await probe.plugin.greet(`read:${join(project.dir, 'node_modules/alias-dep/index.js')}`),
    ).toContain('Hello');
    expect((await rejection(probe.plugin.greet(`read:${join(project.dir, 'secret.txt')}`))).code).toBe(
      'ERR_PLUGIN_PERMISSION',
    );
  });
});

describe('sandbox: symlinks in the plugin package (Node follows them past its grants)', () => {
  it('refuses a link out of what the plugin may read, and keeps links inside it', async () => {
    const dir = addProbe();
    symlinkSync(join(dir, 'index.js'), join(dir, 'alias.js'));
    const probe = await load();
    expect(await probe.plugin.greet(`read:${join(dir, 'alias.js')}`)).toContain('export const plugin');
    await probe.close();

    symlinkSync(project.dir, join(dir, 'up'));
    const error = await rejection(load());
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.links).toEqual([`${join(dir, 'up')} -> ${project.dir}`]);
  });

  it('a package-manager link (node_modules/<name>) must be a real package of that name, not the host project', async () => {
    const dir = addProbe();
    project.addPlugin('dev-tool', { packageJson: { xPlugin: undefined } }, 'elsewhere/dev-tool');
    project.link(
      'dev-tool',
      join(project.dir, 'elsewhere/dev-tool'),
      'node_modules/greeter-plugin-probe/node_modules/dev-tool',
    );
    await (await load()).close();
    // Undeclared, so not in the read closure, but Node would follow it: the host project, by its name.
    project.link('fixture-app', project.dir, 'node_modules/greeter-plugin-probe/node_modules/fixture-app');
    const error = await rejection(load());
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.links).toEqual([`${join(dir, 'node_modules/fixture-app')} -> ${project.dir}`]);
  });

  it('a link to a granted folder is fine', async () => {
    const dir = addProbe();
    symlinkSync(join(project.dir, 'shared'), join(dir, 'shared'));
    project.write('shared/x.txt', 'shared');
    const probe = await load({ permissions: { fsRead: [join(project.dir, 'shared')] } });
    expect(await probe.plugin.greet(`read:${join(dir, 'shared/x.txt')}`)).toBe('shared');
  });
});

describe('sandbox: a process plugin cannot signal its host or other processes', () => {
  let victim: ChildProcess;
  let usr2: number;
  const onUsr2 = () => {
    usr2++;
  };
  beforeEach(() => {
    usr2 = 0;
    process.on('SIGUSR2', onUsr2);
    victim = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  afterEach(() => {
    process.off('SIGUSR2', onUsr2);
    victim.kill('SIGKILL');
  });

  it.each([
    ['process.kill(host)', 'process.kill(process.ppid, "SIGUSR2")', 'process.kill()'],
    ['process.kill(other)', `process.kill(VICTIM, "SIGTERM")`, 'process.kill()'],
    ['the ESM kill import', `kill(VICTIM, "SIGTERM")`, 'process.kill()'],
    ['process._kill', `process._kill(VICTIM, 15)`, 'process.kill()'],
    ['every process (-1), probed', 'process.kill(-1, 0)', 'process.kill()'],
    [
      'a pid that changes while checked',
      'let n = 0; return process.kill({ valueOf: () => (n++ < 2 ? process.pid : VICTIM) }, 15)',
      'process.kill()',
    ],
    [
      "process._debugProcess (SIGUSR1: opens a Node host's inspector)",
      `process._debugProcess(VICTIM)`,
      'process._debugProcess()',
    ],
    ['os.setPriority', `os.setPriority(VICTIM, 19)`, 'os.setPriority()'],
    ['a replaced _kill', 'process._kill = undefined; return process.kill(VICTIM, 15)', 'process.kill()'],
  ])('%s is refused, and the target lives on', async (_, code, api: string) => {
    addProbe();
    const probe = await load();
    const priority = getPriority(victim.pid!);
    const line = code.replaceAll('VICTIM', String(victim.pid));
    const error = await rejection(
      probe.plugin.greet(`eval:${line.includes('return') ? line : `return ${line}`}`),
    );
    expect(error.code).toBe('ERR_PLUGIN_PERMISSION');
    expect(error.details.api).toBe(api);
    await new Promise((r) => setTimeout(r, 100));
    expect(usr2, 'the host received the signal').toBe(0);
    expect(isAlive(victim.pid!), 'the other process was signalled').toBe(true);
    expect(getPriority(victim.pid!)).toBe(priority);
  });

  it('may still signal itself and its own group', async () => {
    addProbe();
    const probe = await load();
    expect(await probe.plugin.greet('eval:return process.kill(process.pid, 0)')).toBe('true');
    expect(await probe.plugin.greet('eval:return process.kill(0, 0)')).toBe('true');
    expect(await probe.plugin.greet('eval:return process.kill(-process.pid, 0)')).toBe('true');
  });
});
