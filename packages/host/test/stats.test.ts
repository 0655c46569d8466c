import { channel, tracingChannel } from 'node:diagnostics_channel';
import { PluginError } from '@x/contract';
import { describe, expect, it } from 'vitest';
import { CALL_CHANNEL, createHost, type Isolation, STREAM_CHANNEL, silentLogger } from '../src/index.js';
import { MODES } from './isolation-helpers.js';
import { kv, useTalkbackProject } from './talkback/talkback-fixture.js';

// Issue 16: handle.stats() and host.stats() match a counted run, and the x-plugin:call tracing
// channel sees every call of it (x-plugin:stream every stream).

const env = useTalkbackProject();
const ALL: Isolation[] = ['in-process', ...MODES];

const host = { fetch: () => Promise.reject(new Error('no such key')), disposed: () => {} };

/** Runs a known mix of calls and returns what the run itself counted, by code. */
async function countedRun(handle: {
  call: (m: string, a: unknown[], o?: { timeout?: number }) => Promise<unknown>;
}) {
  const codes: Record<string, number> = {};
  let ok = 0;
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => void ok++,
      (error: unknown) => {
        const code = PluginError.isInstance(error) ? error.code : 'unknown';
        codes[code] = (codes[code] ?? 0) + 1;
      },
    );
  for (let i = 0; i < 25; i++) await settle(handle.call('echo', [`x${i}`]));
  for (let i = 0; i < 3; i++) await settle(handle.call('echo', [42])); // wrong argument
  for (let i = 0; i < 2; i++) await settle(handle.call('wait', [], { timeout: 30 })); // never answers
  for (let i = 0; i < 4; i++) await settle(handle.call('lookup', ['k'])); // its host function throws
  await settle(handle.call('nope', [])); // no such method
  return { ok, codes };
}

describe.each(ALL)('stats, %s', (isolation) => {
  it('handle.stats() matches a counted run, and the tracing channel saw every call', async () => {
    const starts: string[] = [];
    const streamEvents: string[] = [];
    const calls = tracingChannel(CALL_CHANNEL);
    const onStart = { start: (ctx: unknown) => void starts.push((ctx as { method: string }).method) };
    const onStream = (m: unknown) => void streamEvents.push((m as { event: string }).event);
    calls.subscribe(onStart as never);
    channel(STREAM_CHANNEL).subscribe(onStream);
    const h = createHost({ cwd: env.project.dir, logger: silentLogger });
    try {
      const handle = await h.load('kv-plugin', { contract: kv, contracts: [kv], isolation, host });
      const { ok, codes } = await countedRun(handle);
      expect(ok).toBe(25);
      expect(Object.keys(codes).sort()).toEqual([
        'ERR_PLUGIN_CALL',
        'ERR_PLUGIN_CONTRACT',
        'ERR_PLUGIN_TIMEOUT',
      ]);
      // Streams: one read to its end, one left open.
      let items = 0;
      for await (const _ of (await handle.call('count', [5])) as AsyncIterable<number>) items++;
      expect(items).toBe(5);
      const open = ((await handle.call('count', [100])) as AsyncIterable<number>)[Symbol.asyncIterator]();
      await open.next();
      const stats = handle.stats();
      const errors = Object.values(codes).reduce((a, b) => a + b, 0);
      expect(stats).toMatchObject({
        calls: ok + errors,
        errors,
        errorsByCode: codes,
        inFlight: 0,
        restarts: 0,
        reloads: 0,
        unresponsive: false,
        lastCrash: undefined,
        streams: { open: 1, total: 2 },
      });
      expect(stats.latencyMs.p50).toBeGreaterThan(0);
      expect(stats.latencyMs.p99).toBeGreaterThanOrEqual(stats.latencyMs.p50);
      if (isolation === 'in-process') expect(stats.memory).toBeUndefined();
      await open.return?.();
      expect(handle.stats().streams).toEqual({ open: 0, total: 2 });
      // Every call went through the channel: the counted ones, and the two that opened streams.
      expect(starts.length).toBe(stats.calls + 2);
      expect(starts.filter((m) => m === 'echo')).toHaveLength(28);
      expect(streamEvents).toEqual(['open', 'end', 'open', 'end']);
    } finally {
      calls.unsubscribe(onStart as never);
      channel(STREAM_CHANNEL).unsubscribe(onStream);
      await h.close();
    }
  }, 30_000);
});

describe('host.stats()', () => {
  it('sums the open plugins and lists each, and forgets a closed one', async () => {
    const h = createHost({ cwd: env.project.dir, logger: silentLogger });
    try {
      const a = await h.load('kv-plugin', { contract: kv, contracts: [kv], isolation: 'in-process', host });
      const b = await h.load('kv-plugin', { contract: kv, contracts: [kv], isolation: 'worker', host });
      const runA = await countedRun(a);
      const runB = await countedRun(b);
      // The worker's heap is known once its liveness ping has been answered.
      const end = Date.now() + 5000;
      while (b.stats().memory === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const s = h.stats();
      expect(s.plugins).toBe(2);
      expect(s.calls).toBe(a.stats().calls + b.stats().calls);
      expect(s.calls).toBe(2 * (runA.ok + 10));
      expect(s.errors).toBe(20);
      expect(s.errorsByCode).toEqual({ ERR_PLUGIN_CONTRACT: 8, ERR_PLUGIN_TIMEOUT: 4, ERR_PLUGIN_CALL: 8 });
      expect(runB.codes).toEqual(runA.codes);
      expect(s.byPlugin.map((p) => p.isolation)).toEqual(['in-process', 'worker']);
      expect(s.byPlugin[1]!.stats.memory?.heapUsed).toBeGreaterThan(0);
      expect(s.heapUsed).toBe(b.stats().memory!.heapUsed);
      await a.close();
      expect(h.stats()).toMatchObject({ plugins: 1, calls: b.stats().calls });
    } finally {
      await h.close();
    }
  }, 30_000);
});
