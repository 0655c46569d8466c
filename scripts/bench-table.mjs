// Shared by every benchmark: measure against a raw baseline in the same run, print a table of ratios.
import { performance } from 'node:perf_hooks';

/** Median of `runs` timings (ms) of `fn`, after `warmup` untimed runs. */
export async function measure(fn, { runs = 30, warmup = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Prints one table: each row's value, the baseline's, and their ratio (row / baseline, or
 * baseline / row when `higherIsBetter`), with the target where there is one.
 * rows: [{ name, value, baseline, unit, target?, higherIsBetter? }]
 */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  const table = rows.map((r) => {
    const ratio = r.higherIsBetter ? r.value / r.baseline : r.value / r.baseline;
    const target = r.target === undefined ? '' : `${r.higherIsBetter ? '>=' : '<='} ${r.target}x`;
    const met =
      r.target === undefined ? '' : (r.higherIsBetter ? ratio >= r.target : ratio <= r.target) ? 'yes' : 'NO';
    return {
      measure: r.name,
      value: `${fmt(r.value)} ${r.unit}`,
      baseline: `${fmt(r.baseline)} ${r.unit}`,
      ratio: `${ratio.toFixed(2)}x`,
      target,
      met,
    };
  });
  console.table(table);
}

function fmt(n) {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
}
