// The tables `pnpm bench` prints: markdown, so that the lead can paste one into a README with
// its date. Each row is one measure against its baseline from the same interleaved run.
import { appendFileSync } from 'node:fs';
import { describeMachine } from './machine.mjs';

/**
 * A plugin does strictly more work than the raw channel it runs on, so against a physical
 * baseline a ratio under this is not a fast plugin but a broken measurement (the two sides saw
 * different machine states, or the baseline did extra work).
 */
export const MEASUREMENT_ERROR_BELOW = 0.9;

/**
 * @typedef {object} Row
 * @property {string} name
 * @property {string} unit what `show` gives, e.g. 'µs'
 * @property {(ms: number) => number} show from a sample (ms) to the unit shown
 * @property {ReturnType<import('./stats.mjs').compareRounds>} cmp
 * @property {boolean} [higherIsBetter] throughput: shown as rate, ratio inverted
 * @property {{ p50: number, p99?: number }} [target] on the ratio
 * @property {boolean} physical the baseline is a floor the measure cannot beat
 * @property {string} [note]
 */

/** Prints one table of rows, its title and the machine's state (load average) under it. */
export function printTable(title, rows) {
  const header = [
    'measure',
    'p50',
    'baseline p50',
    'ratio p50',
    'rounds',
    'p99',
    'baseline p99',
    'ratio p99',
    'target',
    'met',
  ];
  const lines = rows.map(rowCells);
  console.log(`\n${title}\n`);
  console.log(markdown([header, ...lines.map((l) => l.cells)]));
  // Each bench file runs in its own process: run-benches.mjs gathers the rows for one summary.
  const summary = process.env.X_BENCH_SUMMARY;
  if (summary) for (const l of lines) appendFileSync(summary, `${JSON.stringify(l)}\n`);
  const notes = lines.flatMap((l, i) => (l.notes.length ? [`- ${rows[i].name}: ${l.notes.join('; ')}`] : []));
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  console.log(`\n${describeMachine()}`);
}

function rowCells(row) {
  const { cmp, show, unit } = row;
  // For a rate the slow tail is the low one: the p99 of burst times is the p1 of throughput.
  const inv = row.higherIsBetter ? (r) => ({ mid: 1 / r.mid, min: 1 / r.max, max: 1 / r.min }) : (r) => r;
  const r50 = inv(cmp.r50);
  const r99 = inv(cmp.r99);
  const notes = [];
  const errors = [];
  const flagged = new Set();
  if (row.physical) {
    // Checked on the time ratios, whatever is shown: taking less time than the floor is the error.
    for (const [label, r] of [
      ['p50', cmp.r50],
      ['p99', cmp.r99],
    ]) {
      if (r.mid < MEASUREMENT_ERROR_BELOW) {
        errors.push(`${label} time ratio ${r.mid.toFixed(2)}x`);
        flagged.add(label);
      } else if (r.min < MEASUREMENT_ERROR_BELOW)
        notes.push(
          `${label} time ratio under ${MEASUREMENT_ERROR_BELOW}x in some rounds (measurement error in those)`,
        );
    }
    if (errors.length)
      notes.unshift(
        `MEASUREMENT ERROR: ${errors.join(', ')}, under ${MEASUREMENT_ERROR_BELOW}x of a physical baseline`,
      );
  }
  if (row.note) notes.push(row.note);
  const good = (r, t) => (row.higherIsBetter ? r.mid >= t : r.mid <= t);
  let met = '';
  if (row.target) {
    const ok = good(r50, row.target.p50) && (row.target.p99 === undefined || good(r99, row.target.p99));
    met = errors.length ? '?' : ok ? 'yes' : 'NO';
  }
  const op = row.higherIsBetter ? '>=' : '<=';
  const target = row.target
    ? `${op} ${row.target.p50}x${row.target.p99 === undefined ? '' : `, p99 ${op} ${row.target.p99}x`}`
    : '';
  return {
    cells: [
      row.name,
      `${fmt(show(cmp.a50))} ${unit}`,
      `${fmt(show(cmp.b50))} ${unit}`,
      `${r50.mid.toFixed(2)}x${flagged.has('p50') ? ' (ERROR)' : ''}`,
      `${r50.min.toFixed(2)}–${r50.max.toFixed(2)}x (${cmp.rounds})`,
      `${fmt(show(cmp.a99))} ${unit}`,
      `${fmt(show(cmp.b99))} ${unit}`,
      `${r99.mid.toFixed(2)}x (${r99.min.toFixed(2)}–${r99.max.toFixed(2)})${flagged.has('p99') ? ' (ERROR)' : ''}`,
      target,
      met,
    ],
    notes,
  };
}

function markdown(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** The summary run-benches.mjs prints last: every ratio of every bench file, one table. */
export function printSummary(lines) {
  const header = ['measure', 'ratio p50', 'rounds (min–max)', 'ratio p99', 'target', 'met'];
  const pick = (c) => [c[0], c[3], c[4], c[7], c[8], c[9]];
  console.log(markdown([header, ...lines.map((l) => pick(l.cells))]));
  const notes = lines.flatMap((l) =>
    l.notes.filter((n) => n.startsWith('MEASUREMENT ERROR')).map((n) => `- ${l.cells[0]}: ${n}`),
  );
  if (notes.length) console.log(`\n${notes.join('\n')}`);
}

export function fmt(n) {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1000) return Math.round(n).toLocaleString('en-US');
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
}
