// Bytes across isolation (protocol version 2): a 1 MiB and a 64 MiB Uint8Array echoed by a plugin
// in a worker and in a process, against the raw transport in the same run: a bare worker echoing
// with postMessage and transfer (no copy at all), and a bare child echoing length-prefixed bytes on
// its fd 3 pipe. Two more worker rows measure the choices the plugin port could make for bytes:
// structured clone (what version 2 does) and copy-then-transfer. Run with `pnpm bench` (dist).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { measure, printTable } from '../../../scripts/bench-table.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';

const MiB = 1024 * 1024;
const SIZES = [1 * MiB, 64 * MiB];
// Large copies dominate, and the machine is shared: few runs, the median of them.
const RUNS = { [1 * MiB]: 60, [64 * MiB]: 9 };

const ECHO_WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.mode === 'transfer') parentPort.postMessage(m, [m.bytes.buffer]);
  else if (m.mode === 'copy') { const c = m.bytes.slice(); parentPort.postMessage({ ...m, bytes: c }, [c.buffer]); }
  else parentPort.postMessage(m);
});`;
// Reads a 4-byte length and that many bytes, writes them back as they came.
const ECHO_CHILD = `const { Socket } = require('node:net');
const s = new Socket({ fd: 3, readable: true, writable: true });
s.on('data', (d) => s.write(d));`;

function bareWorker() {
  const worker = new Worker(ECHO_WORKER, { eval: true });
  return {
    send: (bytes, mode) =>
      new Promise((resolve) => {
        worker.once('message', (m) => resolve(m.bytes));
        if (mode === 'transfer') worker.postMessage({ bytes, mode }, [bytes.buffer]);
        else if (mode === 'copy') {
          const c = bytes.slice();
          worker.postMessage({ bytes: c, mode }, [c.buffer]);
        } else worker.postMessage({ bytes, mode });
      }),
    close: () => worker.terminate(),
  };
}

function bareChild() {
  const child = spawn(process.execPath, ['-e', ECHO_CHILD], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const pipe = child.stdio[3];
  let want = 0;
  let got = 0;
  let done;
  pipe.on('data', (d) => {
    got += d.length;
    if (got >= want) done();
  });
  return {
    send: (bytes) =>
      new Promise((resolve) => {
        want = bytes.length + 4;
        got = 0;
        done = () => resolve(bytes);
        const head = Buffer.alloc(4);
        head.writeUInt32BE(bytes.length);
        pipe.write(head);
        pipe.write(bytes);
      }),
    close: () => child.kill(),
  };
}

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
writeFileSync(join(pkg, 'index.js'), 'export const plugin = { echo: (batch) => batch };\n');
// 'object': the client checks typeof only, so the bytes travel with no schema check in the way.
const echo = {
  name: 'echo',
  methods: { echo: { params: [{ name: 'batch', type: 'object' }], returns: 'object' } },
};

const rows = [];
for (const isolation of ['worker', 'process']) {
  const handle = await loadPlugin(pkg, {
    isolation,
    contract: echo,
    contracts: { echo },
    logger: silentLogger,
  });
  const raw = isolation === 'worker' ? bareWorker() : bareChild();
  for (const size of SIZES) {
    const label = `${size / MiB} MiB`;
    // 1 MiB: 20 untimed calls first (with 2, the first timed ones still ran unoptimised code and
    // the handle measured 5x the raw echo; warmed, both take ~0.5-1 ms).
    const opts = { runs: RUNS[size], warmup: size === MiB ? 20 : 2 };
    const bytes = new Uint8Array(size).fill(1);
    const ms = await measure(() => handle.call('echo', [{ bytes }]), opts);
    let own = new Uint8Array(size).fill(1);
    const rawMs = await measure(async () => {
      own = await raw.send(own, 'transfer');
    }, opts);
    const row = (name, value) =>
      rows.push({
        name,
        value: size / MiB / (value / 1000),
        baseline: size / MiB / (rawMs / 1000),
        unit: 'MiB/s',
        target: 0.7,
        higherIsBetter: true,
      });
    row(`${isolation}: ${label} Uint8Array round trip`, ms);
    if (isolation === 'worker') {
      const cloneMs = await measure(() => raw.send(bytes, 'clone'), opts);
      const copyMs = await measure(() => raw.send(bytes, 'copy'), opts);
      rows.push({
        name: `  raw worker, ${label}: structured clone`,
        value: size / MiB / (cloneMs / 1000),
        baseline: size / MiB / (rawMs / 1000),
        unit: 'MiB/s',
        higherIsBetter: true,
      });
      rows.push({
        name: `  raw worker, ${label}: copy, then transfer`,
        value: size / MiB / (copyMs / 1000),
        baseline: size / MiB / (rawMs / 1000),
        unit: 'MiB/s',
        higherIsBetter: true,
      });
    }
  }
  await handle.close();
  await raw.close();
}
rmSync(dir, { recursive: true, force: true });

printTable('Bytes round trips vs the raw transport (median; baseline: transfer / raw pipe)', rows);
