import { PluginError } from '@x/contract';
import { describe, expect, it } from 'vitest';
import { CallStats } from './call-stats.js';

describe('CallStats', () => {
  it('answers percentiles over what was timed while its ring grows', () => {
    const stats = new CallStats();
    for (let i = 1; i <= 100; i++) stats.settled(undefined, i);
    const { latencyMs, calls } = stats.snapshot(0, 0);
    expect(calls).toBe(100);
    expect(latencyMs).toEqual({ p50: 51, p99: 100 });
  });

  it('keeps only the last 1,024 timed calls once the ring is full', () => {
    const stats = new CallStats();
    // 1,024 slow calls, then 1,024 fast ones: the slow ones have left the window.
    for (let i = 0; i < 1024; i++) stats.settled(undefined, 1000);
    for (let i = 1; i <= 1024; i++) stats.settled(undefined, i);
    const { latencyMs, calls } = stats.snapshot(0, 0);
    expect(calls).toBe(2048);
    expect(latencyMs.p99).toBeLessThanOrEqual(1024);
    expect(latencyMs.p50).toBe(513);
  });

  it('counts untimed calls and errors by code', () => {
    const stats = new CallStats();
    stats.settled(undefined, 0);
    stats.settled(
      new PluginError({ code: 'ERR_PLUGIN_TIMEOUT', plugin: 'p', what: 'w', why: 'y', fix: 'f' }),
      0,
    );
    stats.settled(new Error('plain'), 0);
    const snap = stats.snapshot(1, 0);
    expect(snap).toMatchObject({ calls: 3, errors: 2, inFlight: 1, latencyMs: { p50: 0, p99: 0 } });
    expect(snap.errorsByCode).toEqual({ ERR_PLUGIN_TIMEOUT: 1, unknown: 1 });
  });
});
