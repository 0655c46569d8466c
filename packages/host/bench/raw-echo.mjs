// The raw baselines: the transports an isolated plugin runs on, with nothing on top. A bare
// postMessage echo worker, and a bare child process that echoes bytes on fd 3. Each is started
// the way the host starts a plugin (same env, same flags, same stdio), so that the only difference
// left is the plugin's protocol and dispatch. The host side is kept lean on purpose (one standing
// listener, one resolver): any work here would be charged to the baseline and flatter the plugin.
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';

const ECHO_WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));
parentPort.postMessage('ready');`;
const ECHO_CHILD = `const { Socket } = require('node:net');
const s = new Socket({ fd: 3, readable: true, writable: true });
s.on('data', (d) => s.write(d));
s.write('ready\\n');`;

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
  const worker = new Worker(ECHO_WORKER, { eval: true, env: {}, execArgv, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
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
  const child = spawn(process.execPath, [...execArgv, '-e', ECHO_CHILD], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: {},
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  child.stdout.resume();
  child.stderr.resume();
  const pipe = child.stdio[3];
  pipe.setEncoding('utf8');
  const answers = counter();
  const ready = answers.expect(1);
  // Counting newlines is all the framing a line echo needs: no split, no parse.
  pipe.on('data', (text) => {
    let k = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) k++;
    answers.got(k);
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
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill();
      }),
  };
}
