import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin, type PluginHandle } from '../../src/index.js';
import { MAX_STREAM_CREDIT } from '../../src/talkback/remote-stream.js';
import { MODES, rejection } from '../isolation-helpers.js';
import { kv, useTalkbackProject } from './talkback-fixture.js';

const ALL: Isolation[] = ['in-process', ...MODES];

const env = useTalkbackProject();

async function loadKv(isolation: Isolation): Promise<PluginHandle> {
  const handle = await loadPlugin('kv-plugin', {
    cwd: env.project.dir,
    contract: kv,
    contracts: { kv },
    isolation,
    host: { disposed: () => {} },
  });
  env.handles.push(handle);
  return handle;
}

const seen = async (h: PluginHandle) =>
  JSON.parse(String(await h.call('seen', []))) as {
    produced: number;
    finallies: number;
    signalAborted: number;
  };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// A real collection, to see what becomes of a dropped iterator (a fresh context gets `gc`).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe.each(ALL)('streams, %s', (isolation) => {
  it('100,000 items to a slow consumer: the producer waits for credit, then all arrive in order', async () => {
    const handle = await loadKv(isolation);
    const stream = (await handle.call('count', [100_000])) as AsyncIterable<number>;
    const iterator = stream[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i++) expect((await iterator.next()).value).toBe(i);
    await sleep(200); // a slow consumer: the producer must not run ahead
    const ahead = (await seen(handle)).produced;
    // In-process the generator is pulled item by item; across the wire, at most the credit ahead
    // (small items: the window in items, its most).
    expect(ahead).toBeLessThanOrEqual(10 + (isolation === 'in-process' ? 1 : MAX_STREAM_CREDIT) + 1);
    const heapBefore = process.memoryUsage().heapUsed;
    let expected = 10;
    let maxHeap = heapBefore;
    for (;;) {
      const r = await iterator.next();
      if (r.done) break;
      if (r.value !== expected) throw new Error(`item ${r.value} where ${expected} was expected`);
      expected++;
      if (expected % 10_000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
    expect(expected).toBe(100_000);
    // Bounded: the host never held more than the credit; 100,000 queued numbers alone would show.
    expect(maxHeap - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect((await seen(handle)).finallies).toBe(1);
  }, 60_000);

  it('break mid-stream returns the generator (its finally runs) and fires its signal', async () => {
    const handle = await loadKv(isolation);
    const got: number[] = [];
    for await (const n of handle.plugin.count!(1_000_000) as unknown as AsyncIterable<number>) {
      got.push(n);
      if (n === 4) break;
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
    await expect.poll(async () => (await seen(handle)).finallies, { timeout: 5000 }).toBe(1);
    expect((await seen(handle)).signalAborted).toBe(1);
    expect(await handle.call('echo', ['still answers'])).toBe('still answers:boolean');
  });

  it('an iterator dropped without return() is collected, and the generator is returned', async () => {
    const handle = await loadKv(isolation);
    // Three items taken, then the iterator let go: no break, no return(), nothing holding it.
    await (async () => {
      const stream = (await handle.call('count', [1_000_000])) as AsyncIterable<number>;
      const iterator = stream[Symbol.asyncIterator]();
      for (let i = 0; i < 3; i++) await iterator.next();
    })();
    await expect
      .poll(
        async () => {
          gc();
          await sleep(20);
          return (await seen(handle)).finallies;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(1);
    expect((await seen(handle)).signalAborted).toBe(1);
    expect(await handle.call('echo', ['still answers'])).toBe('still answers:boolean');
  }, 30_000);

  it('abort mid-stream: ERR_PLUGIN_ABORTED, and the generator is returned', async () => {
    const handle = await loadKv(isolation);
    const controller = new AbortController();
    const stream = (await handle.call('count', [1_000_000], {
      signal: controller.signal,
    })) as AsyncIterable<number>;
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    controller.abort();
    const error = await rejection(iterator.next());
    expect(error.code).toBe('ERR_PLUGIN_ABORTED');
    await expect.poll(async () => (await seen(handle)).finallies, { timeout: 5000 }).toBe(1);
    expect((await iterator.next()).done).toBe(true);
  });

  it('an error thrown mid-stream reaches the consumer after the items before it', async () => {
    const handle = await loadKv(isolation);
    const got: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const n of (await handle.call('failing', [])) as AsyncIterable<number>) got.push(n);
      })(),
    );
    expect(got).toEqual([1, 2]);
    expect(error.code).toBe('ERR_PLUGIN_CALL');
    expect((error.cause as Error).name).toBe('RangeError');
    expect((error.cause as Error).message).toBe('broke mid-stream');
  });
});

// Streams join the dropped-iterator registry a turn late (core/plugin-stream.ts), or once 64 wait:
// iterators dropped in the turn that opened them, 100 at once, are still all collected and stopped.
it('100 in-process iterators opened and dropped in one turn are all collected, and their generators returned', async () => {
  const handle = await loadKv('in-process');
  await (async () => {
    for (let i = 0; i < 100; i++) {
      const stream = (await handle.call('count', [1_000_000])) as AsyncIterable<number>;
      await stream[Symbol.asyncIterator]().next();
    }
  })();
  expect(handle.stats().streams.open).toBe(100);
  await expect
    .poll(
      async () => {
        gc();
        await sleep(20);
        return (await seen(handle)).finallies;
      },
      { timeout: 15_000, interval: 50 },
    )
    .toBe(100);
  expect(handle.stats().streams).toEqual({ open: 0, total: 100 });
}, 30_000);
