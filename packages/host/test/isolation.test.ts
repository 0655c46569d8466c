import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { greeter, type PluginError, transformer } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle } from '../src/index.js';
import { ENGLISH_CJS, ENGLISH_ESM, Project } from './fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  isAlive,
  MODES,
  printedPids,
  snapshot,
  waitFor,
  warmUp,
} from './isolation-helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const ALL: Isolation[] = ['in-process', ...MODES];

let project: Project;
let handles: PluginHandle[];
let before: ReturnType<typeof snapshot>;
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  handles = [];
  before = snapshot();
});
afterEach(async () => {
  await Promise.allSettled(handles.map((h) => h.close()));
  project.remove();
});

async function load(spec: string, options: Parameters<typeof loadPlugin>[1] = {}): Promise<PluginHandle> {
  const handle = await loadPlugin(spec, { cwd: project.dir, ...options });
  handles.push(handle);
  return handle;
}

describe('every isolation gives the same results', () => {
  it.each([
    ['greeter-english', 'greeter', ['World'], 'Hello, World! Nice to meet you.', 'English'],
    ['greeter-spanish', 'greeter', ['World'], '¡Hola, World! Mucho gusto.', 'Español'],
    ['transformer-upper', 'transformer', ['Hello, World!'], 'HELLO, WORLD!', 'upper'],
    ['transformer-reverse', 'transformer', ['Hello, World!'], '!dlroW ,olleH', 'reverse'],
  ])(
    'example %s, unchanged, in-process, in a worker and in a process',
    async (dir, kind, args, first, second) => {
      const contract = kind === 'greeter' ? greeter : transformer;
      const [m1, m2] = Object.keys(contract.methods) as [string, string];
      for (const isolation of ALL) {
        const handle = await load(join(EXAMPLES, dir), { contract, isolation });
        expect(handle.isolation).toBe(isolation);
        expect(handle.stamp?.contract).toBe(kind);
        expect([await handle.call(m1, args), await handle.call(m2, [])]).toEqual([first, second]);
      }
    },
  );

  it.each(MODES)('ESM, CommonJS and class exports, and the same errors (%s)', async (isolation) => {
    project.addPlugin('esm');
    project.addPlugin('cjs', {
      packageJson: { type: 'commonjs', exports: undefined, main: 'main.js' },
      files: { 'main.js': ENGLISH_CJS },
    });
    project.addPlugin('klass', {
      files: {
        'index.js': `class English { greet(n) { return 'Hey ' + n; } lang() { return 'English'; } }
export const plugin = new English();`,
      },
    });
    project.addPlugin('thrower', {
      files: {
        'index.js':
          'export const plugin = { greet() { throw new RangeError("too long"); }, lang: async () => 42 };',
      },
    });
    for (const name of ['esm', 'cjs']) {
      expect(await (await load(name, { isolation })).call('greet', ['Go'])).toBe(
        'Hello, Go! Nice to meet you.',
      );
    }
    expect(await (await load('klass', { isolation })).call('greet', ['Go'])).toBe('Hey Go');
    const thrower = await load('thrower', { isolation, contract: greeter });
    const error = (await thrower.call('greet', ['a']).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('ERR_PLUGIN_CALL');
    expect(error.message).toContain('RangeError: too long');
    expect((error.cause as Error).name).toBe('RangeError');
    await expect(thrower.call('lang', [])).rejects.toMatchObject({
      code: 'ERR_PLUGIN_CONTRACT',
      message: expect.stringContaining('answered greeter.lang with a number'),
    });
  });

  it.each(MODES)('load errors match in-process ones (%s)', async (isolation) => {
    project.addPlugin('throws', { files: { 'index.js': "throw new Error('no config file');" } });
    project.addPlugin('wrong-export', { files: { 'index.js': 'export const greeter = {};' } });
    project.addPlugin('half', { files: { 'index.js': 'export const plugin = { greet: "hi" };' } });
    const fail = (spec: string) =>
      loadPlugin(spec, { cwd: project.dir, isolation }).catch((e: unknown) => e as PluginError);
    const throws = (await fail('throws')) as PluginError;
    expect(throws.code).toBe('ERR_PLUGIN_LOAD');
    expect(throws.message).toContain('Importing it threw: no config file');
    const wrong = (await fail('wrong-export')) as PluginError;
    expect(wrong.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(wrong.fix).toContain('it exports: greeter');
    const half = (await fail('half')) as PluginError;
    expect(half.message).toContain('greet should be function (name: string) => string but is string');
    await assertNothingLeft(before, []);
  });
});

describe.each(MODES)('%s isolation', (isolation) => {
  it('passes only the environment the host gives (SkipHostEnv)', async () => {
    process.env.X_TEST_HOST_SECRET = 'hunter2';
    project.addPlugin('env', {
      files: {
        'index.js':
          'export const plugin = { greet: (k) => String(process.env[k]), lang: () => Object.keys(process.env).sort().join(",") };',
      },
    });
    const handle = await load('env', { isolation, env: { GREETING: 'hi' } });
    expect(await handle.call('greet', ['X_TEST_HOST_SECRET'])).toBe('undefined');
    expect(await handle.call('greet', ['GREETING'])).toBe('hi');
    // A process also carries its run tag (X_PLUGIN_RUN), by which the reaper finds what it spawned.
    const run = isolation === 'process' ? ',X_PLUGIN_RUN' : '';
    expect(await handle.call('lang', [])).toBe(
      `GREETING,X_PLUGIN_MAGIC_COOKIE,X_PLUGIN_PROTOCOL_VERSIONS${run}`,
    );
    delete process.env.X_TEST_HOST_SECRET;
  });

  it("forwards the plugin's stdout and stderr, line by line, tagged with its name", async () => {
    project.addPlugin('chatty', {
      files: {
        'index.js': `console.log('loading'); console.error('careful');
export const plugin = { greet: (n) => { console.log('greeting ' + n + '\\nsecond line'); return n; }, lang: () => 'x' };`,
      },
    });
    const { logger, lines } = collectingLogger();
    const handle = await load('chatty', { isolation, logger });
    expect(await handle.call('greet', ['Go'])).toBe('Go');
    await waitFor(() => lines.length >= 4);
    expect(lines).toEqual([
      { level: 'info', message: 'loading', fields: { plugin: 'chatty', stream: 'stdout' } },
      { level: 'warn', message: 'careful', fields: { plugin: 'chatty', stream: 'stderr' } },
      { level: 'info', message: 'greeting Go', fields: { plugin: 'chatty', stream: 'stdout' } },
      { level: 'info', message: 'second line', fields: { plugin: 'chatty', stream: 'stdout' } },
    ]);
  });

  it('answers health checks, and close() leaves no thread, process or grandchild behind', async () => {
    project.addPlugin('parent', {
      files: {
        // A process plugin starts a child of its own: close() must end it too. (In a worker, a
        // spawned process would be the host's own child, which no plugin unload can own.)
        'index.js': `import { spawn } from 'node:child_process';
if (${isolation === 'process'}) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  console.log('pid=' + child.pid);
}
export const plugin = { greet: (n) => n, lang: () => 'x' };`,
      },
    });
    const { logger, lines } = collectingLogger();
    const handle = await loadPlugin('parent', { cwd: project.dir, isolation, logger });
    const health = await handle.health!();
    expect(health.ok).toBe(true);
    const pids = [...printedPids(lines), ...(handle.pid === undefined ? [] : [handle.pid])];
    expect(pids.length).toBe(isolation === 'process' ? 2 : 0);
    expect(pids.every(isAlive)).toBe(true);
    await handle.close();
    await handle.close();
    await expect(handle.call('lang', [])).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
    expect((await handle.health!()).ok).toBe(false);
    await assertNothingLeft(before, pids);
  });

  it('serves a standalone serve() entry, and refuses a protocol version it does not speak', async () => {
    project.link('@x/sdk');
    const server = (versions: string) => `import { serve } from '@x/sdk/serve';
serve({ greet: (n) => 'Served ' + n, lang: () => 'x' }${versions});`;
    project.addPlugin('served', { files: { 'index.js': ENGLISH_ESM, 'main.js': server('') } });
    project.addPlugin('future', {
      files: { 'index.js': ENGLISH_ESM, 'main.js': server(', { versions: [99] }') },
    });
    const served = await load('served', {
      isolation,
      server: join(project.dir, 'node_modules/served/main.js'),
    });
    expect(await served.call('greet', ['Go'])).toBe('Served Go');
    // A serve() plugin built with an older @x/contract, which speaks versions 1 and 2 only: the
    // host (offering 1..3) is answered in version 2 and serves it as before.
    project.addPlugin('older', {
      files: { 'index.js': ENGLISH_ESM, 'main.js': server(', { versions: [1, 2] }') },
    });
    const older = await load('older', { isolation, server: join(project.dir, 'node_modules/older/main.js') });
    expect(await older.call('greet', ['Old'])).toBe('Served Old');
    expect(await older.call('lang', [])).toBe('x');
    const olderPid = older.pid;
    await older.close();
    const error = (await loadPlugin('future', {
      cwd: project.dir,
      isolation,
      server: join(project.dir, 'node_modules/future/main.js'),
    }).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.message).toContain('protocol version 99');
    expect(error.message).toContain('The host speaks protocol version(s) 1, 2, 3; the plugin speaks 99.');
    const pid = served.pid;
    await served.close();
    await assertNothingLeft(
      before,
      [pid, olderPid].filter((p) => p !== undefined),
    );
  });
});

describe('the host side of the lifecycle', () => {
  it('kills process plugins when the host exits without closing them', async () => {
    project.addPlugin('greeter-plugin-english');
    const hostUrl = new URL('../dist/index.js', import.meta.url).href;
    const script = `import { loadPlugin } from '${hostUrl}';
const h = await loadPlugin('greeter-plugin-english', { cwd: ${JSON.stringify(project.dir)}, isolation: 'process' });
console.log(h.pid, await h.call('lang', []));`;
    // The host script ends on its own: an idle isolated plugin does not hold its event loop.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const [pid, lang] = run.stdout.trim().split(' ');
    expect(lang).toBe('English');
    expect(run.status).toBe(0);
    await waitFor(() => !isAlive(Number(pid)));
  });

  it('the bootstrap, run by hand without the magic cookie, says it is a plugin and exits 1', () => {
    const run = spawnSync(process.execPath, [resolve(import.meta.dirname, '../dist/isolate/bootstrap.cjs')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is a plugin, not a program');
  });
});
