import type { PluginError } from '@x/contract';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHost, type Host, type PluginHandle } from '../src/index.js';
import { Project } from './fixtures.js';
import {
  assertNothingLeft,
  collectingLogger,
  isAlive,
  MODES,
  rejection,
  snapshot,
  waitFor,
  warmUp,
} from './isolation-helpers.js';
import { addMembers, hostOf, member } from './scale-fixtures.js';

let project: Project;
let host: Host;
beforeAll(warmUp);
beforeEach(() => {
  project = new Project();
  addMembers(project, ['m-a', 'm-b', 'm-c']);
  host = createHost({ cwd: project.dir, logger: collectingLogger().logger });
});
afterEach(async () => {
  await host.close();
  project.remove();
});

const where = (h: PluginHandle) => h.call('where', []) as Promise<string>;

describe.each(MODES)('isolation groups (%s)', (isolation) => {
  const loadMembers = async (disposed: string[] = [], crashes: PluginError[][] = [[], [], []]) =>
    Promise.all(
      ['m-a', 'm-b', 'm-c'].map((name, i) =>
        host.load(name, {
          contract: member,
          isolation,
          group: 'g1',
          config: { name: `cfg-${i}`, base: i * 100 },
          host: hostOf(name, disposed),
          onCrash: (error) => crashes[i]!.push(error),
        }),
      ),
    );

  it('members share one isolate, each with its own handle, config, host functions and stats', async () => {
    const before = snapshot();
    const [a, b, c] = await loadMembers();
    const places = await Promise.all([a!, b!, c!].map(where));
    expect(new Set(places).size).toBe(1);
    expect(await a!.call('who', [])).toBe('m-a/cfg-0');
    expect(await b!.call('who', [])).toBe('m-b/cfg-1');
    expect(await c!.call('ask', ['q?'])).toBe('m-c heard q? from the host of m-c');
    await b!.call('who', []);
    expect([a!.stats().calls, b!.stats().calls, c!.stats().calls]).toEqual([2, 3, 2]);
    // Streams of two members at once, each from its own instance (its own config).
    const drain = async (h: PluginHandle, n: number) => {
      const items: number[] = [];
      for await (const item of (await h.call('count', [n])) as AsyncIterable<number>) items.push(item);
      return items;
    };
    expect(await Promise.all([drain(a!, 3), drain(c!, 2)])).toEqual([
      [0, 1, 2],
      [200, 201],
    ]);
    if (isolation === 'process') expect(new Set([a!.pid, b!.pid, c!.pid]).size).toBe(1);
    else expect(new Set([a!.threadId, b!.threadId, c!.threadId]).size).toBe(1);
    const pid = a!.pid;
    await host.close();
    await assertNothingLeft(before, pid === undefined ? [] : [pid]);
  });

  it('a crash restarts the whole group: every member sees it (onCrash each) and answers again', async () => {
    const crashes: PluginError[][] = [[], [], []];
    const [a, b, c] = await loadMembers([], crashes);
    const first = await where(a!);
    // b's isolate exits a moment after b answered: every member of it crashes with it.
    await b!.call('crash', []);
    await waitFor(() => [a!, b!, c!].every((h) => h.restarts === 1 && h.state === 'running'));
    expect(crashes.map((list) => list.map((e) => e.code))).toEqual([
      ['ERR_PLUGIN_CRASHED'],
      ['ERR_PLUGIN_CRASHED'],
      ['ERR_PLUGIN_CRASHED'],
    ]);
    const after = await Promise.all([a!, b!, c!].map(where));
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(first);
    expect(await c!.call('who', [])).toBe('m-c/cfg-2');
    expect(await a!.call('ask', ['again'])).toBe('m-a heard again from the host of m-a');
    expect([a!, b!, c!].map((h) => h.stats().restarts)).toEqual([1, 1, 1]);
  });

  it('a member that hangs the shared event loop is found by its health check, and the whole group restarts', async () => {
    const crashes: PluginError[][] = [[], []];
    const [a, b] = await Promise.all(
      ['m-a', 'm-b'].map((name, i) =>
        host.load(name, {
          contract: member,
          isolation,
          group: 'hang',
          callTimeout: 400,
          healthTimeout: 300,
          config: { name },
          host: hostOf(name, []),
          onCrash: (error) => crashes[i]!.push(error),
        }),
      ),
    );
    const first = await where(b!);
    expect((await rejection(a!.call('spin', []))).code).toBe('ERR_PLUGIN_TIMEOUT');
    await waitFor(() => [a!, b!].every((h) => h.restarts === 1 && h.state === 'running'));
    expect(crashes[0]![0]?.message).toContain('hung');
    expect(crashes[1]!.map((e) => e.code)).toEqual(['ERR_PLUGIN_CRASHED']);
    expect(await b!.call('who', [])).toBe('m-b/m-b');
    expect(await where(a!)).not.toBe(first);
  });

  it('closing one member unloads only it (its dispose hooks run); the last close ends the isolate', async () => {
    const before = snapshot();
    const disposed: string[] = [];
    const [a, b, c] = await loadMembers(disposed);
    const place = await where(a!);
    const pid = a!.pid!;
    await b!.close();
    expect(disposed).toEqual(['cfg-1']);
    expect((await rejection(b!.call('who', []))).code).toBe('ERR_PLUGIN_CLOSED');
    // The others keep answering, in the same isolate.
    expect(await a!.call('who', [])).toBe('m-a/cfg-0');
    expect(await where(c!)).toBe(place);
    await a!.close();
    expect(isAlive(pid)).toBe(true);
    expect(await c!.call('ask', ['still'])).toBe('m-c heard still from the host of m-c');
    await c!.close();
    expect(disposed).toEqual(['cfg-1', 'cfg-0', 'cfg-2']);
    await assertNothingLeft(before, isolation === 'process' ? [pid] : []);
  });

  it('a member that fails to load leaves the group running; a new member joins the running isolate', async () => {
    const [a] = await loadMembers();
    const place = await where(a!);
    project.write('node_modules/m-b/broken', '');
    // m-b is a member already (loaded above); a second handle of the same package is another member.
    const error = await rejection(
      host.load('m-b', {
        contract: member,
        isolation,
        group: 'g1',
        config: { name: 'x' },
        host: hostOf('m-b', []),
      }),
    );
    expect(error.code).toBe('ERR_PLUGIN_LOAD');
    expect(error.message).toContain('broken on purpose');
    expect(await where(a!)).toBe(place);
    const late = await host.load('m-c', {
      contract: member,
      isolation,
      group: 'g1',
      config: { name: 'late' },
      host: hostOf('m-c', []),
    });
    expect(await late.call('who', [])).toBe('m-c/late');
    expect(await where(late)).toBe(place);
  });
});

describe('group options', () => {
  const base = { contract: member, config: { name: 'x' }, host: hostOf('x', []) };

  it('refuses a member whose isolate-shaping options differ, naming the option', async () => {
    await host.load('m-a', { ...base, isolation: 'worker', group: 'g', env: { A: '1' } });
    for (const [option, extra] of [
      ['env', { isolation: 'worker', env: { A: '2' } }],
      ['isolation', { isolation: 'process', env: { A: '1' } }],
      ['execArgv', { isolation: 'worker', env: { A: '1' }, execArgv: ['--no-warnings'] }],
      ['maxHeapMb', { isolation: 'worker', env: { A: '1' }, maxHeapMb: 64 }],
    ] as const) {
      const error = await rejection(host.load('m-b', { ...base, ...extra, group: 'g' }));
      expect(error, option).toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option } });
      expect(error.message).toContain('group "g"');
    }
    // Another group name is another isolate, with options of its own.
    const other = await host.load('m-b', { ...base, isolation: 'process', group: 'g2' });
    expect(typeof other.pid).toBe('number');
  });

  it('refuses what a group cannot share, and groups of runtimes that have none', async () => {
    const cases = [
      [{ group: '' }, 'ERR_PLUGIN_OPTIONS', 'group'],
      [{ group: 'has space' }, 'ERR_PLUGIN_OPTIONS', 'group'],
      [{ group: 42 }, 'ERR_PLUGIN_OPTIONS', 'group'],
      [{ group: 'g', isolation: 'process', permissions: 'none' }, 'ERR_PLUGIN_OPTIONS', 'permissions'],
      [{ group: 'g', isolation: 'worker', server: '/x.js' }, 'ERR_PLUGIN_OPTIONS', 'server'],
      [{ group: 'g', isolation: 'in-process' }, 'ERR_PLUGIN_LOAD', 'group'],
      [{ lazy: 'yes' }, 'ERR_PLUGIN_OPTIONS', 'lazy'],
      [{ lazy: true, isolation: 'in-process' }, 'ERR_PLUGIN_LOAD', 'lazy'],
      [{ idleTimeout: -1 }, 'ERR_PLUGIN_OPTIONS', 'idleTimeout'],
      [{ idleTimeout: 100, isolation: 'in-process' }, 'ERR_PLUGIN_LOAD', 'idleTimeout'],
    ] as const;
    for (const [extra, code, option] of cases) {
      const error = await rejection(host.load('m-a', { ...base, ...(extra as object) }));
      expect(error, JSON.stringify(extra)).toMatchObject({ code, details: { option } });
    }
    // A command plugin (its own program) cannot join a group.
    project.addPlugin('cmd', {
      packageJson: { xPlugin: { contract: 'greeter', command: ['node', 'server.js'] } },
      files: { 'server.js': '' },
    });
    const error = await rejection(host.load('cmd', { isolation: 'process', group: 'g' }));
    expect(error).toMatchObject({
      code: 'ERR_PLUGIN_LOAD',
      details: { option: 'group', runtime: 'command' },
    });
  });
});
