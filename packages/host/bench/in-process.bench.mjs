// An in-process plugin called through its handle (`handle.plugin.greet()`: argument check,
// answer check, stats) against the same function called through a bare `async` wrapper, the
// least any promise-returning call can cost. Run with `pnpm bench` (it imports the built dist).
//
// tinybench does the sampling here (warm-up, timer-overhead correction, percentiles): one call
// is ~0.1–0.5 µs, too short to time one by one with our own loop, and both sides run on the same
// thread, so there is no peer core whose wake-up a block could catch in another state. It still
// runs each task as one block, so the loop below alternates short tinybench runs of the two
// (ABAB in chunks of ~20 ms, the order flipped each chunk), and each round pools its chunks.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

const bench = new Bench({
  time: 20,
  iterations: 20,
  warmupTime: 100,
  retainSamples: true,
  subtractTimerOverhead: true,
});
bench.add('handle', async () => {
  for (let i = 0; i < BATCH; i++) await handle.plugin.greet('World');
});
bench.add('async wrapper', async () => {
  for (let i = 0; i < BATCH; i++) await wrapped('World');
});
const [viaHandle, viaWrapper] = bench.tasks;
await viaHandle.warmup();
await viaWrapper.warmup();

async function chunk(task) {
  task.reset();
  await task.run();
  if (task.result.state !== 'completed')
    throw task.result.error ?? new Error(`${task.name}: ${task.result.state}`);
  return task.result.latency.samples.map((ms) => ms / BATCH);
}

const sampled = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = [];
  const b = [];
  for (let c = 0; c < CHUNKS; c++) {
    if (c % 2 === 0) {
      a.push(...(await chunk(viaHandle)));
      b.push(...(await chunk(viaWrapper)));
    } else {
      b.push(...(await chunk(viaWrapper)));
      a.push(...(await chunk(viaHandle)));
    }
  }
  sampled.push({ a, b });
}
await handle.close();

printTable(
  `In-process: a call through the handle vs the same function through an async wrapper, ${ROUNDS} rounds`,
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
  ],
);
