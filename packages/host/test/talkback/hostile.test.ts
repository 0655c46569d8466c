import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadPlugin, type PluginHandle } from '../../src/index.js';
import { DEFAULT_STREAM_CREDIT, MAX_STREAM_CREDIT } from '../../src/talkback/remote-stream.js';
import { Project } from '../fixtures.js';
import { collectingLogger, rejection } from '../isolation-helpers.js';
import { addKvPlugin, kv } from './talkback-fixture.js';

// Hostile talkback traffic from a hand-written process plugin: items past the credit, items and
// answers for a stream already cancelled, a flood of host-function calls. The host must stay
// bounded, settle everything, and answer the next call.

let project: Project;
let handle: PluginHandle | undefined;
beforeEach(() => {
  project = new Project();
  addKvPlugin(project);
});
afterEach(async () => {
  await handle?.close();
  project.remove();
});

it('a plugin that ignores its credit fails the stream, not the host; late items are dropped', async () => {
  const { logger, lines } = collectingLogger();
  handle = await loadPlugin('kv-plugin', {
    cwd: project.dir,
    contract: kv,
    contracts: { kv },
    isolation: 'process',
    server: join(import.meta.dirname, 'hostile-streamer.cjs'),
    logger,
  });
  const stream = (await handle.call('count', [10])) as AsyncIterable<number>;
  const iterator = stream[Symbol.asyncIterator]();
  // One item taken, then the consumer holds off while the plugin's 5,000 items arrive.
  const got: number[] = [(await iterator.next()).value as number];
  await new Promise((r) => setTimeout(r, 300));
  const error = await rejection(
    (async () => {
      for (;;) {
        const r = await iterator.next();
        if (r.done) return;
        got.push(r.value as number);
      }
    })(),
  );
  expect(error.code).toBe('ERR_PLUGIN_CALL');
  expect(String((error.cause as Error).message)).toContain('more items of count() than its credit');
  // The items past the credit were refused, not queued: only what the host granted (its first
  // DEFAULT_STREAM_CREDIT, then the window once the consumer took one) got through, not the 5,000.
  expect(got.length).toBeGreaterThanOrEqual(DEFAULT_STREAM_CREDIT);
  expect(got.length).toBeLessThanOrEqual(1 + MAX_STREAM_CREDIT);
  // After the cancel, the plugin answers 100 late items and a late end: dropped, the next call answers.
  const answer = await handle.call('echo', ['next']);
  expect(answer).toBe('echo next after 1 cancels');
  // Its 1000 calls of an undeclared host function were all refused (and not logged one by one).
  expect(lines.filter((l) => l.message.includes('Protocol:')).length).toBeLessThanOrEqual(22);
  expect(handle.state).toBe('running');
});

// Past the flood guard (@x/host core/flood-watch.ts): items beyond the credit and x/host requests
// count as the plugin's own traffic, so a plugin flooding either is stopped (ERR_PLUGIN_FLOOD) and
// restarted under the policy, as any flooding plugin is; the host answers the next call.
it.each([
  ['stream items past the credit', { FLOOD_ITEMS: '20000' }, 'count'],
  ['host-function calls', { FLOOD_HOST_CALLS: '20000' }, 'echo'],
] as const)('a plugin flooding %s is stopped with ERR_PLUGIN_FLOOD and restarted', async (_, env, method) => {
  const { logger } = collectingLogger();
  handle = await loadPlugin('kv-plugin', {
    cwd: project.dir,
    contract: kv,
    contracts: { kv },
    isolation: 'process',
    server: join(import.meta.dirname, 'hostile-streamer.cjs'),
    env,
    logger,
  });
  const codes = new Set<string>();
  if (method === 'count') {
    const stream = (await handle.call('count', [10])) as AsyncIterable<number>;
    codes.add(
      (
        await rejection(
          (async () => {
            for await (const _n of stream);
          })(),
        )
      ).code,
    );
  }
  // The flood stops the plugin; a call sent meanwhile fails with the flood's reason, not a crash.
  codes.add((await rejection(handle.call('echo', ['x']))).code);
  expect([...codes].every((c) => c === 'ERR_PLUGIN_FLOOD' || c === 'ERR_PLUGIN_CALL')).toBe(true);
  expect(codes.has('ERR_PLUGIN_FLOOD')).toBe(true);
  await expect.poll(() => handle!.restarts, { timeout: 10_000 }).toBe(1);
  expect(handle.state).toBe('running');
});
