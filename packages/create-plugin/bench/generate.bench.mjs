// The generator itself (no install, no git), as a user runs it: a fresh `node` process for the
// built bin, generating a whole plugin into a new folder. Budget: under a second.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable } from '../../../scripts/bench-table.mjs';

const BIN = join(import.meta.dirname, '..', 'index.js');
const BUDGET_MS = 1000;
const root = mkdtempSync(join(tmpdir(), 'cgp-bench-'));
let n = 0;

const run = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
};

try {
  const nodeAlone = await measure(() => run(['-e', '']), { runs: 10, warmup: 2 });
  const rows = [];
  for (const kind of ['greeter', 'transformer']) {
    const generate = await measure(
      () => run([BIN, `p${n++}`, '--kind', kind, '--yes', '--no-install', '--no-git']),
      {
        runs: 10,
        warmup: 2,
      },
    );
    rows.push({
      name: `generate a ${kind} plugin (new node process)`,
      value: generate,
      baseline: nodeAlone,
      unit: 'ms',
    });
  }
  printTable('create-greeter-plugin: the generator, no install (baseline: an empty `node -e ""`)', rows);
  const over = rows.filter((r) => r.value >= BUDGET_MS);
  console.log(
    `budget: < ${BUDGET_MS} ms each: ${over.length === 0 ? 'met' : `NOT MET (${over.map((r) => r.name).join(', ')})`}`,
  );
  process.exitCode = over.length === 0 ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
