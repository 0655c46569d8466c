#!/usr/bin/env node
// Runs every `bench/*.bench.mjs` of the package it is called from, one after another, each in
// its own `node` process so that one benchmark's heap and JIT state cannot skew the next.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.mjs'))
      .sort()
  : [];
let failed = 0;
for (const file of files) {
  const { status } = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
