// The raw baselines: the transports an isolated plugin runs on, with nothing on top. A bare
// postMessage echo worker, and a bare child process that echoes bytes on fd 3. Each is started
// the way the host starts a plugin (same env, same flags, same stdio), so that the only difference
// left is the plugin's protocol and dispatch. The host side is kept lean on purpose (one standing
// listener, one resolver): any work here would be charged to the baseline and flatter the plugin.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const ECHO_WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));
parentPort.postMessage('ready');`;
const ECHO_CHILD = `const { Socket } = require('node:net');
const s = new Socket({ fd: 3, readable: true, writable: true });
s.on('data', (d) => s.write(d));
s.write('ready\\n');`;
// The bytes baseline's child echoes with blocking read(2) and write(2) on fd 3 (which blocks, as
// a plugin's does): no event loop, no stream, no buffer per read, both directions at once — the
// least any child can do. The 'data' echo above was no floor for bytes: a plugin, which reads in
// place, beat it (1.22x at 1 MiB, flagged as a measurement error).
const BYTES_ECHO_CHILD = `const { readSync, writeSync } = require('node:fs');
const b = Buffer.allocUnsafe(64 * 1024);
const all = (n) => { for (let i = 0; i < n; ) i += writeSync(3, b, i, n - i); };
writeSync(3, 'ready\\n');
for (;;) { let n; try { n = readSync(3, b); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; } if (n === 0) break; all(n); }`;

// The message a greet call carries, for both baselines: the same payload as the plugin's call.
const MESSAGE = { method: 'greet', args: ['World'], id: 0 };
const LINE = `${JSON.stringify(MESSAGE)}\n`;

/** Counts answers and resolves once `n` are in; `send(n)` posts n messages at once. */
function counter() {
  let left = 0;
  let done = () => {};
  return {
    expect(n) {
      left = n;
      return new Promise((resolve) => {
        done = resolve;
      });
    },
    got(k = 1) {
      left -= k;
      if (left <= 0) done();
    },
  };
}

/** A worker with the plugin worker's options: empty env, piped stdout/stderr, no execArgv. */
export async function bareWorker({ execArgv = [] } = {}) {
  const worker = startWorker(ECHO_WORKER, execArgv);
  const answers = counter();
  const ready = answers.expect(1);
  worker.on('message', () => answers.got());
  await ready;
  return {
    send(n = 1) {
      const all = answers.expect(n);
      for (let i = 0; i < n; i++) worker.postMessage(MESSAGE);
      return all;
    },
    close: () => worker.terminate(),
  };
}

/**
 * A child with the plugin process's spawn options: `node [execArgv] -e`, an empty environment
 * (an inherited NODE_EXTRA_CA_CERTS alone makes a bare child ~30 ms slower to start), stdout and
 * stderr piped, its own process group, the echo on fd 3.
 */
export async function bareChild({ execArgv = [] } = {}) {
  const answers = counter();
  const ready = answers.expect(1);
  // Counting newlines is all the framing a line echo needs: no split, no parse, no decoding.
  const { child, pipe } = await startChild(ECHO_CHILD, execArgv, {
    onRead: (bytes) => {
      let k = 0;
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) k++;
      answers.got(k);
    },
  });
  await ready;
  return {
    pid: child.pid,
    send(n = 1) {
      const all = answers.expect(n);
      // One write per message, as each call is one message; Node's socket still coalesces the
      // writes of one tick (writev). One write of all n lines would be ~10x faster again, a floor
      // no protocol that parses and answers each message can approach.
      for (let i = 0; i < n; i++) pipe.write(LINE);
      return all;
    },
    close: () => stopChild(child, pipe),
  };
}

function startWorker(source, execArgv) {
  const worker = new Worker(source, { eval: true, env: {}, execArgv, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

/**
 * A child whose fd 3 is made as the host makes a plugin's (src/runtimes/process/rpc-socket.ts): a
 * Unix socket connected to itself in a private directory, the child's end blocking, the host's end
 * read in place (`onread`). Each read lands in `into()` when given (a buffer the caller reads the
 * bytes straight into), else in one reused 64 KiB buffer, and `onRead(bytes)` sees what landed
 * (a view valid during the call only): no copy on the host's side beyond the kernel's.
 */
async function startChild(source, execArgv, { onRead, into }) {
  const dir = mkdtempSync(join(tmpdir(), 'x-bench-rpc-'));
  const path = join(dir, 's');
  const server = createServer({ pauseOnConnect: true });
  await new Promise((resolve) => server.listen(path, resolve));
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const scratch = Buffer.allocUnsafe(64 * 1024);
  const pipe = connect({
    path,
    onread: {
      buffer: () => into?.() ?? scratch,
      callback: (n, buffer) => {
        onRead(buffer.subarray(0, n));
        return true;
      },
    },
  });
  await new Promise((resolve) => pipe.once('connect', resolve));
  const end = await accepted;
  server.close();
  rmSync(dir, { recursive: true, force: true });
  end._handle.setBlocking(true);
  const child = spawn(process.execPath, [...execArgv, '-e', source], {
    stdio: ['ignore', 'pipe', 'pipe', end],
    env: {},
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  end.destroy();
  child.stdout.resume();
  child.stderr.resume();
  return { child, pipe };
}

function stopChild(child, pipe) {
  return new Promise((resolve) => {
    child.once('exit', () => {
      pipe.destroy();
      resolve();
    });
    child.kill();
  });
}

// The bytes baselines (bench/bytes.bench.mjs): a Uint8Array sent and echoed with nothing around it.
const bytesEchoWorker = (transfer) => `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (b) => parentPort.postMessage(b, ${transfer ? '[b.buffer]' : '[]'}));
parentPort.postMessage('ready');`;

/**
 * A worker that echoes a Uint8Array by transfer both ways: no copy at all, the floor of any
 * bytes round trip over postMessage. `send(bytes)` detaches `bytes` and answers the echoed view,
 * which the caller sends next. With `transfer: false`, structured clone both ways (two copies):
 * the least a protocol that leaves the caller its buffer can do.
 */
export async function bytesWorker({ execArgv = [], transfer = true } = {}) {
  const worker = startWorker(bytesEchoWorker(transfer), execArgv);
  let answer = () => {};
  worker.on('message', (m) => answer(m));
  await new Promise((resolve) => {
    answer = resolve;
  });
  return {
    send: (bytes) =>
      new Promise((resolve) => {
        answer = resolve;
        worker.postMessage(bytes, transfer ? [bytes.buffer] : []);
      }),
    close: () => worker.terminate(),
  };
}

/**
 * A child that writes back every byte it reads on fd 3. `send(bytes)` writes a 4-byte length and
 * the bytes, and answers once as many came back, gathered into one Uint8Array: the least a caller
 * needs to hold the echoed value (one copy on top of the pipe's), with no framing parsed at all.
 */
export async function bytesChild({ execArgv = [] } = {}) {
  let want = 'ready\n'.length;
  let target;
  let got = 0;
  let answer = () => {};
  // The echo is read straight into the answer's own buffer (what is left of it each read).
  const { child, pipe } = await startChild(BYTES_ECHO_CHILD, execArgv, {
    into: () => (target === undefined ? undefined : target.subarray(got)),
    onRead: (bytes) => {
      // The buffer of a read is asked for when the read before it ends: the first read of an
      // echo lands in the scratch buffer (the answer had no buffer yet), and is copied over.
      if (target !== undefined && bytes.buffer !== target.buffer) target.set(bytes, got);
      got += bytes.length;
      if (got >= want) answer();
    },
  });
  await new Promise((resolve) => {
    answer = resolve;
  });
  return {
    pid: child.pid,
    send: (bytes) =>
      new Promise((resolve) => {
        want = bytes.length + 4;
        target = Buffer.allocUnsafe(want);
        got = 0;
        answer = () => {
          const all = target;
          target = undefined;
          resolve(new Uint8Array(all.buffer, all.byteOffset + 4, bytes.length));
        };
        const head = Buffer.alloc(4);
        head.writeUInt32BE(bytes.length);
        pipe.write(head);
        pipe.write(bytes);
      }),
    close: () => stopChild(child, pipe),
  };
}

// The stream baselines (bench/talkback.bench.mjs): asked for `n` chunks of `size` bytes, the bare
// side sends them with nothing around them, as fast as its channel takes them.
const STREAM_WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ n, size }) => {
  const chunk = new Uint8Array(size).fill(1);
  for (let i = 0; i < n; i++) parentPort.postMessage(chunk);
});
parentPort.postMessage('ready');`;
const STREAM_CHILD = `const { Socket } = require('node:net');
const s = new Socket({ fd: 3, readable: true, writable: true });
let chunk = new Uint8Array(0);
s.on('data', (d) => {
  const n = d.readUInt32BE(0);
  const size = d.readUInt32BE(4);
  if (chunk.length !== size) chunk = new Uint8Array(size).fill(1);
  let i = 0;
  const more = () => { while (i < n) { i++; if (!s.write(chunk)) return s.once('drain', more); } };
  more();
});
s.write('ready\\n');`;

/**
 * A worker that, asked for `n` chunks, posts the same Uint8Array `n` times by structured clone
 * (a copy each, as a worker plugin's stream items are cloned); `pull(n, size)` resolves once all
 * `n` have arrived on the host.
 */
export async function streamWorker({ execArgv = [] } = {}) {
  const worker = startWorker(STREAM_WORKER, execArgv);
  const answers = counter();
  const ready = answers.expect(1);
  worker.on('message', () => answers.got());
  await ready;
  return {
    pull(n, size) {
      const all = answers.expect(n);
      worker.postMessage({ n, size });
      return all;
    },
    close: () => worker.terminate(),
  };
}

/**
 * A child that, asked for `n` chunks of `size` bytes, writes them to fd 3 (respecting
 * backpressure); `pull(n, size)` resolves once `n * size` bytes were read, with no framing parsed.
 */
export async function streamChild({ execArgv = [] } = {}) {
  let left = 'ready\n'.length;
  let done = () => {};
  // Each read into a fresh buffer, as a stream's consumer gets an array of its own per item.
  const { child, pipe } = await startChild(STREAM_CHILD, execArgv, {
    into: () => Buffer.allocUnsafe(64 * 1024),
    onRead: (bytes) => {
      left -= bytes.length;
      if (left <= 0) done();
    },
  });
  await new Promise((resolve) => {
    done = resolve;
  });
  return {
    pid: child.pid,
    pull(n, size) {
      left = n * size;
      const all = new Promise((resolve) => {
        done = resolve;
      });
      const head = Buffer.alloc(8);
      head.writeUInt32BE(n, 0);
      head.writeUInt32BE(size, 4);
      pipe.write(head);
      return all;
    },
    close: () => stopChild(child, pipe),
  };
}
