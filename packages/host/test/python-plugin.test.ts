import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  greeter,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  type PluginError,
  PROTOCOL_VERSIONS_KEY,
} from '@x/contract';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoadOptions, loadPlugin, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  isAlive,
  type LogLine,
  rejection,
  snapshot,
  waitFor,
} from './isolation-helpers.js';

// examples/python-greeter, a real Python plugin speaking docs/protocol.md, loaded as an app would.
const PY_DIR = fileURLToPath(new URL('../../../examples/python-greeter', import.meta.url));
const PLUGIN = 'python-greeter';

function whyNoPython(): string | undefined {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'python3 is not on the PATH';
}
const skipped = whyNoPython();
if (skipped) console.warn(`Python plugin tests skipped: ${skipped}`);

/** The pid the plugin reports in its "ready" log line: the Python process itself. */
function readyPids(lines: readonly LogLine[]): number[] {
  return lines.flatMap((l) => {
    const pid = /^ready: Python .*, pid (\d+)$/.exec(l.message)?.[1];
    return pid === undefined ? [] : [Number(pid)];
  });
}

describe.skipIf(skipped !== undefined)(
  `a Python plugin over the x protocol${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let before: ReturnType<typeof snapshot>;
    let log: ReturnType<typeof collectingLogger>;
    const handles: Pick<PluginHandle, 'close'>[] = [];
    const projects: Project[] = [];

    const load = async (options: LoadOptions<typeof greeter> = {}, dir = PY_DIR) => {
      const handle = await loadPlugin(dir, { contract: greeter, logger: log.logger, ...options });
      handles.push(handle);
      return handle;
    };

    beforeEach(() => {
      before = snapshot();
      log = collectingLogger();
    });
    afterEach(async () => {
      for (const h of handles.splice(0)) await h.close();
      await assertNothingLeft(before, readyPids(log.lines));
    });
    afterAll(() => {
      for (const p of projects) p.remove();
    });

    it('answers through the typed Greeter, forwards its logs tagged with its name, and close() leaves no process', async () => {
      const handle = await load();
      expect(handle.isolation).toBe('process');
      expect(handle.manifest.command).toEqual(['python3', './plugin.py']);
      await expect(handle.plugin.greet('World')).resolves.toBe('Bonjour, World! Enchanté.');
      await expect(handle.plugin.lang()).resolves.toBe('Français');
      await expect(handle.health!()).resolves.toMatchObject({ ok: true });
      await waitFor(() => log.lines.some((l) => l.message === 'greeting World'));
      // x/log notifications and stdout lines alike reach the logger with the plugin's name.
      expect(log.lines).toContainEqual({
        level: 'info',
        message: 'greeting World',
        fields: { plugin: PLUGIN, stream: 'stdout' },
      });
      const [pid] = readyPids(log.lines);
      expect(log.lines.find((l) => readyPids([l]).length > 0)?.fields).toEqual({
        plugin: PLUGIN,
        stream: 'log',
      });
      expect(pid).toBe(handle.pid);
      await handle.close();
      expect(isAlive(pid!)).toBe(false);
      await expect(handle.plugin.lang()).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
    });

    it('fails a pending call with ERR_PLUGIN_CRASHED when the plugin exits mid-call, restarts it, and answers the next call', async () => {
      const crashes: PluginError[] = [];
      const handle = await load({ env: { X_PY_CRASH_ON: 'greet' }, onCrash: (e) => crashes.push(e) });
      const first = handle.pid!;
      await expect(handle.plugin.greet('World')).rejects.toMatchObject({ code: 'ERR_PLUGIN_CRASHED' });
      await waitFor(() => handle.restarts === 1 && handle.state === 'running');
      await expect(handle.plugin.lang()).resolves.toBe('Français');
      expect(handle.pid).not.toBe(first);
      expect(isAlive(first)).toBe(false);
      expect(crashes.map((e) => e.code)).toEqual(['ERR_PLUGIN_CRASHED']);
    });

    it('answers health checks while a call runs: a timed-out call is cancelled, the plugin is not killed', async () => {
      const handle = await load({ env: { X_PY_SLOW_MS: '4000' } });
      const pid = handle.pid;
      await expect(handle.call('greet', ['slow'], { timeout: 200 })).rejects.toMatchObject({
        code: 'ERR_PLUGIN_TIMEOUT',
      });
      await expect(handle.plugin.lang()).resolves.toBe('Français');
      await expect(handle.health!()).resolves.toMatchObject({ ok: true });
      expect(handle.restarts).toBe(0);
      expect(handle.pid).toBe(pid);
    });

    it('ERR_PLUGIN_HANDSHAKE when the plugin speaks no version the host offers', async () => {
      const error = await rejection(load({ env: { X_PY_VERSIONS: '2' } }));
      expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
      expect(error.message).toMatch(/2/);
    });

    it('refuses options that only shape Node plugins, and isolations other than process', async () => {
      for (const [options, option] of [
        [{ isolation: 'worker' }, 'isolation'],
        [{ isolation: 'in-process' }, 'isolation'],
        [{ permissions: 'none' }, 'permissions'],
        [{ maxHeapMb: 64 }, 'maxHeapMb'],
        [{ execArgv: ['--no-warnings'] }, 'execArgv'],
      ] as const) {
        const error = await rejection(load(options));
        expect(error).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option } });
        expect(error.message).toContain('python3 ./plugin.py');
      }
    });

    it('ERR_PLUGIN_LOAD naming the program when it is not on the PATH or not in the package', async () => {
      const project = new Project();
      projects.push(project);
      const plugin = (name: string, command: string[]) =>
        project.addPlugin(name, { packageJson: { xPlugin: { contract: 'greeter', command } }, files: {} });
      const missing = await rejection(load({}, plugin('py-missing', ['no-such-python-x9', './plugin.py'])));
      expect(missing).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { program: 'no-such-python-x9' } });
      expect(missing.message).toMatch(/PATH/);
      const unbuilt = await rejection(load({}, plugin('py-unbuilt', ['./bin/not-built'])));
      expect(unbuilt).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { program: './bin/not-built' } });
      const worker = await rejection(
        load(
          {},
          project.addPlugin('py-worker', {
            packageJson: { xPlugin: { contract: 'greeter', command: ['python3'], isolation: 'worker' } },
            files: {},
          }),
        ),
      );
      expect(worker).toMatchObject({ code: 'ERR_PLUGIN_MANIFEST', details: { field: 'xPlugin.isolation' } });
    });
  },
);

/** Starts plugin.py by hand as the host would, to speak the protocol to it line by line. */
function startRaw(env: Record<string, string>): { child: ChildProcess; next: () => Promise<unknown> } {
  const child = spawn('python3', ['plugin.py'], {
    cwd: PY_DIR,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const queue: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  let buffered = '';
  const pipe = child.stdio[3] as Socket;
  pipe.setEncoding('utf8');
  pipe.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const message = JSON.parse(line) as unknown;
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    }
  });
  const next = () =>
    queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve));
  return { child, next };
}

describe.skipIf(skipped !== undefined)('examples/python-greeter speaks docs/protocol.md', () => {
  it('prints "this is a plugin" and exits 1 when run by hand, without the cookie', () => {
    const run = spawnSync('python3', ['plugin.py'], {
      cwd: PY_DIR,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/plugin for @x\/host, not a program/);
  });

  it('handshakes, answers calls and errors by id, cancels a running call once, and exits at EOF', async () => {
    const { child, next } = startRaw({
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [PROTOCOL_VERSIONS_KEY]: '1',
      X_PY_SLOW_MS: '300',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const pipe = child.stdio[3] as Socket;
    const send = (message: object) => pipe.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    try {
      expect(await next()).toEqual({
        jsonrpc: '2.0',
        method: 'x/handshake',
        params: {
          protocolVersion: 1,
          versions: [1],
          plugin: { exportNames: ['plugin'], members: { greet: 'function', lang: 'function' } },
        },
      });
      expect(await next()).toMatchObject({ method: 'x/log', params: { level: 'info' } });
      send({ id: 1, method: 'x/call', params: { method: 'lang', args: [] } });
      expect(await next()).toEqual({ jsonrpc: '2.0', id: 1, result: 'Français' });
      send({ id: 2, method: 'x/call', params: { method: 'greet', args: [42] } });
      expect(await next()).toEqual({
        jsonrpc: '2.0',
        id: 2,
        error: {
          code: -32001,
          message: 'TypeError: name must be a string',
          data: { name: 'TypeError', message: 'name must be a string' },
        },
      });
      send({ id: 3, method: 'x/call', params: { method: 'shout', args: [] } });
      expect(await next()).toMatchObject({ id: 3, error: { code: -32602 } });
      send({ id: 4, method: 'x/nope', params: {} });
      expect(await next()).toMatchObject({ id: 4, error: { code: -32601 } });
      send({ id: 5, method: 'x/call', params: { method: 'greet', args: ['slow'] } });
      send({ method: '$/cancelRequest', params: { id: 5 } });
      expect(await next()).toEqual({
        jsonrpc: '2.0',
        id: 5,
        error: { code: -32800, message: 'The request was cancelled.' },
      });
      send({ id: 6, method: 'x/health', params: {} });
      expect(await next()).toMatchObject({ id: 6, result: { ok: true } });
      // Started after 5, as slow: once it answers, 5's own result was ready too, and must not come.
      send({ id: 7, method: 'x/call', params: { method: 'greet', args: ['again'] } });
      expect(await next()).toEqual({ jsonrpc: '2.0', id: 7, result: 'Bonjour, again! Enchanté.' });
      send({ method: '$/cancelRequest', params: { id: 7 } }); // already answered: ignored
      send({ id: 8, method: 'x/health', params: {} });
      expect(await next()).toMatchObject({ id: 8, result: { ok: true } });
      pipe.end();
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
