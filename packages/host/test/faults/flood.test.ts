import { describe, expect, it } from 'vitest';
import { MODES, waitFor } from '../isolation-helpers.js';
import { outcome, script, useEvil } from './evil.js';

// A plugin that floods the host: requests (or notifications) sent in a tight loop, never reading
// the answers, never yielding. On 1.0.0 a process plugin doing this grew the host by ~25 MB/s (the
// host's answers waited in the pipe's write buffer) and a worker took the host to 2 GB (its port
// queues every message in the host's heap) until it died; the call never settled. Now the flood
// guard trips within its first ~100 ms, the plugin is stopped, the call fails ERR_PLUGIN_FLOOD, the
// host's memory stays bounded, and the plugin restarts and answers.

const t = useEvil();

/** The host's peak RSS growth, sampled while `run` runs. */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

describe.each(MODES)('%s isolation: a plugin that floods the host', (isolation) => {
  it.each(['request', 'notification'] as const)(
    'a %s flood stops the plugin with ERR_PLUGIN_FLOOD; host RSS grows < 100 MB; it restarts',
    async (kind) => {
      const handle = await t.evil.load(isolation);
      expect(await handle.plugin.greet('first')).toBe('Hi first');
      const { result, growthMb } = await peakGrowth(() =>
        outcome(handle.plugin.greet(script({ flood: kind }))),
      );
      expect(result.error?.code).toBe('ERR_PLUGIN_FLOOD');
      expect(result.error?.message).toMatch(/flooded the host/);
      expect(['maxPerTurn', 'maxMessages', 'maxQueuedBytes']).toContain(result.error?.details?.limit);
      expect(growthMb).toBeLessThan(100);
      await waitFor(() => handle.restarts === 1 && handle.state === 'running', 30_000);
      expect(await handle.plugin.greet('again')).toBe('Hi again');
    },
    60_000,
  );
});
