// Isolated plugins against raw baselines measured in the same run: a bare postMessage echo worker
// and a bare pipe echo child (the transports with nothing on top), for round trip, pipelined
// throughput, start-to-first-answer and memory. Run with `pnpm bench` (imports the built dist).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { measure, printTable } from '../../../scripts/bench-table.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';

const PLUGIN = join(import.meta.dirname, '../../../examples/greeter-english');
const BURST = 1000;
// Round trips are measured in steady state: 2000 untimed calls first (200 before the endpoint was
// replaced), enough for V8 to optimise both the RPC path and the raw echo; fewer measured the JIT.
const WARMUP = 2000;
// Likewise 20 untimed bursts before timing bursts (3 before): with 3, the first timed bursts still
// ran unoptimised code and the median moved by up to 2x from run to run.
const BURST_WARMUP = 20;

const ECHO_WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.postMessage('ready');
parentPort.on('message', (m) => parentPort.postMessage(m));`;
const ECHO_CHILD = `const { Socket } = require('node:net');
const s = new Socket({ fd: 3, readable: true, writable: true });
s.write('ready\\n');
s.on('data', (d) => s.write(d));`;

function bareWorker() {
  const worker = new Worker(ECHO_WORKER, { eval: true });
  const ready = new Promise((r) => worker.once('message', r));
  let waiting = [];
  worker.on('message', (m) => {
    const w = waiting;
    waiting = [];
    for (const f of w) f(m);
  });
  return {
    ready,
    // One message out, one back; for a burst, resolve when all answers are in.
    send: (n = 1) =>
      new Promise((resolve) => {
        let left = n;
        const onMessage = () => {
          if (--left === 0) {
            worker.off('message', onMessage);
            resolve();
          }
        };
        worker.on('message', onMessage);
        for (let i = 0; i < n; i++) worker.postMessage({ method: 'greet', args: ['World'], id: i });
      }),
    close: () => worker.terminate(),
  };
}

function bareChild() {
  // The same empty environment a plugin process gets (the host passes only what it is told to):
  // an inherited NODE_EXTRA_CA_CERTS alone makes a bare child ~30 ms slower, an unfair baseline.
  const child = spawn(process.execPath, ['-e', ECHO_CHILD], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    env: {},
  });
  const pipe = child.stdio[3];
  let buffered = '';
  let onLine = () => {};
  pipe.on('data', (d) => {
    buffered += d;
    let i = buffered.indexOf('\n');
    while (i >= 0) {
      buffered = buffered.slice(i + 1);
      onLine();
      i = buffered.indexOf('\n');
    }
  });
  const ready = new Promise((r) => {
    onLine = r;
  });
  return {
    ready,
    pid: child.pid,
    send: (n = 1) =>
      new Promise((resolve) => {
        let left = n;
        onLine = () => {
          if (--left === 0) resolve();
        };
        for (let i = 0; i < n; i++)
          pipe.write(`${JSON.stringify({ method: 'greet', args: ['World'], id: i })}\n`);
      }),
    close: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill();
      }),
  };
}

const rssOf = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const load = (isolation) => loadPlugin(PLUGIN, { isolation, logger: silentLogger });

const rows = [];
for (const isolation of ['worker', 'process']) {
  const bare = isolation === 'worker' ? bareWorker : bareChild;
  const handle = await load(isolation);
  const raw = bare();
  await raw.ready;
  const call = () => handle.call('greet', ['World']);
  const rtt = await measure(call, { runs: 2000, warmup: WARMUP });
  const rawRtt = await measure(() => raw.send(1), { runs: 2000, warmup: WARMUP });
  rows.push({
    name: `${isolation}: round trip of one call`,
    value: rtt * 1000,
    baseline: rawRtt * 1000,
    unit: 'µs',
    target: 1.25,
  });
  const burst = await measure(() => Promise.all(Array.from({ length: BURST }, call)), {
    runs: 30,
    warmup: BURST_WARMUP,
  });
  const rawBurst = await measure(() => raw.send(BURST), { runs: 30, warmup: BURST_WARMUP });
  rows.push({
    name: `${isolation}: throughput, ${BURST} calls in flight`,
    value: (BURST / burst) * 1000,
    baseline: (BURST / rawBurst) * 1000,
    unit: 'calls/s',
    target: 0.7,
    higherIsBetter: true,
  });
  if (isolation === 'process') {
    rows.push({
      name: 'process: memory per plugin (child RSS)',
      value: rssOf(handle.pid),
      baseline: rssOf(raw.pid),
      unit: 'MB',
    });
  }
  await handle.close();
  await raw.close();

  const start = await measure(
    async () => {
      const h = await load(isolation);
      await h.call('lang', []);
      await h.close();
    },
    { runs: 31, warmup: 2 },
  );
  const rawStart = await measure(
    async () => {
      const r = bare();
      await r.ready;
      await r.close();
    },
    { runs: 31, warmup: 2 },
  );
  rows.push({
    name: `${isolation}: load → first answer`,
    value: start,
    baseline: rawStart,
    unit: 'ms',
    target: 1.3,
  });
}

// Worker memory lives in the host's own RSS: grow it by N plugins, against N bare workers.
const N = 5;
async function rssGrowth(open) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const opened = [];
  for (let i = 0; i < N; i++) opened.push(await open());
  globalThis.gc?.();
  const grown = (process.memoryUsage().rss - before) / N / 1024 / 1024;
  await Promise.all(opened.map((o) => o.close()));
  return grown;
}
const rawWorkerMb = await rssGrowth(async () => {
  const w = bareWorker();
  await w.ready;
  return w;
});
const workerMb = await rssGrowth(() => load('worker'));
rows.push({
  name: 'worker: memory per plugin (host RSS growth)',
  value: workerMb,
  baseline: rawWorkerMb,
  unit: 'MB',
});

printTable('Isolated plugins vs raw transports (median)', rows);
