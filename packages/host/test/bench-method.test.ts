import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error: plain ESM scripts of the repo, without type declarations.
import { abab, compareRounds, printTable, quantile } from '../../../scripts/bench/index.mjs';

// The method `pnpm bench` rests on (scripts/bench/): alternation, percentiles, the error flag.

describe('abab', () => {
  it('alternates the two sides call by call, flipping the order every pair', async () => {
    const order: string[] = [];
    const result = await abab(
      async () => order.push('a'),
      async () => order.push('b'),
      { pairs: 4, warmup: 1 },
    );
    expect(order.join('')).toBe('ab' + 'ab' + 'ba' + 'ab' + 'ba');
    expect(result.a).toHaveLength(4);
    expect(result.b).toHaveLength(4);
  });

  it('times each call: a slower side has larger samples', async () => {
    const wait = (ms: number) => () => new Promise((r) => setTimeout(r, ms));
    const { a, b } = await abab(wait(15), wait(1), { pairs: 3 });
    expect(quantile(a, 0.5)).toBeGreaterThan(quantile(b, 0.5));
  });
});

describe('quantile and compareRounds', () => {
  it('nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('the ratio of each round, their median and spread', () => {
    const round = (a: number, b: number) => ({ a: [a, a, a], b: [b, b, b] });
    const cmp = compareRounds([round(2, 1), round(3, 1), round(10, 2)]);
    expect(cmp.rounds).toBe(3);
    expect(cmp.r50).toEqual({ mid: 3, min: 2, max: 5 });
    expect(cmp.a50).toBe(3);
  });
});

describe('printTable', () => {
  const rowWith = (a: number, b: number, physical: boolean) => ({
    name: 'x',
    unit: 'µs',
    show: (ms: number) => ms * 1000,
    cmp: compareRounds([{ a: [a], b: [b] }]),
    target: { p50: 1.25 },
    physical,
  });
  function printed(row: ReturnType<typeof rowWith>): string {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((text: string) => lines.push(text));
    try {
      printTable('t', [row]);
    } finally {
      spy.mockRestore();
    }
    return lines.join('\n');
  }

  it('flags a ratio under 0.9x of a physical baseline as a measurement error, not a win', () => {
    const text = printed(rowWith(0.029, 0.1, true));
    expect(text).toContain('0.29x (ERROR)');
    expect(text).toMatch(/MEASUREMENT ERROR: p50 time ratio 0\.29x/);
    expect(text).toMatch(/\| \? +\|$/m); // target "met" is unknown, not "yes"
  });

  it('marks the column at fault: a p99 error leaves the p50 ratio unmarked', () => {
    const a = Array.from({ length: 100 }, () => 0.12);
    const b = Array.from({ length: 100 }, (_, i) => (i >= 98 ? 1 : 0.1));
    const text = printed({ ...rowWith(0, 1, true), cmp: compareRounds([{ a, b }]) });
    expect(text).toMatch(/\| 1\.20x +\|/);
    expect(text).toMatch(/0\.12x \(0\.12–0\.12\) \(ERROR\)/);
    expect(text).toMatch(/MEASUREMENT ERROR: p99 time ratio 0\.12x/);
  });

  it('does not flag a faster peer, and judges the target', () => {
    expect(printed(rowWith(0.029, 0.1, false))).not.toContain('ERROR');
    expect(printed(rowWith(0.12, 0.1, true))).toMatch(/1\.20x .*\| yes +\|$/m);
    expect(printed(rowWith(0.2, 0.1, true))).toMatch(/2\.00x .*\| NO +\|$/m);
  });

  it('says how busy the machine is', () => {
    expect(printed(rowWith(0.12, 0.1, true))).toMatch(/load average \d+\.\d\d \(1 min\)/);
  });
});
