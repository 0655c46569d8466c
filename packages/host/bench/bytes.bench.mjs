// Bytes across isolation (protocol version 2): a 1 MiB and a 64 MiB Uint8Array echoed by a plugin
// whose contract says `t.bytes()` both ways, against the raw transport in the same run, interleaved
// call by call (scripts/bench/): a bare worker echoing by postMessage with transfer (no copy at
// all), a bare child echoing the bytes on its fd 3 pipe (bench/raw-echo.mjs), and, in-process, the
// same function through an `async` wrapper. Target (issue 12): ≥ 0.7x the raw throughput.
// Run with `pnpm bench` (it imports the built dist).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineContract, t, transfer } from '@x/contract';
import { abab, compareRounds, printTable, rounds } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';
import { bytesChild, bytesWorker } from './raw-echo.mjs';

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.X_BENCH_ROUNDS ?? 5);
// A 64 MiB round trip takes tens to hundreds of ms, each side copying it: few pairs a round, so
// its p99 is the slowest of those few. 1 MiB is cheap enough for a real tail.
const SIZES = [
  { size: 1 * MiB, pairs: 40, warmup: 20 },
  { size: 64 * MiB, pairs: 3, warmup: 1 },
];
// In-process, a call is well under a µs (no copy): a sample is a batch, as in in-process.bench.mjs.
const BATCH = 100;
const IN_PROCESS_PAIRS = 200;

const dir = mkdtempSync(join(tmpdir(), 'x-plugin-bytes-bench-'));
const pkg = join(dir, 'echo-plugin');
mkdirSync(pkg);
writeFileSync(
  join(pkg, 'package.json'),
  JSON.stringify({
    name: 'echo-plugin',
    version: '1.0.0',
    type: 'module',
    keywords: ['x-plugin'],
    exports: './index.js',
    xPlugin: { contract: 'echo' },
    peerDependencies: { '@x/contract': '^1.0.0' },
  }),
);
writeFileSync(join(pkg, 'index.js'), 'export const plugin = { echo: (bytes) => bytes };\n');
// The same echo, giving its answer up with transfer() (its own @x/contract, linked from the workspace).
const moving = join(dir, 'echo-transfer-plugin');
mkdirSync(join(moving, 'node_modules', '@x'), { recursive: true });
symlinkSync(
  join(import.meta.dirname, '../../contract'),
  join(moving, 'node_modules', '@x', 'contract'),
  'dir',
);
writeFileSync(
  join(moving, 'package.json'),
  JSON.stringify({
    name: 'echo-transfer-plugin',
    version: '1.0.0',
    type: 'module',
    keywords: ['x-plugin'],
    exports: './index.js',
    xPlugin: { contract: 'echo' },
    peerDependencies: { '@x/contract': '^1.0.0' },
  }),
);
writeFileSync(
  join(moving, 'index.js'),
  "import { transfer } from '@x/contract';\nexport const plugin = { echo: (bytes) => transfer(bytes) };\n",
);
// The schema a user would write for bytes: its check (instanceof) is part of what is measured.
const echo = defineContract({
  name: 'echo',
  methods: { echo: { params: [{ name: 'bytes', type: t.bytes() }], returns: t.bytes() } },
});

const rate = (size) => (ms) => size / MiB / (ms / 1000);
const baselines = {
  'in-process': 'the same function through an async wrapper',
  worker: 'a bare worker, postMessage with transfer',
  process: 'a bare child, raw pipe echo',
};

// Not the target's baseline, but what it leaves out: protocol v2 sends bytes to a worker by
// structured clone, so that the caller keeps its buffer, and clone copies where transfer does not.
const clone = await bytesWorker({ transfer: false });
async function versusClone(handle, size, pairs, warmup) {
  const bytes = new Uint8Array(size).fill(1);
  const sampled = await rounds(ROUNDS, (r) =>
    abab(
      () => handle.call('echo', [bytes]),
      () => clone.send(bytes),
      { pairs, warmup: r === 0 ? warmup : 0 },
    ),
  );
  return {
    name: `worker: ${size / MiB} MiB Uint8Array round trip (vs a bare worker, structured clone both ways)`,
    unit: 'MiB/s',
    show: rate(size),
    cmp: compareRounds(sampled),
    higherIsBetter: true,
    physical: false,
    note: 'a worker plugin copies like this baseline; not the target, which is against transfer',
  };
}

// The target row for a worker: both sides give their buffer up, the plugin's call with transfer()
// each way and the bare worker with postMessage's transfer list, so that neither copies.
// Nothing is copied, so a call costs what a small one does: as many pairs as a round trip row
// takes (few pairs would time the first calls of a fresh handle, before the JIT has seen them).
const MOVED_PAIRS = 500;
const MOVED_WARMUP = 300;
async function moved(raw, size) {
  const pairs = MOVED_PAIRS;
  const handle = await loadPlugin(moving, { isolation: 'worker', contract: echo, logger: silentLogger });
  let mine = new Uint8Array(size).fill(1);
  let own = new Uint8Array(size).fill(1);
  const sampled = await rounds(ROUNDS, (r) =>
    abab(
      async () => {
        mine = await handle.call('echo', [transfer(mine)]);
      },
      async () => {
        own = await raw.send(own);
      },
      { pairs, warmup: r === 0 ? MOVED_WARMUP : 0 },
    ),
  );
  await handle.close();
  if (mine.byteLength !== size) throw new Error(`worker plugin moved back ${mine.byteLength} bytes`);
  return {
    name: `worker: ${size / MiB} MiB Uint8Array round trip, transfer() both ways (vs ${baselines.worker})`,
    unit: 'MiB/s',
    show: rate(size),
    cmp: compareRounds(sampled),
    higherIsBetter: true,
    target: { p50: 0.7 },
    physical: true,
    note: `${pairs} pairs a round; neither side copies: the call and its answer move their buffers`,
  };
}

const rows = [];
try {
  for (const isolation of ['in-process', 'worker', 'process']) {
    const handle = await loadPlugin(pkg, { isolation, contract: echo, logger: silentLogger });
    const raw =
      isolation === 'worker' ? await bytesWorker() : isolation === 'process' ? await bytesChild() : undefined;
    // In-process: the very function the handle calls (Node caches the module by URL).
    const { plugin } = await import(pathToFileURL(join(pkg, 'index.js')).href);
    const wrapped = async (bytes) => plugin.echo(bytes);
    for (const { size, pairs, warmup } of SIZES) {
      const bytes = new Uint8Array(size).fill(1);
      let sampled;
      if (raw) {
        // The raw worker transfers its buffer away and back: each send takes the last answer.
        let own = new Uint8Array(size).fill(1);
        sampled = await rounds(ROUNDS, (r) =>
          abab(
            () => handle.call('echo', [bytes]),
            async () => {
              own = await raw.send(own);
            },
            { pairs, warmup: r === 0 ? warmup : 0 },
          ),
        );
        if (own.byteLength !== size) throw new Error(`raw ${isolation} echoed ${own.byteLength} bytes`);
      } else {
        const batch = (fn) => async () => {
          for (let i = 0; i < BATCH; i++) await fn(bytes);
        };
        sampled = (
          await rounds(ROUNDS, (r) =>
            abab(
              batch((b) => handle.plugin.echo(b)),
              batch(wrapped),
              { pairs: IN_PROCESS_PAIRS, warmup: r === 0 ? IN_PROCESS_PAIRS : 20 },
            ),
          )
        ).map(({ a, b }) => ({ a: a.map((ms) => ms / BATCH), b: b.map((ms) => ms / BATCH) }));
      }
      const extra = isolation === 'worker' ? await versusClone(handle, size, pairs, warmup) : undefined;
      const move = isolation === 'worker' ? await moved(raw, size) : undefined;
      const back = await handle.call('echo', [bytes]);
      if (back.byteLength !== size) throw new Error(`${isolation} plugin echoed ${back.byteLength} bytes`);
      rows.push({
        name: `${isolation}: ${size / MiB} MiB Uint8Array round trip (vs ${baselines[isolation]})`,
        unit: 'MiB/s',
        show: rate(size),
        cmp: compareRounds(sampled),
        higherIsBetter: true,
        // A worker plugin copies the caller's bytes (which it leaves the caller), the baseline moves
        // them: no target for that row, the transfer() row below is the like-for-like one.
        ...(isolation === 'worker' ? {} : { target: { p50: 0.7 } }),
        // The plugin carries the same bytes over the same channel, and more: the raw echo is a floor.
        physical: true,
        note: raw
          ? `${pairs} pairs a round${size > MiB ? ': p99 is the slowest of those few' : ''}`
          : `a sample is the mean of ${BATCH} calls in a row; no copy in-process, so this is the per-call cost`,
      });
      if (move) rows.push(move);
      if (extra) rows.push(extra);
    }
    await handle.close();
    await raw?.close();
  }
} finally {
  await clone.close();
  rmSync(dir, { recursive: true, force: true });
}

printTable(`Bytes round trips vs the raw transport, interleaved call by call, ${ROUNDS} rounds`, rows);
