// A measure held to a fixed budget rather than compared with a baseline run beside it (a package's
// size, a command's wall time): the same row shape as the ratio tables, so that run-benches.mjs
// puts it in its summary, with the budget as the "baseline" and "ratio" the share of it used.

/**
 * A printTable row for `value` against `budget` (same unit; lower is better): met when the value
 * is at most the budget. `samples` (optional) gives p50 and p99 for a timed measure.
 * @param {{ name: string, unit: string, show?: (v: number) => number, value: number, p99?: number, budget: number, note?: string }} m
 */
export function budgetRow({ name, unit, show = (v) => v, value, p99 = value, budget, note }) {
  const r50 = value / budget;
  const r99 = p99 / budget;
  return {
    name,
    unit,
    show,
    cmp: {
      rounds: 1,
      a50: value,
      b50: budget,
      a99: p99,
      b99: budget,
      r50: { mid: r50, min: r50, max: r50 },
      r99: { mid: r99, min: r99, max: r99 },
    },
    target: { p50: 1 },
    physical: false,
    note: note ?? `baseline = the budget (${show(budget)} ${unit}); ratio = the share of it used`,
  };
}
