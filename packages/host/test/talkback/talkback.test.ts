import { describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle } from '../../src/index.js';
import type { LoadOptions } from '../../src/load/load-plugin.js';
import { collectingLogger, MODES, rejection, waitFor } from '../isolation-helpers.js';
import { kv, useTalkbackProject } from './talkback-fixture.js';

const ALL: Isolation[] = ['in-process', ...MODES];

/** waitFor, for a condition that has to ask the plugin. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const env = useTalkbackProject();

interface Recorded {
  disposed: string[];
  fetched: string[];
  hangSignals: AbortSignal[];
}

function hostFunctions(rec: Recorded, handle: () => PluginHandle) {
  return {
    fetch: async (key: string) => {
      rec.fetched.push(key);
      return `value of ${key}`;
    },
    // plugin → host → plugin: the host calls the plugin again while the first call waits on it.
    callBack: async (name: string) => `host(${await handle().call('echo', [name])})`,
    fail: () => {
      throw Object.assign(new RangeError('the host is out of range'), { code: 'E_HOST_RANGE' });
    },
    hang: (opts: { signal: AbortSignal }) => {
      rec.hangSignals.push(opts.signal);
      return new Promise(() => {});
    },
    disposed: (what: string) => {
      rec.disposed.push(what);
    },
  };
}

async function loadKv(isolation: Isolation, extra: Partial<LoadOptions> = {}) {
  const rec: Recorded = { disposed: [], fetched: [], hangSignals: [] };
  let handle: PluginHandle | undefined;
  const { logger, lines } = collectingLogger();
  handle = await loadPlugin('kv-plugin', {
    cwd: env.project.dir,
    contract: kv,
    contracts: { kv },
    isolation,
    config: { quality: 7, name: 'test' },
    host: hostFunctions(rec, () => handle!),
    logger,
    ...extra,
  });
  env.handles.push(handle);
  return { handle, rec, lines };
}

describe.each(ALL)('plugins that talk back, %s', (isolation) => {
  it('hands the config to the factory, and logs through ctx.logger', async () => {
    const { handle, lines } = await loadKv(isolation);
    expect(await handle.call('config', [])).toBe('{"quality":7,"name":"test"}');
    await waitFor(() => lines.some((l) => l.message === 'factory ran' && l.fields.plugin === 'kv-plugin'));
  });

  it('round-trips a host function, and nests plugin → host → plugin calls', async () => {
    const { handle, rec } = await loadKv(isolation);
    expect(await handle.call('lookup', ['k1'])).toBe('value of k1');
    expect(rec.fetched).toEqual(['k1']);
    expect(await handle.call('nested', ['Ada'])).toBe('plugin(host(Ada:boolean))');
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => handle.call('nested', [`n${i}`])));
    expect(many[49]).toBe('plugin(host(n49:boolean))');
  });

  it('a host function that throws reaches the plugin as a real Error with its name, message and code', async () => {
    const { handle } = await loadKv(isolation);
    expect(await handle.call('hostThrows', [])).toBe('true|RangeError|the host is out of range|E_HOST_RANGE');
  });

  it('refuses a host function the contract does not declare, or the host did not implement', async () => {
    const { handle } = await loadKv(isolation);
    expect(await handle.call('undeclared', [])).toBe('ERR_PLUGIN_HOST_FUNCTION,ERR_PLUGIN_HOST_FUNCTION');
    expect(await handle.call('badArgs', [])).toBe(
      'ERR_PLUGIN_HOST_FUNCTION true,ERR_PLUGIN_HOST_FUNCTION true',
    );
  });

  it('fires the method signal on abort (ERR_PLUGIN_ABORTED) and on timeout (ERR_PLUGIN_TIMEOUT)', async () => {
    const { handle } = await loadKv(isolation);
    const controller = new AbortController();
    const pending = handle.call('wait', [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error.code).toBe('ERR_PLUGIN_ABORTED');
    expect(error.message).toContain('aborted by the caller');
    expect((await rejection(handle.call('wait', [], { timeout: 30 }))).code).toBe('ERR_PLUGIN_TIMEOUT');
    await eventually(async () => JSON.parse(String(await handle.call('seen', []))).aborts === 2);
  });

  it('cancels a host function with the call it was made for', async () => {
    const { handle, rec } = await loadKv(isolation);
    const controller = new AbortController();
    const pending = handle.call('waitOnHost', [], { signal: controller.signal });
    await waitFor(() => rec.hangSignals.length === 1);
    controller.abort();
    expect((await rejection(pending)).code).toBe('ERR_PLUGIN_ABORTED');
    await waitFor(() => rec.hangSignals[0]!.aborted);
    await eventually(async () => JSON.parse(String(await handle.call('seen', []))).hostAborts.length === 1);
  });

  it('cancels a host function called inside a stream with the stream', async () => {
    const { handle, rec } = await loadKv(isolation);
    const controller = new AbortController();
    const stream = (await handle.call('hangStream', [], {
      signal: controller.signal,
    })) as AsyncIterable<number>;
    const items = stream[Symbol.asyncIterator]();
    expect((await items.next()).value).toBe(1);
    const pending = items.next();
    await waitFor(() => rec.hangSignals.length === 1);
    controller.abort();
    expect((await rejection(pending)).code).toBe('ERR_PLUGIN_ABORTED');
    await waitFor(() => rec.hangSignals[0]!.aborted);
    await eventually(async () => JSON.parse(String(await handle.call('seen', []))).hostAborts.length === 1);
  });

  it('times out a host function that never answers', async () => {
    const { handle, rec } = await loadKv(isolation, { hostTimeout: 50 });
    expect(await handle.call('waitOnHost', [])).toBe('done');
    expect(rec.hangSignals[0]!.aborted).toBe(true);
  });

  it('runs the dispose hooks on close(): onDispose ones last first, then Symbol.asyncDispose', async () => {
    const { handle, rec } = await loadKv(isolation);
    await handle.call('config', []);
    await handle.close();
    expect(rec.disposed).toEqual(['onDispose', 'asyncDispose']);
  });
});

describe.each(MODES)('after a crash and restart, %s', (isolation) => {
  it('the new instance gets the same config and host functions, and onRestart is called', async () => {
    const restarted: string[] = [];
    const { handle, rec } = await loadKv(isolation, {
      onRestart: (h) => {
        restarted.push(h.name);
      },
    });
    expect(await handle.call('lookup', ['before'])).toBe('value of before');
    await handle.call('crash', []);
    await waitFor(() => handle.restarts === 1 && handle.state === 'running', 10_000);
    expect(await handle.call('config', [])).toBe('{"quality":7,"name":"test"}');
    expect(await handle.call('lookup', ['after'])).toBe('value of after');
    expect(rec.fetched).toEqual(['before', 'after']);
    await waitFor(() => restarted.length === 1);
    expect(restarted).toEqual(['kv-plugin']);
  });
});
