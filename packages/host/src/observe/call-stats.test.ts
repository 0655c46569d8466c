import { describe, expect, it } from 'vitest';
import { CallStats, LATENCY_WINDOW } from './call-stats.js';

describe('CallStats', () => {
  it('counts calls, errors by code and calls in flight', () => {
    const stats = new CallStats();
    const a = stats.begin();
    const b = stats.begin();
    const c = stats.begin();
    expect(stats.snapshot(0).inFlight).toBe(3);
    stats.settle(a);
    stats.settle(b, 'ERR_PLUGIN_TIMEOUT');
    stats.settle(c, 'ERR_PLUGIN_TIMEOUT');
    expect(stats.snapshot(2)).toMatchObject({
      calls: 3,
      errors: 2,
      errorsByCode: { ERR_PLUGIN_TIMEOUT: 2 },
      inFlight: 0,
      restarts: 2,
    });
  });

  it('keeps a bounded window of latencies for p50 and p99', () => {
    const stats = new CallStats();
    for (let i = 0; i < LATENCY_WINDOW * 3; i++) stats.settle(stats.begin());
    const { latencyMs } = stats.snapshot(0);
    expect(latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(latencyMs.p99).toBeGreaterThanOrEqual(latencyMs.p50);
    expect(new CallStats().snapshot(0).latencyMs).toEqual({ p50: 0, p99: 0 });
  });
});
