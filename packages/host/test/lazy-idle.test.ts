import { greeter, type PluginError } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../src/index.js';
import { Project } from './fixtures.js';
import {
  collectingLogger,
  isAlive,
  type LogLine,
  MODES,
  rejection,
  waitFor,
  warmUp,
} from './isolation-helpers.js';
import { addMembers, hostOf, member } from './scale-fixtures.js';

let project: Project;
let host: Host;
let lines: LogLine[];
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  addMembers(project, ['m-a', 'm-b']);
  const collected = collectingLogger();
  lines = collected.lines;
  host = createHost({ cwd: project.dir, logger: collected.logger });
});
afterEach(async () => {
  await host.close();
  project.remove();
});

/** How many times plugin `name` was imported (it prints "started <name>" each time). */
const starts = (name: string) => lines.filter((l) => l.message === `started ${name}`).length;

describe.each(MODES)('lazy start (%s)', (isolation) => {
  const load = (extra: object = {}, disposed: string[] = []) =>
    host.load('m-a', {
      contract: member,
      isolation,
      lazy: true,
      config: { name: 'lazy' },
      host: hostOf('m-a', disposed),
      ...extra,
    });

  it('load() starts nothing; concurrent first calls share one start', async () => {
    const handle = await load();
    expect(handle.state).toBe('idle');
    expect(handle.pid ?? handle.threadId).toBeUndefined();
    expect(handle.stamp).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(starts('m-a')).toBe(0);
    const answers = await Promise.all([
      handle.call('who', []),
      handle.call('ask', ['one']),
      handle.call('who', []),
    ]);
    expect(answers).toEqual(['m-a/lazy', 'm-a heard one from the host of m-a', 'm-a/lazy']);
    expect(starts('m-a')).toBe(1);
    expect(handle.state).toBe('running');
    expect(handle.stamp?.contract).toBe('member');
    expect(handle.stats()).toMatchObject({ calls: 3, errors: 0, restarts: 0 });
  });

  it('load() still checks what it can without starting (integrity pin, contract)', async () => {
    const wrong = await rejection(
      host.load('m-a', { isolation, lazy: true, contract: member, integrity: 'sha512-AAAA' }),
    );
    expect(wrong.code).toBe('ERR_PLUGIN_INTEGRITY');
    const other = await rejection(host.load('m-a', { isolation, lazy: true, contract: greeter }));
    expect(other.code).toBe('ERR_PLUGIN_INCOMPATIBLE');
    expect(starts('m-a')).toBe(0);
  });

  it('a plugin that fails to start rejects the first call with the start error; the next call tries again', async () => {
    project.write('node_modules/m-a/broken', '');
    const handle = await load();
    const calls = [handle.call('who', []), handle.call('who', [])];
    const errors = await Promise.all(calls.map(rejection));
    // Both waited for the one start, and fail with its coded error (not a crash).
    for (const error of errors) {
      expect(error.code).toBe('ERR_PLUGIN_LOAD');
      expect(error.message).toContain('broken on purpose');
    }
    expect(handle.state).toBe('idle');
    const again = await rejection(handle.call('who', []));
    expect(again.code).toBe('ERR_PLUGIN_LOAD');
    expect(handle.stats()).toMatchObject({ calls: 3, errors: 3, restarts: 0 });
  });

  it('retries after the files were fixed: the same handle answers once its plugin can start', async () => {
    project.write('node_modules/m-a/broken', '');
    const handle = await load();
    expect((await rejection(handle.call('who', []))).code).toBe('ERR_PLUGIN_LOAD');
    expect((await rejection(handle.call('who', []))).code).toBe('ERR_PLUGIN_LOAD');
    const { rmSync } = await import('node:fs');
    rmSync(`${project.dir}/node_modules/m-a/broken`);
    expect(await handle.call('who', [])).toBe('m-a/lazy');
    expect(handle.restarts).toBe(0);
  });

  it('a lazy plugin whose export does not fit the contract fails its first call with ERR_PLUGIN_CONTRACT', async () => {
    project.addPlugin('m-bad', {
      packageJson: { xPlugin: { contract: 'member' } },
      files: { 'index.js': 'export const plugin = { who: () => "x" };' },
    });
    const handle = await host.load('m-bad', { contract: member, isolation, lazy: true });
    const error = await rejection(handle.call('who', []));
    expect(error.code).toBe('ERR_PLUGIN_CONTRACT');
    expect(handle.state).toBe('idle');
  });

  it('a lazy group member joins its group on its first call', async () => {
    const eager = await host.load('m-b', {
      contract: member,
      isolation,
      group: 'lz',
      config: { name: 'b' },
      host: hostOf('m-b', []),
    });
    const lazy = await load({ group: 'lz' });
    expect(starts('m-a')).toBe(0);
    expect(await lazy.call('where', [])).toBe(await eager.call('where', []));
  });

  it("the load's signal ends the load only: aborted after load(), the lazy start still runs", async () => {
    const controller = new AbortController();
    const handle = await load({ signal: controller.signal });
    controller.abort();
    expect(await handle.call('who', [])).toBe('m-a/lazy');
  });

  it('close() of a lazy plugin that never started is quick and leaves nothing', async () => {
    const handle = await load();
    await handle.close();
    expect(handle.state).toBe('closed');
    expect((await rejection(handle.call('who', []))).code).toBe('ERR_PLUGIN_CLOSED');
    expect(starts('m-a')).toBe(0);
  });
});

describe.each(MODES)('idleTimeout (%s)', (isolation) => {
  it('stops an idle plugin (its dispose hooks run, not a crash) and starts it again on the next call', async () => {
    const disposed: string[] = [];
    const crashes: PluginError[] = [];
    const handle = await host.load('m-a', {
      contract: member,
      isolation,
      idleTimeout: 300,
      config: { name: 'idle' },
      host: hostOf('m-a', disposed),
      onCrash: (error) => crashes.push(error),
    });
    const first = (await handle.call('where', [])) as string;
    const pid = handle.pid!;
    // Calls closer together than the timeout keep it running.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(await handle.call('who', [])).toBe('m-a/idle');
    }
    expect(handle.state).toBe('running');
    await waitFor(() => handle.state === 'idle' && disposed.length === 1);
    expect(disposed).toEqual(['idle']);
    if (isolation === 'process') await waitFor(() => !isAlive(pid));
    // Transparent: the next call starts it again, with its config and host functions.
    expect(await handle.call('ask', ['back'])).toBe('m-a heard back from the host of m-a');
    expect(await handle.call('where', [])).not.toBe(first);
    expect(starts('m-a')).toBe(2);
    expect(crashes).toEqual([]);
    expect(handle.stats()).toMatchObject({ restarts: 0, errors: 0 });
  });

  it('a call in flight is never cut by the idle timeout', async () => {
    project.addPlugin('slow', {
      packageJson: { xPlugin: { contract: 'greeter' } },
      files: {
        'index.js':
          'export const plugin = { greet: (n) => new Promise((r) => setTimeout(() => r("hi " + n), 600)), lang: () => "x" };',
      },
    });
    const handle = await host.load('slow', { isolation, idleTimeout: 100 });
    expect(await handle.call('greet', ['a'])).toBe('hi a');
    await waitFor(() => handle.state === 'idle');
    expect(await handle.call('greet', ['b'])).toBe('hi b');
  });

  it('idle group members leave their group; the isolate ends with the last, and comes back on a call', async () => {
    const disposed: string[] = [];
    const [a, b] = await Promise.all(
      ['m-a', 'm-b'].map((name) =>
        host.load(name, {
          contract: member,
          isolation,
          group: 'idle',
          idleTimeout: 300,
          config: { name },
          host: hostOf(name, disposed),
        }),
      ),
    );
    const place = await a!.call('where', []);
    expect(await b!.call('where', [])).toBe(place);
    const pid = a!.pid!;
    await waitFor(() => a!.state === 'idle' && b!.state === 'idle' && disposed.length === 2);
    if (isolation === 'process') await waitFor(() => !isAlive(pid));
    expect(await a!.call('who', [])).toBe('m-a/m-a');
    expect(await b!.call('where', [])).toBe(await a!.call('where', []));
  });
});
