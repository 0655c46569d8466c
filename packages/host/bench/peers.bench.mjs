// Our worker call against the peers a host could use instead, same plugin logic in the worker
// (the example greeter's export), each pair interleaved call by call: a piscina task round trip
// (one worker, its defaults) and a birpc call over a worker's port. Neither peer is a floor we
// cannot beat (each does its own work), so a ratio under 0.9 here is a result, not an error.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createBirpc } from 'birpc';
import { Piscina } from 'piscina';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';

const PLUGIN = join(import.meta.dirname, '../../../examples/greeter-english');
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const PAIRS = 2000;
const WARMUP = 2000;
const TOPUP = 200;

const handle = await loadPlugin(PLUGIN, { isolation: 'worker', logger: silentLogger });
const ours = () => handle.call('greet', ['World']);

const pool = new Piscina({
  filename: join(import.meta.dirname, 'peers/piscina-greeter.mjs'),
  minThreads: 1,
  maxThreads: 1,
});
const task = { method: 'greet', args: ['World'] };
const viaPiscina = () => pool.run(task);

const worker = new Worker(join(import.meta.dirname, 'peers/birpc-greeter.mjs'));
await new Promise((resolve) => worker.once('message', resolve));
const rpc = createBirpc(
  {},
  { post: (data) => worker.postMessage(data), on: (fn) => worker.on('message', fn) },
);
const viaBirpc = () => rpc.greet('World');

for (const check of [ours, viaPiscina, viaBirpc]) {
  const answer = await check();
  if (answer !== 'Hello, World! Nice to meet you.') throw new Error(`unexpected answer: ${answer}`);
}

const sample = (peer) => (r) => abab(ours, peer, { pairs: PAIRS, warmup: r === 0 ? WARMUP : TOPUP });
const vsPiscina = await rounds(ROUNDS, sample(viaPiscina));
const vsBirpc = await rounds(ROUNDS, sample(viaBirpc));
await handle.close();
await pool.destroy();
await worker.terminate();

const µs = (ms) => ms * 1000;
printTable(
  `Peers: our worker call vs the same logic through piscina and birpc, interleaved, ${ROUNDS} rounds`,
  [
    {
      name: 'worker call (vs piscina task, 1 thread)',
      unit: 'µs',
      show: µs,
      cmp: compareRounds(vsPiscina),
      target: { p50: 1.0 },
      physical: false,
    },
    {
      name: 'worker call (vs birpc call over a worker)',
      unit: 'µs',
      show: µs,
      cmp: compareRounds(vsBirpc),
      target: { p50: 1.0 },
      physical: false,
    },
  ],
);
