#!/usr/bin/env node
// Runs every `bench/*.bench.mjs` of the package it is called from, one after another, each in
// its own `node` process so that one benchmark's heap and JIT state cannot skew the next. Says
// first how busy the machine is: the ratios mean little on a loaded one (scripts/bench/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describeMachine } from './bench/machine.mjs';
import { printSummary } from './bench/report.mjs';

const dir = join(process.cwd(), 'bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.mjs'))
      .sort()
  : [];
console.log(`${basename(process.cwd())} benchmarks: ${describeMachine()}`);
const scratch = mkdtempSync(join(tmpdir(), 'x-bench-summary-'));
const summary = join(scratch, 'rows.ndjson');
const env = { ...process.env, X_BENCH_SUMMARY: summary };
let failed = 0;
for (const file of files) {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit', env });
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (status !== 0) failed++;
}
if (existsSync(summary)) {
  const rows = readFileSync(summary, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  console.log(
    `\nSummary, ${basename(process.cwd())}, ${new Date().toISOString().slice(0, 10)}: every ratio above\n`,
  );
  printSummary(rows);
  console.log(`\n${describeMachine()}`);
}
rmSync(scratch, { recursive: true, force: true });
process.exitCode = failed === 0 ? 0 : 1;
