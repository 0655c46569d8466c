#!/usr/bin/env node
// Runs every `bench/*.bench.mjs` of the package it is called from, one after another, each in
// its own `node` process so that one benchmark's heap and JIT state cannot skew the next. Says
// first how busy the machine is: the ratios mean little on a loaded one (scripts/bench/).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeMachine } from './bench/machine.mjs';

const dir = join(process.cwd(), 'bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.mjs'))
      .sort()
  : [];
console.log(`${basename(process.cwd())} benchmarks: ${describeMachine()}`);
let failed = 0;
for (const file of files) {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
