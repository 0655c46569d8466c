import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSIONS, PROTOCOL_VERSIONS_KEY } from '@x/contract';
import { encodeFrame, FrameDecoder } from '@x/contract/frames';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapPath } from '../src/runtimes/x-protocol/bootstrap-path.js';
import { ENGLISH_CJS, Project } from './fixtures.js';

// Version negotiation as the plugin side of the new release does it (the host's own bootstrap,
// which bundles @x/contract), against hosts of each release: one that offers 1..3 gets version
// 3's compact envelope, and an older one that offers only 1 and 2 (the release before this one)
// gets JSON-RPC objects in version 2's framing, from the handshake on.

/** A running bootstrap: what it sent, and a way to send to it. */
interface Peer {
  next(): Promise<unknown>;
  send(message: unknown): void;
  close(): Promise<void>;
}

function workerPeer(entry: string, offered: string): Peer {
  const worker = new Worker(bootstrapPath(), {
    workerData: {
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [PROTOCOL_VERSIONS_KEY]: offered,
      entry,
      export: 'plugin',
    },
    stdout: true,
    stderr: true,
  });
  return queued(
    (push) => worker.on('message', push),
    (m) => worker.postMessage(m),
    async () => void (await worker.terminate()),
  );
}

function processPeer(entry: string, offered: string): Peer {
  const child: ChildProcess = spawn(process.execPath, [bootstrapPath(), entry, 'plugin'], {
    env: { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, [PROTOCOL_VERSIONS_KEY]: offered },
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const pipe = child.stdio[3] as Readable & Writable;
  return queued(
    (push) => {
      const decoder = new FrameDecoder({ onMessage: push, onProblem: push, onFatal: push });
      pipe.on('data', (chunk: Uint8Array) => decoder.push(chunk));
    },
    (m) => pipe.write(encodeFrame(m)),
    () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        pipe.end();
      }),
  );
}

function queued(
  listen: (push: (m: unknown) => void) => void,
  send: (m: unknown) => void,
  close: () => Promise<void>,
): Peer {
  const got: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  listen((m) => {
    const w = waiting.shift();
    if (w === undefined) got.push(m);
    else w(m);
  });
  return {
    next: () => (got.length > 0 ? Promise.resolve(got.shift()) : new Promise((r) => waiting.push(r))),
    send,
    close,
  };
}

let project: Project;
beforeEach(() => {
  project = new Project();
});
afterEach(() => project.remove());

describe.each([
  ['worker', workerPeer],
  ['process', processPeer],
] as const)('%s: the bootstrap negotiates the protocol version', (_, start) => {
  const entry = () => {
    const dir = project.addPlugin('english', { files: { 'index.cjs': ENGLISH_CJS } });
    return join(dir, 'index.cjs');
  };

  it('speaks version 3 (compact arrays) to a host that offers 1..3', async () => {
    expect(PROTOCOL_VERSIONS).toEqual([1, 2, 3]);
    const peer = start(entry(), PROTOCOL_VERSIONS.join(','));
    try {
      const hello = (await peer.next()) as unknown[];
      expect(hello.slice(0, 2)).toEqual([1, 'x/handshake']);
      expect(hello[2]).toMatchObject({ protocolVersion: 3, versions: [1, 2, 3] });
      peer.send([0, 1, 'x/call', ['greet', ['v3']]]);
      expect(await peer.next()).toEqual([2, 1, 'Hello, v3! Nice to meet you.']);
      // A version 2 object on a version 3 connection is not a message: ignored, never answered.
      peer.send({ jsonrpc: '2.0', id: 2, method: 'x/call', params: { method: 'greet', args: ['v2'] } });
      peer.send([0, 3, 'x/call', ['lang', []]]);
      expect(await peer.next()).toEqual([2, 3, 'English']);
    } finally {
      await peer.close();
    }
  });

  it('speaks version 2 (JSON-RPC objects) to an older host that offers 1 and 2 only', async () => {
    const peer = start(entry(), '1,2');
    try {
      expect(await peer.next()).toMatchObject({
        jsonrpc: '2.0',
        method: 'x/handshake',
        params: { protocolVersion: 2, versions: [1, 2, 3] },
      });
      peer.send({ jsonrpc: '2.0', id: 1, method: 'x/call', params: { method: 'greet', args: ['v2'] } });
      expect(await peer.next()).toEqual({ jsonrpc: '2.0', id: 1, result: 'Hello, v2! Nice to meet you.' });
      // A version 3 array on a version 2 connection is not a message: ignored, never answered.
      peer.send([0, 2, 'x/call', ['greet', ['v3 shape']]]);
      peer.send({ jsonrpc: '2.0', id: 3, method: 'x/call', params: { method: 'lang', args: [] } });
      expect(await peer.next()).toEqual({ jsonrpc: '2.0', id: 3, result: 'English' });
    } finally {
      await peer.close();
    }
  });
});
