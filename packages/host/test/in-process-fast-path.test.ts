import { tracingChannel } from 'node:diagnostics_channel';
import { defineContract, greeter, t } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, loadPlugin, silentLogger } from '../src/index.js';
import { Project } from './fixtures.js';

// `handle.plugin.x()` of an in-process plugin takes the fast path (src/core/direct-call.ts): no
// pending set, no timer, a shared quiet `{ signal }`, sampled latency. Each test here pins one
// behaviour the full path had, so that the fast path cannot drop it.

const project = new Project();
afterAll(() => project.remove());

// A plugin that records the `{ signal }` of each call and can answer late, throw or lie.
const RECORDER = `
export const seen = [];
export const plugin = {
  greet(name, ctx) {
    seen.push(ctx);
    if (name === 'throw') throw Object.assign(new RangeError('no such name'), { code: 'E_NAME' });
    if (name === 'lie') return 42;
    if (name === 'late') return new Promise((resolve) => setTimeout(() => resolve('late answer'), 30));
    if (name === 'hang') return new Promise((resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    return 'Hello, ' + name;
  },
  lang: () => 'English',
};
`;
const dir = project.addPlugin('recorder-plugin', { files: { 'index.js': RECORDER } });
const load = (options: Record<string, unknown> = {}) =>
  loadPlugin(dir, { contract: greeter, isolation: 'in-process', logger: silentLogger, ...options });
const seen = async (): Promise<{ signal: AbortSignal }[]> =>
  (await import(`${dir}/index.js`)).seen as { signal: AbortSignal }[];

describe('the in-process fast path', () => {
  it('gives every method a { signal } that is an AbortSignal, not aborted, with no listeners piling up', async () => {
    const handle = await load();
    try {
      const calls = await seen();
      calls.length = 0;
      await expect(handle.plugin.greet('Ada')).resolves.toBe('Hello, Ada');
      await expect(handle.plugin.greet('Bob')).resolves.toBe('Hello, Bob');
      const [first, second] = calls.map((c) => c.signal);
      expect(first).toBeInstanceOf(AbortSignal);
      expect(first!.aborted).toBe(false);
      // A listener added to one call's signal is not on the next call's.
      expect(first).not.toBe(second);
    } finally {
      await handle.close();
    }
  });

  it('fires the signal of an answer still pending when the callTimeout passes', async () => {
    const handle = await load({ callTimeout: 50 });
    try {
      const calls = await seen();
      calls.length = 0;
      await expect(handle.plugin.greet('hang')).rejects.toMatchObject({ code: 'ERR_PLUGIN_TIMEOUT' });
      expect(calls[0]!.signal.aborted).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('answers late answers, and fails them with ERR_PLUGIN_CLOSED on close()', async () => {
    const handle = await load();
    await expect(handle.plugin.greet('late')).resolves.toBe('late answer');
    const pending = handle.plugin.greet('late');
    expect(handle.stats().inFlight).toBe(1);
    await handle.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
    await expect(handle.plugin.greet('Ada')).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
  });

  it('keeps error fidelity: a throw is ERR_PLUGIN_CALL with its cause, a wrong answer blames the plugin', async () => {
    const handle = await load();
    try {
      const thrown = await handle.plugin.greet('throw').catch((e: unknown) => e);
      expect(thrown).toMatchObject({
        code: 'ERR_PLUGIN_CALL',
        cause: { name: 'RangeError', code: 'E_NAME' },
      });
      await expect(handle.plugin.greet('lie')).rejects.toMatchObject({
        code: 'ERR_PLUGIN_CONTRACT',
        details: { side: 'plugin' },
      });
      const wrong = handle.plugin.greet as unknown as (...a: unknown[]) => Promise<string>;
      await expect(wrong(7)).rejects.toMatchObject({
        code: 'ERR_PLUGIN_CONTRACT',
        details: { side: 'host' },
      });
      await expect(wrong()).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT', details: { side: 'host' } });
      await expect(wrong('a', 'b')).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    } finally {
      await handle.close();
    }
  });

  it('counts every call in stats() and times them', async () => {
    const handle = await load();
    try {
      for (let i = 0; i < 2000; i++) await handle.plugin.greet('Ada');
      await handle.plugin.greet('throw').catch(() => {});
      await handle.plugin.greet('lie').catch(() => {});
      const stats = handle.stats();
      expect(stats).toMatchObject({
        calls: 2002,
        errors: 2,
        errorsByCode: { ERR_PLUGIN_CALL: 1, ERR_PLUGIN_CONTRACT: 1 },
        inFlight: 0,
      });
      expect(stats.latencyMs.p50).toBeGreaterThan(0);
      expect(stats.latencyMs.p99).toBeGreaterThanOrEqual(stats.latencyMs.p50);
    } finally {
      await handle.close();
    }
  });

  it('publishes on x-plugin:call as soon as someone subscribes', async () => {
    const handle = await load();
    const starts: string[] = [];
    const channel = tracingChannel(CALL_CHANNEL);
    const none = () => {};
    const handlers = {
      start: (ctx: object) => void starts.push((ctx as { method: string }).method),
      end: none,
      asyncStart: none,
      asyncEnd: none,
      error: none,
    };
    try {
      await handle.plugin.greet('Ada');
      channel.subscribe(handlers);
      await handle.plugin.greet('Ada');
      await handle.plugin.lang();
    } finally {
      channel.unsubscribe(handlers);
      await handle.close();
    }
    expect(starts).toEqual(['greet', 'lang']);
  });

  it('fails a call whose own method closed the handle with ERR_PLUGIN_CLOSED, as the full path does', async () => {
    const closer = project.addPlugin('closer-plugin', {
      files: {
        'index.js':
          "export const hooks = {}; export const plugin = { greet: (name) => { hooks.close?.(); return 'Hello, ' + name; }, lang: () => 'English' };\n",
      },
    });
    const handle = await loadPlugin(closer, {
      contract: greeter,
      isolation: 'in-process',
      logger: silentLogger,
    });
    const { hooks } = (await import(`${closer}/index.js`)) as { hooks: { close?: () => void } };
    hooks.close = () => void handle.close();
    await expect(handle.plugin.greet('Ada')).rejects.toMatchObject({ code: 'ERR_PLUGIN_CLOSED' });
  });

  it('refuses past maxPendingCalls with ERR_PLUGIN_BUSY', async () => {
    const handle = await load({ maxPendingCalls: 1 });
    try {
      const first = handle.plugin.greet('late');
      await expect(handle.plugin.greet('Ada')).rejects.toMatchObject({ code: 'ERR_PLUGIN_BUSY' });
      await expect(first).resolves.toBe('late answer');
    } finally {
      await handle.close();
    }
  });

  it('calls methods with optional params and more than three params through the same checks', async () => {
    const wide = defineContract({
      name: 'wide',
      methods: {
        sum: {
          params: ['a', 'b', 'c', 'd'].map((name) => ({ name, type: t.number() })),
          returns: t.number(),
        },
        hello: { params: [{ name: 'name', type: t.optional(t.string()) }], returns: 'string' },
      },
    });
    const wideDir = project.addPlugin('wide-plugin', {
      packageJson: { xPlugin: { contract: 'wide' } },
      files: {
        'index.js':
          'export const plugin = { sum: (a, b, c, d) => a + b + c + d, hello: (name) => "hi " + (typeof name === "string" ? name : "you") };\n',
      },
    });
    const handle = await loadPlugin(wideDir, {
      contract: wide,
      isolation: 'in-process',
      logger: silentLogger,
    });
    try {
      await expect(handle.plugin.sum(1, 2, 3, 4)).resolves.toBe(10);
      await expect(handle.plugin.hello()).resolves.toBe('hi you');
      await expect(handle.plugin.hello('Ada')).resolves.toBe('hi Ada');
      const sum = handle.plugin.sum as unknown as (...a: unknown[]) => Promise<number>;
      await expect(sum(1, 2, 3, '4')).rejects.toMatchObject({ code: 'ERR_PLUGIN_CONTRACT' });
    } finally {
      await handle.close();
    }
  });
});
