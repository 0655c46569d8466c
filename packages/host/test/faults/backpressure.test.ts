import { describe, expect, it } from 'vitest';
import { MODES, waitFor } from '../isolation-helpers.js';
import { outcome, script, useEvil } from './evil.js';

// A plugin that stops reading its input. Without a cap the host would buffer every call written
// to it (its pipe's write buffer, or the pending calls and their arguments) for as long as it is
// called. With the caps (maxPendingCalls, maxQueuedBytes) new calls fail at once with
// ERR_PLUGIN_BUSY; the calls in flight time out, the health check finds the plugin hung, it is
// killed and restarted, and the same handle answers again.

const t = useEvil();

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe.each(MODES)('%s isolation: a plugin that never reads its input', (isolation) => {
  it('calls past maxPendingCalls fail with ERR_PLUGIN_BUSY; it is found hung, restarted, and answers', async () => {
    const handle = await t.evil.load(isolation, {
      maxPendingCalls: 40,
      callTimeout: 1000,
      healthTimeout: 1000,
    });
    // A process plugin answers this call, then stops reading; a worker plugin blocks its thread.
    const deaf = outcome(handle.call('greet', [script({ deaf: true })]));
    if (isolation === 'process') expect((await deaf).value).toBe('deaf from now on');
    const calls = Array.from({ length: 60 }, (_, i) => outcome(handle.plugin.greet(`call ${i}`)));
    const results = await Promise.all([deaf, ...calls]);
    const busy = results.filter((r) => r.error?.code === 'ERR_PLUGIN_BUSY');
    expect(busy.length).toBeGreaterThanOrEqual(20);
    expect(busy[0]!.error!.details).toMatchObject({ limit: 'maxPendingCalls', pendingCalls: 40 });
    expect(busy[0]!.error!.message).toContain('raise the maxPendingCalls load option');
    // Every other call settled too: answered before the plugin went deaf, timed out, or crashed.
    for (const r of results) {
      if (r.error !== undefined) {
        expect(['ERR_PLUGIN_BUSY', 'ERR_PLUGIN_TIMEOUT', 'ERR_PLUGIN_CRASHED']).toContain(r.error.code);
      }
    }
    await waitFor(() => handle.restarts === 1 && handle.state === 'running', 60_000);
    expect(await handle.plugin.greet('again')).toBe('Hi again');
  }, 120_000);

  it.runIf(isolation === 'process')(
    'calls past maxQueuedBytes of unread input fail with ERR_PLUGIN_BUSY, so the write buffer stays bounded',
    async () => {
      const maxQueuedBytes = 4 * 1024 * 1024;
      const handle = await t.evil.load(isolation, { maxQueuedBytes, callTimeout: 2000, healthTimeout: 1000 });
      expect(await handle.call('greet', [script({ deaf: true })])).toBe('deaf from now on');
      const big = 'x'.repeat(1024 * 1024);
      const calls: ReturnType<typeof outcome>[] = [];
      // One megabyte per call, a turn of the event loop between calls (so each is written out):
      // the pipe fills after a few hundred kilobytes, then Node's socket buffers the rest.
      for (let i = 0; i < 64; i++) {
        calls.push(outcome(handle.plugin.greet(big)));
        await tick();
      }
      const results = await Promise.all(calls);
      const busy = results.filter((r) => r.error?.code === 'ERR_PLUGIN_BUSY');
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]!.error!.details).toMatchObject({ limit: 'maxQueuedBytes' });
      // Bounded: what was queued when a call was refused is the cap plus at most one call's bytes.
      const queued = busy.map((r) => r.error!.details!.queuedBytes as number);
      expect(Math.max(...queued)).toBeLessThanOrEqual(maxQueuedBytes + 2 * big.length);
      for (const r of results) {
        if (r.error !== undefined) {
          expect(['ERR_PLUGIN_BUSY', 'ERR_PLUGIN_TIMEOUT', 'ERR_PLUGIN_CRASHED']).toContain(r.error.code);
        }
      }
      await waitFor(() => handle.restarts === 1 && handle.state === 'running', 60_000);
      expect(await handle.plugin.greet('again')).toBe('Hi again');
    },
    120_000,
  );
});
