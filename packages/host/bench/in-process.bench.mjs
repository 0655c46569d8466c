// An in-process plugin called through its handle (`handle.plugin.greet()`: argument check,
// answer check, stats) against the same function called through a bare `async` wrapper, the
// least any promise-returning call can cost; and the cost of checking an object param and result
// against the same call unvalidated. Run with `pnpm bench` (it imports the built dist).
//
// tinybench does the sampling here (warm-up, timer-overhead correction, percentiles): one call
// is ~0.1–0.5 µs, too short to time one by one with our own loop, and both sides run on the same
// thread, so there is no peer core whose wake-up a block could catch in another state. It still
// runs each task as one block, so the loop below alternates short tinybench runs of the two
// (ABAB in chunks of ~20 ms, the order flipped each chunk), and each round pools its chunks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineContract, t } from '@x/contract';
import { Bench } from 'tinybench';
import { compareRounds, printTable } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';

const PLUGIN = join(import.meta.dirname, '../../../examples/greeter-english');
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const CHUNKS = 10; // per side per round
const BATCH = 100; // calls per sample: a sample of one call would mostly time the timer

const handle = await loadPlugin(PLUGIN, { isolation: 'in-process', logger: silentLogger });
// The very function the handle calls: Node caches the module by URL, so this is the same object.
const { plugin } = await import(pathToFileURL(join(PLUGIN, 'dist/index.js')).href);
const wrapped = async (name) => plugin.greet(name);

/**
 * `ROUNDS` rounds of `CHUNKS` short tinybench runs of each of `a` and `b` (the order flipped each
 * chunk), each sample the mean of `BATCH` calls; each round pools its chunks.
 */
async function interleaved(a, b) {
  const bench = new Bench({
    time: 20,
    iterations: 20,
    warmupTime: 100,
    retainSamples: true,
    subtractTimerOverhead: true,
  });
  bench.add('a', async () => {
    for (let i = 0; i < BATCH; i++) await a();
  });
  bench.add('b', async () => {
    for (let i = 0; i < BATCH; i++) await b();
  });
  const [taskA, taskB] = bench.tasks;
  await taskA.warmup();
  await taskB.warmup();
  const sampled = [];
  for (let r = 0; r < ROUNDS; r++) {
    const sa = [];
    const sb = [];
    for (let c = 0; c < CHUNKS; c++) {
      if (c % 2 === 0) {
        sa.push(...(await chunk(taskA)));
        sb.push(...(await chunk(taskB)));
      } else {
        sb.push(...(await chunk(taskB)));
        sa.push(...(await chunk(taskA)));
      }
    }
    sampled.push({ a: sa, b: sb });
  }
  return sampled;
}

async function chunk(task) {
  task.reset();
  await task.run();
  if (task.result.state !== 'completed')
    throw task.result.error ?? new Error(`${task.name}: ${task.result.state}`);
  return task.result.latency.samples.map((ms) => ms / BATCH);
}

const sampled = await interleaved(
  () => handle.plugin.greet('World'),
  () => wrapped('World'),
);
await handle.close();

// The per-call validation cost (issue 12: ≤ 20% of an in-process call): one plugin, loaded twice,
// once under a contract with an object param and an object result, once under the same contract
// with t.unknown() in their place, so that the two handles differ only in what they check.
const dir = mkdtempSync(join(tmpdir(), 'x-plugin-validation-bench-'));
writeFileSync(
  join(dir, 'package.json'),
  JSON.stringify({
    name: 'shapes-plugin',
    version: '1.0.0',
    type: 'module',
    keywords: ['x-plugin'],
    exports: './index.js',
    xPlugin: { contract: 'shapes' },
    peerDependencies: { '@x/contract': '^1.0.0' },
  }),
);
writeFileSync(
  join(dir, 'index.js'),
  "export const plugin = { area: (box) => ({ area: box.w * box.h, unit: 'px' }) };\n",
);
const shapes = (box, result) =>
  defineContract({
    name: 'shapes',
    methods: { area: { params: [{ name: 'box', type: box }], returns: result } },
  });
const checked = shapes(
  t.object({ w: t.number(), h: t.number(), label: t.optional(t.string()) }),
  t.object({ area: t.number(), unit: t.string() }),
);
const unchecked = shapes(t.unknown(), t.unknown());
const open = (contract) => loadPlugin(dir, { isolation: 'in-process', contract, logger: silentLogger });
const [withSchemas, withoutSchemas] = [await open(checked), await open(unchecked)];
const box = { w: 2, h: 3, label: 'a' };
const validation = await interleaved(
  () => withSchemas.plugin.area(box),
  () => withoutSchemas.plugin.area(box),
);
await withSchemas.close();
await withoutSchemas.close();
rmSync(dir, { recursive: true, force: true });

printTable(
  `In-process calls through the handle, each against its baseline in alternating chunks, ${ROUNDS} rounds`,
  [
    {
      name: 'in-process: handle.plugin.greet() (vs async wrapper)',
      unit: 'ns',
      show: (ms) => ms * 1e6,
      cmp: compareRounds(sampled),
      target: { p50: 1.5 },
      physical: true,
      note: `a sample is the mean of ${BATCH} calls in a row, so p99 is of those means`,
    },
    {
      name: 'in-process: object param and result checked (vs t.unknown(), unvalidated)',
      unit: 'ns',
      show: (ms) => ms * 1e6,
      cmp: compareRounds(validation),
      target: { p50: 1.2 },
      // The same call with less to check: checking more cannot take less time.
      physical: true,
      note: `the same plugin loaded under both contracts; a sample is the mean of ${BATCH} calls`,
    },
  ],
);
