// What a plugin author waits for and downloads: `npm create greeter-plugin`.
// - Size: `npm pack --dry-run --json` of the package as published (unpacked and tarball), against
//   DESIGN.md's 1.5 MB budget (test/package-size.test.ts holds the same budget in `pnpm test`).
// - Time: npm's own exec path from a warm cache, on the packed tarball, offline: `npm exec
//   --offline --package=<tarball> -- create-greeter-plugin <dir> --yes --no-install --no-git`,
//   which is what `npm create greeter-plugin` runs once npm has resolved the package. Its first run
//   unpacks the tarball into npm's npx cache (timed once, shown as a note); the timed runs reuse
//   it. Not included: the registry round trip that `npm create` makes to resolve the package's
//   version (it depends on the registry and the network, not on this package) and the plugin's
//   own `npm install` (--no-install: that is tsup's, vitest's... weight, timed by no one here).
//   The baseline, interleaved: the same unpacked generator run directly with `node`, so the
//   ratio is npm exec's overhead. The time budget is checked here only: npm's start-up varies
//   with the machine's load by seconds, too much for a test that must not flake.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetRow } from '../../../scripts/bench/budget.mjs';
import { abab, compareRounds, printTable, quantile, rounds } from '../../../scripts/bench/index.mjs';

const PACKAGE = join(import.meta.dirname, '..');
const SIZE_BUDGET = 1.5 * 1024 * 1024;
const TIME_BUDGET_MS = 5000;
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const MB = (bytes) => bytes / 1024 / 1024;

const root = mkdtempSync(join(tmpdir(), 'cgp-npm-create-bench-'));
// A private npm cache and no user config: "warm" means warmed by this run, not by the machine.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  npm_config_cache: join(root, 'npm-cache'),
  npm_config_userconfig: join(root, 'npmrc'),
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_yes: 'true',
};
let n = 0;
const work = join(root, 'work');
mkdirSync(work);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: PACKAGE,
      encoding: 'utf8',
    }),
  );
  // pnpm pack, as a release does: workspace: ranges become versions.
  execFileSync('pnpm', ['pack', '--pack-destination', root], { cwd: PACKAGE, stdio: 'ignore' });
  const tarball = join(
    root,
    readdirSync(root).find((f) => f.endsWith('.tgz')),
  );
  const flags = ['--yes', '--no-install', '--no-git'];
  const npmCreate = () =>
    run('npm', [
      'exec',
      '--offline',
      `--package=${tarball}`,
      '--',
      'create-greeter-plugin',
      `p${n++}`,
      ...flags,
    ]);

  const coldStart = performance.now();
  npmCreate();
  const coldMs = performance.now() - coldStart;
  const npx = join(root, 'npm-cache', '_npx');
  const [hash] = readdirSync(npx);
  const bin = join(npx, hash, 'node_modules', 'create-greeter-plugin', 'index.js');

  const sampled = await rounds(ROUNDS, (r) =>
    abab(
      async () => npmCreate(),
      async () => run(process.execPath, [bin, `p${n++}`, ...flags]),
      { pairs: 2, warmup: r === 0 ? 1 : 0 },
    ),
  );
  const cmp = compareRounds(sampled);
  const all = sampled.flatMap((s) => [...s.a]);
  printTable(
    `create-greeter-plugin: npm create from a warm cache (npm exec --offline of the packed tarball, no install) vs the same generator run with node, interleaved, ${ROUNDS} rounds`,
    [
      {
        name: 'npm create greeter-plugin, warm cache (vs node <bin>)',
        unit: 'ms',
        show: (ms) => ms,
        cmp,
        // npm exec starts the very same bin after its own work: the direct run is a floor.
        physical: true,
        note: `first run, empty npm cache: ${Math.round(coldMs)} ms (npm unpacks the tarball into its npx cache)`,
      },
    ],
  );
  const rows = [
    budgetRow({
      name: 'create-greeter-plugin unpacked size',
      unit: 'MB',
      show: MB,
      value: packed.unpackedSize,
      budget: SIZE_BUDGET,
      note: `tarball ${MB(packed.size).toFixed(2)} MB, ${packed.entryCount} files; budget ${MB(SIZE_BUDGET)} MB unpacked (DESIGN.md)`,
    }),
    budgetRow({
      name: 'npm create greeter-plugin, warm cache, wall time',
      unit: 'ms',
      value: cmp.a50,
      p99: quantile(all, 0.99),
      budget: TIME_BUDGET_MS,
    }),
  ];
  printTable(
    'create-greeter-plugin: what `npm create` downloads and how long it takes, against budgets',
    rows,
  );
  const over = rows.filter((r) => r.cmp.r50.mid > 1);
  console.log(
    `budgets: ${over.length === 0 ? 'met' : `NOT MET (${over.map((r) => r.name).join(', ')})`} (size also enforced by test/package-size.test.ts; time bench-only)`,
  );
  process.exitCode = over.length === 0 ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
