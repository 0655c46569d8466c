// Percentiles and the per-round ratios the tables print.

/** The q-quantile (0..1) of `samples`, by the nearest-rank method on a sorted copy. */
export function quantile(samples, q) {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Per round: p50 and p99 of each side and their ratios (a / b: for times, above 1 means A is
 * slower). Over all rounds: the median of the per-round ratios, and their min and max.
 * @param {{ a: ArrayLike<number>, b: ArrayLike<number> }[]} sampled
 */
export function compareRounds(sampled) {
  const per = sampled.map(({ a, b }) => {
    const a50 = quantile(a, 0.5);
    const b50 = quantile(b, 0.5);
    const a99 = quantile(a, 0.99);
    const b99 = quantile(b, 0.99);
    return { a50, b50, a99, b99, r50: a50 / b50, r99: a99 / b99 };
  });
  const pick = (key) => per.map((p) => p[key]);
  return {
    rounds: per.length,
    a50: median(pick('a50')),
    b50: median(pick('b50')),
    a99: median(pick('a99')),
    b99: median(pick('b99')),
    r50: spread(pick('r50')),
    r99: spread(pick('r99')),
  };
}

/** { mid, min, max } of a list. */
export function spread(values) {
  return { mid: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function median(values) {
  return quantile(values, 0.5);
}
