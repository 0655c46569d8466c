// The generator itself (no install, no git), as a user runs it: a fresh `node` process for the
// built bin, generating a whole plugin into a new folder. Budget: under a second.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';

const BIN = join(import.meta.dirname, '..', 'index.js');
const BUDGET_MS = 1000;
const root = mkdtempSync(join(tmpdir(), 'cgp-bench-'));
let n = 0;

const run = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
};

const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
try {
  const rows = [];
  for (const kind of ['greeter', 'transformer']) {
    // Generating and an empty node in turn, so that both meet the same machine.
    const sampled = await rounds(ROUNDS, (r) =>
      abab(
        async () => run([BIN, `p${n++}`, '--kind', kind, '--yes', '--no-install', '--no-git']),
        async () => run(['-e', '']),
        { pairs: 2, warmup: r === 0 ? 1 : 0 },
      ),
    );
    rows.push({
      name: `generate a ${kind} plugin (new node process)`,
      unit: 'ms',
      show: (ms) => ms,
      cmp: compareRounds(sampled),
      // The generator is a node process: an empty one is a floor it cannot beat.
      physical: true,
    });
  }
  printTable(
    `create-greeter-plugin: the generator, no install, vs an empty \`node -e ""\`, interleaved, ${ROUNDS} rounds`,
    rows,
  );
  const over = rows.filter((r) => r.cmp.a50 >= BUDGET_MS);
  console.log(
    `budget: p50 < ${BUDGET_MS} ms each: ${over.length === 0 ? 'met' : `NOT MET (${over.map((r) => r.name).join(', ')})`}`,
  );
  process.exitCode = over.length === 0 ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
