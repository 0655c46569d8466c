// Plugins that talk back (issue 13), per isolation, each against its baseline in the same run:
// - a host-function round trip as the plugin sees it (it times N `ctx.host.ping()` calls in a loop
//   itself) against the host's own round trip to that plugin (N `handle.call('noop')` in a loop,
//   timed by the host): the same channel, one call each way, so target ≤ 1.25x;
// - a `t.stream(t.bytes())` of 64 KiB chunks read to its end against the raw transport carrying the
//   same chunks (bench/raw-echo.mjs: a bare worker posting them, a bare child writing them to fd 3;
//   in-process, an async generator iterated directly): target ≥ 0.7x the raw throughput.
// Run with `pnpm bench` (it imports the built dist).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defineContract, t } from '@x/contract';
import { abab, compareRounds, fmt, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';
import { streamChild, streamWorker } from './raw-echo.mjs';

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
const LOOP = 50; // round trips per sample, each side
const PAIRS = 60; // samples per side per round
const CHUNK = 64 * 1024;
const CHUNKS = 256; // 16 MiB a stream
const STREAM_PAIRS = 8;
// An in-process stream of 256 items takes ~0.1–0.3 ms: 8 such samples a round left its median to
// chance (one run's rounds 0.32–0.70x); a plugin's stream takes ~10–20 ms a sample.
const IN_PROCESS_STREAM_PAIRS = 200;

const dir = mkdtempSync(join(tmpdir(), 'x-plugin-talkback-bench-'));
const pkg = join(dir, 'talkback-plugin');
mkdirSync(pkg);
mkdirSync(join(dir, 'node_modules', '@x'), { recursive: true });
for (const name of ['contract', 'sdk'])
  symlinkSync(join(import.meta.dirname, '../..', name), join(dir, 'node_modules', '@x', name), 'dir');
writeFileSync(
  join(pkg, 'package.json'),
  JSON.stringify({
    name: 'talkback-plugin',
    version: '1.0.0',
    type: 'module',
    keywords: ['x-plugin'],
    exports: './index.js',
    xPlugin: { contract: 'talkback' },
    peerDependencies: { '@x/contract': '^1.0.0', '@x/sdk': '^1.0.0' },
  }),
);
// One source for the contract, so the plugin's copy is the host's.
const CONTRACT = `defineContract({
  name: 'talkback',
  methods: {
    noop: { params: [], returns: t.number() },
    pingLoop: { params: [{ name: 'n', type: t.number() }], returns: t.number() },
    chunks: {
      params: [{ name: 'n', type: t.number() }, { name: 'size', type: t.number() }],
      returns: t.stream(t.bytes()),
    },
  },
  host: { ping: { params: [], returns: t.number() } },
})`;
writeFileSync(
  join(pkg, 'index.js'),
  `import { defineContract, t } from '@x/contract';
import { definePlugin } from '@x/sdk';
const contract = ${CONTRACT};
export const plugin = definePlugin(contract, (ctx) => ({
  noop: () => 1,
  // Timed inside the plugin: the host-function round trip as the plugin sees it, nothing else.
  pingLoop: async (n) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) await ctx.host.ping();
    return performance.now() - start;
  },
  chunks: async function* (n, size) {
    const chunk = new Uint8Array(size).fill(1);
    for (let i = 0; i < n; i++) yield chunk;
  },
}));
`,
);
const contract = new Function('defineContract', 't', `return ${CONTRACT};`)(defineContract, t);

const timed = (fn) => async () => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

async function drain(stream) {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  if (bytes !== CHUNKS * CHUNK) throw new Error(`stream carried ${bytes} bytes`);
}
async function* bareGenerator(n, size) {
  const chunk = new Uint8Array(size).fill(1);
  for (let i = 0; i < n; i++) yield chunk;
}
const raws = {
  'in-process': async () => ({ pull: (n, size) => drain(bareGenerator(n, size)), close() {} }),
  worker: streamWorker,
  process: streamChild,
};
const rawNames = {
  'in-process': 'an async generator iterated directly',
  worker: 'a bare worker posting the same chunks',
  process: 'a bare child writing the same bytes to fd 3',
};

const µs = (ms) => (ms / LOOP) * 1000;
const mibPerSecond = (ms) => (CHUNKS * CHUNK) / MiB / (ms / 1000);
const itemsPerSecond = (ms) => CHUNKS / (ms / 1000);

const rows = [];
try {
  for (const isolation of ['in-process', 'worker', 'process']) {
    const handle = await loadPlugin(pkg, {
      isolation,
      contract,
      logger: silentLogger,
      host: { ping: () => 1 },
    });
    const viaHost = () => handle.call('pingLoop', [LOOP]);
    const direct = timed(async () => {
      for (let i = 0; i < LOOP; i++) await handle.call('noop', []);
    });
    const rtt = await rounds(ROUNDS, (r) =>
      abab(viaHost, direct, { pairs: PAIRS, warmup: r === 0 ? 40 : 4, reported: true }),
    );
    rows.push({
      name: `${isolation}: host-function round trip, seen by the plugin (vs a plugin call, seen by the host)`,
      unit: 'µs',
      show: µs,
      cmp: compareRounds(rtt),
      target: { p50: 1.25 },
      // Opposite directions over one channel: neither is a floor for the other.
      physical: false,
      note: `a sample is the mean of ${LOOP} sequential calls, each side timing its own loop`,
    });

    const raw = await raws[isolation]();
    const streamed = await rounds(ROUNDS, (r) =>
      abab(
        timed(async () => drain(await handle.call('chunks', [CHUNKS, CHUNK]))),
        timed(() => raw.pull(CHUNKS, CHUNK)),
        {
          pairs: isolation === 'in-process' ? IN_PROCESS_STREAM_PAIRS : STREAM_PAIRS,
          warmup: r === 0 ? (isolation === 'in-process' ? 50 : 3) : 1,
          reported: true,
        },
      ),
    );
    await raw.close();
    await handle.close();
    const cmp = compareRounds(streamed);
    rows.push({
      name: `${isolation}: stream of ${CHUNK / 1024} KiB t.bytes() chunks (vs ${rawNames[isolation]})`,
      unit: 'MiB/s',
      show: mibPerSecond,
      cmp,
      higherIsBetter: true,
      target: { p50: 0.7 },
      // The plugin carries the same chunks over the same channel, and more; but the worker endpoint
      // sends a tick's messages as one post, the bare worker one post per chunk: not a floor there.
      physical: isolation !== 'worker',
      note: `${isolation === 'worker' ? 'baseline posts one chunk at a time, the endpoint batches a tick: not a floor; ' : ''}${fmt(itemsPerSecond(cmp.a50))} vs ${fmt(itemsPerSecond(cmp.b50))} items/s; ${CHUNKS} chunks (${(CHUNKS * CHUNK) / MiB} MiB) a sample, ${isolation === 'in-process' ? IN_PROCESS_STREAM_PAIRS : STREAM_PAIRS} pairs a round`,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

printTable(`Host functions and streams vs their baselines, interleaved, ${ROUNDS} rounds`, rows);
