// Isolated plugins (worker, process) against the raw transports they run on, each ratio from one
// interleaved run (bench/raw-echo.mjs for the baselines, scripts/bench/ for the method): round
// trip of one call, throughput with 1,000 calls in flight, load to first answer, and memory.
// Run with `pnpm bench` (it imports the built dist).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';
import { bareChild, bareWorker } from './raw-echo.mjs';

const PLUGIN = join(import.meta.dirname, '../../../examples/greeter-english');
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const PAIRS = 2000; // round trips per side per round
const BURST = 1000;
const BURST_PAIRS = 20;
const START_PAIRS = 6;
// Steady state first: 2000 untimed pairs before the first round (V8 optimises both the RPC path
// and the echo; with 200, the first rounds measured the JIT), a short top-up before the others.
const WARMUP = 2000;
const TOPUP = 200;

const load = (isolation) => loadPlugin(PLUGIN, { isolation, logger: silentLogger });
const bare = { worker: bareWorker, process: bareChild };
const µs = (ms) => ms * 1000;
const perSecond = (ms) => (BURST / ms) * 1000;

const rows = [];
for (const isolation of ['worker', 'process']) {
  const handle = await load(isolation);
  const raw = await bare[isolation]();
  const call = () => handle.call('greet', ['World']);
  const rtt = await rounds(ROUNDS, (r) =>
    abab(call, () => raw.send(1), { pairs: PAIRS, warmup: r === 0 ? WARMUP : TOPUP }),
  );
  const burst = await rounds(ROUNDS, (r) =>
    abab(
      () => Promise.all(Array.from({ length: BURST }, call)),
      () => raw.send(BURST),
      { pairs: BURST_PAIRS, warmup: r === 0 ? 20 : 2 },
    ),
  );
  await handle.close();
  await raw.close();
  const start = await rounds(ROUNDS, (r) =>
    abab(
      async () => {
        const h = await load(isolation);
        await h.call('lang', []);
        await h.close();
      },
      async () => (await bare[isolation]()).close(),
      { pairs: START_PAIRS, warmup: r === 0 ? 2 : 0 },
    ),
  );
  const baseline = isolation === 'worker' ? 'bare postMessage echo worker' : 'bare pipe echo child';
  rows.push(
    {
      name: `${isolation}: round trip of one call (vs ${baseline})`,
      unit: 'µs',
      show: µs,
      cmp: compareRounds(rtt),
      target: { p50: 1.25, p99: 1.5 },
      physical: true,
    },
    {
      name: `${isolation}: throughput, ${BURST} calls in flight`,
      unit: 'calls/s',
      show: perSecond,
      cmp: compareRounds(burst),
      higherIsBetter: true,
      target: { p50: 0.8 },
      // The raw side sends each message on its own (one postMessage, one write); the endpoint
      // sends a tick's messages as one post or write, so it can beat this baseline: not a floor.
      physical: false,
      note: 'baseline sends one message at a time, the endpoint batches a tick: not a floor',
    },
    {
      name: `${isolation}: load → first answer (vs a bare start)`,
      unit: 'ms',
      show: (ms) => ms,
      cmp: compareRounds(start),
      target: { p50: 1.3 },
      physical: true,
    },
  );
}
printTable(`Isolated plugins vs raw transports, interleaved call by call, ${ROUNDS} rounds`, rows);

// Memory is not a timing, but it is sampled the same way: each round opens a plugin and its
// baseline side by side, in turn, so that both meet the same allocator and page cache state.
const rssOf = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const N = 5;
async function hostGrowth(open) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const opened = [];
  for (let i = 0; i < N; i++) opened.push(await open());
  globalThis.gc?.();
  const grown = (process.memoryUsage().rss - before) / N / 1024 / 1024;
  await Promise.all(opened.map((o) => o.close()));
  return grown;
}
const memory = { worker: { a: [], b: [] }, process: { a: [], b: [] } };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
  for (const side of order) {
    memory.worker[side].push(await hostGrowth(side === 'a' ? () => load('worker') : () => bareWorker()));
    const opened = side === 'a' ? await load('process') : await bareChild();
    memory.process[side].push(rssOf(opened.pid));
    await opened.close();
  }
}
// One value per side per round, so p50 and p99 are that value; the spread is across rounds.
const perRound = ({ a, b }) => a.map((v, i) => ({ a: [v], b: [b[i]] }));
printTable(`Memory per plugin vs the bare transport, ${ROUNDS} rounds (one sample each)`, [
  {
    name: `worker: host RSS growth per plugin (${N} plugins)`,
    unit: 'MB',
    show: (mb) => mb,
    cmp: compareRounds(perRound(memory.worker)),
    physical: false,
    note: 'host RSS growth of a few workers is close to the allocator noise',
  },
  {
    name: 'process: child RSS',
    unit: 'MB',
    show: (mb) => mb,
    cmp: compareRounds(perRound(memory.process)),
    physical: false,
  },
]);
