import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pipeWriter } from './pipe-writer.js';

// A real pipe to a real child, which reads nothing for a while: past the pipe's 64 KiB buffer the
// direct writes meet EAGAIN, the socket takes over, and every byte still arrives once, in order.

// Reads 500 bytes a millisecond after a pause: the pipe drains a little at a time, so that there
// is room in it while the socket still holds queued bytes (which a direct write must not overtake).
const SLOW_READER = `const { readSync, writeSync } = require('node:fs');
const buffer = Buffer.alloc(500);
const nap = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
nap(200);
for (;;) {
  let n = 0;
  try { n = readSync(3, buffer, 0, 500, null); } catch (e) { if (e.code === 'EAGAIN') { nap(1); continue; } throw e; }
  if (n === 0) break;
  writeSync(1, buffer.subarray(0, n));
  nap(1);
}`;

describe('pipeWriter', () => {
  it('keeps the order of the bytes when the pipe fills up and the socket takes over', async () => {
    const child = spawn(process.execPath, ['-e', SLOW_READER], {
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
    });
    const pipe = child.stdio[3] as Socket;
    const fd = (pipe as unknown as { _handle: { fd: number } })._handle.fd;
    expect(fd).toBeGreaterThan(2);
    const out: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    const writer = pipeWriter(pipe, fd);
    const expected: string[] = [];
    let queuedAtSomePoint = false;
    for (let i = 0; i < 3000; i++) {
      // Batches across event-loop turns, so that the socket writes what it queued meanwhile.
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const chunk = `${String(i).padStart(6, '0')}:${'x'.repeat(90)}\n`;
      expected.push(chunk);
      // Bytes, as frames are, and now and then text or a piece over the direct size, which always take the socket.
      if (i % 500 === 7) writer.write(chunk);
      else if (i % 700 === 3)
        writer.write(new TextEncoder().encode(chunk)); // a plain Uint8Array
      else writer.write(Buffer.from(chunk));
      if (pipe.writableLength > 0) queuedAtSomePoint = true;
      // ~50 µs between writes: the reader drains the pipe during a batch, not only between them.
      for (const until = performance.now() + 0.05; performance.now() < until; );
    }
    expect(queuedAtSomePoint).toBe(true); // the pipe did fill up: the fallback was taken
    pipe.end();
    await new Promise((resolve) => child.once('close', resolve));
    expect(Buffer.concat(out).toString() === expected.join('')).toBe(true);
  });
});
