// 1,000 plugins under one host, in isolation groups (issue 15, "Scale"): each scenario loads 1,000
// greeter plugin packages (real packages on disk, each its own entry) into groups of 100 sharing a
// worker or a process, and times load() of all of them to the first answer of each. Memory per
// plugin is what the plugins cost the machine, measured honestly: the host's RSS growth (workers
// are threads of the host) plus the RSS of every plugin process, divided by the plugins. RSS
// counts the pages a process shares with others (Node's own code) once per process, so it is an
// upper bound; PSS (shared pages split among their sharers) is shown beside it where Linux has it.
// Run with `pnpm bench` (it imports the built dist).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine, fmt, median } from '../../../scripts/bench/index.mjs';
import { createHost, silentLogger } from '../dist/index.js';

const PLUGINS = Number(process.env.X_SCALE_PLUGINS ?? 1000);
const GROUP_SIZE = Number(process.env.X_SCALE_GROUP_SIZE ?? 100);
const ROUNDS = Number(process.env.X_SCALE_ROUNDS ?? 3);
const TARGET_S = 10;
const TARGET_MB = 2;

/** PLUGINS packages, each a CommonJS greeter of its own (what a real install of many plugins looks like). */
function writePlugins() {
  const dir = mkdtempSync(join(tmpdir(), 'x-bench-scale-'));
  // (names are greeter-plugin-n<i>, which the scenario process rebuilds from the count)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scale-app', private: true }));
  const names = [];
  for (let i = 0; i < PLUGINS; i++) {
    const name = `greeter-plugin-n${i}`;
    const at = join(dir, 'node_modules', name);
    mkdirSync(at, { recursive: true });
    writeFileSync(
      join(at, 'package.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        keywords: ['x-plugin'],
        main: './index.cjs',
        xPlugin: { contract: 'greeter' },
        peerDependencies: { '@x/contract': '^1.0.0' },
      }),
    );
    writeFileSync(
      join(at, 'index.cjs'),
      `exports.plugin = { greet: (name) => 'Hello ' + name + ' from ${i}', lang: () => 'n${i}' };\n`,
    );
    names.push(name);
  }
  return { dir, names };
}

const kb = (text, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
const statusOf = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
/** RSS and PSS of a process in MB (PSS 0 where the kernel has no smaps_rollup). */
function memoryOf(pid) {
  const rss = kb(statusOf(pid), 'VmRSS') / 1024;
  const rollup = `/proc/${pid}/smaps_rollup`;
  const pss = existsSync(rollup) ? kb(readFileSync(rollup, 'utf8'), 'Pss') / 1024 : 0;
  return { rss, pss };
}

async function scenario(names, dir, isolation) {
  globalThis.gc?.();
  const before = memoryOf(process.pid);
  const host = createHost({ cwd: dir, logger: silentLogger });
  const started = performance.now();
  const handles = await Promise.all(
    names.map((name, i) =>
      host.load(name, { isolation, group: `${isolation}-${Math.floor(i / GROUP_SIZE)}` }),
    ),
  );
  const answers = await Promise.all(handles.map((h) => h.plugin.lang()));
  const firstAnswerMs = performance.now() - started;
  answers.forEach((a, i) => {
    if (a !== `n${i}`) throw new Error(`plugin ${i} answered ${a}`);
  });
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const hostNow = memoryOf(process.pid);
  const pids = [...new Set(handles.map((h) => h.pid).filter((p) => p !== undefined))];
  const children = pids.map(memoryOf);
  const isolates = isolation === 'worker' ? new Set(handles.map((h) => h.threadId)).size : pids.length;
  const sum = (key) => children.reduce((s, m) => s + m[key], 0);
  const rssMb = (hostNow.rss - before.rss + sum('rss')) / names.length;
  const pssMb = before.pss === 0 ? 0 : (hostNow.pss - before.pss + sum('pss')) / names.length;
  const closing = performance.now();
  await host.close();
  const closeMs = performance.now() - closing;
  return { firstAnswerMs, rssMb, pssMb, isolates, closeMs };
}

// Each scenario in a fresh Node process, so that its RSS baseline is a host that has loaded
// nothing (memory a finished scenario freed is seldom given back to the OS, and would hide the next
// one's growth), and neither scenario's JIT or heap state leaks into the other.
if (process.argv[2] === 'scenario') {
  const [, , , isolation, dir, count] = process.argv;
  const names = Array.from({ length: Number(count) }, (_, i) => `greeter-plugin-n${i}`);
  console.log(JSON.stringify(await scenario(names, dir, isolation)));
  process.exit(0);
}
const { spawnSync } = await import('node:child_process');
const { dir } = writePlugins();
const results = { worker: [], process: [] };
try {
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating order, so that neither scenario always meets the warmer machine.
    for (const isolation of r % 2 === 0 ? ['worker', 'process'] : ['process', 'worker']) {
      const run = spawnSync(
        process.execPath,
        ['--expose-gc', import.meta.filename, 'scenario', isolation, dir, String(PLUGINS)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (run.status !== 0) throw new Error(`the ${isolation} scenario failed (exit ${run.status})`);
      results[isolation].push(JSON.parse(run.stdout.trim().split('\n').at(-1)));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = [];
const summaryLines = [];
for (const isolation of ['worker', 'process']) {
  const list = results[isolation];
  const of = (key) => list.map((x) => x[key]);
  const range = (values, show) =>
    `${show(Math.min(...values))}–${show(Math.max(...values))} (${values.length})`;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (v) => `${v.toFixed(2)} MB`;
  const label = `${PLUGINS} ${isolation} plugins, groups of ${GROUP_SIZE} (${list[0].isolates} ${isolation === 'worker' ? 'workers' : 'processes'})`;
  const t = median(of('firstAnswerMs'));
  const m = median(of('rssMb'));
  const p = median(of('pssMb'));
  const timeRow = [
    `${label}: load → first answer of all`,
    s(t),
    range(of('firstAnswerMs'), s),
    `< ${TARGET_S} s`,
    t < TARGET_S * 1000 ? 'yes' : 'NO',
  ];
  const memRow = [
    `${label}: memory per plugin (host + children RSS)`,
    mb(m),
    range(of('rssMb'), mb),
    `<= ${TARGET_MB} MB`,
    m <= TARGET_MB ? 'yes' : 'NO',
  ];
  rows.push(timeRow, memRow);
  if (p > 0)
    rows.push([
      `${label}: memory per plugin (PSS, shared pages split)`,
      mb(p),
      range(of('pssMb'), mb),
      '',
      '',
    ]);
  rows.push([`${label}: host.close()`, s(median(of('closeMs'))), range(of('closeMs'), s), '', '']);
  // In the summary's shape (measure, ratio p50, rounds, ratio p99, target, met): absolute values here.
  for (const [name, value, spread, target, met] of [timeRow, memRow]) {
    summaryLines.push({ cells: [name, '', '', value, spread, '', '', '', target, met], notes: [] });
  }
}
const header = ['measure', 'median', 'rounds (min–max)', 'target', 'met'];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${PLUGINS} plugins under one host, in isolation groups, ${ROUNDS} rounds\n`);
console.log(
  [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n'),
);
console.log(
  `\n(${fmt(PLUGINS)} packages on disk, each loaded with host.load(name, { isolation, group }) at once, then one call each.)`,
);
console.log(`\n${describeMachine()}`);
const summary = process.env.X_BENCH_SUMMARY;
if (summary) {
  const { appendFileSync } = await import('node:fs');
  for (const l of summaryLines) appendFileSync(summary, `${JSON.stringify(l)}\n`);
}
